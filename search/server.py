"""The read side's calls to the search server: every reader question (search,
autocomplete, related articles) sends its request body through run_search, and
reads one document's fields through read_document."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def answering() -> Iterator[None]:
    """Turn the server's failure to answer into SearchUnavailable, so callers
    fall back. A missing index (404) is unavailable too: nothing has been
    indexed yet."""
    try:
        yield
    except Exception as exc:
        if is_unavailable(exc) or is_not_found(exc):
            raise SearchUnavailable(str(exc)) from exc
        raise


def run_search(*, body: dict) -> dict:
    """The raw response to a search request against the alias."""
    with answering():
        return get_engine().search(index=alias_name(), body=body)


def read_document(*, doc_id: str, fields: list[str]) -> dict | None:
    """Those fields of one document behind the alias; None when it is not
    there."""
    with answering():
        return get_engine().get_source(index=alias_name(), doc_id=doc_id, fields=fields)
