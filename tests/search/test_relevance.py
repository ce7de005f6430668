"""Comparison and context queries on the demo site, as a reader sees them: a
connector word ("vs", "or", "compared with") is no word to match, an article
covering both sides of a comparison comes first, and a condition's word finds
the medical compound terms built on it."""

import pytest

from search.params import SearchParams
from search.query import search_articles
from tests.search.judged.slugs import (
    KITCHEN,
    MIGRAINE_OR_TENSION,
    NEUROPATHY,
    SCIATICA,
)
from tests.search.test_demo_relevance import demo_site, ranked_slugs  # noqa: F401

pytestmark = [pytest.mark.search_server, pytest.mark.django_db]


def test_the_article_covering_both_sides_of_a_comparison_comes_first(
    demo_site,  # noqa: F811
):
    ranked = ranked_slugs("massage or acupuncture for headaches", demo_site)
    assert ranked[0] == MIGRAINE_OR_TENSION


@pytest.mark.parametrize("connector", ["vs", "versus", "or", "compared with"])
def test_a_comparison_finds_its_sides_and_never_the_connector(
    demo_site,  # noqa: F811
    connector,
):
    results = search_articles(
        params=SearchParams(query=f"sciatica {connector} neuropathy", per_page=10)
    )
    ranked = [demo_site[hit.page_id] for hit in results.hits]
    assert set(ranked[:2]) == {SCIATICA, NEUROPATHY}
    assert not any(
        f"<em>{word}</em>".lower() in hit.title_html.lower()
        for hit in results.hits
        for word in connector.split()
    )


@pytest.mark.parametrize("query", ["arthritis", "arthritis tips"])
def test_a_condition_finds_articles_on_the_compound_terms_built_on_it(
    demo_site,  # noqa: F811
    query,
):
    assert KITCHEN in ranked_slugs(query, demo_site)
