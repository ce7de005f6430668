"""Suggestions while and after a reader types: autocomplete for the search box
(titles, section headings, topics) and the spelling of a query with a word no
article holds, which "did you mean" offers or the search corrects."""

from __future__ import annotations

import difflib
import functools
import operator
from collections.abc import Callable

from django.db.models import Q

from blog.listing import readable_articles
from blog.models import PainTopic, TherapyType
from search.abbreviations import current_table
from search.engine import SearchUnavailable
from search.params import SearchParams
from search.server import run_search
from search.synonyms import QueryExpansion, expand_query, normalise, synonym_groups

# Did you mean --------------------------------------------------------------------

# A longer query that found nothing is no typo; it gets no suggestion, which
# also bounds what a suggestion may cost.
MAX_SUGGESTION_WORDS = 8
SPELLING_FIELD = "spelling"
# Edits forgiven relative to a word's length: one in a three-letter word
# ("nek"), two from four letters on as the single suggester forgave before
# ("knea" is two from "knees", the nearest a title or topic spells it). Shorter
# words than the short suggester's minimum are never corrected.
TWO_EDITS_FROM = 4
SPELLING_EDITS = {"short": (3, 1), "long": (TWO_EDITS_FROM, 2)}
# A word the search finds here, stemmed as it is searched, is no typo though
# the spelling field may lack it: "knee" only in a body is not "knees" of a
# title, nor is "laptop" a typo for "laptops".
KNOWN_WORDS_FIELD = "all_text"


def term_suggester(*, min_word_length: int, max_edits: int) -> dict:
    """For each word the spelling field does not hold, its closest word there,
    first letter kept."""
    return {
        "term": {
            "field": SPELLING_FIELD,
            "suggest_mode": "missing",
            "size": 1,
            "prefix_length": 1,
            "min_word_length": min_word_length,
            "max_edits": max_edits,
            "sort": "score",
            # Readers get a word's start right more often than its end:
            # Jaro-Winkler weighs a shared beginning ("knea" is "knees" before
            # "keep", both two edits away).
            "string_distance": "jaro_winkler",
        }
    }


def build_spelling_body(*, query: str) -> dict | None:
    """In one search request: the engine's term suggesters, one per edit
    allowance, and how many articles the search would find by each word
    alone. None for a query too long to be a typo."""
    words = normalise(query).split()
    if not words or len(query.split()) > MAX_SUGGESTION_WORDS:
        return None
    return {
        "size": 0,
        "track_total_hits": False,
        "suggest": {
            "text": query,
            **{
                name: term_suggester(min_word_length=length, max_edits=edits)
                for name, (length, edits) in SPELLING_EDITS.items()
            },
        },
        "aggs": {
            word: {"filter": {"match": {KNOWN_WORDS_FIELD: word}}}
            for word in dict.fromkeys(words)
        },
    }


def spelling_from_response(*, query: str, response: dict) -> str | None:
    """The spelling the response to build_spelling_body proposes: each word
    that finds no article, spelt as the suggester its length allows offers;
    every other word as typed."""
    suggest, known = response.get("suggest", {}), response.get("aggregations", {})
    words = [
        short["text"]
        if known.get(short["text"], {}).get("doc_count")
        else best_option(short=short, long=long)
        for short, long in zip(
            suggest.get("short", []), suggest.get("long", []), strict=True
        )
    ]
    return corrected(query=query, words=words)


def best_option(*, short: dict, long: dict) -> str:
    """The option of the suggester the word's length allows, else the word."""
    entry = long if len(short["text"]) >= TWO_EDITS_FROM else short
    return next((option["text"] for option in entry["options"]), short["text"])


def spelling_from_taxonomy(*, query: str) -> str | None:
    """While the index cannot answer: topic and therapy names, synonyms and
    abbreviations' expansions only, a vocabulary the size of the taxonomy and
    the abbreviation list rather than of the articles. None for a query too
    long to be a typo."""
    if len(query.split()) > MAX_SUGGESTION_WORDS:
        return None
    texts = [
        *PainTopic.objects.values_list("name", flat=True),
        *TherapyType.objects.values_list("name", flat=True),
        *(phrase for group in synonym_groups() for phrase in group),
        *(e for expansions in current_table().expansions.values() for e in expansions),
    ]
    known = {word for text in texts for word in normalise(text).split()}
    words = [
        next(iter(difflib.get_close_matches(word, known, n=1, cutoff=0.7)), word)
        if len(word) > 3 and word not in known
        else word
        for word in normalise(query).split()
    ]
    return corrected(query=query, words=words)


def corrected(*, query: str, words: list[str]) -> str | None:
    suggestion = " ".join(words)
    return suggestion if suggestion and suggestion != normalise(query) else None


def checked_suggestion(
    *, params: SearchParams, spelling: str | None, count: Callable[..., int]
) -> tuple[str | None, int]:
    """The spelling the search proposed and what `count` (the backend that
    answered the search) finds with it under the same filters; none unless it
    finds something."""
    if spelling is None:
        return None, 0
    try:
        found = count(params=params.replace(query=spelling, page=1))
    except SearchUnavailable:
        return None, 0
    return (spelling, found) if found else (None, 0)


# Autocomplete --------------------------------------------------------------------

AUTOCOMPLETE_MIN_LENGTH = 2
AUTOCOMPLETE_LIMIT = 5


def autocomplete_terms(*, query: str) -> QueryExpansion:
    """Synonym groups the query names and its other words, without words too
    short to begin an indexed word (edge-ngrams start at two letters): "back p"
    asks for "back" until the next letter comes."""
    expansion = expand_query(query=query)
    words = tuple(
        w for w in expansion.remaining_words if len(w) >= AUTOCOMPLETE_MIN_LENGTH
    )
    return QueryExpansion(groups=expansion.groups, remaining_words=words)


def prefix_match(*, field_name: str, terms: QueryExpansion) -> dict:
    """Every word begins a word of the field, and one phrase of each synonym
    group does ("physio" finds "Physical therapy")."""

    def all_words(text: str) -> dict:
        return {"match": {field_name: {"query": text, "operator": "and"}}}

    must = [all_words(" ".join(terms.remaining_words))] if terms.remaining_words else []
    must.extend(
        {
            "bool": {
                "should": [all_words(phrase) for phrase in group],
                "minimum_should_match": 1,
            }
        }
        for group in terms.groups
    )
    return {"bool": {"must": must}}


def build_autocomplete_body(
    *, terms: QueryExpansion, limit: int = AUTOCOMPLETE_LIMIT
) -> dict:
    """Edge-ngram sub-fields match word beginnings; every typed word must match."""

    def nested(path: str, field_name: str) -> dict:
        return {
            "nested": {
                "path": path,
                "query": prefix_match(field_name=field_name, terms=terms),
                "inner_hits": {"name": path, "size": 3},
            }
        }

    title = prefix_match(field_name="title.autocomplete", terms=terms)
    title["bool"]["boost"] = 3
    return {
        "size": limit,
        "_source": ["page_id", "title", "url"],
        "query": {
            "bool": {
                "should": [
                    title,
                    nested("sections", "sections.heading.autocomplete"),
                    nested("topics", "topics.name.autocomplete"),
                ],
                "minimum_should_match": 1,
            }
        },
    }


def starts_words(*, terms: QueryExpansion, text: str) -> bool:
    """Every word, and a phrase of every synonym group, begins words of the
    text (what the edge-ngrams matched)."""
    words = normalise(text).split()

    def begins(query: str) -> bool:
        return all(any(w.startswith(q) for w in words) for q in query.split())

    return all(begins(word) for word in terms.remaining_words) and all(
        any(begins(phrase) for phrase in group) for group in terms.groups
    )


def suggestions_from_response(
    response: dict, *, terms: QueryExpansion, limit: int
) -> list:
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
        if starts_words(terms=terms, text=source["title"]):
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


def begins_with(*, query: str, label: str) -> bool:
    """The label starts as the query does, its last word perhaps unfinished."""
    return normalise(label).startswith(normalise(query))


def exact_prefixes_first(*, query: str, suggestions: list[dict]) -> list[dict]:
    """Topics and titles the query begins ("back p" -> Back pain) ahead of those
    that only hold its words; a stable sort keeps the engine's order otherwise."""
    return sorted(
        suggestions, key=lambda s: not begins_with(query=query, label=s["label"])
    )


def autocomplete(*, query: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict]:
    """Titles, section headings and topics for the search box; nothing below two
    characters."""
    query = " ".join(query.split())[:100]
    return exact_prefixes_first(
        query=query, suggestions=autocomplete_unordered(query=query, limit=limit)
    )


def autocomplete_unordered(*, query: str, limit: int) -> list[dict]:
    terms = autocomplete_terms(query=query)
    if len(query) < AUTOCOMPLETE_MIN_LENGTH or not (
        terms.remaining_words or terms.groups
    ):
        return []
    try:
        response = run_search(body=build_autocomplete_body(terms=terms, limit=limit))
    except SearchUnavailable:
        return autocomplete_database(terms=terms, limit=limit)
    return suggestions_from_response(response, terms=terms, limit=limit)


def word_beginning(phrase: str) -> str:
    """A pattern for words beginning as the phrase's words do; it reads the same
    to SQLite's (Python's) and PostgreSQL's regular expressions."""
    return r"(^|[^a-z0-9])" + r"[^a-z0-9]+".join(phrase.split())


def containing(*, field_name: str, terms: QueryExpansion) -> Q:
    """The database's reading of prefix_match: every word and a phrase of every
    synonym group begin words of the field."""
    lookup = f"{field_name}__iregex"
    condition = Q()
    for word in terms.remaining_words:
        condition &= Q(**{lookup: word_beginning(word)})
    for group in terms.groups:
        condition &= functools.reduce(
            operator.or_, (Q(**{lookup: word_beginning(p)}) for p in group)
        )
    return condition


def autocomplete_database(*, terms: QueryExpansion, limit: int) -> list[dict]:
    """Titles and topic names containing the words, when the index cannot answer."""
    articles = readable_articles().filter(containing(field_name="title", terms=terms))[
        :limit
    ]
    topics = PainTopic.objects.filter(containing(field_name="name", terms=terms))[:3]
    return [
        *({"type": "article", "label": a.title, "url": a.get_url()} for a in articles),
        *(topic_suggestion({"slug": t.slug, "name": t.name}) for t in topics),
    ]
