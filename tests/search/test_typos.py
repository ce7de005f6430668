"""Misspelt queries on the demo site, as a reader meets them: the API's
corrected_query and suggestion, and the search page's notices."""

import pytest

from tests.search.test_demo_relevance import demo_site  # noqa: F401

pytestmark = [pytest.mark.search_server, pytest.mark.django_db]


def api_search(client, **params) -> dict:
    return client.get("/api/v2/search/", params).json()


@pytest.mark.usefixtures("demo_site")
def test_a_typo_that_finds_less_shows_the_corrected_results(client):
    correct = api_search(client, q="fibromyalgia")
    typo = api_search(client, q="fibromialgia")
    assert typo["query"] == "fibromialgia"
    assert typo["corrected_query"] == "fibromyalgia"
    assert [hit["id"] for hit in typo["results"]] == [
        hit["id"] for hit in correct["results"]
    ]


@pytest.mark.usefixtures("demo_site")
def test_search_instead_runs_the_typed_query_verbatim(client):
    verbatim = api_search(client, q="fibromialgia", verbatim="1")
    assert verbatim["corrected_query"] is None
    assert verbatim["suggestion"] == "fibromyalgia"
    assert verbatim["total"] < api_search(client, q="fibromyalgia")["total"]


@pytest.mark.usefixtures("demo_site")
def test_the_search_page_says_which_query_it_showed(client):
    html = client.get("/search/", {"q": "fibromialgia"}).content.decode()
    assert "Showing results for <a" in html
    assert "fibromyalgia</a>" in html
    assert 'Search instead for <a href="?q=fibromialgia&amp;verbatim=1">' in html


@pytest.mark.usefixtures("demo_site")
@pytest.mark.parametrize(
    ("typo", "word"), [("nek", "neck"), ("knea", "knees"), ("bak pain", "back pain")]
)
def test_a_short_word_with_a_typo_is_corrected(client, typo, word):
    data = api_search(client, q=typo)
    assert word in (data["corrected_query"], data["suggestion"])
    assert data["total"] > 0


@pytest.mark.usefixtures("demo_site")
@pytest.mark.parametrize(
    "query",
    # Demo articles say "knee" and "laptop" only in their bodies, not in the
    # titles, summaries, headings and topics suggestions are drawn from.
    ["sciatica", "osteoarthritis", "neck pain", "knee pain", "laptop neck strain"],
)
def test_a_correctly_spelt_medical_word_is_left_alone(client, query):
    data = api_search(client, q=query)
    assert (data["corrected_query"], data["suggestion"]) == (None, None)
