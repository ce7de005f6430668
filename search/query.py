"""The reader's search: the query over titles, headings, sections and topics,
the topic and therapy facets, and hits with their best section highlighted.

Every query is plain Elasticsearch 8 DSL built as a dict (never query_string, so
nothing a reader types is parsed as syntax). When the server is unreachable or
not configured, search.fallback answers from Wagtail's database search instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.utils.html import escape
from django.utils.safestring import mark_safe

from blog.listing import readable_articles
from search import embeddings, semantic
from search.documents import SECTION_VECTOR_FIELD
from search.engine import SearchUnavailable
from search.fallback import search_database
from search.params import SearchParams
from search.relevance import (
    QueryShape,
    article_clauses,
    section_clauses,
    shape_query,
    topics_named_in,
    weights_for,
)
from search.results import Facet, SearchHit, SearchResults, SectionMatch, build_facets
from search.server import current_engine, run_search, run_searches
from search.snippets import readable_snippet
from search.suggest import (
    build_spelling_body,
    checked_suggestion,
    spelling_from_response,
    spelling_from_taxonomy,
)
from search.synonyms import QueryExpansion, expand_query, words_compared

logger = logging.getLogger(__name__)

SNIPPET_LENGTH = 180
# At most this many results is "very little": a spelling that finds more is
# searched instead of the query as typed.
FEW_RESULTS = 2
UNAVAILABLE_NOTICE = (
    "Search is running in a simpler mode right now, so results may be less "
    "precise than usual."
)
# Sections each article hit brings back, each with its own score: the results
# page links the best three, the API lists them all, and the section-level
# ranking merges them across articles (with 3 instead of 10, LiveQA section
# Recall@100 fell from 0.79 to 0.57).
SECTIONS_PER_HIT = 10
HIT_SOURCE = ["page_id", "title", "url", "summary", "topics", "published_date"]
# The server marks matches with private-use characters instead of markup, so
# Relief escapes the whole fragment itself and only then puts <em> back: no
# server's HTML encoder is trusted with what editors typed.
MATCH_START, MATCH_END = "\ue000", "\ue001"
HIGHLIGHT_TAGS = {"pre_tags": [MATCH_START], "post_tags": [MATCH_END]}


# Query building ----------------------------------------------------------------


def best_sections(
    *, keyword_query: dict, meaning: semantic.QueryMeaning | None
) -> dict:
    """The inner hits that bring back a hit's best sections with their anchors,
    scores and a snippet highlighted where the reader's words matched; with the
    query's meaning, each section's cosine too."""
    inner_hits = {
        "name": "best_sections",
        "size": SECTIONS_PER_HIT,
        "_source": {"excludes": [SECTION_VECTOR_FIELD]},
        "highlight": {
            **HIGHLIGHT_TAGS,
            "fields": {
                "sections.text": {
                    "fragment_size": SNIPPET_LENGTH,
                    "number_of_fragments": 1,
                    # A best section found by its heading or its meaning is
                    # quoted from its opening, not from elsewhere.
                    "no_match_size": SNIPPET_LENGTH,
                    "highlight_query": keyword_query,
                },
            },
        },
    }
    if meaning is not None:
        inner_hits["script_fields"] = semantic.section_cosine_field(
            engine=current_engine(), meaning=meaning
        )
    return inner_hits


def section_query(*, shape: QueryShape, expansion: QueryExpansion) -> dict:
    """Sections as nested documents: the best one's score counts towards the
    article's."""
    should = section_clauses(shape=shape, expansion=expansion)
    return {
        "nested": {
            "path": "sections",
            "score_mode": "max",
            "boost": weights_for(shape).section,
            "query": {"bool": {"should": should, "minimum_should_match": 1}},
        }
    }


def keyword_query(*, query: str, expansion: QueryExpansion) -> dict:
    """The query's words over articles and their sections (BM25F). Built once
    per search: naming topics and abbreviations reads the database."""
    shape = shape_query(query=query)
    should = [
        *article_clauses(
            shape=shape,
            expansion=expansion,
            topics=topics_named_in(query=query),
        ),
        section_query(shape=shape, expansion=expansion),
    ]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def with_best_sections(
    keywords: dict, *, meaning: semantic.QueryMeaning | None
) -> dict:
    """The keyword query scoring the same, with each hit bringing back its best
    sections (inner hits of its section clause, the last one)."""
    *articles, section = keywords["bool"]["should"]
    nested = section["nested"]
    inner_hits = best_sections(keyword_query=nested["query"], meaning=meaning)
    return {
        "bool": {
            **keywords["bool"],
            "should": [*articles, {"nested": {**nested, "inner_hits": inner_hits}}],
        }
    }


def query_meaning(
    *, params: SearchParams, keywords: dict | None
) -> semantic.QueryMeaning | None:
    """The reader's query embedded, when semantic search is on, there is a
    query and the page lies within the fused window, and the best keyword
    score the fusion divides by: asked of the engine while the query is
    embedded."""
    start, size = params.hit_window
    if (
        keywords is None
        or not embeddings.is_enabled()
        or start + size > semantic.FUSED_WINDOW
    ):
        return None
    best_hit = {
        "size": 1,
        "_source": False,
        "track_total_hits": False,
        "query": keywords,
    }
    with ThreadPoolExecutor(max_workers=1) as pool:
        best = pool.submit(run_search, body=best_hit)
        vector = semantic.embed_query(query=params.query)
        hits = best.result()["hits"]["hits"]
    return semantic.QueryMeaning(
        vector=vector, best_keyword_score=hits[0]["_score"] if hits else 0.0
    )


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


def build_search_body(
    *,
    params: SearchParams,
    keywords: dict | None,
    meaning: semantic.QueryMeaning | None = None,
) -> dict:
    """The whole reader search in one request: hits, their best sections and
    snippets, the total and the facets. `keywords` is the query's
    keyword_query, None without a query."""
    query, (start, size) = params.query, params.hit_window
    clauses = filter_clauses(topics=params.topics, therapies=params.therapies)
    body: dict = {
        "from": start,
        "size": size,
        "track_total_hits": True,
        "_source": HIT_SOURCE,
        "aggs": facet_aggregations(clauses=clauses),
    }
    hits_filter: dict = {"filter": list(clauses.values())}
    if params.exclude_pages:
        ids = [str(pk) for pk in params.exclude_pages]
        hits_filter["must_not"] = [{"ids": {"values": ids}}]
    if clauses or params.exclude_pages:
        # post_filter narrows the hits but not the aggregations.
        body["post_filter"] = {"bool": hits_filter}
    if keywords is None:
        body["query"] = {"match_all": {}}
        body["sort"] = [{"published_date": {"order": "desc"}}, "_score"]
        return body
    body["query"] = with_best_sections(keywords, meaning=meaning)
    if meaning is not None:
        # The neighbours join the candidates, and the window of the best is
        # scored by words and meaning (search.semantic).
        engine = current_engine()
        body["query"] = semantic.with_neighbours(
            engine=engine, keyword_query=body["query"], meaning=meaning
        )
        body["rescore"] = semantic.fused_rescore(
            engine=engine, keyword_query=keywords, meaning=meaning
        )
    # Highlighting marks the reader's own words wherever they stand, whichever
    # clauses scored the hit (a combined score names no single field); a
    # comparison's connector ("vs") is no word of theirs to mark.
    query = " ".join(words_compared(query))
    body["highlight"] = {
        **HIGHLIGHT_TAGS,
        "fields": {
            name: {
                "number_of_fragments": 0,
                "highlight_query": {"match": {name: {"query": query}}},
            }
            for name in ("title", "summary")
        },
    }
    return body


def emphasise(fragment: str) -> str:
    """The fragment escaped, with each marked match in <em>; markers an article
    itself holds can neither nest nor leave an <em> open."""
    parts, is_open = [], False
    for part in re.split(f"([{MATCH_START}{MATCH_END}])", fragment):
        if part in (MATCH_START, MATCH_END):
            if (part == MATCH_START) != is_open:
                parts.append("</em>" if is_open else "<em>")
                is_open = not is_open
        else:
            parts.append(escape(part))
    return "".join(parts) + ("</em>" if is_open else "")


def highlighted(hit: dict, name: str) -> str | None:
    fragments = hit.get("highlight", {}).get(name)
    if not fragments:
        return None
    # emphasise escaped every character the server returned.
    return mark_safe(" … ".join(emphasise(f) for f in fragments))  # noqa: S308


def section_hits(hit: dict) -> list[dict]:
    """The hit's best sections as the server returned them (inner hits)."""
    inner = hit.get("inner_hits", {}).get("best_sections", {}).get("hits", {})
    return inner.get("hits") or []


def matched_sections(
    hit: dict, *, url: str
) -> tuple[list[SectionMatch], SectionMatch | None, str | None]:
    """The article's best titled sections, best first, each with its own
    score; the best section of all, when it has a heading (the untitled lead
    has no link of its own); and that best section's snippet, so the snippet
    and the section it is shown with are always one."""
    sections = section_hits(hit)
    matches = [
        SectionMatch(
            heading=source["heading"],
            anchor=source["anchor"],
            url=f"{url}#{source['anchor']}",
            score=section_hit["_score"],
        )
        for section_hit in sections
        if (source := section_hit.get("_source", {})).get("anchor")
        and source.get("heading")
    ]
    if not sections:
        return matches, None, None
    best = sections[0]
    source = best.get("_source", {})
    snippet = readable_snippet(
        fragment=highlighted(best, "sections.text"), text=source.get("text", "")
    )
    best_match = next(
        (m for m in matches if m.anchor == source.get("anchor") and snippet), None
    )
    return matches, best_match, snippet


def hit_from_response(hit: dict) -> SearchHit:
    source = hit["_source"]
    sections, section, section_snippet = matched_sections(hit, url=source["url"])
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
        sections=sections,
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


def order_sections_by_meaning(*, hits: list[dict]) -> None:
    """Each hit's sections re-scored by BM25 and their cosine together
    (search.semantic) and put in that order, so the section a hit links to is
    the one that answers."""
    sections = [section for hit in hits for section in section_hits(hit)]
    if not sections:
        return
    scores = semantic.fused_section_scores(
        scores=[section["_score"] for section in sections],
        cosines=[
            (section.get("fields", {}).get(semantic.SECTION_COSINE) or [None])[0]
            for section in sections
        ],
    )
    for section, score in zip(sections, scores, strict=True):
        section["_score"] = score
    for hit in hits:
        # A stable sort keeps the index's order between equal scores.
        section_hits(hit).sort(key=lambda section: -section["_score"])


def search_index(*, params: SearchParams) -> SearchResults:
    """The search and, beside it in the same multi-search, the spelling check
    of the query's words."""
    query = params.query
    keywords = (
        keyword_query(query=query, expansion=expand_query(query=query))
        if query
        else None
    )
    meaning = query_meaning(params=params, keywords=keywords)
    body = build_search_body(params=params, keywords=keywords, meaning=meaning)
    spelling_body = build_spelling_body(query=query)
    if spelling_body is None:
        response, spelling = run_search(body=body), None
    else:
        response, spelling_response = run_searches(bodies=[body, spelling_body])
        spelling = spelling_from_response(query=query, response=spelling_response)
    if meaning is not None:
        order_sections_by_meaning(hits=response["hits"]["hits"])
    hits = [hit_from_response(hit) for hit in response["hits"]["hits"]]
    return SearchResults(
        query=query,
        # The engine that answered: elasticsearch or opensearch.
        backend=current_engine().name,
        hits=drop_unreadable(hits=hits),
        total=response["hits"]["total"]["value"],
        page=params.page,
        per_page=params.per_page,
        facets=facets_from_response(
            response, topics=params.topics, therapies=params.therapies
        ),
        spelling=spelling,
    )


def count_index(*, params: SearchParams) -> int:
    """What the search finds, at a fraction of its cost: no hits, highlights or
    facets, and counting stops once a correction would be worth showing."""
    keywords = keyword_query(
        query=params.query, expansion=expand_query(query=params.query)
    )
    body = build_search_body(params=params, keywords=keywords)
    body = {
        key: value for key, value in body.items() if key not in ("aggs", "highlight")
    }
    body.update(size=0, track_total_hits=FEW_RESULTS + 1)
    return run_search(body=body)["hits"]["total"]["value"]


def count_database(*, params: SearchParams) -> int:
    return search_database(params=params).total


def search_articles(*, params: SearchParams) -> SearchResults:
    """The one reader search behind the HTML page, the JSON API and the eval.

    Raises InvalidSearch for input the reader can fix; never raises because the
    index is down (the database answers instead, with a notice)."""
    params = params.cleaned()
    try:
        results = search_index(params=params)
        search, count = search_index, count_index
    except SearchUnavailable as exc:
        logger.warning("Search index unavailable, using the database: %s", exc)
        results = search_database(params=params)
        results.notice = UNAVAILABLE_NOTICE
        # Proposed here, not in search_database, which every count runs too.
        if params.query:
            results.spelling = spelling_from_taxonomy(query=params.query)
        search, count = search_database, count_database
    if not params.query:
        return results
    suggestion, found = checked_suggestion(
        params=params, spelling=results.spelling, count=count
    )
    if (
        suggestion
        and not params.verbatim
        and results.total <= FEW_RESULTS
        and found > results.total
    ):
        try:
            return corrected_results(
                params=params,
                suggestion=suggestion,
                search=search,
                notice=results.notice,
            )
        except SearchUnavailable as exc:
            # The typed query's results stand, the spelling offered instead.
            logger.warning("Search index unavailable for a corrected query: %s", exc)
    results.suggestion = suggestion
    return results


def corrected_results(
    *,
    params: SearchParams,
    suggestion: str,
    search: Callable[..., SearchResults],
    notice: str,
) -> SearchResults:
    """The corrected spelling's results, still answering to the typed query."""
    results = search(params=params.replace(query=suggestion))
    results.query, results.corrected_query = params.query, suggestion
    results.notice = results.notice or notice
    return results
