"""Every unhandled exception is logged, traceback included, as one JSON line
carrying the request id that the response's X-Request-ID header, the JSON 500
body and the HTML 500 page also show (cms/logging.py, blog/api_errors.py)."""

import io
import json
import logging
import textwrap

import pytest
from django.test import Client
from django.urls import include, path

from tests.cms.test_settings import run_production

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.cms.test_logging")]


def fail(request):
    raise RuntimeError("the view broke")


urlpatterns = [
    path("broken/", fail),
    path("api/v2/broken/", fail),
    path("", include("cms.urls")),
]
handler404 = "blog.api_errors.page_not_found"
handler500 = "blog.api_errors.server_error"


@pytest.fixture
def log_lines():
    """What the site's console handler prints, as a collector would read it."""
    stream = io.StringIO()
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if handler.get_name() == "console"
    ]
    assert handlers, "the root logger has no console handler"
    previous = [handler.setStream(stream) for handler in handlers]
    yield lambda: stream.getvalue().splitlines()
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_every_response_carries_its_own_request_id(client):
    first = client.get("/api/v2/no-such-endpoint/")["X-Request-ID"]
    second = client.get("/api/v2/no-such-endpoint/")["X-Request-ID"]

    assert first and second and first != second


def test_a_request_id_from_the_trusted_proxy_is_kept(client, settings):
    settings.RELIEF_REQUEST_ID_HEADER = "X-Request-ID"

    response = client.get("/api/v2/no-such-endpoint/", HTTP_X_REQUEST_ID="lb-7f3a.91")

    assert response["X-Request-ID"] == "lb-7f3a.91"


@pytest.mark.parametrize(
    "trusted, sent",
    [
        ("", "lb-7f3a.91"),  # no proxy named: any client could forge it
        ("X-Request-ID", "two words"),
        ("X-Request-ID", "x" * 129),
        ("X-Request-ID", '"><script>alert(1)</script>'),
        ("X-Request-ID", ""),
    ],
)
def test_an_untrusted_or_unsafe_request_id_is_replaced(client, settings, trusted, sent):
    settings.RELIEF_REQUEST_ID_HEADER = trusted

    response = client.get("/api/v2/no-such-endpoint/", HTTP_X_REQUEST_ID=sent)

    assert response["X-Request-ID"] not in ("", sent)
    assert response["X-Request-ID"].isalnum()


def test_an_api_server_error_answers_its_request_id(client):
    response = client.get("/api/v2/broken/")

    assert response.status_code == 500
    assert response.json() == {
        "message": "The server failed to answer; try again later.",
        "request_id": response["X-Request-ID"],
    }


def test_the_reader_error_page_shows_the_request_id_to_quote(client):
    response = client.get("/broken/")

    assert response.status_code == 500
    assert response["X-Request-ID"] in response.content.decode()
    assert "the view broke" not in response.content.decode()


def test_an_unhandled_exception_is_one_json_line_with_traceback_and_request_id(
    client, log_lines
):
    response = client.get("/broken/")

    [line] = [line for line in log_lines() if "the view broke" in line]
    event = json.loads(line)
    assert event["level"] == "ERROR"
    assert event["request_id"] == response["X-Request-ID"]
    assert event["message"] == "Internal Server Error: /broken/"
    assert "Traceback (most recent call last)" in event["traceback"]
    assert "RuntimeError: the view broke" in event["traceback"]


def test_production_logs_a_server_error_to_stderr():
    """The deployment's own settings: the database is unreachable, so the API
    view fails, and stderr (what the process manager collects) says why."""
    script = """
        import django
        django.setup()
        from django.test import Client
        response = Client(raise_request_exception=False).get(
            "/api/v2/pages/", secure=True
        )
        print(response.status_code, response["X-Request-ID"])
    """
    result = run_production("-c", textwrap.dedent(script))

    status, request_id = result.stdout.split()
    events = [json.loads(line) for line in result.stderr.splitlines()]
    [error] = [event for event in events if event["level"] == "ERROR"]
    assert status == "500"
    assert error["request_id"] == request_id
    assert "OperationalError" in error["traceback"]
