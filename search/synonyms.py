"""Query-time synonym and abbreviation expansion.

Synonyms are expanded in the query rather than in an analyzer: multi-word
synonyms ("physiotherapy" <-> "physical therapy") then behave the same on every
Elasticsearch-compatible server, and an editor's change to a pain topic's
synonyms, to the synonym sets or to the abbreviation list applies to the very
next search without re-indexing.

Editors' synonym sets (search.models.SynonymSet) are two-way, joining the
built-in and topic groups, or one-way: "tummy ache" also finds "abdominal
pain" (and that term's own synonyms), while "abdominal pain" stays as typed.

Abbreviations (search.abbreviations) count as typed in capitals: "ALS" also
finds "amyotrophic lateral sclerosis", while "as", "us" or "ms" in running text
stay words. Those an editor marks "also typed in lowercase" (CRPS, NSAID) count
however they are typed. A spelled-out expansion also finds its abbreviation, matched
unstemmed (see QueryExpansion.abbreviations).

A word also finds the medical compound terms built on it: "arthritis" finds
"osteoarthritis" and "polyarthritis", as the vocabulary (the pain topics, the
built-in groups and the abbreviation list's expansions) holds them. Only a word
that is a whole term of the vocabulary itself is widened, and only to words that
end with it after a combining form of at least three letters: "tension" is no
term, so it never finds "hypertension", and nothing is matched as a substring
in the index.

A comparison ("migraine vs tension headache", "massage or physio", "OT
compared with PT") is read as its sides: the connector is no word to match, and
each side is expanded on its own (QueryExpansion.sides), so the ranking can
favour articles covering every side.

The topics are read on every search: it is one small query. The abbreviation
table, thousands of rows, and the synonym sets are read again only when their
rows changed (search.tables).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from search.abbreviations import (
    AbbreviationTable,
    abbreviations_in,
    current_table,
    normalise,
)
from search.models import SynonymSet
from search.tables import BuiltFrom, table_of_rows

__all__ = [
    "QueryExpansion",
    "comparison_sides",
    "words_compared",
    "expand_query",
    "normalise",
    "synonym_groups",
    "SynonymSets",
    "current_synonym_sets",
]

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
# What joins the sides of a comparison, as word tuples, longest first.
COMPARISON_CONNECTORS = (
    ("compared", "with"),
    ("compared", "to"),
    ("versus",),
    ("vs",),
    ("or",),
)
# The shortest combining form a compound term puts before the word it is built
# on ("poly", "osteo"); shorter leftovers make words that merely end alike.
COMBINING_FORM_LETTERS = 3


@dataclass(frozen=True)
class QueryExpansion:
    """Groups of phrases the query mentioned (each group: every phrase to accept)
    and the words left over once those phrases are taken out. The groups'
    abbreviations are also listed apart: they are matched unstemmed only, as
    the stemmer makes ALS "al"."""

    groups: tuple[tuple[str, ...], ...]
    remaining_words: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()
    # A comparison's sides, each expanded on its own; empty for other queries.
    sides: tuple[QueryExpansion, ...] = ()


def comparison_sides(words: list[str]) -> list[list[str]]:
    """The words split at comparison connectors, which are dropped; a single
    side when the words compare nothing."""
    sides: list[list[str]] = [[]]
    position = 0
    while position < len(words):
        connector = next(
            (
                c
                for c in COMPARISON_CONNECTORS
                if tuple(words[position : position + len(c)]) == c
            ),
            None,
        )
        if connector:
            sides.append([])
            position += len(connector)
        else:
            sides[-1].append(words[position])
            position += 1
    return [side for side in sides if side] or [[]]


def words_compared(query: str) -> list[str]:
    """The query's words without its comparison connectors."""
    return [w for side in comparison_sides(normalise(query).split()) for w in side]


def topic_terms() -> list[tuple[str, ...]]:
    """Each pain topic's name and synonyms."""
    from blog.models import PainTopic

    return [
        (topic.name, *topic.synonym_list)
        for topic in PainTopic.objects.only("name", "synonyms")
    ]


@dataclass(frozen=True)
class SynonymSets:
    """The editors' sets in use, normalised: two-way groups, and each one-way
    phrase (as a word tuple) with the terms it also finds."""

    two_way: tuple[tuple[str, ...], ...] = ()
    one_way: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)


def read_synonym_sets() -> SynonymSets:
    two_way, one_way = [], defaultdict(dict)
    for synonym_set in SynonymSet.objects.filter(active=True):
        if synonym_set.kind == SynonymSet.Kind.TWO_WAY:
            two_way.append(tuple(synonym_set.phrase_list))
            continue
        terms = dict.fromkeys(normalise(t) for t in synonym_set.term_list)
        for phrase in synonym_set.phrase_list:
            one_way[tuple(normalise(phrase).split())].update(terms)
    return SynonymSets(
        two_way=tuple(two_way),
        one_way={
            phrase: tuple(t for t in terms if t)
            for phrase, terms in one_way.items()
            if phrase
        },
    )


def current_synonym_sets() -> SynonymSets:
    """The sets in use, read again only when a set changed."""
    return table_of_rows(model=SynonymSet, build=read_synonym_sets)


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


def synonym_groups(
    topics: list[tuple[str, ...]] | None = None,
    sets: SynonymSets | None = None,
) -> list[tuple[str, ...]]:
    """The built-in groups, the topics' and the editors' two-way sets (each
    read unless given)."""
    topics = topic_terms() if topics is None else topics
    sets = current_synonym_sets() if sets is None else sets
    return merge_groups(
        [*BUILT_IN_GROUPS, *(t for t in topics if len(t) > 1), *sets.two_way]
    )


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
    """A vocabulary's scan of a query: synonym phrases, spelled-out expansions
    and typed abbreviations, longest first from the left, so "cognitive
    behavioral therapy" is one phrase, not "therapy" on its own. Built once
    per vocabulary (expand_query keeps it), not per query."""

    groups: list[tuple[str, ...]]
    table: AbbreviationTable
    # One-way phrases (word tuples) and the terms they also find.
    one_way: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # Whole terms of the vocabulary besides the groups' and the table's (topic
    # names without synonyms), normalised.
    terms: frozenset[str] = frozenset()

    def __post_init__(self):
        self.terms = frozenset(
            {
                *self.terms,
                *self.phrases_in_groups(),
                *(e for m in self.table.expansions.values() for e in m),
                *(" ".join(p) for p in self.one_way),
                *(t for terms in self.one_way.values() for t in terms),
            }
        )
        self.words = self.table.words | {w for t in self.terms for w in t.split()}
        self.phrase_to_group = {
            tuple(phrase.split()): index
            for index, group in enumerate(self.groups)
            for phrase in group
        }
        self.longest = max(
            map(
                len,
                [*self.phrase_to_group, *self.one_way, *self.table.abbreviations],
            ),
            default=1,
        )
        self.compounds: dict[str, set[str]] = {}

    def phrases_in_groups(self) -> set[str]:
        return {phrase for group in self.groups for phrase in group}

    def compounds_of(self, phrase: str) -> set[str]:
        """The vocabulary's compound terms built on a one-word term
        ("osteoarthritis" on "arthritis"); none for other phrases."""
        if phrase not in self.terms or " " in phrase:
            return set()
        if phrase not in self.compounds:
            self.compounds[phrase] = {
                word
                for word in self.words
                if word.endswith(phrase)
                and len(word) - len(phrase) >= COMBINING_FORM_LETTERS
            }
        return self.compounds[phrase]

    def longest_at(
        self, *, words: list[str], position: int, typed: frozenset[str]
    ) -> tuple[int, str] | None:
        """(length, kind) of the longest phrase starting at the position."""
        for length in range(min(self.longest, len(words) - position), 0, -1):
            candidate = tuple(words[position : position + length])
            if candidate in self.phrase_to_group or candidate in self.one_way:
                return length, "group"
            if candidate in self.table.abbreviations:
                return length, "expansion"
            abbreviation = self.table.known(candidate[0]) if length == 1 else None
            if abbreviation and (
                candidate[0] in typed or abbreviation in self.table.any_case
            ):
                return length, "abbreviation"
            if length == 1 and self.compounds_of(candidate[0]):
                return length, "compound"
        return None

    def synonyms_of(self, phrase: str) -> set[str]:
        index = self.phrase_to_group.get(tuple(phrase.split()))
        return {phrase} if index is None else set(self.groups[index])

    def phrases_for(self, phrase: str) -> set[str]:
        """The phrase, its synonyms, the terms they find one way (with those
        terms' synonyms) and the compound terms built on them all."""
        phrases = self.synonyms_of(phrase)
        for synonym in list(phrases):
            for term in self.one_way.get(tuple(synonym.split()), ()):
                phrases |= self.synonyms_of(term)
        return phrases.union(*map(self.compounds_of, phrases))

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


# The expanders of the vocabularies in use: the reader's and the promoted
# queries' stemmed one.
_expanders = BuiltFrom(size=4)
NO_ONE_WAY: dict[tuple[str, ...], tuple[str, ...]] = {}


def expand_query(
    *,
    query: str,
    groups: list[tuple[str, ...]] | None = None,
    table: AbbreviationTable | None = None,
    one_way: dict[tuple[str, ...], tuple[str, ...]] | None = None,
) -> QueryExpansion:
    """Find synonym phrases, expansions, abbreviations and compound terms in
    the query, and the sides of a comparison. Groups, one-way phrases and
    table default to the built-in and editors' ones (given groups, to no
    one-way phrases); the topics' names count as terms too."""
    table = current_table() if table is None else table
    if groups is None:
        topics, sets = topic_terms(), current_synonym_sets()
        expander = _expanders.get(
            key=(tuple(topics), id(sets), id(table)),
            keep=(sets, table),
            build=lambda: Expander(
                groups=synonym_groups(topics, sets),
                table=table,
                one_way=sets.one_way,
                terms=frozenset(normalise(t) for terms in topics for t in terms),
            ),
        )
    else:
        one_way = NO_ONE_WAY if one_way is None else one_way
        expander = _expanders.get(
            key=(tuple(groups), id(one_way), id(table)),
            keep=(one_way, table),
            build=lambda: Expander(groups=groups, table=table, one_way=one_way),
        )
    typed = frozenset(abbreviations_in(query=query))
    words = normalise(query).split()
    # What the reader's other words point to, for ambiguous abbreviations.
    context = {w for w in words if w not in CONNECTIVES}
    sides = [
        expand_side(words=side, expander=expander, context=context, typed=typed)
        for side in comparison_sides(words)
    ]
    return QueryExpansion(
        groups=tuple(dict.fromkeys(g for side in sides for g in side.groups)),
        remaining_words=tuple(w for side in sides for w in side.remaining_words),
        abbreviations=tuple(sorted({a for side in sides for a in side.abbreviations})),
        sides=tuple(sides) if len(sides) > 1 else (),
    )


def expand_side(
    *,
    words: list[str],
    expander: Expander,
    context: set[str],
    typed: frozenset[str] = frozenset(),
) -> QueryExpansion:
    """One side's scan: longest phrase first from the left."""
    found: dict[frozenset[str], None] = {}
    abbreviations: set[str] = set()
    remaining: list[str] = []
    position = 0
    while position < len(words):
        match = expander.longest_at(words=words, position=position, typed=typed)
        length, kind = match or (1, "")
        text = " ".join(words[position : position + length])
        group, group_abbreviations = (
            expander.group_of(kind=kind, text=text, context=context - {text})
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
