import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "relief-test-only"  # noqa: S105 - tests only
ALLOWED_HOSTS = ["*"]
# DATABASE_URL runs the suite on PostgreSQL (CI does both); without it, SQLite.
DATABASES = {
    "default": dj_database_url.config(
        default="sqlite://:memory:",
    )
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
# Throttle tests set their own budgets; a whole suite from one address would
# spend the production ones.
RELIEF_THROTTLES = {}
