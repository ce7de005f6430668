"""Semantic re-ranking as a reader and an editor meet it: the order of hits, the
pages of a search, and embeddings that follow an article's text."""

from unittest import mock

import numpy as np
import pytest

from search import embeddings, semantic
from search.models import ArticleEmbedding, SectionEmbedding
from search.params import SearchParams
from search.query import search_articles
from search.relevance import meaningful_words
from tests.factories import create_article, paragraph, section


def found_ids(**fields) -> list[int]:
    return [hit.page_id for hit in search_articles(params=SearchParams(**fields)).hits]


@pytest.fixture
def semantic_off(settings):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "SEMANTIC_RERANK": False}


def test_the_numpy_encoder_gives_the_published_models_similarities():
    # The similarities the sentence-transformers documentation prints for
    # all-MiniLM-L6-v2 on these three sentences.
    vectors = embeddings.encoder().encode(
        [
            "The weather is lovely today.",
            "It's so sunny outside!",
            "He drove to the stadium.",
        ]
    )
    similarities = vectors @ vectors.T
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert similarities[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert similarities[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert similarities[1, 2] == pytest.approx(0.1411, abs=5e-4)


def test_text_past_the_models_length_is_cut_not_refused():
    # Far longer than the 512 positions BERT has: both are cut to the same start.
    long, longer = embeddings.encoder().encode(
        ["back pain and stiffness " * 300, "back pain and stiffness " * 600]
    )
    assert np.isfinite(long).all()
    assert np.allclose(long, longer, atol=1e-6)


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
def test_switched_off_the_index_order_stands_and_nothing_is_embedded(
    blog_index, index_articles, semantic_off
):
    cabinet, migraine = cabinet_and_migraine(blog_index)
    index_articles(cabinet, migraine)
    assert found_ids(query="medicine for headaches") == [cabinet.pk, migraine.pk]
    assert not ArticleEmbedding.objects.exists()


@pytest.mark.search_server
@pytest.mark.django_db
def test_articles_indexed_before_re_ranking_was_switched_on_are_still_found(
    blog_index, index_articles, settings
):
    cabinet, migraine = cabinet_and_migraine(blog_index)
    with mock.patch.dict(settings.RELIEF_SEARCH, {"SEMANTIC_RERANK": False}):
        index_articles(cabinet)
    index_articles(migraine)
    assert sorted(found_ids(query="medicine for headaches")) == sorted(
        [cabinet.pk, migraine.pk]
    )


@pytest.mark.search_server
@pytest.mark.django_db
def test_each_hit_appears_on_exactly_one_page_of_a_re_ranked_search(
    blog_index, index_articles
):
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


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_embedding_is_computed_again_only_when_the_text_changes(
    blog_index, index_articles
):
    page = create_article(parent=blog_index, title="Pacing for fibromyalgia")
    with mock.patch.object(
        embeddings.Encoder,
        "encode",
        autospec=True,
        side_effect=embeddings.Encoder.encode,
    ) as encode:
        index_articles(page)
        first = ArticleEmbedding.objects.get(page_id=page.pk)
        index_articles(page)
        assert encode.call_count == 1

        page.title = "Pacing and rest for fibromyalgia"
        page.save_revision().publish()
        index_articles(page)
        assert encode.call_count == 2
    again = ArticleEmbedding.objects.get(page_id=page.pk)
    assert again.digest != first.digest
    assert bytes(again.vector) != bytes(first.vector)


def test_the_encoder_computes_in_float32():
    # A float64 scalar promotes every later product to float64 under NumPy 2's
    # rules, and each layer's weights are then converted on every call: four
    # times slower, with the same vectors.
    ids = embeddings.encoder().tokenizer.encode("knee pain").ids
    assert embeddings.encoder().encode_batch([ids]).dtype == np.float32


def axis(*indices: int) -> np.ndarray:
    vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    vector[list(indices)] = 1.0
    return vector / np.linalg.norm(vector)


@pytest.fixture
def feedback_candidates(monkeypatch):
    """The query is the first axis. Page 1 is the best match. Pages 2 and 3
    are as similar to the query as each other; 2 scores a little higher in the
    index, 3 is about what page 1 is about."""
    vectors = {1: axis(0, 1), 2: axis(0, 2), 3: axis(0, 1), 4: axis(3)}
    monkeypatch.setattr(
        semantic,
        "article_vectors",
        lambda page_ids: {p: vectors[p] for p in page_ids if p in vectors},
    )
    return [(1, 10.0), (2, 9.5), (3, 9.0), (4, 5.0)]


def test_a_short_query_is_re_ranked_towards_what_its_best_hits_are_about(
    feedback_candidates,
):
    ranked = semantic.rerank(
        query="vitamin d", query_vector=axis(0), candidates=feedback_candidates
    )
    assert ranked == [1, 3, 2, 4]


def test_a_long_question_is_re_ranked_on_its_own_meaning(feedback_candidates):
    question = (
        "which foods give enough vitamin d in winter for someone who rarely "
        "goes outside because of arthritis pain"
    )
    assert len(meaningful_words(query=question)) > semantic.FEEDBACK_MAX_WORDS
    ranked = semantic.rerank(
        query=question, query_vector=axis(0), candidates=feedback_candidates
    )
    assert ranked == [1, 2, 3, 4]


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
    client, blog_index, index_articles
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
def test_section_embeddings_follow_the_sections_an_article_has(
    blog_index, index_articles
):
    guide = headaches_guide(blog_index)
    index_articles(guide)
    first = dict(
        SectionEmbedding.objects.filter(page=guide).values_list("anchor", "digest")
    )
    assert set(first) == {"storing-pills", "easing-a-migraine"}
    guide.body = [
        section("Easing a migraine", anchor="easing-a-migraine"),
        paragraph("Rest in a dark, quiet room."),
    ]
    guide.save_revision().publish()
    index_articles(guide)
    after = dict(
        SectionEmbedding.objects.filter(page=guide).values_list("anchor", "digest")
    )
    assert set(after) == {"easing-a-migraine"}
    assert after["easing-a-migraine"] != first["easing-a-migraine"]
