"""Only an engine that cannot answer sends readers to the database; a mistake in
Relief's own code is a logged 500, never hidden behind the fallback."""

import logging

import pytest
from django.test import Client

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
