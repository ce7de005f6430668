"""Relief's search settings: the host site's RELIEF_SEARCH merged over DEFAULTS.

A site sets only what differs, usually just the server's address:

    RELIEF_SEARCH = {"URL": "https://search.example:9200"}

Read through get_search_settings() where a value is used, never at import time,
so override_settings and a changed environment take effect.
"""

from django.conf import settings

DEFAULTS = {
    # The Elasticsearch 8 or OpenSearch 2.x/3.x server; empty: search is off and
    # readers get the database's answers.
    "URL": "",
    # "elasticsearch" or "opensearch"; empty: read from the server's root answer.
    "ENGINE": "",
    "API_KEY": "",
    "USERNAME": "",
    "PASSWORD": "",
    "VERIFY_CERTS": True,
    "CA_CERTS": "",
    # Index names start with it, so several sites can share one cluster.
    "INDEX_PREFIX": "relief",
    # Seconds a reader's request waits for the server.
    "TIMEOUT": 2.0,
    # Index writes (bulk loads, rebuilds) wait longer than a reader should.
    "WRITE_TIMEOUT": 30.0,
    # After the server fails to answer, readers get the database answers for
    # this long before one request asks it again (search/server.py).
    "BREAKER_SECONDS": 5.0,
    # Re-rank the best hits by meaning as well as words (search/semantic.py);
    # needs the "semantic" extra.
    "SEMANTIC_RERANK": True,
    # Attempts at writing a page the engine rejects before it is given up
    # (about an hour and a half of back-off for the drains that wait for it).
    "MAX_INDEX_ATTEMPTS": 10,
    # Where the derived int8 model is kept; empty: RELIEF_MODEL_CACHE_DIR, else
    # the user's cache directory.
    "MODEL_CACHE_DIR": "",
    # Keep readers' search terms (search/terms/): counts per normalised query
    # and day, never who searched; purged after SEARCH_TERMS_RETENTION_DAYS.
    "RECORD_SEARCH_TERMS": True,
    "SEARCH_TERMS_RETENTION_DAYS": 90,
}


def get_search_settings() -> dict:
    """DEFAULTS with the site's RELIEF_SEARCH over them."""
    return {**DEFAULTS, **getattr(settings, "RELIEF_SEARCH", {})}
