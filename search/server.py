"""The read side's calls to the search server: every reader question (search,
autocomplete, related articles) sends its request body through run_search (or
several at once through run_searches), and reads one document's fields through
read_document.

A circuit breaker stands in front of them: once the server has failed to
answer, readers are sent straight to the database answers for
RELIEF_SEARCH["BREAKER_SECONDS"] instead of each waiting out the timeout, and
then one request probes the server again. Its state lives in the process (each
server process learns of an outage from one request of its own), per search
configuration.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from time import monotonic

from search.conf import get_search_settings
from search.documents import alias_name
from search.engine import (
    Engine,
    SearchUnavailable,
    get_engine,
    is_not_found,
    is_unavailable,
)


class CircuitBreaker:
    """Closed while the server answers; open for `open_seconds` after it fails;
    then one request at a time probes it, closing the breaker when the server
    answers and opening it again when it does not. (pybreaker holds its lock
    through the call itself, which would queue every search of a threaded
    worker behind one another.)"""

    def __init__(self, *, open_seconds: float):
        self.open_seconds = open_seconds
        self.lock = threading.Lock()
        self.opened_at: float | None = None
        self.probing = False
        self.reason = ""

    def refusal(self) -> SearchUnavailable:
        return SearchUnavailable(
            f"the search server failed moments ago ({self.reason}); not asked "
            f"again for {self.open_seconds:g} s"
        )

    def check(self) -> None:
        """Raise SearchUnavailable while open, without taking the probe."""
        with self.lock:
            if self.opened_at is not None and (
                self.probing or monotonic() - self.opened_at < self.open_seconds
            ):
                raise self.refusal()

    def admit(self) -> bool:
        """check(), and take the probe when the open period is over: whether
        this request is the probe."""
        with self.lock:
            if self.opened_at is None:
                return False
            if self.probing or monotonic() - self.opened_at < self.open_seconds:
                raise self.refusal()
            self.probing = True
            return True

    def record(self, *, failure: BaseException | None, probe: bool = False) -> None:
        with self.lock:
            if probe:
                self.probing = False
            if failure is None:
                self.opened_at = None
            else:
                self.opened_at = monotonic()
                self.reason = " ".join(str(failure).split())[:200]


@cache
def _breaker_for(config_key: tuple) -> CircuitBreaker:
    return CircuitBreaker(open_seconds=dict(config_key).get("BREAKER_SECONDS", 5))


def current_breaker() -> CircuitBreaker:
    """The breaker of the configured server, one per configuration, as
    get_engine's engines are."""
    return _breaker_for(tuple(sorted(get_search_settings().items())))


def current_engine() -> Engine:
    """The configured engine, for building a request body; SearchUnavailable
    when no server is configured or reachable, or the breaker is open, so
    callers fall back. Detection asks the server only until it has answered
    once; the probe is left to the request that follows."""
    breaker = current_breaker()
    breaker.check()
    try:
        return get_engine()
    except Exception as exc:
        if is_unavailable(exc):
            breaker.record(failure=exc)
            raise SearchUnavailable(str(exc)) from exc
        raise


@contextmanager
def answering() -> Iterator[None]:
    """Turn the server's failure to answer into SearchUnavailable, so callers
    fall back, and open the breaker on it. A missing index (404) is
    unavailable too, though the server answered: nothing has been indexed
    yet."""
    breaker = current_breaker()
    probe = breaker.admit()
    failure = None
    try:
        yield
    except Exception as exc:
        if is_unavailable(exc):
            failure = exc
            raise SearchUnavailable(str(exc)) from exc
        if is_not_found(exc):
            raise SearchUnavailable(str(exc)) from exc
        raise
    finally:
        breaker.record(failure=failure, probe=probe)


def run_search(*, body: dict) -> dict:
    """The raw response to a search request against the alias."""
    with answering():
        return get_engine().search(index=alias_name(), body=body)


def run_searches(*, bodies: list[dict]) -> list[dict]:
    """The raw responses to several search requests against the alias, sent
    as one multi-search the server runs side by side."""
    with answering():
        return get_engine().msearch(index=alias_name(), bodies=bodies)


def read_document(*, doc_id: str, fields: list[str]) -> dict | None:
    """Those fields of one document behind the alias; None when it is not
    there."""
    with answering():
        return get_engine().get_source(index=alias_name(), doc_id=doc_id, fields=fields)
