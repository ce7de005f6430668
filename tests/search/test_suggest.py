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
