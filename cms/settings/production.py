"""Production: everything that differs comes from the environment.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL),
WAGTAILADMIN_BASE_URL (the public https address), ELASTICSEARCH_URL (an
Elasticsearch 8 cluster). Optional: ELASTICSEARCH_API_KEY or
ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD, ELASTICSEARCH_CA_CERTS,
ELASTICSEARCH_VERIFY_CERTS, RELIEF_SEARCH_INDEX_PREFIX,
DJANGO_SECURE_PROXY_SSL_HEADER, DJANGO_SECURE_HSTS_SECONDS, REDIS_URL.

Passes `manage.py check --deploy` with no warnings (tests/cms/test_settings.py).
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

# The throttles' counts, which every process shares: in Redis when REDIS_URL
# names one, through Django's own backend (redis-py, pinned in
# requirements.txt; its incr is Redis's atomic INCR), else in base.py's
# database table.
if redis_url := os.environ.get("REDIS_URL", ""):
    CACHES = {
        **CACHES,  # noqa: F405
        "throttles": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        },
    }

# API URLs and admin e-mails name this address; the base default points at a
# developer's machine.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")
if not WAGTAILADMIN_BASE_URL:
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be the site's public address, "
        "e.g. https://relief.example."
    )
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

# Without a cluster every reader search falls back to the database and every
# edit waits in the outbox, so a missing address stops the start instead.
if not RELIEF_SEARCH["URL"]:  # noqa: F405
    raise ImproperlyConfigured(
        "ELASTICSEARCH_URL must point at the Elasticsearch 8 or OpenSearch "
        "cluster, e.g. https://search.example:9200."
    )

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Only a proxy that sets this header (and drops a client's own) may vouch for
# HTTPS; trusted by default, any plain-HTTP client could claim it.
# DJANGO_SECURE_PROXY_SSL_HEADER names the header, e.g. X-Forwarded-Proto.
if proxy_ssl_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )

# Index work is queued in the database and run by `manage.py db_worker`, so an
# edit that touches thousands of articles never blocks the editor's request.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "RELIEF_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    }
}
