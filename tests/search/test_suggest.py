import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import query
from search.engine import SearchUnavailable
from search.params import SearchParams
from search.query import search_articles
from tests.factories import PainTopicFactory, create_article, paragraph


def search(**fields):
    return search_articles(params=SearchParams(**fields))


def outcome(results) -> tuple:
    """What the reader is told: how many results, for which spelling, and
    which spelling is offered instead."""
    return results.total, results.corrected_query, results.suggestion


@pytest.fixture
def arthritis_article(blog_index, index_articles):
    page = create_article(
        parent=blog_index, title="Living well", summary="Arthritis, day by day."
    )
    index_articles(page)
    return page


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_typo_that_finds_nothing_shows_the_corrected_spellings_results(
    arthritis_article,
):
    results = search(query="arthrittiss")
    assert (results.query, results.corrected_query) == ("arthrittiss", "arthritis")
    assert [hit.page_id for hit in results.hits] == [arthritis_article.pk]
    assert results.suggestion is None
    assert outcome(search(query="qqqqqqq")) == (0, None, None)


@pytest.mark.search_server
@pytest.mark.django_db
def test_verbatim_finds_nothing_for_the_typo_and_offers_the_spelling(
    arthritis_article,
):
    assert outcome(search(query="arthrittiss", verbatim=True)) == (
        0,
        None,
        "arthritis",
    )


@pytest.mark.search_server
@pytest.mark.django_db
def test_when_the_index_fails_the_correction_the_typed_querys_results_stand(
    arthritis_article, monkeypatch
):
    search_index = query.search_index

    def unavailable_for_the_correction(*, params):
        if params.query == "arthritis":
            raise SearchUnavailable("The server stopped answering.")
        return search_index(params=params)

    monkeypatch.setattr(query, "search_index", unavailable_for_the_correction)
    assert outcome(search(query="arthrittiss")) == (0, None, "arthritis")


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_word_only_an_article_body_holds_is_not_corrected(blog_index, index_articles):
    kneel = [
        create_article(parent=blog_index, title=f"Kneel to garden {n}")
        for n in range(3)
    ]
    knee = create_article(
        parent=blog_index,
        title="Stairs",
        body=[paragraph("Take the stairs one step at a time with a sore knee.")],
    )
    index_articles(*kneel, knee)
    results = search(query="knee")
    assert (results.corrected_query, results.suggestion) == (None, None)
    assert knee.pk in [hit.page_id for hit in results.hits]


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_spelling_that_finds_nothing_under_the_filters_is_neither_shown_nor_offered(
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
    assert search(query="unsteddy jionts").corrected_query == "unsteady joints"
    filtered = search(query="unsteddy jionts", topics=("hip-pain",))
    assert outcome(filtered) == (0, None, None)


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_misspelt_search_reads_no_article_text_from_the_database(
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
        corrected = search(query="pacnig enrgy")
        verbatim = search(query="pacnig enrgy", verbatim=True)
    assert corrected.corrected_query == "pacing energy"
    assert verbatim.suggestion == "pacing energy"
    assert not any("summary" in sql["sql"] for sql in queries.captured_queries)


@pytest.mark.django_db
def test_with_the_server_down_topic_names_correct_the_query(blog_index, search_offline):
    arthritis = PainTopicFactory(name="Arthritis")
    page = create_article(
        parent=blog_index, title="Arthritis at work", topics=[arthritis]
    )
    results = search(query="arthrittisss")
    assert (results.backend, results.corrected_query) == ("database", "arthritis")
    assert [hit.page_id for hit in results.hits] == [page.pk]
    assert "simpler mode" in results.notice
    verbatim = search(query="arthrittisss", verbatim=True)
    assert outcome(verbatim) == (0, None, "arthritis")


@pytest.mark.django_db
def test_with_the_server_down_abbreviation_expansions_correct_the_query_too(
    blog_index, search_offline, seeded_abbreviations
):
    page = create_article(parent=blog_index, title="Cannabidiol oils and creams")
    results = search(query="cannabidoil")
    assert (results.backend, results.corrected_query) == ("database", "cannabidiol")
    assert [hit.page_id for hit in results.hits] == [page.pk]
    verbatim = search(query="cannabidoil", verbatim=True)
    assert outcome(verbatim) == (0, None, "cannabidiol")


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
