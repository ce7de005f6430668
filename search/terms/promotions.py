"""Wagtail's promoted search results (wagtail.contrib.search_promotions),
matched to the reader's query by meaning rather than Wagtail's exact phrase:
case, punctuation and word order do not count, plurals are stemmed, and a
synonym or abbreviation of a phrase (search.synonyms) counts as the phrase.
So a promotion for "physical therapy" also answers "Physiotherapy" and
"physical therapies"."""

from __future__ import annotations

from dataclasses import dataclass

import snowballstemmer
from wagtail.contrib.search_promotions.models import SearchPromotion

from search.abbreviations import AbbreviationTable, current_table, normalise
from search.synonyms import expand_query, synonym_groups

_stemmer = snowballstemmer.stemmer("english")
# Keys of promoted queries, per synonym groups and abbreviation table.
_keys: dict[tuple, dict[str, frozenset[str]]] = {}


@dataclass(frozen=True)
class Promotion:
    title: str
    url: str
    description: str
    page_id: int | None


def stem_phrase(phrase: str) -> str:
    return " ".join(_stemmer.stemWords(phrase.split()))


def stemmed_text(query: str) -> str:
    """The query's words stemmed, but a word typed in capitals kept as typed,
    so it still counts as an abbreviation."""
    words = []
    for token in query.split():
        bare = token.strip(".,;:!?()[]\"'")
        if len(bare) > 1 and bare.isupper():
            words.append(bare)
        else:
            words.append(stem_phrase(normalise(token)))
    return " ".join(words)


def match_key(
    query: str, *, groups: list[tuple[str, ...]], table: AbbreviationTable
) -> frozenset[str]:
    """What a query means for matching: each synonym group it names (by one
    phrase of it) and its other words, stemmed."""
    stemmed_groups = [tuple(stem_phrase(p) for p in group) for group in groups]
    expansion = expand_query(
        query=stemmed_text(query), groups=stemmed_groups, table=table
    )
    return frozenset(
        [*(f"={min(group)}" for group in expansion.groups), *expansion.remaining_words]
    )


def promoted_query_keys(
    *, groups: list[tuple[str, ...]], table: AbbreviationTable
) -> dict[str, frozenset[str]]:
    """Each promoted query string's key, kept while the groups and table stay
    the same."""
    cache_key = (tuple(groups), id(table))
    keys = _keys.get(cache_key)
    if keys is None:
        _keys.clear()
        keys = _keys[cache_key] = {}
    strings = SearchPromotion.objects.values_list(
        "query__query_string", flat=True
    ).distinct()
    for string in strings:
        if string not in keys:
            keys[string] = match_key(string, groups=groups, table=table)
    return keys


def promoted_results(*, query: str) -> list[Promotion]:
    """The promotions whose query means what the reader's does, in the
    editors' order; a promoted page that is not live is left out."""
    if not normalise(query):
        return []
    groups, table = synonym_groups(), current_table()
    wanted = match_key(query, groups=groups, table=table)
    matching = [
        string
        for string, key in promoted_query_keys(groups=groups, table=table).items()
        if key == wanted
    ]
    if not matching:
        return []
    picks = (
        SearchPromotion.objects.filter(query__query_string__in=matching)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    found: dict[str, Promotion] = {}
    for pick in picks:
        promotion = as_promotion(pick)
        if promotion is not None:
            found.setdefault(promotion.url, promotion)
    return list(found.values())


def as_promotion(pick: SearchPromotion) -> Promotion | None:
    if pick.page is not None:
        if not pick.page.live:
            return None
        page = pick.page.specific
        return Promotion(
            title=page.title,
            url=page.get_url(),
            description=pick.description or getattr(page, "summary", ""),
            page_id=page.pk,
        )
    if pick.external_link_url:
        return Promotion(
            title=pick.external_link_text or pick.external_link_url,
            url=pick.external_link_url,
            description=pick.description,
            page_id=None,
        )
    return None
