"""The reader's search: the query over titles, headings, sections and topics,
the topic and therapy facets, and hits with their best section highlighted.

Every query is plain Elasticsearch 8 DSL built as a dict (never query_string, so
nothing a reader types is parsed as syntax). When the server is unreachable or
not configured, search.fallback answers from Wagtail's database search instead.
"""

from __future__ import annotations

import logging

from django.utils.html import escape
from django.utils.safestring import mark_safe

from blog.listing import readable_articles
from search.engine import SearchUnavailable
from search.fallback import search_database
from search.params import SearchParams
from search.results import Facet, SearchHit, SearchResults, SectionMatch, build_facets
from search.server import run_search
from search.snippets import readable_snippet
from search.suggest import checked_suggestion
from search.synonyms import QueryExpansion, expand_query

logger = logging.getLogger(__name__)

# No typo tolerance below 4 characters (CBD must not find CBT), one edit up
# to 6 characters, two from 7.
FUZZINESS = "AUTO:4,7"
SNIPPET_LENGTH = 180
UNAVAILABLE_NOTICE = (
    "Search is running in a simpler mode right now, so results may be less "
    "precise than usual."
)

# Small fields: matched several ways (exact, typo-tolerant, as a phrase).
TEXT_FIELDS = ["title^5", "summary^2"]
PLAIN_FIELDS = ["title.plain^3"]
# The article text lives in its sections (text before the first heading is an
# untitled section), so it is read once per query, in the nested clause that
# also finds the best section. Every further clause over long text costs a
# full pass on servers that analyse text at query time.
SECTION_FIELDS = ["sections.heading^8", "sections.text"]
SECTION_PLAIN_FIELDS = ["sections.heading.plain^3"]
SYNONYM_BOOSTS = {"title": 5.0, "summary": 2.0}
SECTION_SYNONYM_BOOSTS = {"sections.heading": 8.0, "sections.text": 1.0}
HIT_SOURCE = ["page_id", "title", "url", "summary", "topics", "published_date"]


# Query building ----------------------------------------------------------------


def synonym_clauses(
    *, groups: tuple[tuple[str, ...], ...], boosts: dict[str, float]
) -> list[dict]:
    """Every phrase of every group the query mentioned, as exact phrases, in one
    intervals clause per field: "physical therapy" must not match every page
    that says "therapy", and one clause reads a long field once."""
    if not groups:
        return []
    phrases = sorted({phrase for group in groups for phrase in group})
    return [
        {
            "intervals": {
                field_name: {
                    "any_of": {
                        "intervals": [
                            {"match": {"query": p, "max_gaps": 0, "ordered": True}}
                            for p in phrases
                        ]
                    },
                    "boost": boost,
                }
            }
        }
        for field_name, boost in boosts.items()
    ]


def section_query(*, query: str, expansion: QueryExpansion) -> dict:
    """Sections as nested documents, so the best-matching one comes back with
    its anchor (inner_hits) and a highlighted snippet of its text."""
    should = [
        {"multi_match": {"query": query, "fields": SECTION_FIELDS}},
        {
            "multi_match": {
                "query": query,
                "fields": SECTION_PLAIN_FIELDS,
                "fuzziness": FUZZINESS,
                "prefix_length": 1,
                "max_expansions": 20,
            }
        },
        *synonym_clauses(groups=expansion.groups, boosts=SECTION_SYNONYM_BOOSTS),
    ]
    return {
        "nested": {
            "path": "sections",
            "score_mode": "max",
            "query": {"bool": {"should": should, "minimum_should_match": 1}},
            "inner_hits": {
                "name": "best_section",
                "size": 1,
                "highlight": {
                    "encoder": "html",
                    "fields": {
                        "sections.text": {
                            "fragment_size": SNIPPET_LENGTH,
                            "number_of_fragments": 1,
                        },
                    },
                },
            },
        }
    }


def text_query(*, query: str, expansion: QueryExpansion) -> dict:
    """Title and headings outweigh the summary, which outweighs the section
    text; typo tolerance and phrase proximity apply to titles, headings and
    topics, the words a reader is most likely to type; a synonym counts like
    the typed phrase."""
    should = [
        {"multi_match": {"query": query, "fields": TEXT_FIELDS}},
        {
            "multi_match": {
                "query": query,
                "fields": PLAIN_FIELDS,
                "fuzziness": FUZZINESS,
                "prefix_length": 1,
                "max_expansions": 20,
            }
        },
        {
            "multi_match": {
                "query": query,
                "fields": TEXT_FIELDS,
                "type": "phrase",
                "slop": 2,
                "boost": 2,
            }
        },
        {
            "nested": {
                "path": "topics",
                "query": {"match": {"topics.name": {"query": query, "boost": 3}}},
            }
        },
        section_query(query=query, expansion=expansion),
        *synonym_clauses(groups=expansion.groups, boosts=SYNONYM_BOOSTS),
    ]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def filter_clauses(
    *, topics: tuple[str, ...], therapies: tuple[str, ...]
) -> dict[str, dict]:
    """Filters by facet name. A topic filter matches the topic and every topic
    under it (chronic pain includes back pain); values within a facet are OR."""
    clauses = {}
    if topics:
        clauses["topics"] = {"terms": {"topic_tree_slugs": list(topics)}}
    if therapies:
        clauses["therapies"] = {"terms": {"therapy_slugs": list(therapies)}}
    return clauses


def facet_aggregations(*, clauses: dict[str, dict]) -> dict:
    """Each facet counts under the other facets' filters, so a reader sees how
    many results ticking one more box in this facet would add."""
    aggs = {}
    for facet, keyword in (
        ("topics", "topic_tree_slugs"),
        ("therapies", "therapy_slugs"),
    ):
        others = [clause for name, clause in clauses.items() if name != facet]
        aggs[facet] = {
            "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
            "aggs": {"values": {"terms": {"field": keyword, "size": 100}}},
        }
    return aggs


def build_search_body(*, params: SearchParams, expansion: QueryExpansion) -> dict:
    query, (start, size) = params.query, params.hit_window
    clauses = filter_clauses(topics=params.topics, therapies=params.therapies)
    body: dict = {
        "from": start,
        "size": size,
        "track_total_hits": True,
        "_source": HIT_SOURCE,
        "aggs": facet_aggregations(clauses=clauses),
    }
    if clauses:
        # post_filter narrows the hits but not the aggregations.
        body["post_filter"] = {"bool": {"filter": list(clauses.values())}}
    if not query:
        body["query"] = {"match_all": {}}
        body["sort"] = [{"published_date": {"order": "desc"}}, "_score"]
        return body
    body["query"] = text_query(query=query, expansion=expansion)
    body["highlight"] = {
        "encoder": "html",
        "fields": {
            "title": {"number_of_fragments": 0},
            "summary": {"number_of_fragments": 0},
        },
    }
    return body


def highlighted(hit: dict, name: str) -> str | None:
    fragments = hit.get("highlight", {}).get(name)
    # The html encoder escaped everything the server returns except its own <em>.
    return mark_safe(" … ".join(fragments)) if fragments else None  # noqa: S308


def best_section(hit: dict, *, url: str) -> tuple[SectionMatch | None, str | None]:
    inner = hit.get("inner_hits", {}).get("best_section", {}).get("hits", {})
    if not inner.get("hits"):
        return None, None
    section_hit = inner["hits"][0]
    source = section_hit["_source"]
    snippet = readable_snippet(
        fragment=highlighted(section_hit, "sections.text"),
        text=source.get("text", ""),
    )
    if not source.get("anchor") or not source.get("heading"):
        return None, snippet
    match = SectionMatch(
        heading=source["heading"],
        anchor=source["anchor"],
        url=f"{url}#{source['anchor']}",
    )
    return match, snippet


def hit_from_response(hit: dict) -> SearchHit:
    source = hit["_source"]
    section, section_snippet = best_section(hit, url=source["url"])
    snippet = (
        section_snippet
        or highlighted(hit, "summary")
        or escape(source.get("summary", ""))
    )
    return SearchHit(
        page_id=source["page_id"],
        title=source["title"],
        url=source["url"],
        title_html=highlighted(hit, "title") or escape(source["title"]),
        snippet_html=snippet,
        section=section,
        topics=source.get("topics", []),
        published_date=source.get("published_date"),
    )


def facets_from_response(
    response: dict, *, topics: tuple[str, ...], therapies: tuple[str, ...]
) -> dict[str, list[Facet]]:
    counts = {
        facet: {
            bucket["key"]: bucket["doc_count"]
            for bucket in response.get("aggregations", {})
            .get(facet, {})
            .get("values", {})
            .get("buckets", [])
        }
        for facet in ("topics", "therapies")
    }
    return build_facets(counts=counts, topics=topics, therapies=therapies)


def drop_unreadable(*, hits: list[SearchHit]) -> list[SearchHit]:
    """The index can lag behind an unpublish by a moment; never show such a page."""
    readable = set(
        readable_articles()
        .filter(pk__in=[hit.page_id for hit in hits])
        .values_list("pk", flat=True)
    )
    return [hit for hit in hits if hit.page_id in readable]


def search_index(*, params: SearchParams) -> SearchResults:
    query = params.query
    expansion = expand_query(query=query) if query else QueryExpansion((), ())
    response = run_search(body=build_search_body(params=params, expansion=expansion))
    hits = [hit_from_response(hit) for hit in response["hits"]["hits"]]
    return SearchResults(
        query=query,
        hits=drop_unreadable(hits=hits),
        total=response["hits"]["total"]["value"],
        page=params.page,
        per_page=params.per_page,
        facets=facets_from_response(
            response, topics=params.topics, therapies=params.therapies
        ),
    )


def search_articles(*, params: SearchParams) -> SearchResults:
    """The one reader search behind the HTML page, the JSON API and the eval.

    Raises InvalidSearch for input the reader can fix; never raises because the
    index is down (the database answers instead, with a notice)."""
    params = params.cleaned()
    try:
        results = search_index(params=params)
        search = search_index
    except SearchUnavailable as exc:
        logger.warning("Search index unavailable, using the database: %s", exc)
        results = search_database(params=params)
        results.notice = UNAVAILABLE_NOTICE
        search = search_database
    if params.query and results.total == 0:
        results.suggestion = checked_suggestion(params=params, search=search)
    return results
