import pytest

from search.params import SearchParams
from search.query import search_articles
from search.suggest import suggest_spelling
from tests.factories import create_article


def search(**fields):
    return search_articles(params=SearchParams(**fields))


def test_spelling_suggestion_swaps_unknown_words_for_close_known_ones():
    words = {"arthritis", "exercises", "knee"}
    assert suggest_spelling(query="arthrittisss knee", words=words) == "arthritis knee"
    assert suggest_spelling(query="knee", words=words) is None
    assert suggest_spelling(query="zzzzzz", words=words) is None


@pytest.mark.search_server
@pytest.mark.django_db
def test_no_results_suggest_a_spelling_that_finds_something(blog_index, index_articles):
    page = create_article(parent=blog_index, title="Living with arthritis")
    index_articles(page)
    results = search(query="arthrittisss")
    assert results.total == 0
    assert results.suggestion == "arthritis"
    assert search(query="qqqqqqq").suggestion is None


@pytest.mark.django_db
def test_with_the_server_down_the_suggestion_comes_from_the_database(
    blog_index, search_offline
):
    create_article(parent=blog_index, title="Living with arthritis")
    results = search(query="arthrittisss")
    assert (results.backend, results.total) == ("database", 0)
    assert results.suggestion == "arthritis"


@pytest.fixture
def back_articles(blog_index, index_articles):
    pages = [
        create_article(parent=blog_index, title="Stretches for lower back pain"),
        create_article(parent=blog_index, title="Physical therapy for a sore back"),
    ]
    index_articles(*pages)
    return pages


def suggested_labels(client, query: str) -> list[str]:
    response = client.get("/api/v2/search/autocomplete/", {"q": query})
    return [result["label"] for result in response.json()["results"]]


@pytest.mark.search_server
@pytest.mark.usefixtures("back_articles")
@pytest.mark.parametrize("query", ["back", "back p", "back pa", "back pain"])
def test_a_short_trailing_word_does_not_empty_the_suggestions(client, query):
    assert "Stretches for lower back pain" in suggested_labels(client, query)


@pytest.mark.search_server
@pytest.mark.usefixtures("back_articles")
def test_autocomplete_applies_synonyms(client):
    assert suggested_labels(client, "physio") == ["Physical therapy for a sore back"]
    assert suggested_labels(client, "physio sore") == [
        "Physical therapy for a sore back"
    ]


@pytest.mark.usefixtures("search_offline")
def test_without_the_server_autocomplete_applies_synonyms_too(client, blog_index):
    create_article(parent=blog_index, title="Physical therapy for a sore back")
    assert suggested_labels(client, "physio") == ["Physical therapy for a sore back"]


@pytest.mark.usefixtures("search_offline")
def test_without_the_server_autocomplete_matches_word_beginnings(client, blog_index):
    create_article(parent=blog_index, title="Adaptive tools for the kitchen")
    create_article(parent=blog_index, title="Tools that fit a sore hand")
    assert suggested_labels(client, "pt") == []
    assert suggested_labels(client, "adap too") == ["Adaptive tools for the kitchen"]
