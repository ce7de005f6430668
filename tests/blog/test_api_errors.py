"""Every answer under /api/v2/ is JSON, and every error has one shape:
{"message": "..."} (blog/api_errors.py)."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

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


# A question of about 480 words once exhausted the database search backend's
# recursion limit: a 500, and an HTML debug page while DEBUG is on.
LONG_QUESTION = " ".join(["pain"] * 480)


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
@pytest.mark.parametrize("search", [LONG_QUESTION, "x" * 501, "a " * 251])
def test_a_search_past_the_limit_is_a_json_400_saying_the_limit(
    site_tree, client, endpoint, search
):
    response = client.get(f"/api/v2/{endpoint}/", {"search": search})
    message = assert_json_error(response, 400)
    assert "500 characters" in message


def test_a_search_at_the_limit_is_answered(site_tree, client):
    response = client.get("/api/v2/pages/", {"search": ("pain " * 100).strip()})
    assert response.status_code == 200
    assert response.json()["items"] == []


# Values a client might send: anything short, the names the pages API knows in
# odd company, and very long ones; the NUL and non-BMP characters included.
NAMES = ("title", "-title", "*", "_", "id", "body", "topics", "random", "AND", "pain")
TYPES = ("relief_blog.ArticlePage", "wagtailcore.Page", "relief_blog.", ".")
PIECES = (*NAMES, *TYPES, *'()-,"\x00é🙂 ')
SHAPED_VALUES = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.text(min_size=490, max_size=3000),
    st.integers(min_value=100, max_value=2000).map(lambda n: "(" * n + ")" * n),
    st.integers(min_value=1, max_value=3000).map(lambda n: "title(" * n),
    st.integers(min_value=100, max_value=2000).map(lambda n: "pain " * n),
)
QUERIES = st.lists(
    st.tuples(st.sampled_from(["search", "fields", "order", "type"]), SHAPED_VALUES),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=QUERIES)
@example(query=[("search", LONG_QUESTION)])
@example(query=[("fields", "title(" * 1000)])
@example(query=[("fields", "title(" * 3000 + ")" * 3000)])
def test_no_search_fields_order_or_type_answers_a_500(site_tree, client, query):
    """Whatever the values, repeated or not: an answer, or a 400 saying why."""
    response = client.get(f"/api/v2/pages/?{urlencode(query)}")
    if response.status_code != 200:
        assert_json_error(response, 400)
