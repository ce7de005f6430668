"""Medical abbreviations and what they stand for: the seed lists Relief ships,
the loader that puts them in the database, and the table searches read.

Editors change the list in the admin (search.models.Abbreviation); the table is
read again only when the rows changed, so a search does not read thousands of
rows each time, yet an editor's change applies to the next search.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from search.models import ABBREVIATION, Abbreviation
from search.tables import table_of_rows

VOCABULARY = Path(__file__).resolve().parent / "vocabulary"
# The shipped lists by the source their rows are filed under.
SEED_FILES = {
    "disease-ontology": VOCABULARY / "disease_ontology_abbreviations.tsv",
    "relief": VOCABULARY / "relief_abbreviations.tsv",
}
# As a reader types one: "NSAIDs" too.
TYPED_ABBREVIATION = re.compile(rf"{ABBREVIATION.pattern}s?")
# Up to this many words a query is keywords; a longer one mostly in capitals is
# shouted, not a run of abbreviations.
SHOUTED_QUERY_WORDS = 3


def abbreviations_in(*, query: str) -> tuple[str, ...]:
    """Tokens of 2-6 capitals or digits (plus a plural s) as typed, lowercased,
    unless a longer query is mostly in capitals: a shouted question has no
    abbreviations to tell. Lowercase words ("as", "us", "ms") never count."""
    tokens = re.findall(r"[A-Za-z][A-Za-z0-9]*", query)
    capitals = [t for t in tokens if TYPED_ABBREVIATION.fullmatch(t)]
    if len(tokens) > SHOUTED_QUERY_WORDS and len(capitals) * 2 > len(tokens):
        return ()
    return tuple(dict.fromkeys(t.lower() for t in capitals))


def normalise(text: str) -> str:
    """Lowercase ASCII words separated by single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", folded.lower()))


# Seed lists ----------------------------------------------------------------------


@dataclass(frozen=True)
class SeedRow:
    abbreviation: str
    expansion: str
    # The optional third column: "yes" when lowercase counts too.
    any_case: bool = False


def read_seed_file(*, path: Path) -> list[SeedRow]:
    """The rows, without the # header and column names."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return [
        SeedRow(
            abbreviation=row[0].strip(),
            expansion=row[1].strip(),
            any_case=len(row) > 2 and row[2].strip() == "yes",
        )
        for row in rows[1:]
    ]


def read_seed_header(*, path: Path) -> dict[str, str]:
    """The "# Key: value" lines of a seed file's header (Source, Licence, Rows)."""
    header = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(": ")
        if value and " " not in key:
            header[key] = value
    return header


def seed_abbreviations(*, model=None) -> int:
    """Add the shipped pairs the table lacks and return how many. Rows already
    there, seeded or an editor's, are left as they are: a pair an editor
    switched off stays off, and seeded pairs cannot be deleted (the admin
    refuses), so loading again never undoes an editor's change. `model` is
    the historical model inside a migration."""
    model = model or Abbreviation
    present = {
        (abbreviation, expansion.lower())
        for abbreviation, expansion in model.objects.values_list(
            "abbreviation", "expansion"
        )
    }
    new = []
    for source, path in SEED_FILES.items():
        for row in read_seed_file(path=path):
            if (row.abbreviation, row.expansion.lower()) not in present:
                present.add((row.abbreviation, row.expansion.lower()))
                new.append(
                    model(
                        abbreviation=row.abbreviation,
                        expansion=row.expansion,
                        any_case=row.any_case,
                        source=source,
                    )
                )
    model.objects.bulk_create(new, batch_size=500)
    return len(new)


# The table searches read ------------------------------------------------------------


@dataclass(frozen=True)
class AbbreviationTable:
    """Lowercase abbreviation -> normalised expansions, and normalised expansion
    (as a word tuple) -> the abbreviations that stand for it alone."""

    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    abbreviations: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # Abbreviations that count however they are typed ("crps"); the others
    # only in capitals.
    any_case: frozenset[str] = frozenset()

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of every expansion: where compound terms are looked up."""
        return frozenset(
            w for m in self.expansions.values() for e in m for w in e.split()
        )

    def known(self, word: str) -> str | None:
        """The abbreviation a typed word is, plural or not ("nsaids")."""
        if word in self.expansions:
            return word
        if word.endswith("s") and word[:-1] in self.expansions:
            return word[:-1]
        return None


def build_table(
    *, rows: Iterable[tuple[str, str, str]], any_case: Iterable[str] = ()
) -> AbbreviationTable:
    """From (abbreviation, expansion, source) rows, and the abbreviations that
    count in lowercase too. Where an editor or Relief's
    own list gives an abbreviation a meaning, the ontology's meanings of it
    are dropped: on a pain blog TMD is the jaw joint disorder, not tibial
    muscular dystrophy. Only an abbreviation with one meaning is matched when
    a query spells that meaning out: an ambiguous one would bring in articles
    about its other meanings."""
    curated: dict[str, dict[str, None]] = defaultdict(dict)
    ontology: dict[str, dict[str, None]] = defaultdict(dict)
    for abbreviation, expansion, source in rows:
        chosen = ontology if source == "disease-ontology" else curated
        chosen[abbreviation.lower()][normalise(expansion)] = None
    expansions = {
        abbreviation: tuple(curated.get(abbreviation) or ontology[abbreviation])
        for abbreviation in {*curated, *ontology}
    }
    abbreviations: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for abbreviation, meanings in sorted(expansions.items()):
        if len(meanings) == 1:
            abbreviations[tuple(meanings[0].split())].append(abbreviation)
    return AbbreviationTable(
        expansions=expansions,
        abbreviations={phrase: tuple(a) for phrase, a in abbreviations.items()},
        any_case=frozenset(a.lower() for a in any_case) & expansions.keys(),
    )


def read_table() -> AbbreviationTable:
    rows = list(
        Abbreviation.objects.filter(active=True).values_list(
            "abbreviation", "expansion", "source", "any_case"
        )
    )
    return build_table(
        rows=[row[:3] for row in rows], any_case=[row[0] for row in rows if row[3]]
    )


def current_table() -> AbbreviationTable:
    """The table of the pairs in use, read again only when a row changed."""
    return table_of_rows(model=Abbreviation, build=read_table)
