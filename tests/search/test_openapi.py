"""The OpenAPI description the site serves, for search, autocomplete and related
articles: every documented parameter is accepted, and every answer, good or bad,
has the documented shape."""

import pytest

from tests.blog.test_openapi import check_answer
from tests.factories import (
    PainTopicFactory,
    TherapyTypeFactory,
    create_article,
    paragraph,
    section,
)

pytestmark = pytest.mark.django_db

OPENAPI_URL = "/api/v2/search/openapi.json"


@pytest.fixture
def document(client) -> dict:
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.fixture
def articles(blog_index):
    back = PainTopicFactory(name="Back pain", slug="back-pain")
    physio = TherapyTypeFactory(name="Physical therapy", slug="physical-therapy")
    return [
        create_article(
            parent=blog_index,
            title=title,
            topics=[back],
            therapy_types=[physio],
            body=[section("Back pain at work", anchor="work"), paragraph(text)],
        )
        for title, text in (
            ("Back pain and desks", "A chair that supports your back pain."),
            ("Back pain exercises", "Exercises for back pain at the desk."),
        )
    ]


def search_paths(document: dict) -> dict:
    """The search endpoints; tests/blog/test_openapi.py checks the pages ones."""
    return {
        path: item
        for path, item in document["paths"].items()
        if item["get"]["tags"] == ["search"]
    }


def calls(document: dict, *, article_id: int):
    """(path, url, params) for each endpoint without parameters, with each
    documented query parameter alone, and with all of them."""
    for path, item in search_paths(document).items():
        url = path.replace("{id}", str(article_id))
        examples = {
            p["name"]: p["example"]
            for p in item["get"]["parameters"]
            if p["in"] == "query"
        }
        yield path, url, {}
        for name, example in examples.items():
            yield path, url, {name: example}
        yield path, url, examples


def check_every_documented_parameter(client, document: dict, *, article_id: int):
    for path, url, params in calls(document, article_id=article_id):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.content)
        check_answer(document, path=path, response=response)


@pytest.mark.search_server
def test_each_documented_parameter_answers_in_the_documented_shape(
    client, document, articles, index_articles
):
    index_articles(*articles)
    check_every_documented_parameter(client, document, article_id=articles[0].pk)
    hit = client.get("/api/v2/search/", {"q": "back pain"}).json()["results"][0]
    assert hit["section"] is not None


@pytest.mark.usefixtures("search_offline")
def test_the_database_answers_in_the_documented_shape_too(client, document, articles):
    check_every_documented_parameter(client, document, article_id=articles[0].pk)


@pytest.mark.parametrize(
    ("path", "url", "params"),
    [
        ("/api/v2/search/", "/api/v2/search/", {"bogus": "1"}),
        ("/api/v2/search/", "/api/v2/search/", {"per_page": "abc"}),
        ("/api/v2/search/autocomplete/", "/api/v2/search/autocomplete/", {"x": "1"}),
        ("/api/v2/pages/{id}/related/", "/api/v2/pages/999999/related/", {}),
        ("/api/v2/pages/{id}/related/", "/api/v2/pages/1/related/", {"limit": "0"}),
    ],
)
def test_errors_have_the_documented_shape(client, document, path, url, params):
    response = client.get(url, params)
    assert response.status_code in (400, 404)
    check_answer(document, path=path, response=response)


def test_the_api_takes_exactly_the_documented_parameters(client, document):
    for path, item in search_paths(document).items():
        documented = {
            p["name"] for p in item["get"]["parameters"] if p["in"] == "query"
        }
        url = path.replace("{id}", "1")
        for name in documented:
            message = client.get(url, {"bogus": "1"}).json()["message"]
            assert name in message
