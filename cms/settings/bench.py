"""Benchmarks and relevance evaluation (`make bench`, `make eval`).

Development settings on a database file of their own under var/, so the demo
site's database is never touched. RELIEF_BENCH_DB names the file; each corpus
gets its own file and index prefix (bench/ sets both).
"""

import os

from .dev import *  # noqa: F403
from .dev import BASE_DIR

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(
            "RELIEF_BENCH_DB", str(BASE_DIR / "var" / "bench.sqlite3")
        ),
        "OPTIONS": {
            # Bench data is rebuilt from files on demand, so durability is not
            # worth an fsync per commit.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;",
            "timeout": 30,
        },
    }
}

# Wagtail's own database search index backs the admin only; the bench measures
# Relief's Elasticsearch index, so editors' admin index is not kept up to date
# on every save here.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False},
}
if RELIEF_SEARCH["URL"]:  # noqa: F405
    # Wagtail's own search on the server Relief uses, the peer Relief is measured
    # against (bench/peers.py): the documented settings, an index prefix of its
    # own, Relief's bench timeout, and filled by `update_index --backend peer`.
    # On OpenSearch 2.x servers too it is the opensearch3 backend: that is the one
    # for opensearch-py 3 (requirements.txt); opensearch2 calls opensearch-py 2's
    # positional signatures, which 3 refuses.
    WAGTAILSEARCH_BACKENDS["peer"] = {
        "BACKEND": "wagtail.search.backends."
        + (
            "opensearch3"
            if RELIEF_SEARCH["ENGINE"] == "opensearch"  # noqa: F405
            else "elasticsearch8"
        ),
        "URLS": [RELIEF_SEARCH["URL"]],  # noqa: F405
        "INDEX_PREFIX": RELIEF_SEARCH["INDEX_PREFIX"] + "-wagtail-",  # noqa: F405
        "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "60")),
        "OPTIONS": {},
        "INDEX_SETTINGS": {},
        "AUTO_UPDATE": False,
    }

# The embedded stand-in scans every document per search and shares two cores
# with the benchmark itself; a 2 s timeout would measure the fallback instead.
RELIEF_SEARCH = {
    **RELIEF_SEARCH,  # noqa: F405
    "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "60")),
}

# Benchmarks measure the server, not the anonymous readers' budget.
RELIEF_THROTTLES = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "search": {"handlers": ["console"], "level": "WARNING"},
        "blog": {"handlers": ["console"], "level": "WARNING"},
    },
}
