"""The read side of the index: reader search, autocomplete and related articles.

Every query is plain Elasticsearch 8 DSL built as a dict (never query_string, so
nothing a reader types is parsed as syntax). When the server is unreachable or
not configured, search.fallback answers from Wagtail's database search instead.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from blog.listing import readable_articles, with_card_relations
from search.documents import alias_name
from search.engine import SearchUnavailable, get_engine, is_not_found, is_unavailable
from search.synonyms import QueryExpansion, expand_query, normalise

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100  # as WAGTAILAPI_LIMIT_MAX
# Elasticsearch refuses from + size beyond index.max_result_window.
MAX_RESULT_WINDOW = 10_000
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


class InvalidSearch(ValueError):
    """Input a reader can fix; the message is shown to them as is."""


@dataclass
class Facet:
    slug: str
    name: str
    count: int
    selected: bool


@dataclass
class SectionMatch:
    heading: str
    anchor: str
    url: str


@dataclass
class SearchHit:
    page_id: int
    title: str
    url: str
    title_html: SafeString
    snippet_html: SafeString
    section: SectionMatch | None = None
    topics: list[dict] = field(default_factory=list)
    published_date: str | None = None


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[Facet]]
    suggestion: str | None = None
    backend: str = "elasticsearch"
    notice: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# Reader input ------------------------------------------------------------------


def clean_query(query: str) -> str:
    """Collapse whitespace and drop control characters; reject what is too long."""
    cleaned = " ".join("".join(c for c in query if c.isprintable()).split())
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise InvalidSearch(
            f"Search terms are limited to {MAX_QUERY_LENGTH} characters; "
            "try a shorter question."
        )
    return cleaned


def check_paging(*, page: int, per_page: int) -> None:
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidSearch(f"per_page must be between 1 and {MAX_PER_PAGE}.")
    if page < 1 or page * per_page > MAX_RESULT_WINDOW:
        raise InvalidSearch("That results page does not exist.")


def check_taxonomy(*, topics: tuple[str, ...], therapies: tuple[str, ...]) -> None:
    from blog.models import PainTopic, TherapyType

    for model, slugs, label in (
        (PainTopic, topics, "topic"),
        (TherapyType, therapies, "therapy type"),
    ):
        known = set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise InvalidSearch(f"There is no {label} called “{unknown[0]}”.")


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


def build_search_body(
    *,
    query: str,
    expansion: QueryExpansion,
    topics: tuple[str, ...] = (),
    therapies: tuple[str, ...] = (),
    page: int = 1,
    per_page: int = 10,
) -> dict:
    clauses = filter_clauses(topics=topics, therapies=therapies)
    body: dict = {
        "from": (page - 1) * per_page,
        "size": per_page,
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


# Running the search --------------------------------------------------------------


def run_search(*, body: dict) -> dict:
    try:
        return get_engine().search(index=alias_name(), body=body)
    except Exception as exc:
        # A missing index (404) is unavailable too: nothing has been indexed yet.
        if is_unavailable(exc) or is_not_found(exc):
            raise SearchUnavailable(str(exc)) from exc
        raise


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
    snippet = highlighted(section_hit, "sections.text")
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


def build_facets(
    *, counts: dict[str, dict[str, int]], topics: tuple, therapies: tuple
) -> dict[str, list[Facet]]:
    """Facets named from the database, ordered by count; a selected value stays
    listed even at zero so the reader can untick it."""
    from blog.models import PainTopic, TherapyType

    facets = {}
    for facet, model, selected in (
        ("topics", PainTopic, topics),
        ("therapies", TherapyType, therapies),
    ):
        wanted = set(counts[facet]) | set(selected)
        names = dict(model.objects.filter(slug__in=wanted).values_list("slug", "name"))
        values = [
            Facet(
                slug=slug,
                name=names[slug],
                count=counts[facet].get(slug, 0),
                selected=slug in selected,
            )
            for slug in wanted
            if slug in names
        ]
        facets[facet] = sorted(values, key=lambda f: (-f.count, f.name))
    return facets


def drop_unreadable(*, hits: list[SearchHit]) -> list[SearchHit]:
    """The index can lag behind an unpublish by a moment; never show such a page."""
    readable = set(
        readable_articles()
        .filter(pk__in=[hit.page_id for hit in hits])
        .values_list("pk", flat=True)
    )
    return [hit for hit in hits if hit.page_id in readable]


def search_index(
    *,
    query: str,
    topics: tuple[str, ...],
    therapies: tuple[str, ...],
    page: int,
    per_page: int,
) -> SearchResults:
    expansion = expand_query(query=query) if query else QueryExpansion((), ())
    body = build_search_body(
        query=query,
        expansion=expansion,
        topics=topics,
        therapies=therapies,
        page=page,
        per_page=per_page,
    )
    response = run_search(body=body)
    hits = [hit_from_response(hit) for hit in response["hits"]["hits"]]
    return SearchResults(
        query=query,
        hits=drop_unreadable(hits=hits),
        total=response["hits"]["total"]["value"],
        page=page,
        per_page=per_page,
        facets=facets_from_response(response, topics=topics, therapies=therapies),
    )


def search_articles(
    *,
    query: str,
    topics: tuple[str, ...] | list[str] = (),
    therapies: tuple[str, ...] | list[str] = (),
    page: int = 1,
    per_page: int = 10,
) -> SearchResults:
    """The one reader search behind the HTML page and the JSON API.

    Raises InvalidSearch for input the reader can fix; never raises because the
    index is down (the database answers instead, with a notice)."""
    from search.fallback import search_database

    query = clean_query(query)
    topics, therapies = tuple(dict.fromkeys(topics)), tuple(dict.fromkeys(therapies))
    check_paging(page=page, per_page=per_page)
    check_taxonomy(topics=topics, therapies=therapies)
    arguments = dict(
        query=query, topics=topics, therapies=therapies, page=page, per_page=per_page
    )
    try:
        results = search_index(**arguments)
        search = search_index
    except SearchUnavailable as exc:
        logger.warning("Search index unavailable, using the database: %s", exc)
        results = search_database(**arguments)
        results.notice = UNAVAILABLE_NOTICE
        search = search_database
    if query and results.total == 0:
        results.suggestion = checked_suggestion(
            query=query, search=search, arguments=arguments
        )
    return results


# Did you mean --------------------------------------------------------------------


def vocabulary() -> set[str]:
    """Words readers could have meant: titles and summaries of live articles,
    topic and therapy names and synonyms."""
    from blog.models import PainTopic, TherapyType
    from search.synonyms import synonym_groups

    texts = [
        *(f"{t} {s}" for t, s in readable_articles().values_list("title", "summary")),
        *PainTopic.objects.values_list("name", flat=True),
        *TherapyType.objects.values_list("name", flat=True),
        *(phrase for group in synonym_groups() for phrase in group),
    ]
    return {word for text in texts for word in normalise(text).split() if len(word) > 2}


def suggest_spelling(*, query: str, words: set[str]) -> str | None:
    """The query with each unknown word swapped for its closest known word."""
    corrected = []
    for word in normalise(query).split():
        if len(word) > 3 and word not in words:
            close = difflib.get_close_matches(word, words, n=1, cutoff=0.7)
            corrected.append(close[0] if close else word)
        else:
            corrected.append(word)
    suggestion = " ".join(corrected)
    return suggestion if suggestion != normalise(query) else None


def checked_suggestion(*, query: str, search, arguments: dict) -> str | None:
    """Only suggest a spelling that finds something under the same filters."""
    suggestion = suggest_spelling(query=query, words=vocabulary())
    if suggestion is None:
        return None
    try:
        found = search(**{**arguments, "query": suggestion, "page": 1}).total
    except SearchUnavailable:
        return None
    return suggestion if found else None


# Autocomplete --------------------------------------------------------------------

AUTOCOMPLETE_MIN_LENGTH = 2
AUTOCOMPLETE_LIMIT = 5


def build_autocomplete_body(*, query: str, limit: int = AUTOCOMPLETE_LIMIT) -> dict:
    """Edge-ngram sub-fields match word beginnings; every typed word must match."""

    def prefix_match(field_name: str, boost: float = 1.0) -> dict:
        return {
            "match": {field_name: {"query": query, "operator": "and", "boost": boost}}
        }

    def nested(path: str, field_name: str) -> dict:
        return {
            "nested": {
                "path": path,
                "query": prefix_match(field_name),
                "inner_hits": {"name": path, "size": 3},
            }
        }

    return {
        "size": limit,
        "_source": ["page_id", "title", "url"],
        "query": {
            "bool": {
                "should": [
                    prefix_match("title.autocomplete", boost=3),
                    nested("sections", "sections.heading.autocomplete"),
                    nested("topics", "topics.name.autocomplete"),
                ],
                "minimum_should_match": 1,
            }
        },
    }


def starts_words(*, query: str, text: str) -> bool:
    """Every query word begins some word of the text (what the edge-ngrams matched)."""
    words = normalise(text).split()
    return all(any(w.startswith(q) for w in words) for q in normalise(query).split())


def suggestions_from_response(response: dict, *, query: str, limit: int) -> list:
    hits = response["hits"]["hits"]
    readable = set(
        readable_articles()
        .filter(pk__in=[hit["_source"]["page_id"] for hit in hits])
        .values_list("pk", flat=True)
    )
    articles, sections, topics = [], [], {}
    for hit in hits:
        source = hit["_source"]
        if source["page_id"] not in readable:
            continue
        if starts_words(query=query, text=source["title"]):
            articles.append(
                {"type": "article", "label": source["title"], "url": source["url"]}
            )
        for inner in (
            hit.get("inner_hits", {})
            .get("sections", {})
            .get("hits", {})
            .get("hits", [])
        ):
            section = inner["_source"]
            if section.get("heading"):
                anchor = f"#{section['anchor']}" if section.get("anchor") else ""
                sections.append(
                    {
                        "type": "section",
                        "label": section["heading"],
                        "article": source["title"],
                        "url": f"{source['url']}{anchor}",
                    }
                )
        for inner in (
            hit.get("inner_hits", {}).get("topics", {}).get("hits", {}).get("hits", [])
        ):
            topic = inner["_source"]
            topics.setdefault(topic["slug"], topic_suggestion(topic))
    return [*articles[:limit], *sections[:limit], *list(topics.values())[:3]]


def topic_suggestion(topic: dict) -> dict:
    return {
        "type": "topic",
        "label": topic["name"],
        "url": f"/search/?topic={topic['slug']}",
    }


def autocomplete(*, query: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict]:
    """Titles, section headings and topics for the search box; nothing below two
    characters."""
    from search.fallback import autocomplete_database

    query = " ".join(query.split())[:100]
    if len(query) < AUTOCOMPLETE_MIN_LENGTH:
        return []
    try:
        response = run_search(body=build_autocomplete_body(query=query, limit=limit))
    except SearchUnavailable:
        return autocomplete_database(query=query, limit=limit)
    return suggestions_from_response(response, query=query, limit=limit)


# Related articles ----------------------------------------------------------------

RELATED_STOPWORDS = frozenset(
    [
        "about",
        "after",
        "also",
        "and",
        "are",
        "back",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "can",
        "could",
        "does",
        "during",
        "each",
        "even",
        "every",
        "from",
        "have",
        "how",
        "into",
        "just",
        "more",
        "most",
        "much",
        "only",
        "other",
        "over",
        "pain",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "very",
        "was",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "without",
        "would",
        "your",
        "you",
    ]
)


@dataclass
class RelatedArticle:
    page: object
    shared_topics: list[str]
    shared_terms: list[str]

    @property
    def reason(self) -> str:
        if self.shared_topics:
            return "Also about " + ", ".join(self.shared_topics)
        if self.shared_terms:
            return "Also covers " + ", ".join(self.shared_terms)
        return ""


def build_related_body(*, page_id: int, topic_slugs: list[str], size: int) -> dict:
    """Text likeness plus a bonus per shared topic, gently favouring recent
    articles (an old article keeps at least 70% of its score)."""
    should: list[dict] = [
        {
            "more_like_this": {
                "fields": ["title", "summary", "body"],
                "like": [{"_index": alias_name(), "_id": str(page_id)}],
                "min_term_freq": 1,
                "min_doc_freq": 2,
                "max_query_terms": 25,
                "minimum_should_match": "10%",
            }
        },
        *({"term": {"topic_slugs": {"value": s, "boost": 1.5}}} for s in topic_slugs),
    ]
    return {
        "size": size,
        "_source": ["page_id"],
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "should": should,
                        "minimum_should_match": 1,
                        "must_not": [{"ids": {"values": [str(page_id)]}}],
                    }
                },
                "functions": [
                    {
                        "gauss": {
                            "published_date": {
                                "scale": "365d",
                                "offset": "30d",
                                "decay": 0.5,
                            }
                        },
                        "weight": 0.3,
                    },
                    {"weight": 0.7},
                ],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        },
    }


def significant_words(*, page) -> list[str]:
    words = normalise(f"{page.title} {page.summary}").split()
    return [
        w for w in dict.fromkeys(words) if len(w) > 3 and w not in RELATED_STOPWORDS
    ]


def body_words(*, page) -> list[str]:
    """Significant words of the body, most frequent first: the terms the
    more-like-this query weighs when titles and summaries share nothing."""
    words = [
        w
        for w in normalise(page.body_text).split()
        if len(w) > 3 and w not in RELATED_STOPWORDS
    ]
    return [w for w, _ in Counter(words).most_common()]


def topic_family(*, topic) -> set[str]:
    """The topic and its broader topics, so osteoarthritis meets arthritis."""
    slugs, node, seen = set(), topic, 0
    while node is not None and seen < 10:
        slugs.add(node.slug)
        node, seen = node.parent, seen + 1
    return slugs


def shared_topic_names(*, own_topics: list, other_topics: list) -> list[str]:
    """The other article's topics that are one of the page's topics, or sit
    under or above one of them."""
    own_slugs = {t.slug for t in own_topics}
    own_families = set().union(*(topic_family(topic=t) for t in own_topics))
    return [
        t.name
        for t in other_topics
        if t.slug in own_slugs
        or topic_family(topic=t) & own_slugs
        or t.slug in own_families
    ]


def shared_words(*, page, other) -> list[str]:
    """Up to three words both articles use, from titles and summaries first,
    then from the bodies, so every related article can say why it is there."""
    own_words = significant_words(page=page)
    other_words = set(significant_words(page=other))
    shared = [w for w in own_words if w in other_words]
    if not shared:
        other_body = set(body_words(page=other))
        shared = [w for w in body_words(page=page) if w in other_body]
    return shared[:3]


def explain_related(*, page, others: list) -> list[RelatedArticle]:
    own_topics = list(page.topics.all())
    return [
        RelatedArticle(
            page=other,
            shared_topics=shared_topic_names(
                own_topics=own_topics, other_topics=list(other.topics.all())
            ),
            shared_terms=shared_words(page=page, other=other),
        )
        for other in others
    ]


def related_from_index(*, page, limit: int) -> list:
    topic_slugs = list(page.topics.values_list("slug", flat=True))
    body = build_related_body(page_id=page.pk, topic_slugs=topic_slugs, size=limit * 2)
    ids = [hit["_source"]["page_id"] for hit in run_search(body=body)["hits"]["hits"]]
    pages = readable_articles().exclude(pk=page.pk).filter(pk__in=ids)
    by_id = {
        p.pk: p
        for p in with_card_relations(pages).prefetch_related("topics__parent__parent")
    }
    return [by_id[i] for i in ids if i in by_id][:limit]


def related_articles(*, page, limit: int = 4) -> list[RelatedArticle]:
    """Articles to read next, each with why it is related; from the database
    (shared topics) when the index cannot answer."""
    from blog.related import related_articles_from_database

    try:
        others = related_from_index(page=page, limit=limit)
    except SearchUnavailable as exc:
        logger.warning("Search index unavailable for related articles: %s", exc)
        others = related_articles_from_database(page=page, limit=limit)
    return explain_related(page=page, others=others)


def related_articles_for_page(*, page) -> list[RelatedArticle]:
    """For ArticlePage.get_context: a failure here must not break the article."""
    try:
        return related_articles(page=page)
    except Exception:
        logger.exception("Related articles failed for page %s", page.pk)
        return []
