"""The read side's one call to the search server: every reader question (search,
autocomplete, related articles) sends its request body through run_search."""

from __future__ import annotations

from search.documents import alias_name
from search.engine import (
    Engine,
    SearchUnavailable,
    get_engine,
    is_not_found,
    is_unavailable,
)


def current_engine() -> Engine:
    """The configured engine, for building a request body; SearchUnavailable
    when no server is configured or reachable, so callers fall back."""
    try:
        return get_engine()
    except Exception as exc:
        if is_unavailable(exc):
            raise SearchUnavailable(str(exc)) from exc
        raise


def run_search(*, body: dict) -> dict:
    """The raw response to a search request against the alias. Raises
    SearchUnavailable when the server cannot answer, so callers fall back."""
    try:
        return get_engine().search(index=alias_name(), body=body)
    except Exception as exc:
        # A missing index (404) is unavailable too: nothing has been indexed yet.
        if is_unavailable(exc) or is_not_found(exc):
            raise SearchUnavailable(str(exc)) from exc
        raise
