"""Production: everything that differs comes from the environment.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL),
ELASTICSEARCH_URL (an Elasticsearch 8 cluster). Optional: ELASTICSEARCH_API_KEY or
ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD, ELASTICSEARCH_CA_CERTS,
ELASTICSEARCH_VERIFY_CERTS, RELIEF_SEARCH_INDEX_PREFIX, WAGTAILADMIN_BASE_URL.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")
    if h.strip()
]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names.")

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must point at the PostgreSQL database.")
DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Index operations run on a worker (for example django-tasks-db's db_worker)
# instead of in the web process; the search outbox keeps them durable either way.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "RELIEF_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}
