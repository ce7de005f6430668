"""Only an engine that cannot answer sends readers to the database; a mistake in
Relief's own code is a logged 500, never hidden behind the fallback."""

import logging
import socket
import threading

import pytest
from django.test import Client

from search.engine import SearchUnavailable, get_engine
from tests.factories import PainTopicFactory, create_article

pytestmark = pytest.mark.django_db


class NotJson:
    """A value no JSON serializer accepts: a request body built wrongly."""


def broken_body(**kwargs) -> dict:
    return {"query": {"match_all": {}}, "size": NotJson()}


@pytest.fixture
def plain_client():
    """A client that answers 500 as a browser would see it."""
    return Client(raise_request_exception=False)


@pytest.fixture
def knee_page(blog_index, index_articles):
    knee = PainTopicFactory(name="Knee pain")
    page = create_article(parent=blog_index, title="Knee exercises", topics=[knee])
    other = create_article(parent=blog_index, title="Knee braces", topics=[knee])
    index_articles(page, other)
    return page


@pytest.mark.search_server
@pytest.mark.parametrize(
    ("builder", "url"),
    [
        ("search.query.build_search_body", "/api/v2/search/?q=knee"),
        ("search.query.build_search_body", "/search/?q=knee"),
        ("search.suggest.build_autocomplete_body", "/api/v2/search/autocomplete/?q=kn"),
        ("search.related.build_related_body", "/api/v2/pages/{page}/related/"),
        ("search.related.build_related_body", "{url}"),
    ],
)
def test_a_programming_error_is_a_logged_500_not_a_database_answer(
    plain_client, knee_page, monkeypatch, caplog, builder, url
):
    monkeypatch.setattr(builder, broken_body)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = plain_client.get(url.format(page=knee_page.pk, url=knee_page.url))
    assert response.status_code == 500
    assert any(record.exc_info for record in caplog.records)


# The breaker ---------------------------------------------------------------------
# After the engine fails to answer, readers go straight to the database for
# RELIEF_SEARCH["BREAKER_SECONDS"] instead of each waiting out the timeout; then
# one request probes the engine again.


@pytest.fixture
def clock(monkeypatch):
    """The breaker's clock, moved by hand: no test waits out the open period."""
    now = [1000.0]
    monkeypatch.setattr("search.server.monotonic", lambda: now[0])
    return now


@pytest.fixture
def dead_engine(settings):
    """A search server that takes each connection and drops it unanswered; the
    list counts the connections."""
    listener = socket.create_server(("127.0.0.1", 0))
    attempts = []

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            attempts.append(1)
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": f"http://127.0.0.1:{listener.getsockname()[1]}",
        "ENGINE": "",
        "TIMEOUT": 1,
        "BREAKER_SECONDS": 5,
    }
    yield attempts
    listener.shutdown(socket.SHUT_RDWR)
    listener.close()


def search_backend(client) -> str:
    response = client.get("/api/v2/search/", {"q": "knee"})
    assert response.status_code == 200
    return response.json()["backend"]


def test_after_a_failure_readers_are_answered_without_asking_the_engine(
    client, blog_index, dead_engine, clock
):
    create_article(parent=blog_index, title="Knee exercises")
    assert search_backend(client) == "database"
    tried = len(dead_engine)
    assert tried >= 1
    assert search_backend(client) == "database"
    suggestions = client.get("/api/v2/search/autocomplete/", {"q": "kne"})
    assert suggestions.status_code == 200
    assert len(dead_engine) == tried
    clock[0] += 6
    # One probe, which fails: the breaker opens again.
    assert search_backend(client) == "database"
    assert len(dead_engine) == tried + 1
    assert search_backend(client) == "database"
    assert len(dead_engine) == tried + 1


@pytest.mark.search_server
def test_after_the_open_period_one_probe_finds_the_recovered_engine(
    client, knee_page, clock, monkeypatch, settings
):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "BREAKER_SECONDS": 5}
    engine = get_engine()
    answer = engine.search
    calls, down = [], [True]

    def transport(**request):
        calls.append(request["index"])
        if down[0]:
            raise SearchUnavailable("connection refused")
        return answer(**request)

    monkeypatch.setattr(engine, "search", transport)
    assert search_backend(client) == "database"
    assert len(calls) == 1
    down[0] = False
    # Recovered, but the breaker is open: nobody asks yet.
    assert search_backend(client) == "database"
    assert len(calls) == 1
    clock[0] += 6
    assert search_backend(client) != "database"
    assert len(calls) > 1
    assert search_backend(client) != "database"
