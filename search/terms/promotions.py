"""Wagtail's promoted search results (wagtail.contrib.search_promotions),
matched to the reader's query by meaning rather than Wagtail's exact phrase:
case, punctuation and word order do not count, plurals are stemmed, and a
synonym or abbreviation of a phrase (search.synonyms) counts as the phrase.
So a promotion for "physical therapy" also answers "Physiotherapy" and
"physical therapies". Editors' synonym sets count the way searches use them:
a two-way set both ways, a one-way set only from its phrases."""

from __future__ import annotations

from dataclasses import dataclass, field

import snowballstemmer
from wagtail.contrib.search_promotions.models import SearchPromotion

from search.abbreviations import AbbreviationTable, current_table, normalise
from search.params import SearchParams
from search.query import search_articles
from search.results import SearchResults
from search.synonyms import current_synonym_sets, expand_query, synonym_groups
from search.tables import BuiltFrom

_stemmer = snowballstemmer.stemmer("english")
# The vocabulary in use, stemmed.
_stemmed = BuiltFrom()


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


@dataclass(frozen=True)
class Vocabulary:
    """What a query's meaning is read with: synonym groups, one-way phrases
    (word tuples) with their terms, and the abbreviation table."""

    groups: list[tuple[str, ...]]
    one_way: dict[tuple[str, ...], tuple[str, ...]]
    table: AbbreviationTable

    @property
    def cache_key(self) -> tuple:
        return (tuple(self.groups), id(self.one_way), id(self.table))


def current_vocabulary() -> Vocabulary:
    sets = current_synonym_sets()
    return Vocabulary(
        groups=synonym_groups(sets=sets), one_way=sets.one_way, table=current_table()
    )


@dataclass(frozen=True)
class StemmedVocabulary:
    """A vocabulary's groups and one-way phrases stemmed as queries are, with
    the keys of the promoted queries read with it so far."""

    groups: list[tuple[str, ...]]
    one_way: dict[tuple[str, ...], tuple[str, ...]]
    table: AbbreviationTable
    keys: dict[str, frozenset[str]] = field(default_factory=dict)


def stemmed_vocabulary(vocabulary: Vocabulary) -> StemmedVocabulary:
    """Stemmed once per vocabulary, not on every search."""
    return _stemmed.get(
        key=vocabulary.cache_key,
        keep=(vocabulary,),
        build=lambda: StemmedVocabulary(
            groups=[tuple(stem_phrase(p) for p in g) for g in vocabulary.groups],
            one_way={
                tuple(stem_phrase(" ".join(phrase)).split()): tuple(
                    map(stem_phrase, terms)
                )
                for phrase, terms in vocabulary.one_way.items()
            },
            table=vocabulary.table,
        ),
    )


def match_key(query: str, *, vocabulary: StemmedVocabulary) -> frozenset[str]:
    """What a query means for matching: each synonym group it names (by one
    phrase of it) and its other words, stemmed."""
    expansion = expand_query(
        query=stemmed_text(query),
        groups=vocabulary.groups,
        one_way=vocabulary.one_way,
        table=vocabulary.table,
    )
    return frozenset(
        [*(f"={min(group)}" for group in expansion.groups), *expansion.remaining_words]
    )


def promoted_results(*, query: str) -> list[Promotion]:
    """The promotions whose query means what the reader's does, in the
    editors' order; a promoted page that is not live is left out."""
    if not normalise(query):
        return []
    strings = set(SearchPromotion.objects.values_list("query__query_string", flat=True))
    if not strings:
        return []
    vocabulary = stemmed_vocabulary(current_vocabulary())
    for string in strings - vocabulary.keys.keys():
        vocabulary.keys[string] = match_key(string, vocabulary=vocabulary)
    wanted = match_key(query, vocabulary=vocabulary)
    matching = [string for string in strings if vocabulary.keys[string] == wanted]
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


def search_with_promotions(
    *, params: SearchParams
) -> tuple[SearchResults, list[Promotion]]:
    """The reader's search and the promotions its first page leads with. A
    promoted page is moved to the top, not repeated: the hits and their total
    leave it out on every page."""
    promoted = promoted_results(query=params.query) if params.query else []
    pages = tuple(p.page_id for p in promoted if p.page_id is not None)
    results = search_articles(params=params.replace(exclude_pages=pages))
    return results, promoted if params.page == 1 else []
