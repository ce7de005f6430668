"""Extract (abbreviation, expansion) pairs from Human Disease Ontology OBO files
into the seed list Relief ships.

    python -m search.vocabulary.build_abbreviations doid.obo
    python -m search.vocabulary.build_abbreviations subsets/*.obo

Each term's EXACT synonyms typed as acronyms (OMO:0003012, or the older
synonymtypedef "acronym") become pairs with the term's name. Only pairs a
reader's query can trigger are kept: abbreviations of 2-6 capitals (the form
search.abbreviations detects as typed, less numbered subtypes such as ACHM3),
and expansions that are words, not another abbreviation. Obsolete terms are
skipped.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from search.abbreviations import ABBREVIATION, SEED_FILES

SOURCE_URL = "https://github.com/DiseaseOntology/HumanDiseaseOntology"
LICENCE = "CC0 1.0 Universal (the Disease Ontology repository's LICENSE file)"
ACRONYM_SYNONYM = re.compile(
    r'^synonym: "(?P<text>[^"]+)" EXACT (?:OMO:0003012 \[.*\]|\[.*\] '
    r'\{synonymtypedef="acronym"\})\s*$'
)
RELEASE = re.compile(r"^data-version: \S*?releases/(?P<date>\d{4}-\d{2}-\d{2})")


def read_stanzas(*, lines: Iterable[str]) -> Iterator[list[str]]:
    """The [Term] stanzas of an OBO file, each as its lines."""
    stanza: list[str] | None = None
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("["):
            if stanza:
                yield stanza
            stanza = [] if line == "[Term]" else None
        elif stanza is not None and line:
            stanza.append(line)
    if stanza:
        yield stanza


def pairs_in(*, stanza: list[str]) -> Iterator[tuple[str, str]]:
    if "is_obsolete: true" in stanza:
        return
    name = next((ln[len("name: ") :] for ln in stanza if ln.startswith("name: ")), "")
    for line in stanza:
        if match := ACRONYM_SYNONYM.match(line):
            yield match["text"].strip(), name.strip()


def is_kept(*, abbreviation: str, expansion: str) -> bool:
    """A reader can type the abbreviation and the expansion spells it out.
    Abbreviations with digits name numbered subtypes (ACHM3, SMA2), which
    readers look up by the disease's name."""
    return (
        bool(ABBREVIATION.fullmatch(abbreviation))
        and abbreviation.isalpha()
        and len(expansion) > len(abbreviation)
        and any(c.islower() for c in expansion)
        and not ABBREVIATION.fullmatch(expansion)
    )


def extract_pairs(*, paths: list[Path]) -> tuple[list[tuple[str, str]], str]:
    """Sorted unique pairs from the files, and the release date they name."""
    pairs: set[tuple[str, str]] = set()
    releases: set[str] = set()
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        releases.update(m["date"] for ln in lines[:20] if (m := RELEASE.match(ln)))
        for stanza in read_stanzas(lines=lines):
            pairs.update(
                pair
                for pair in pairs_in(stanza=stanza)
                if is_kept(abbreviation=pair[0], expansion=pair[1])
            )
    return sorted(pairs, key=lambda p: (p[0], p[1].lower())), ", ".join(
        sorted(releases)
    )


def write_seed_file(
    *, pairs: list[tuple[str, str]], release: str, names: list[str], output: Path
) -> None:
    header = [
        "Abbreviation <-> expansion pairs from the Human Disease Ontology.",
        f"Source: Human Disease Ontology, {SOURCE_URL}",
        f"Release: {release or 'unknown'}",
        f"Files: {', '.join(names)}",
        f"Licence: {LICENCE}",
        "Filter: EXACT synonyms typed as acronyms (OMO:0003012) of non-obsolete",
        "terms; abbreviation 2-6 capitals, no digits (numbered subtypes dropped);",
        "expansion (the term's name) has lowercase letters and is no abbreviation.",
        f"Rows: {len(pairs)}",
        "Regenerate: python -m search.vocabulary.build_abbreviations FILE.obo ...",
    ]
    body = ["abbreviation\texpansion", *(f"{a}\t{e}" for a, e in pairs)]
    output.write_text(
        "".join(f"# {line}\n" for line in header) + "\n".join(body) + "\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("obo", nargs="+", type=Path, help="Disease Ontology OBO files")
    parser.add_argument("--output", type=Path, default=SEED_FILES["disease-ontology"])
    args = parser.parse_args()
    pairs, release = extract_pairs(paths=args.obo)
    names = [path.name for path in args.obo]
    write_seed_file(pairs=pairs, release=release, names=names, output=args.output)
    print(f"{len(pairs)} pairs from release {release} written to {args.output}")


if __name__ == "__main__":
    main()
