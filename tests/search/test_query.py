import datetime
from unittest import mock

import pytest
from django.utils import timezone

from blog.models import ArticlePage
from search import query as query_module
from search.models import Abbreviation
from search.params import SearchParams
from search.query import search_articles
from tests.factories import (
    PainTopicFactory,
    TherapyTypeFactory,
    create_article,
    paragraph,
    section,
)


def search(**fields):
    return search_articles(params=SearchParams(**fields))


def found_ids(**fields) -> list[int]:
    return [hit.page_id for hit in search(**fields).hits]


# Ranking and matching on a small corpus ----------------------------------------------


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_title_match_ranks_above_a_summary_match_above_a_body_match(
    blog_index, index_articles
):
    in_body = create_article(
        parent=blog_index,
        title="Everyday habits",
        summary="Small changes across the day.",
        body=[paragraph("Pacing helps many people with fibromyalgia.")],
    )
    in_summary = create_article(
        parent=blog_index,
        title="Energy and rest",
        summary="What fibromyalgia asks of a week.",
    )
    in_title = create_article(parent=blog_index, title="Fibromyalgia explained")
    index_articles(in_body, in_summary, in_title)
    assert found_ids(query="fibromyalgia") == [in_title.pk, in_summary.pk, in_body.pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_typo_in_a_heading_word_still_finds_that_section(blog_index, index_articles):
    page = create_article(
        parent=blog_index,
        title="Everyday movement",
        body=[
            paragraph("Short walks break up the day."),
            section("Stretching for stiffness", anchor="stretching"),
            paragraph("Slow, held stretches after a warm shower."),
        ],
    )
    index_articles(page)
    [hit] = search(query="strecthing").hits
    assert hit.page_id == page.pk
    assert hit.section.anchor == "stretching"


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_typo_of_a_word_found_only_in_body_text_finds_nothing(
    blog_index, index_articles
):
    # Typo tolerance over long text finds near-misses everywhere, so it only
    # applies to titles and headings.
    page = create_article(
        parent=blog_index,
        title="Everyday movement",
        body=[paragraph("Gentle glucosamine questions come up often.")],
    )
    index_articles(page)
    assert found_ids(query="glucosamine") == [page.pk]
    assert found_ids(query="glucosamnie") == []


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_topic_synonym_finds_a_heading_that_uses_the_topic_name(
    blog_index, index_articles
):
    PainTopicFactory(name="Back pain", synonyms="lumbago")
    page = create_article(
        parent=blog_index,
        title="Everyday movement",
        body=[section("Back pain at the desk"), paragraph("Stand up every hour.")],
    )
    other = create_article(parent=blog_index, title="Sleeping well")
    index_articles(page, other)
    assert found_ids(query="lumbago") == [page.pk]


@pytest.mark.search_server
@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ['"unclosed', "back) (pain", "a\\b", "*:*", "AND OR NOT", "pain~2^5"]
)
def test_reader_syntax_is_read_as_words_never_as_query_syntax(
    blog_index, index_articles, query
):
    page = create_article(parent=blog_index, title="Quiet evenings")
    index_articles(page)
    # Read as syntax, "*:*" would match every article and the rest would fail.
    assert page.pk not in found_ids(query=query)


@pytest.mark.search_server
@pytest.mark.django_db
def test_filters_without_a_query_browse_newest_first(blog_index, index_articles):
    back = PainTopicFactory(name="Back pain")
    older, newest, middle = (
        create_article(
            parent=blog_index,
            title=title,
            topics=[back],
            published_date=datetime.date(2025, month, 1),
        )
        for title, month in (("Older", 1), ("Newest", 9), ("Middle", 5))
    )
    index_articles(older, newest, middle)
    assert found_ids(topics=["back-pain"]) == [newest.pk, middle.pk, older.pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_synonyms_find_each_other_in_both_directions(
    blog_index, index_articles, seeded_abbreviations
):
    physio = create_article(
        parent=blog_index,
        title="Starting out",
        body=[paragraph("Your physical therapy plan starts gently.")],
    )
    nsaid = create_article(
        parent=blog_index,
        title="Pills and pain",
        body=[paragraph("Many people take NSAIDs for flare-ups.")],
    )
    long_form = create_article(
        parent=blog_index,
        title="Medicine cabinet",
        body=[paragraph("Nonsteroidal anti-inflammatory drugs reduce swelling.")],
    )
    physio_word = create_article(
        parent=blog_index,
        title="Seeing someone",
        body=[paragraph("Physiotherapy sessions last an hour.")],
    )
    index_articles(physio, nsaid, long_form, physio_word)

    def found(query: str) -> set[int]:
        return {hit.page_id for hit in search(query=query).hits}

    assert found("physiotherapy") == {physio.pk, physio_word.pk}
    assert found("physical therapy") == {physio.pk, physio_word.pk}
    assert found("NSAID") == {nsaid.pk, long_form.pk}
    assert found("nonsteroidal anti-inflammatory") == {nsaid.pk, long_form.pk}


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_typo_still_finds_the_article_but_short_acronyms_stay_exact(
    blog_index, index_articles
):
    arthritis = create_article(
        parent=blog_index,
        title="Living with arthritis",
        body=[paragraph("Warm water helps stiff joints.")],
    )
    cbt = create_article(
        parent=blog_index,
        title="Thoughts and pain",
        body=[paragraph("CBT teaches new ways to respond to pain.")],
    )
    index_articles(arthritis, cbt)
    assert [h.page_id for h in search(query="arthritsi").hits] == [arthritis.pk]
    assert search(query="CBD").total == 0


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_heading_match_ranks_above_a_body_match(
    blog_index, index_articles, engine_rescores
):
    in_body = create_article(
        parent=blog_index,
        title="Everyday habits",
        body=[paragraph("Some people notice sciatica after sitting for a long time.")],
    )
    in_heading = create_article(
        parent=blog_index,
        title="Everyday movement",
        body=[
            paragraph("Short walks break up the day."),
            section("What helps sciatica?"),
            paragraph("Gentle nerve glides, walking, and heat for many people."),
        ],
    )
    index_articles(in_body, in_heading)
    results = search(query="sciatica")
    assert [hit.page_id for hit in results.hits] == [in_heading.pk, in_body.pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_hit_names_its_best_section_with_the_anchor_to_link(
    blog_index, index_articles
):
    page = create_article(
        parent=blog_index,
        title="A guide to flare-ups",
        body=[
            paragraph("Flare-ups come and go."),
            section("Planning your week", anchor="planning"),
            paragraph("Pace activities across the week."),
            section("Using heat", anchor="heat"),
            paragraph("A heating pad relaxes tight muscles."),
        ],
    )
    index_articles(page)
    hit = search(query="heating pad").hits[0]
    assert hit.section.anchor == "heat"
    assert hit.section.url == f"{page.url}#heat"
    assert "<em>heating</em>" in hit.snippet_html


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_abbreviation_is_matched_as_typed_not_as_its_stem(
    blog_index, index_articles
):
    als = create_article(
        parent=blog_index,
        title="Living with motor neurone disease",
        body=[paragraph("ALS weakens the muscles over months.")],
    )
    citation = create_article(
        parent=blog_index,
        title="What the studies say",
        body=[paragraph("Smith et al. compared pacing plans; Al walked daily.")],
    )
    index_articles(als, citation)
    assert found_ids(query="ALS") == [als.pk]
    assert found_ids(query="How fast does ALS progress?")[0] == als.pk


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_abbreviation_and_its_expansion_find_each_other(
    blog_index, index_articles, seeded_abbreviations
):
    spelled_out = create_article(
        parent=blog_index,
        title="Living with motor neurone disease",
        body=[paragraph("Amyotrophic lateral sclerosis weakens the muscles.")],
    )
    abbreviated = create_article(
        parent=blog_index,
        title="Breathing support at home",
        body=[paragraph("Most people with ALS need help breathing in time.")],
    )
    citation = create_article(
        parent=blog_index,
        title="What the studies say",
        body=[paragraph("Smith et al. compared pacing plans; Al walked daily.")],
    )
    index_articles(spelled_out, abbreviated, citation)
    assert set(found_ids(query="ALS")) == {spelled_out.pk, abbreviated.pk}
    assert set(found_ids(query="amyotrophic lateral sclerosis")) == {
        spelled_out.pk,
        abbreviated.pk,
    }


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_ambiguous_abbreviation_finds_only_the_meaning_the_query_points_to(
    blog_index, index_articles
):
    Abbreviation.objects.create(abbreviation="AD", expansion="Alzheimer's disease")
    Abbreviation.objects.create(abbreviation="AD", expansion="atopic dermatitis")
    memory = create_article(
        parent=blog_index,
        title="Memory and pain",
        body=[paragraph("Alzheimer's disease can hide how much pain someone feels.")],
    )
    skin = create_article(
        parent=blog_index,
        title="Itchy skin at night",
        body=[paragraph("Atopic dermatitis flares keep many people awake.")],
    )
    index_articles(memory, skin)
    assert found_ids(query="AD") == []
    assert found_ids(query="AD dermatitis") == [skin.pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_editors_new_abbreviation_applies_to_the_next_search_without_reindexing(
    blog_index, index_articles
):
    page = create_article(
        parent=blog_index,
        title="When the tongue burns",
        body=[paragraph("Burning mouth syndrome is worse in the evening.")],
    )
    index_articles(page)
    assert found_ids(query="BMS") == []
    Abbreviation.objects.create(abbreviation="BMS", expansion="burning mouth syndrome")
    assert found_ids(query="BMS") == [page.pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_lowercase_words_in_running_text_are_not_abbreviations(
    blog_index, index_articles, seeded_abbreviations
):
    sclerosis = create_article(
        parent=blog_index,
        title="Fatigue and multiple sclerosis",
        body=[paragraph("Rest breaks help with multiple sclerosis fatigue.")],
    )
    index_articles(sclerosis)
    assert found_ids(query="MS") == [sclerosis.pk]
    assert found_ids(query="ms") == []


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_hit_brings_back_each_matching_section_best_first(blog_index, index_articles):
    page = create_article(
        parent=blog_index,
        title="Living with sciatica",
        body=[
            section("Sleeping with sciatica", anchor="sleeping"),
            paragraph("A pillow between the knees eases sciatica at night."),
            section("Work", anchor="work"),
            paragraph("Stand up every half hour."),
            section("Walking", anchor="walking"),
            paragraph("Short walks ease sciatica pain."),
        ],
    )
    index_articles(page)
    hit = search(query="sciatica at night").hits[0]
    assert [s.anchor for s in hit.sections] == ["sleeping", "walking"]
    assert hit.sections[0].score > hit.sections[1].score
    assert hit.section == hit.sections[0]


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_match_in_the_untitled_lead_links_to_the_article_itself(
    blog_index, index_articles
):
    page = create_article(
        parent=blog_index,
        title="Short read",
        body=[paragraph("Magnesium is often asked about."), section("Later")],
    )
    index_articles(page)
    hit = search(query="magnesium").hits[0]
    assert hit.section is None
    assert hit.url == page.url


@pytest.mark.search_server
@pytest.mark.django_db
def test_facet_counts_combine_filters_and_a_parent_topic_includes_children(
    blog_index, index_articles
):
    chronic = PainTopicFactory(name="Chronic pain")
    back = PainTopicFactory(name="Back pain", parent=chronic)
    neck = PainTopicFactory(name="Neck pain", parent=chronic)
    yoga = TherapyTypeFactory(name="Yoga")
    heat = TherapyTypeFactory(name="Heat therapy")
    pages = [
        create_article(
            parent=blog_index,
            title="Yoga for back pain",
            topics=[back],
            therapy_types=[yoga],
        ),
        create_article(
            parent=blog_index,
            title="Heat for back pain",
            topics=[back],
            therapy_types=[heat],
        ),
        create_article(
            parent=blog_index,
            title="Yoga for neck pain",
            topics=[neck],
            therapy_types=[yoga],
        ),
    ]
    index_articles(*pages)
    results = search(query="pain", topics=["chronic-pain"], therapies=["yoga"])
    assert {hit.page_id for hit in results.hits} == {pages[0].pk, pages[2].pk}
    topics = {f.slug: (f.count, f.selected) for f in results.facets["topics"]}
    therapies = {f.slug: (f.count, f.selected) for f in results.facets["therapies"]}
    # Topic counts under the yoga filter; therapy counts under the topic filter.
    assert topics == {
        "chronic-pain": (2, True),
        "back-pain": (1, False),
        "neck-pain": (1, False),
    }
    assert therapies == {"yoga": (2, True), "heat-therapy": (1, False)}
    narrowed = search(query="pain", topics=["back-pain"], therapies=["yoga"])
    assert [hit.page_id for hit in narrowed.hits] == [pages[0].pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_pages_split_the_results_and_keep_the_total(blog_index, index_articles):
    pages = [
        create_article(parent=blog_index, title=f"Pacing tip {n}") for n in range(5)
    ]
    index_articles(*pages)
    first = search(query="pacing", per_page=2)
    last = search(query="pacing", per_page=2, page=3)
    assert (first.total, len(first.hits), first.num_pages) == (5, 2, 3)
    assert (last.total, len(last.hits), last.has_next) == (5, 1, False)


@pytest.mark.search_server
@pytest.mark.django_db
def test_markup_in_articles_and_queries_comes_back_escaped(blog_index, index_articles):
    page = create_article(
        parent=blog_index,
        title="Why <script>alert(1)</script> hurts",
        summary="A <b>bold</b> claim about <script>alert(2)</script> pain.",
    )
    index_articles(page)
    for query in ["script alert hurts", "<script>alert(1)</script> hurts"]:
        hit = search(query=query).hits[0]
        for html in (hit.title_html, hit.snippet_html):
            assert "<script" not in html
            assert "<b>" not in html
            assert "&lt;" in html


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_unpublished_page_still_in_the_index_is_never_shown(
    blog_index, index_articles
):
    page = create_article(parent=blog_index, title="Old advice on bed rest")
    index_articles(page)
    page.unpublish()
    assert search(query="bed rest").hits == []


@pytest.mark.django_db
def test_with_the_server_down_the_database_answers_with_a_notice(
    blog_index, search_offline
):
    back = PainTopicFactory(name="Back pain")
    page = create_article(
        parent=blog_index, title="Stretching for back pain", topics=[back]
    )
    create_article(parent=blog_index, title="Stretching draft", live=False)
    past_expiry = create_article(parent=blog_index, title="Stretching, expired")
    # Past its expiry time, before the scheduled-publishing job has run.
    ArticlePage.objects.filter(pk=past_expiry.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    results = search(query="stretching")
    assert results.backend == "database"
    assert "simpler mode" in results.notice
    assert [hit.page_id for hit in results.hits] == [page.pk]
    assert results.facets["topics"][0].slug == "back-pain"


@pytest.mark.django_db
def test_with_the_server_down_an_abbreviation_still_finds_its_expansion(
    blog_index, search_offline, seeded_abbreviations
):
    page = create_article(parent=blog_index, title="Complex regional pain syndrome")
    create_article(parent=blog_index, title="Pacing your day")
    results = search(query="CRPS")
    assert results.backend == "database"
    assert [hit.page_id for hit in results.hits] == [page.pk]


@pytest.mark.django_db
def test_an_unconfigured_server_also_falls_back_to_the_database(blog_index, settings):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "URL": ""}
    page = create_article(parent=blog_index, title="Pacing your day")
    results = search(query="pacing")
    assert (results.backend, [h.page_id for h in results.hits]) == (
        "database",
        [page.pk],
    )


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_search_reads_the_topics_it_names_once(blog_index, index_articles):
    # Naming topics reads the taxonomy: the keyword query is built once per
    # search, whatever the best-score request and the rescore reuse of it.
    index_articles(create_article(parent=blog_index, title="Knee pain"))
    with mock.patch(
        "search.query.topics_named_in", wraps=query_module.topics_named_in
    ) as topics_named_in:
        found = search(query="knee pain")
    assert found.total == 1
    assert topics_named_in.call_count == 1
