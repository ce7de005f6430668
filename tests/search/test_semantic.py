"""Semantic search as a reader and an editor meet it: the order of hits, what
meaning finds that words miss, the pages of a search, and vectors that follow
an article's text."""

from unittest import mock

import pytest

from search import embeddings, semantic
from search.documents import alias_name
from search.engine import get_engine
from search.indexing import (
    ensure_index,
    fill_vectors,
    pages_without_vectors,
    write_pages,
)
from search.models import TextEmbedding
from search.params import SearchParams
from search.query import search_articles
from tests.factories import create_article, paragraph, section


def found_ids(**fields) -> list[int]:
    return [hit.page_id for hit in search_articles(params=SearchParams(**fields)).hits]


@pytest.fixture
def semantic_off(settings):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "SEMANTIC_RERANK": False}


def indexed_source(page) -> dict:
    engine = get_engine()
    engine.refresh(index=alias_name())
    return engine.get_source(index=alias_name(), doc_id=str(page.pk))


def cabinet_and_migraine(blog_index):
    """Two articles for "medicine for headaches": one repeats the query's words
    and is about storing medicine, the other answers it."""
    cabinet = create_article(
        parent=blog_index,
        title="Medicine cabinet basics",
        summary="Keeping medicine tidy at home.",
        body=[
            paragraph(
                "Store medicine away from heat and damp. Check medicine dates "
                "each spring. Headaches, colds and cuts each get a shelf."
            )
        ],
    )
    migraine = create_article(
        parent=blog_index,
        title="Easing a migraine",
        summary="Which medicine helps when headaches pound.",
        body=[
            paragraph(
                "Taking a medicine such as ibuprofen or paracetamol early, "
                "resting in a dark room and drinking water can ease a migraine. "
                "Painkillers taken too often can bring headaches back."
            )
        ],
    )
    return cabinet, migraine


@pytest.mark.search_server
@pytest.mark.django_db
def test_the_article_that_answers_the_query_ranks_above_one_that_repeats_its_words(
    blog_index, index_articles
):
    cabinet, migraine = cabinet_and_migraine(blog_index)
    index_articles(cabinet, migraine)
    assert found_ids(query="medicine for headaches") == [migraine.pk, cabinet.pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_the_search_api_and_page_show_the_re_ranked_order(
    client, blog_index, index_articles
):
    cabinet, migraine = cabinet_and_migraine(blog_index)
    index_articles(cabinet, migraine)
    data = client.get("/api/v2/search/", {"q": "medicine for headaches"}).json()
    assert [hit["id"] for hit in data["results"]] == [migraine.pk, cabinet.pk]
    assert data["total"] == 2
    html = client.get("/search/", {"q": "medicine for headaches"}).content.decode()
    assert html.index("Easing a migraine") < html.index("cabinet basics")


@pytest.mark.search_server
@pytest.mark.django_db
def test_switched_off_the_keyword_order_stands_and_nothing_is_embedded(
    blog_index, index_articles, semantic_off
):
    cabinet, migraine = cabinet_and_migraine(blog_index)
    with mock.patch.object(semantic, "embed_query") as embed_query:
        index_articles(cabinet, migraine)
        assert found_ids(query="medicine for headaches") == [cabinet.pk, migraine.pk]
    embed_query.assert_not_called()
    assert not TextEmbedding.objects.exists()
    assert "embedding" not in indexed_source(cabinet)


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_article_without_its_vector_yet_keeps_its_keyword_rank(
    blog_index, index_articles, settings
):
    cabinet, migraine = cabinet_and_migraine(blog_index)
    with mock.patch.dict(settings.RELIEF_SEARCH, {"SEMANTIC_RERANK": False}):
        index_articles(cabinet)
    index_articles(migraine)
    assert "embedding" not in indexed_source(cabinet)
    # The keyword match the cabinet article is stays first: it does not sink
    # for lacking a vector.
    assert found_ids(query="medicine cabinet") == [cabinet.pk, migraine.pk]
    assert sorted(found_ids(query="medicine for headaches")) == sorted(
        [cabinet.pk, migraine.pk]
    )


@pytest.mark.search_server
@pytest.mark.django_db
def test_each_hit_appears_on_exactly_one_page_of_a_search(blog_index, index_articles):
    pages = [
        create_article(
            parent=blog_index,
            title=f"Stretch routine {number}",
            summary="Stretches for stiff mornings.",
            body=[paragraph("Stretch slowly. " * (number % 5 + 1))],
        )
        for number in range(23)
    ]
    index_articles(*pages)
    seen = []
    for page in (1, 2, 3):
        results = search_articles(
            params=SearchParams(query="stretch", page=page, per_page=10)
        )
        assert results.total == 23
        seen += [hit.page_id for hit in results.hits]
    assert sorted(seen) == sorted(page.pk for page in pages)


def counting_encodes():
    """Patch the background encoder to count the texts it embeds."""
    encoder = embeddings.batch_encoder()
    texts: list[str] = []

    def encode(batch):
        texts.extend(batch)
        return type(encoder).encode(encoder, batch)

    return texts, mock.patch.object(encoder, "encode", side_effect=encode)


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_text_is_embedded_again_only_when_it_changes(blog_index, index_articles):
    page = create_article(
        parent=blog_index,
        title="Pacing for fibromyalgia",
        body=[section("Planning a day", anchor="plan"), paragraph("Rest often.")],
    )
    texts, patch = counting_encodes()
    with patch:
        index_articles(page)
        first = indexed_source(page)
        # The article and its one section.
        assert len(texts) == 2
        index_articles(page)
        assert len(texts) == 2

        page.title = "Pacing and rest for fibromyalgia"
        page.save_revision().publish()
        index_articles(page)
    # The article's text changed; its section's did not.
    assert len(texts) == 3
    again = indexed_source(page)
    assert again["embedding"] != first["embedding"]
    assert again["sections"][0]["embedding"] == first["sections"][0]["embedding"]


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_article_is_searchable_by_keyword_before_its_vectors_are_filled(
    blog_index, search_settings
):
    cabinet, migraine = cabinet_and_migraine(blog_index)
    index = ensure_index()
    report = write_pages(page_ids=[cabinet.pk, migraine.pk], index=index, refresh=True)
    assert report.incomplete == {cabinet.pk, migraine.pk}
    assert pages_without_vectors() == {cabinet.pk, migraine.pk}
    assert sorted(found_ids(query="medicine")) == sorted([cabinet.pk, migraine.pk])

    assert fill_vectors(page_ids=report.incomplete) == 4
    get_engine().refresh(index=index)
    assert pages_without_vectors() == set()
    assert found_ids(query="medicine for headaches") == [migraine.pk, cabinet.pk]
    # The cache answers the next time: a rebuild embeds nothing.
    assert fill_vectors(page_ids=[cabinet.pk, migraine.pk]) == 0


@pytest.mark.search_server
@pytest.mark.django_db
def test_meaning_finds_an_article_that_shares_no_word_with_the_query(
    blog_index, index_articles
):
    sleep = create_article(
        parent=blog_index,
        title="Insomnia and chronic pain",
        summary="Falling asleep and staying asleep when pain keeps you up.",
        body=[paragraph("A regular bedtime and a dark, cool bedroom help insomnia.")],
    )
    knee = create_article(
        parent=blog_index,
        title="Knee braces",
        summary="Which brace suits which knee problem.",
    )
    index_articles(sleep, knee)
    assert found_ids(query="trouble sleeping at night") == [sleep.pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_query_about_nothing_on_the_site_finds_nothing(blog_index, index_articles):
    cabinet, migraine = cabinet_and_migraine(blog_index)
    index_articles(cabinet, migraine)
    results = search_articles(params=SearchParams(query="xqzv plorth"))
    assert results.total == 0
    assert results.hits == []


def headaches_guide(blog_index):
    """One article whose storage section names medicine and headaches, and
    whose migraine section answers them."""
    return create_article(
        parent=blog_index,
        title="Living with headaches",
        summary="A guide for the whole family.",
        body=[
            section("Storing pills at home", anchor="storing-pills"),
            paragraph(
                "Store medicine away from heat and damp, and check the dates "
                "each spring. Pills for headaches, colds and cuts each get a "
                "shelf."
            ),
            section("Easing a migraine", anchor="easing-a-migraine"),
            paragraph(
                "Taking a medicine such as ibuprofen or paracetamol early, "
                "resting in a dark room and drinking water can ease a migraine. "
                "Painkillers taken too often can bring headaches back."
            ),
        ],
    )


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_hit_links_the_section_that_answers_not_the_one_that_repeats_the_words(
    client, blog_index, index_articles, engine_rescores
):
    index_articles(headaches_guide(blog_index))
    data = client.get("/api/v2/search/", {"q": "medicine for headaches"}).json()
    [hit] = data["results"]
    assert hit["section"]["anchor"] == "easing-a-migraine"
    assert [s["anchor"] for s in hit["sections"]] == [
        "easing-a-migraine",
        "storing-pills",
    ]
    assert hit["sections"][0]["score"] > hit["sections"][1]["score"]
    html = client.get("/search/", {"q": "medicine for headaches"}).content.decode()
    assert html.index("#easing-a-migraine") < html.index("#storing-pills")


@pytest.mark.search_server
@pytest.mark.django_db
def test_switched_off_a_hit_links_the_section_with_the_best_word_match(
    blog_index, index_articles, semantic_off
):
    index_articles(headaches_guide(blog_index))
    [hit] = search_articles(params=SearchParams(query="medicine for headaches")).hits
    assert hit.section.anchor == "storing-pills"


@pytest.mark.search_server
@pytest.mark.django_db
def test_section_vectors_follow_the_sections_an_article_has(blog_index, index_articles):
    guide = headaches_guide(blog_index)
    index_articles(guide)
    first = {s["anchor"]: s["embedding"] for s in indexed_source(guide)["sections"]}
    assert set(first) == {"storing-pills", "easing-a-migraine"}
    guide.body = [
        section("Easing a migraine", anchor="easing-a-migraine"),
        paragraph("Rest in a dark, quiet room."),
    ]
    guide.save_revision().publish()
    index_articles(guide)
    after = {s["anchor"]: s["embedding"] for s in indexed_source(guide)["sections"]}
    assert set(after) == {"easing-a-migraine"}
    assert after["easing-a-migraine"] != first["easing-a-migraine"]
