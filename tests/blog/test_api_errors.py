"""Every answer under /api/v2/ is JSON, and every error has one shape:
{"message": "..."} (blog/api_errors.py)."""

import pytest
from django.test import Client

from blog.api import ReliefPagesAPIViewSet

pytestmark = pytest.mark.django_db


def assert_json_error(response, status: int, *, also: tuple[str, ...] = ()) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["message", *also]
    assert isinstance(body["message"], str) and body["message"]
    return body["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/abc/",
        "/api/v2/pages/999999/",
        "/api/v2/pages/find/?html_path=/no/such/page/",
        "/api/v2/no-such-endpoint/",
        "/api/v2/",
        "/api/v2/images/1/extra/",
    ],
)
def test_unknown_api_addresses_answer_a_json_404(site_tree, client, url):
    assert_json_error(client.get(url), 404)


def test_a_write_method_answers_a_json_405(site_tree, client):
    message = assert_json_error(client.post("/api/v2/pages/", {}), 405)
    assert "POST" in message


def test_a_server_error_in_the_api_answers_json(site_tree, monkeypatch):
    def fail(self):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ReliefPagesAPIViewSet, "get_queryset", fail)
    client = Client(raise_request_exception=False)
    # The request id, to quote, is the one addition (tests/cms/test_logging.py).
    message = assert_json_error(client.get("/api/v2/pages/"), 500, also=("request_id",))
    assert "database" not in message


def test_reader_pages_keep_the_html_404(site_tree, client):
    response = client.get("/no-such-article/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
