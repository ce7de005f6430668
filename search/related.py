"""Related articles: what to read next under an article, each with the reason
it is there (shared topics, else shared words). The index finds them by text
likeness and shared topics; the database finds articles sharing a topic when
the index cannot answer.

A list is kept in Django's cache (shared by every process when CACHES is), so
an article view asks the index nothing until its list expires or the article
changes."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q

from blog.listing import published_articles, readable_articles, with_card_relations
from blog.models import TOPIC_LINEAGE, ArticlePage
from search import embeddings, semantic
from search.documents import VECTOR_FIELD, alias_name
from search.engine import SearchUnavailable
from search.server import current_engine, read_document, run_search
from search.synonyms import normalise

logger = logging.getLogger(__name__)

# Words too common in this blog to explain why two articles belong together.
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


# What each point of cosine above the neighbours' floor adds: a near twin in
# meaning (cosine 0.9) gains about what a good more-like-this match scores, so
# an article on the same subject in other words is still suggested.
MEANING_WEIGHT = 20.0
# How many shared words a pair may offer before the too-common ones go.
CANDIDATE_WORDS = 8
# A word in at least this share of articles (and in at least this many)
# explains no pair: "therapy" joins every therapy article to every other.
COMMON_WORD_SHARE = 0.25
COMMON_WORD_MIN_ARTICLES = 4

# How long a related list is kept. Its key changes when the article itself is
# published or revised; other articles change it without touching the key, so a
# newly published one joins lists within this time, while an unpublished one
# leaves at once (a kept list is checked against the readable articles).
RELATED_TIMEOUT = 10 * 60
# The database's answer while the search server is down: kept only so long
# that a down server is not asked on every view, and the index's answer is
# back soon after the server is.
FALLBACK_TIMEOUT = 30


@dataclass
class RelatedArticle:
    page: object
    shared_topics: list[str]
    shared_terms: list[str]
    shared_therapies: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """True of both articles: topics and therapy types both have, else
        distinctive words both use."""
        shared = [*self.shared_topics, *self.shared_therapies]
        if shared:
            return "Also about " + ", ".join(shared)
        if self.shared_terms:
            return "Also covers " + ", ".join(self.shared_terms)
        return ""


def with_meaning(*, candidates: dict, vector: list[float], size: int) -> dict:
    """The candidates and the article's nearest neighbours at least as close
    as a search's neighbours must be, each scoring what its closeness in
    meaning adds above that floor."""
    engine = current_engine()
    has_vector = engine.has_vector_expression(field=VECTOR_FIELD)
    cosine = engine.cosine_expression(field=VECTOR_FIELD, vector_param="vector")
    knn = engine.knn_query(
        field=VECTOR_FIELD,
        vector=vector,
        k=size,
        min_cosine=semantic.MIN_NEIGHBOUR_COSINE,
    )
    candidates["bool"]["should"].append({"bool": {"should": [knn], "boost": 0}})
    return {
        "script_score": {
            "query": candidates,
            "script": {
                "source": (
                    f"if (!({has_vector})) {{ return _score; }}"
                    f"return _score + params.weight"
                    f" * Math.max(0, {cosine} - params.floor);"
                ),
                "params": {
                    "vector": vector,
                    "weight": MEANING_WEIGHT,
                    "floor": semantic.MIN_NEIGHBOUR_COSINE,
                },
            },
        }
    }


def build_related_body(
    *,
    page_id: int,
    topic_slugs: list[str],
    size: int,
    vector: list[float] | None = None,
) -> dict:
    """Text likeness, closeness in meaning when the article has its vector, and
    a bonus per shared topic, gently favouring recent articles (an old article
    keeps at least 70% of its score)."""
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
    candidates = {
        "bool": {
            "should": should,
            "minimum_should_match": 1,
            "must_not": [{"ids": {"values": [str(page_id)]}}],
        }
    }
    if vector is not None:
        candidates = with_meaning(candidates=candidates, vector=vector, size=size)
    return {
        "size": size,
        "_source": ["page_id"],
        "query": {
            "function_score": {
                "query": candidates,
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


def shared_topic_names(*, own_topics: list, other_topics: list) -> list[str]:
    """Topics both articles are about: one they both have, or the broader of
    two where one sits under the other (an osteoarthritis article is about
    arthritis too; an arthritis article is not about osteoarthritis)."""
    names: dict[str, str] = {}
    for own in own_topics:
        for other in other_topics:
            if own.slug in other.lineage_slugs:
                names.setdefault(own.slug, own.name)
            elif other.slug in own.lineage_slugs:
                names.setdefault(other.slug, other.name)
    return list(names.values())


def shared_therapy_names(*, own_therapies: list, other_therapies: list) -> list[str]:
    own_slugs = {t.slug for t in own_therapies}
    return [t.name for t in other_therapies if t.slug in own_slugs]


def shared_words(*, page, other) -> list[str]:
    """Words both articles use, from titles and summaries first, then from the
    bodies, so every related article can say why it is there once the
    too-common words are gone."""
    other_words = set(significant_words(page=other))
    shared = [w for w in significant_words(page=page) if w in other_words]
    other_body = set(body_words(page=other))
    shared.extend(w for w in body_words(page=page) if w in other_body)
    return list(dict.fromkeys(shared))[:CANDIDATE_WORDS]


def common_threshold(*, total: int) -> float:
    return max(COMMON_WORD_MIN_ARTICLES, COMMON_WORD_SHARE * total)


def common_words_in_index(*, words: set[str]) -> set[str]:
    """The words too many indexed articles use anywhere (title, summary or
    body) to explain why two of them belong together; one request, counted by
    the index's own analysis ("perching" counts "perch")."""
    fields = ["title", "summary", "body"]
    body = {
        "size": 0,
        "track_total_hits": True,
        "query": {"match_all": {}},
        "aggs": {
            "words": {
                "filters": {
                    "filters": {
                        word: {"multi_match": {"query": word, "fields": fields}}
                        for word in words
                    }
                }
            }
        },
    }
    response = run_search(body=body)
    least = common_threshold(total=response["hits"]["total"]["value"])
    buckets = response["aggregations"]["words"]["buckets"]
    return {word for word in words if buckets[word]["doc_count"] >= least}


def common_words_in_database(*, words: set[str]) -> set[str]:
    """Without the index: the words too many readable articles use in their
    title or summary (bodies are too costly to scan); one query for all."""
    ordered = sorted(words)
    counts = readable_articles().aggregate(
        total=Count("pk"),
        **{
            f"w{n}": Count(
                "pk", filter=Q(title__icontains=word) | Q(summary__icontains=word)
            )
            for n, word in enumerate(ordered)
        },
    )
    least = common_threshold(total=counts["total"])
    return {word for n, word in enumerate(ordered) if counts[f"w{n}"] >= least}


def common_words(*, words: set[str], from_index: bool) -> set[str]:
    if not words:
        return set()
    if from_index:
        try:
            return common_words_in_index(words=words)
        except SearchUnavailable:
            pass
    return common_words_in_database(words=words)


def explain_related(
    *, page, others: list, from_index: bool = False
) -> list[RelatedArticle]:
    """Why each of `others` is related to `page`; `from_index` when the index
    is answering, so it can tell which words are too common to say why."""
    own_topics = list(page.topics.all())
    own_therapies = list(page.therapy_types.all())
    candidates = {other.pk: shared_words(page=page, other=other) for other in others}
    common = common_words(
        words=set().union(*candidates.values()), from_index=from_index
    )
    return [
        RelatedArticle(
            page=other,
            shared_topics=shared_topic_names(
                own_topics=own_topics, other_topics=list(other.topics.all())
            ),
            shared_therapies=shared_therapy_names(
                own_therapies=own_therapies,
                other_therapies=list(other.therapy_types.all()),
            ),
            shared_terms=[w for w in candidates[other.pk] if w not in common][:3],
        )
        for other in others
    ]


def article_vector(*, page_id: int) -> list[float] | None:
    """The article's own vector from its document; None before it is filled,
    or with semantic search off."""
    if not embeddings.is_enabled():
        return None
    source = read_document(doc_id=str(page_id), fields=[VECTOR_FIELD])
    return (source or {}).get(VECTOR_FIELD)


def related_from_index(*, page, limit: int) -> list:
    topic_slugs = list(page.topics.values_list("slug", flat=True))
    body = build_related_body(
        page_id=page.pk,
        topic_slugs=topic_slugs,
        size=limit * 2,
        vector=article_vector(page_id=page.pk),
    )
    ids = [hit["_source"]["page_id"] for hit in run_search(body=body)["hits"]["hits"]]
    pages = readable_articles().exclude(pk=page.pk).filter(pk__in=ids)
    by_id = {
        p.pk: p
        for p in with_card_relations(pages).prefetch_related(
            TOPIC_LINEAGE, "therapy_types"
        )
    }
    return [by_id[i] for i in ids if i in by_id][:limit]


def related_articles_from_database(*, page: ArticlePage, limit: int = 4) -> list:
    """Newest readable articles sharing a topic with `page`, never `page`.

    Reads topics from the in-memory page so an unsaved preview works too."""
    topic_ids = [topic.pk for topic in page.topics.all() if topic.pk]
    if not topic_ids:
        return []
    shared = ArticlePage.objects.filter(topics__in=topic_ids).values("pk")
    articles = published_articles().filter(pk__in=shared)
    if page.pk:
        articles = articles.exclude(pk=page.pk)
    return list(articles[:limit])


def find_related(*, page, limit: int) -> tuple[list[RelatedArticle], int]:
    """The related list and how long it may be kept: from the database
    (shared topics), briefly, when the index cannot answer. Any other failure
    is a bug and surfaces, on the article page too, as a logged 500."""
    try:
        others = related_from_index(page=page, limit=limit)
    except SearchUnavailable as exc:
        logger.warning("Search index unavailable for related articles: %s", exc)
        others = related_articles_from_database(page=page, limit=limit)
        return explain_related(page=page, others=others), FALLBACK_TIMEOUT
    return explain_related(page=page, others=others, from_index=True), RELATED_TIMEOUT


def related_cache_key(*, page, limit: int) -> str:
    """Changes with what the list is computed from on the article's side: its
    latest revision and publication, and the index asked."""
    published = page.last_published_at.isoformat() if page.last_published_at else ""
    return (
        f"relief:related:{alias_name()}:{page.pk}:{page.latest_revision_id}:"
        f"{published}:{limit}"
    )


def kept_related(*, entries: list[tuple]) -> list[RelatedArticle] | None:
    """A kept list with its articles as they are now; None when one of them is
    no longer readable, so the list is found again rather than shown short."""
    ids = [entry[0] for entry in entries]
    pages = {
        p.pk: p for p in with_card_relations(readable_articles().filter(pk__in=ids))
    }
    if len(pages) < len(ids):
        return None
    return [
        RelatedArticle(
            page=pages[pk],
            shared_topics=topics,
            shared_terms=terms,
            shared_therapies=therapies,
        )
        for pk, topics, terms, therapies in entries
    ]


def related_articles(
    *, page, limit: int = 4, cached: bool = True
) -> list[RelatedArticle]:
    """Articles to read next, each with why it is related, kept between views.
    `cached=False` for a preview, whose unsaved content no reader should get."""
    if not cached or page.pk is None:
        return find_related(page=page, limit=limit)[0]
    key = related_cache_key(page=page, limit=limit)
    if (entries := cache.get(key)) is not None and (
        kept := kept_related(entries=entries)
    ) is not None:
        return kept
    related, timeout = find_related(page=page, limit=limit)
    entries = [
        (r.page.pk, r.shared_topics, r.shared_terms, r.shared_therapies)
        for r in related
    ]
    cache.set(key, entries, timeout=timeout)
    return related
