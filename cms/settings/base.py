"""Settings shared by every environment; dev.py, test.py and production.py only differ."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "home",
    "blog",
    "search",
    "search.terms",
    "wagtail_modeladmin",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First, so every log line of a request and its error page carry its id.
    "cms.logging.RequestIDMiddleware",
    # Before CommonMiddleware, so its redirects carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True


STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Relief"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]

# Wagtail's own database search backs the admin and is the reader-search
# fallback when Elasticsearch is unreachable.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

# Background work. The immediate backend runs a task in-process (search/tasks.py
# enqueues index work on transaction commit); production queues it in the
# database for a worker (django_tasks_db, `manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
}

# Relief search index (see search/ and README "Configuration").
RELIEF_SEARCH = {
    "URL": os.environ.get("ELASTICSEARCH_URL", ""),
    # "elasticsearch" or "opensearch"; empty: read from the server's root answer.
    "ENGINE": os.environ.get("RELIEF_SEARCH_ENGINE", ""),
    "API_KEY": os.environ.get("ELASTICSEARCH_API_KEY", ""),
    "USERNAME": os.environ.get("ELASTICSEARCH_USERNAME", ""),
    "PASSWORD": os.environ.get("ELASTICSEARCH_PASSWORD", ""),
    "VERIFY_CERTS": os.environ.get("ELASTICSEARCH_VERIFY_CERTS", "true").lower()
    != "false",
    "CA_CERTS": os.environ.get("ELASTICSEARCH_CA_CERTS", ""),
    "INDEX_PREFIX": os.environ.get("RELIEF_SEARCH_INDEX_PREFIX", "relief"),
    "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2")),
    # Index writes (bulk loads, rebuilds) wait longer than a reader should.
    "WRITE_TIMEOUT": float(os.environ.get("ELASTICSEARCH_WRITE_TIMEOUT", "30")),
    # After the server fails to answer, readers get the database answers for
    # this long before one request asks it again (search/server.py).
    "BREAKER_SECONDS": float(os.environ.get("RELIEF_SEARCH_BREAKER_SECONDS", "5")),
    # Re-rank the best hits by meaning as well as words (search/semantic.py).
    "SEMANTIC_RERANK": os.environ.get("RELIEF_SEMANTIC_RERANK", "true").lower()
    != "false",
    # Readers' searches as normalised queries with daily counts, kept this many
    # days (search/terms/).
    "RECORD_SEARCH_TERMS": os.environ.get("RELIEF_RECORD_SEARCH_TERMS", "true").lower()
    != "false",
    "SEARCH_TERMS_RETENTION_DAYS": int(
        os.environ.get("RELIEF_SEARCH_TERMS_RETENTION_DAYS", "90")
    ),
}

# Browsers on other origins (a headless front end) may read the API only from
# the origins named here, comma-separated; none by default. Reader pages and the
# admin never answer another origin.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOWED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("RELIEF_CORS_ALLOWED_ORIGINS", "").split(",")
    if origin.strip()
]

# "default" is per process and fast, for Wagtail's own caches (renditions,
# site paths), which a query per lookup would cost more than they save.
# "throttles" is one every server process shares, so the throttles' counts are
# the site's, not a process's: a table in the database (search's migration 0007
# creates it, so `migrate` is all it needs), with room for a count per reader
# and scope in a window (expired rows are culled past it); production points
# it at Redis with REDIS_URL.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttles": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "relief_throttle_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}

# Requests per client address and window for anonymous readers of the search
# page and the search, autocomplete and related APIs (search/throttle.py).
RELIEF_THROTTLES = {
    "search": "30/minute",
    "autocomplete": "120/minute",
    "related": "60/minute",
}
# The cache alias holding the counts; every server process must share it.
RELIEF_THROTTLE_CACHE = "throttles"
# The header a reverse proxy sets to the client's address (e.g. X-Real-IP or
# X-Forwarded-For, whose last value is used); empty: REMOTE_ADDR.
RELIEF_CLIENT_IP_HEADER = os.environ.get("RELIEF_CLIENT_IP_HEADER", "")

# The header a trusted proxy sets to its request id (e.g. X-Request-ID), kept
# when it is a short safe token; empty: every request gets a new id.
RELIEF_REQUEST_ID_HEADER = os.environ.get("RELIEF_REQUEST_ID_HEADER", "")

# One JSON line per event on stderr, for the log collector. Django's own
# loggers print only with DEBUG by default; here they reach the root handler,
# so every unhandled exception (django.request) is logged with its traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cms.logging.JSONFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "search": {"level": "INFO"},
        "blog": {"level": "INFO"},
    },
}

# The admin works offline like the reader site: no release check against
# wagtail.org and no Gravatar avatars fetched from a third party.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
