"""Query-time synonym and abbreviation expansion.

Synonyms are expanded in the query rather than in an analyzer: multi-word
synonyms ("physiotherapy" <-> "physical therapy") then behave the same on every
Elasticsearch-compatible server, and an editor's change to a pain topic's
synonyms or to the abbreviation list applies to the very next search without
re-indexing.

Abbreviations (search.abbreviations) count as typed in capitals: "ALS" also
finds "amyotrophic lateral sclerosis", while "as", "us" or "ms" in running text
stay words. Those an editor marks "also typed in lowercase" (CRPS, NSAID) count
however they are typed. A spelled-out expansion also finds its abbreviation, matched
unstemmed (see QueryExpansion.abbreviations).

The topics are read on every search: it is one small query. The abbreviation
table, thousands of rows, is read again only when its rows changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.abbreviations import (
    AbbreviationTable,
    abbreviations_in,
    current_table,
    normalise,
)

__all__ = ["QueryExpansion", "expand_query", "normalise", "synonym_groups"]

# Each line is one group of interchangeable phrases. Hyphens and case do not
# matter: phrases are normalised like queries are. Abbreviations are not here
# but in the abbreviation list (search/vocabulary/), which joins an
# abbreviation to the group holding its expansion.
BUILT_IN_GROUPS: tuple[tuple[str, ...], ...] = (
    ("physical therapy", "physiotherapy", "physical therapist", "physio"),
    ("occupational therapy", "occupational therapist"),
    (
        "nonsteroidal anti-inflammatory",
        "nonsteroidal anti-inflammatory drugs",
        "non-steroidal anti-inflammatory",
        "non-steroidal anti-inflammatory drugs",
    ),
    ("cognitive behavioral therapy", "cognitive behavioural therapy"),
    ("temporomandibular joint disorder", "jaw pain"),
    ("fibro", "fibromyalgia"),
    ("low back pain", "lower back pain", "lumbago"),
    ("sciatica", "sciatic nerve pain"),
    ("acetaminophen", "paracetamol", "tylenol"),
    ("ibuprofen", "advil", "motrin"),
    ("migraine", "migraines", "migraine headache"),
    ("opioid", "opioids", "opiates", "narcotic painkillers"),
)
# Words too common to tell one expansion of an abbreviation from another.
CONNECTIVES = frozenset(
    ["a", "an", "and", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]
)


@dataclass(frozen=True)
class QueryExpansion:
    """Groups of phrases the query mentioned (each group: every phrase to accept)
    and the words left over once those phrases are taken out. The groups'
    abbreviations are also listed apart: they are matched unstemmed only, as
    the stemmer makes ALS "al"."""

    groups: tuple[tuple[str, ...], ...]
    remaining_words: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()


def topic_groups() -> list[tuple[str, ...]]:
    from blog.models import PainTopic

    return [
        (topic.name, *topic.synonym_list)
        for topic in PainTopic.objects.exclude(synonyms="").only("name", "synonyms")
        if topic.synonym_list
    ]


def merge_groups(groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Normalise every phrase and merge groups that share one, so a topic
    listing "lumbago" joins the built-in low back pain group."""
    merged: list[set[str]] = []
    for group in groups:
        phrases = {normalise(p) for p in group} - {""}
        overlapping = [g for g in merged if g & phrases]
        for g in overlapping:
            phrases |= g
            merged.remove(g)
        merged.append(phrases)
    return [tuple(sorted(g, key=lambda p: (-len(p), p))) for g in merged]


def synonym_groups() -> list[tuple[str, ...]]:
    return merge_groups([*BUILT_IN_GROUPS, *topic_groups()])


def chosen_expansions(
    *, meanings: tuple[str, ...], context: set[str]
) -> tuple[str, ...]:
    """An abbreviation with one meaning expands to it; one with several only to
    those the reader's other words point to ("RA arthritis"), and to none
    otherwise: guessing would bring in articles about another disease."""
    if len(meanings) == 1:
        return meanings
    return tuple(m for m in meanings if set(m.split()) & context)


@dataclass
class Expander:
    """One query's scan: synonym phrases, spelled-out expansions and typed
    abbreviations, longest first from the left, so "cognitive behavioral
    therapy" is one phrase, not "therapy" on its own."""

    groups: list[tuple[str, ...]]
    table: AbbreviationTable
    typed: frozenset[str]

    def __post_init__(self):
        self.phrase_to_group = {
            tuple(phrase.split()): index
            for index, group in enumerate(self.groups)
            for phrase in group
        }
        self.longest = max(
            map(len, [*self.phrase_to_group, *self.table.abbreviations]), default=1
        )

    def longest_at(self, *, words: list[str], position: int) -> tuple[int, str] | None:
        """(length, kind) of the longest phrase starting at the position."""
        for length in range(min(self.longest, len(words) - position), 0, -1):
            candidate = tuple(words[position : position + length])
            if candidate in self.phrase_to_group:
                return length, "group"
            if candidate in self.table.abbreviations:
                return length, "expansion"
            abbreviation = self.table.known(candidate[0]) if length == 1 else None
            if abbreviation and (
                candidate[0] in self.typed or abbreviation in self.table.any_case
            ):
                return length, "abbreviation"
        return None

    def phrases_for(self, phrase: str) -> set[str]:
        """The phrase and its synonyms."""
        index = self.phrase_to_group.get(tuple(phrase.split()))
        return {phrase} if index is None else set(self.groups[index])

    def abbreviations_for(self, phrases: set[str]) -> set[str]:
        return {
            abbreviation
            for phrase in phrases
            for abbreviation in self.table.abbreviations.get(tuple(phrase.split()), ())
        }

    def group_of(
        self, *, kind: str, text: str, context: set[str]
    ) -> tuple[set[str], set[str]]:
        """Every phrase that stands for the text, and which of them are
        abbreviations; nothing for an abbreviation too ambiguous to expand."""
        abbreviations = set()
        if kind == "abbreviation":
            abbreviation = self.table.known(text)
            meanings = chosen_expansions(
                meanings=self.table.expansions[abbreviation], context=context
            )
            if not meanings:
                return set(), set()
            abbreviations.add(abbreviation)
            phrases = set().union(*map(self.phrases_for, meanings))
        else:
            phrases = self.phrases_for(text)
        abbreviations |= self.abbreviations_for(phrases)
        return phrases | abbreviations, abbreviations


def expand_query(
    *,
    query: str,
    groups: list[tuple[str, ...]] | None = None,
    table: AbbreviationTable | None = None,
) -> QueryExpansion:
    """Find synonym phrases, expansions and abbreviations in the query. Groups
    and table default to the built-in and editors' ones."""
    expander = Expander(
        groups=synonym_groups() if groups is None else groups,
        table=current_table() if table is None else table,
        typed=frozenset(abbreviations_in(query=query)),
    )
    words = normalise(query).split()
    found: dict[frozenset[str], None] = {}
    abbreviations: set[str] = set()
    remaining: list[str] = []
    position = 0
    while position < len(words):
        match = expander.longest_at(words=words, position=position)
        length, kind = match or (1, "")
        text = " ".join(words[position : position + length])
        context = {w for w in words if w not in CONNECTIVES} - {text}
        group, group_abbreviations = (
            expander.group_of(kind=kind, text=text, context=context)
            if match
            else (set(), set())
        )
        if group:
            found.setdefault(frozenset(group))
            abbreviations |= group_abbreviations
        else:
            remaining.append(text)
        position += length
    return QueryExpansion(
        groups=tuple(tuple(sorted(g, key=lambda p: (-len(p), p))) for g in found),
        remaining_words=tuple(remaining),
        abbreviations=tuple(sorted(abbreviations)),
    )
