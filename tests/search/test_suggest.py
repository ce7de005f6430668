import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.params import SearchParams
from search.query import search_articles
from tests.factories import PainTopicFactory, create_article


def search(**fields):
    return search_articles(params=SearchParams(**fields))


@pytest.mark.search_server
@pytest.mark.django_db
def test_no_results_suggest_a_spelling_that_finds_something(blog_index, index_articles):
    page = create_article(
        parent=blog_index, title="Living well", summary="Arthritis, day by day."
    )
    index_articles(page)
    results = search(query="arthrittiss")
    assert results.total == 0
    assert results.suggestion == "arthritis"
    assert search(query="qqqqqqq").suggestion is None


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_suggestion_that_finds_nothing_under_the_filters_is_not_offered(
    blog_index, index_articles
):
    knee = PainTopicFactory(name="Knee pain")
    PainTopicFactory(name="Hip pain")
    page = create_article(
        parent=blog_index,
        title="Braces",
        summary="Supports for unsteady joints.",
        topics=[knee],
    )
    index_articles(page)
    assert search(query="unsteddy jionts").suggestion == "unsteady joints"
    assert search(query="unsteddy jionts", topics=("hip-pain",)).suggestion is None


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_zero_result_search_reads_no_article_text_from_the_database(
    blog_index, index_articles
):
    index_articles(
        *(
            create_article(
                parent=blog_index,
                title=f"Guide {n}",
                summary="Pacing your energy through the day.",
            )
            for n in range(5)
        )
    )
    with CaptureQueriesContext(connection) as queries:
        results = search(query="pacnig enrgy")
    assert results.suggestion == "pacing energy"
    assert not any("summary" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
def test_with_the_server_down_topic_names_are_suggested(blog_index, search_offline):
    arthritis = PainTopicFactory(name="Arthritis")
    create_article(parent=blog_index, title="Arthritis at work", topics=[arthritis])
    results = search(query="arthrittisss")
    assert (results.backend, results.total) == ("database", 0)
    assert results.suggestion == "arthritis"


@pytest.mark.django_db
def test_with_the_server_down_abbreviation_expansions_are_suggested_too(
    blog_index, search_offline, seeded_abbreviations
):
    create_article(parent=blog_index, title="Cannabidiol oils and creams")
    results = search(query="cannabidoil")
    assert (results.backend, results.total) == ("database", 0)
    assert results.suggestion == "cannabidiol"


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


@pytest.mark.search_server
@pytest.mark.django_db
def test_autocomplete_offers_the_expansion_of_an_abbreviation(
    client, blog_index, index_articles, seeded_abbreviations
):
    index_articles(
        create_article(
            parent=blog_index, title="Amyotrophic lateral sclerosis and sleep"
        )
    )
    assert suggested_labels(client, "ALS") == [
        "Amyotrophic lateral sclerosis and sleep"
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
