"""Query-time synonym expansion.

Synonyms are expanded in the query rather than in an analyzer: multi-word
synonyms ("physiotherapy" <-> "physical therapy") then behave the same on every
Elasticsearch-compatible server, and an editor's change to a pain topic's
synonyms applies to the very next search without re-indexing.

The topics are read on every search instead of cached: it is one small query,
and a cache would need invalidation wired into the write side's signals.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Each line is one group of interchangeable phrases. Hyphens and case do not
# matter: phrases are normalised like queries are.
BUILT_IN_GROUPS: tuple[tuple[str, ...], ...] = (
    ("pt", "physical therapy", "physiotherapy", "physical therapist", "physio"),
    ("ot", "occupational therapy", "occupational therapist"),
    ("cbd", "cannabidiol"),
    ("thc", "tetrahydrocannabinol"),
    (
        "nsaid",
        "nsaids",
        "nonsteroidal anti-inflammatory",
        "nonsteroidal anti-inflammatory drugs",
        "non-steroidal anti-inflammatory",
        "non-steroidal anti-inflammatory drugs",
    ),
    ("tens", "transcutaneous electrical nerve stimulation"),
    ("cbt", "cognitive behavioral therapy", "cognitive behavioural therapy"),
    ("mbsr", "mindfulness-based stress reduction"),
    ("ra", "rheumatoid arthritis"),
    ("oa", "osteoarthritis"),
    ("ms", "multiple sclerosis"),
    ("crps", "complex regional pain syndrome"),
    ("ibs", "irritable bowel syndrome"),
    ("tmj", "tmd", "temporomandibular joint disorder", "jaw pain"),
    ("fibro", "fibromyalgia"),
    ("lbp", "low back pain", "lower back pain", "lumbago"),
    ("sciatica", "sciatic nerve pain"),
    ("acetaminophen", "paracetamol", "tylenol"),
    ("ibuprofen", "advil", "motrin"),
    ("migraine", "migraines", "migraine headache"),
    ("opioid", "opioids", "opiates", "narcotic painkillers"),
)


@dataclass(frozen=True)
class QueryExpansion:
    """Groups of phrases the query mentioned (each group: every phrase to accept)
    and the words left over once those phrases are taken out."""

    groups: tuple[tuple[str, ...], ...]
    remaining_words: tuple[str, ...]


def normalise(text: str) -> str:
    """Lowercase ASCII words separated by single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", folded.lower()))


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


def expand_query(
    *, query: str, groups: list[tuple[str, ...]] | None = None
) -> QueryExpansion:
    """Find synonym phrases in the query, longest first from the left, so
    "cognitive behavioral therapy" is one phrase, not "therapy" on its own."""
    if groups is None:
        groups = synonym_groups()
    phrase_to_group = {
        tuple(phrase.split()): index
        for index, group in enumerate(groups)
        for phrase in group
    }
    longest = max((len(p) for p in phrase_to_group), default=0)
    words = normalise(query).split()
    found: list[int] = []
    remaining: list[str] = []
    position = 0
    while position < len(words):
        for length in range(min(longest, len(words) - position), 0, -1):
            candidate = tuple(words[position : position + length])
            if candidate in phrase_to_group:
                if phrase_to_group[candidate] not in found:
                    found.append(phrase_to_group[candidate])
                position += length
                break
        else:
            remaining.append(words[position])
            position += 1
    return QueryExpansion(
        groups=tuple(groups[i] for i in found), remaining_words=tuple(remaining)
    )
