"""The one Elasticsearch client of the process, built from settings.RELIEF_SEARCH."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, TransportError


class SearchNotConfigured(RuntimeError):
    pass


class SearchUnavailable(RuntimeError):
    """The search server cannot answer now (down, slow or not configured)."""


def is_unavailable(exc: BaseException) -> bool:
    """Errors that mean "try again later" rather than "this request is wrong";
    the read side falls back to the database on them, the write side retries."""
    if isinstance(exc, TransportError | SearchNotConfigured | SearchUnavailable):
        return True
    return isinstance(exc, ApiError) and exc.meta.status >= 500


def client_options() -> dict:
    config = settings.RELIEF_SEARCH
    if not config.get("URL"):
        raise SearchNotConfigured(
            "ELASTICSEARCH_URL is not set: `make run` starts the embedded server, "
            "production points it at the cluster."
        )
    options = {
        "hosts": [config["URL"]],
        "request_timeout": config.get("TIMEOUT", 2),
        "max_retries": 0,
        "retry_on_timeout": False,
    }
    if config.get("API_KEY"):
        options["api_key"] = config["API_KEY"]
    elif config.get("USERNAME"):
        options["basic_auth"] = (config["USERNAME"], config.get("PASSWORD", ""))
    if config["URL"].startswith("https"):
        options["verify_certs"] = config.get("VERIFY_CERTS", True)
        if config.get("CA_CERTS"):
            options["ca_certs"] = config["CA_CERTS"]
    return options


@cache
def _client_for(options_key: tuple) -> Elasticsearch:
    options = dict(options_key)
    options["hosts"] = list(options["hosts"])
    return Elasticsearch(**options)


def get_client() -> Elasticsearch:
    """A client for the configured server. Cached per configuration, so tests and
    settings overrides that change the URL get a fresh one."""
    options = client_options()
    key = tuple(
        (k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(options.items())
    )
    return _client_for(key)
