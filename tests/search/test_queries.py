import datetime
import json

import pytest
from django.utils import timezone

from blog.models import ArticlePage
from search.queries import (
    FUZZINESS,
    InvalidSearch,
    build_search_body,
    search_articles,
    suggest_spelling,
)
from search.synonyms import QueryExpansion, expand_query, merge_groups
from tests.factories import (
    PainTopicFactory,
    TherapyTypeFactory,
    create_article,
    paragraph,
    section,
)

NO_EXPANSION = QueryExpansion(groups=(), remaining_words=())


def clauses_of(body: dict) -> list[dict]:
    return body["query"]["bool"]["should"]


def nested_clause(body: dict, path: str) -> dict:
    return next(
        c["nested"] for c in clauses_of(body) if c.get("nested", {}).get("path") == path
    )


# Query building, no server ---------------------------------------------------------


def test_title_and_headings_weigh_more_than_summary_and_body():
    body = build_search_body(query="sciatica", expansion=NO_EXPANSION)
    exact = clauses_of(body)[0]["multi_match"]
    assert exact["fields"] == ["title^5", "summary^2"]
    section_fields = nested_clause(body, "sections")["query"]["bool"]["should"][0]
    assert section_fields["multi_match"]["fields"] == [
        "sections.heading^8",
        "sections.text",
    ]


def test_typos_are_tolerated_on_plain_fields_only_and_never_on_short_words():
    body = build_search_body(query="sciatica", expansion=NO_EXPANSION)
    fuzzy = [
        c["multi_match"]
        for c in clauses_of(body)
        if "fuzziness" in c.get("multi_match", {})
    ]
    assert [f["fields"] for f in fuzzy] == [["title.plain^3"]]
    assert fuzzy[0]["fuzziness"] == FUZZINESS == "AUTO:4,7"
    assert "fuzziness" not in clauses_of(body)[0]["multi_match"]


def test_a_synonym_group_becomes_phrase_alternatives_in_page_and_sections():
    expansion = expand_query(
        query="physiotherapy",
        groups=merge_groups([("physiotherapy", "physical therapy")]),
    )
    body = build_search_body(query="physiotherapy", expansion=expansion)
    title_synonyms = clauses_of(body)[-2]["intervals"]["title"]
    assert title_synonyms["boost"] == 5.0
    assert {
        "match": {"query": "physical therapy", "max_gaps": 0, "ordered": True}
    } in title_synonyms["any_of"]["intervals"]
    section_synonyms = nested_clause(body, "sections")["query"]["bool"]["should"][-1]
    assert {
        "match": {"query": "physiotherapy", "max_gaps": 0, "ordered": True}
    } in section_synonyms["intervals"]["sections.text"]["any_of"]["intervals"]


def test_filters_narrow_hits_but_each_facet_counts_under_the_other_filters():
    body = build_search_body(
        query="pain",
        expansion=NO_EXPANSION,
        topics=("chronic-pain",),
        therapies=("yoga", "pt"),
    )
    topic_filter = {"terms": {"topic_tree_slugs": ["chronic-pain"]}}
    therapy_filter = {"terms": {"therapy_slugs": ["yoga", "pt"]}}
    assert body["post_filter"] == {"bool": {"filter": [topic_filter, therapy_filter]}}
    assert body["aggs"]["topics"]["filter"] == {"bool": {"filter": [therapy_filter]}}
    assert body["aggs"]["therapies"]["filter"] == {"bool": {"filter": [topic_filter]}}
    assert body["aggs"]["topics"]["aggs"]["values"]["terms"]["field"] == (
        "topic_tree_slugs"
    )
    assert "filter" not in json.dumps(body["query"])


@pytest.mark.parametrize(
    "query", ['"unclosed', "back) (pain", "a\\b", "*:*", "AND OR NOT", "pain~2^5"]
)
def test_reader_syntax_is_sent_as_text_never_as_query_syntax(query):
    body = build_search_body(query=query, expansion=NO_EXPANSION)
    assert "query_string" not in json.dumps(body)
    assert clauses_of(body)[0]["multi_match"]["query"] == query


def test_an_empty_query_browses_newest_first_without_highlights():
    body = build_search_body(query="", expansion=NO_EXPANSION, page=3, per_page=10)
    assert body["query"] == {"match_all": {}}
    assert body["sort"][0] == {"published_date": {"order": "desc"}}
    assert body["from"] == 20
    assert "highlight" not in body


def test_highlights_are_html_encoded_by_the_server():
    body = build_search_body(query="pain", expansion=NO_EXPANSION)
    assert body["highlight"]["encoder"] == "html"
    inner = nested_clause(body, "sections")["inner_hits"]
    assert inner["size"] == 1
    assert inner["highlight"]["encoder"] == "html"


def test_spelling_suggestion_swaps_unknown_words_for_close_known_ones():
    words = {"arthritis", "exercises", "knee"}
    assert suggest_spelling(query="arthrittisss knee", words=words) == "arthritis knee"
    assert suggest_spelling(query="knee", words=words) is None
    assert suggest_spelling(query="zzzzzz", words=words) is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"query": "x" * 501}, "500 characters"),
        ({"query": "pain", "page": 0}, "page"),
        ({"query": "pain", "page": 5000}, "page"),
        ({"query": "pain", "per_page": 500}, "per_page"),
    ],
)
def test_unfixable_input_is_refused_with_a_readable_message(arguments, message):
    with pytest.raises(InvalidSearch, match=message):
        search_articles(**arguments)


@pytest.mark.django_db
def test_an_unknown_topic_is_refused_by_name():
    with pytest.raises(InvalidSearch, match="no topic called “nope”"):
        search_articles(query="pain", topics=["nope"])


# Against the search server ---------------------------------------------------------


@pytest.mark.search_server
@pytest.mark.django_db
def test_synonyms_find_each_other_in_both_directions(blog_index, index_articles):
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
        return {hit.page_id for hit in search_articles(query=query).hits}

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
    assert [h.page_id for h in search_articles(query="arthritsi").hits] == [
        arthritis.pk
    ]
    assert search_articles(query="CBD").total == 0


@pytest.mark.search_server
@pytest.mark.django_db
def test_a_heading_match_ranks_above_a_body_match(blog_index, index_articles):
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
    results = search_articles(query="sciatica")
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
    hit = search_articles(query="heating pad").hits[0]
    assert hit.section.anchor == "heat"
    assert hit.section.url == f"{page.url}#heat"
    assert "<em>heating</em>" in hit.snippet_html


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
    hit = search_articles(query="magnesium").hits[0]
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
    results = search_articles(query="pain", topics=["chronic-pain"], therapies=["yoga"])
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
    narrowed = search_articles(query="pain", topics=["back-pain"], therapies=["yoga"])
    assert [hit.page_id for hit in narrowed.hits] == [pages[0].pk]


@pytest.mark.search_server
@pytest.mark.django_db
def test_pages_split_the_results_and_keep_the_total(blog_index, index_articles):
    pages = [
        create_article(parent=blog_index, title=f"Pacing tip {n}") for n in range(5)
    ]
    index_articles(*pages)
    first = search_articles(query="pacing", per_page=2)
    last = search_articles(query="pacing", per_page=2, page=3)
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
        hit = search_articles(query=query).hits[0]
        for html in (hit.title_html, hit.snippet_html):
            assert "<script" not in html
            assert "<b>" not in html
            assert "&lt;" in html


@pytest.mark.search_server
@pytest.mark.django_db
def test_no_results_suggest_a_spelling_that_finds_something(blog_index, index_articles):
    page = create_article(parent=blog_index, title="Living with arthritis")
    index_articles(page)
    results = search_articles(query="arthrittisss")
    assert results.total == 0
    assert results.suggestion == "arthritis"
    assert search_articles(query="qqqqqqq").suggestion is None


@pytest.mark.search_server
@pytest.mark.django_db
def test_an_unpublished_page_still_in_the_index_is_never_shown(
    blog_index, index_articles
):
    page = create_article(parent=blog_index, title="Old advice on bed rest")
    index_articles(page)
    page.unpublish()
    assert search_articles(query="bed rest").hits == []


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
    results = search_articles(query="stretching")
    assert results.backend == "database"
    assert "simpler mode" in results.notice
    assert [hit.page_id for hit in results.hits] == [page.pk]
    assert results.facets["topics"][0].slug == "back-pain"


@pytest.mark.django_db
def test_an_unconfigured_server_also_falls_back_to_the_database(blog_index, settings):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "URL": ""}
    page = create_article(parent=blog_index, title="Pacing your day")
    results = search_articles(query="pacing")
    assert (results.backend, [h.page_id for h in results.hits]) == (
        "database",
        [page.pk],
    )
