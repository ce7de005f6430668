"""Import MedQuAD consumer-health articles as published ArticlePages.

Each record becomes one article: the focus is the title, and every question and
answer becomes a section heading (the question, with a stable anchor) followed by
the answer as rich text and list blocks. The slug is the source id, lowercased,
so judgments map back to pages (`source_slug`) without a model field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand

from blog.blocks import anchor_from_heading
from home.management.commands._corpus_import import (
    ArticleSpec,
    TopicMatcher,
    blog_index,
    default_data_dir,
    ensure_pain_topics,
    summary_from,
    team_author,
    text_to_blocks,
    upsert_articles,
)

SOURCE_NAMES = {
    "ADAM": "A.D.A.M. Medical Encyclopedia",
    "CancerGov": "National Cancer Institute",
    "CDC": "Centers for Disease Control and Prevention",
    "GARD": "Genetic and Rare Diseases Information Center",
    "GHR": "Genetics Home Reference",
    "MPlusDrugs": "MedlinePlus Drugs",
    "MPlusHealthTopics": "MedlinePlus Health Topics",
    "MPlusHerbsSupplements": "MedlinePlus Herbs and Supplements",
    "NHLBI": "National Heart, Lung, and Blood Institute",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases",
    "NIHSeniorHealth": "NIHSeniorHealth",
    "NINDS": "National Institute of Neurological Disorders and Stroke",
}
TITLE_MAX = 250


def source_slug(source_id: str) -> str:
    """The page slug of a source record: stable across imports and reversible
    through the data file, so no extra model field is needed."""
    return source_id.lower().replace("_", "-")


def section_anchors(record: dict) -> list[tuple[str, dict]]:
    """(anchor, section) per section, unique within the article in the same way
    the body's own anchor assignment makes them (heading slug, then -2, -3)."""
    taken: set[str] = set()
    result = []
    for section in record["sections"]:
        base = anchor_from_heading(section["heading"])
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        result.append((anchor, section))
    return result


def article_body(record: dict) -> list[tuple[str, object]]:
    body: list[tuple[str, object]] = []
    for anchor, section in section_anchors(record):
        body.append(
            ("section_heading", {"heading": section["heading"][:200], "anchor": anchor})
        )
        body.extend(text_to_blocks(section["text"]))
    return body


def read_records(path: Path, *, limit: int | None = None) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for count, line in enumerate(lines):
            if limit is not None and count >= limit:
                return
            if line.strip():
                yield json.loads(line)


def article_title(record: dict) -> str:
    """The focus; a few records have none, and their first question stands in."""
    title = record["focus"].strip()
    if not title and record["sections"]:
        title = record["sections"][0]["heading"].rstrip(" ?")
    return (title or record["id"])[:TITLE_MAX]


def record_spec(record: dict, *, matcher: TopicMatcher, authors: dict) -> ArticleSpec:
    source = record["source"]
    if source not in authors:
        authors[source] = team_author(name=SOURCE_NAMES.get(source, source))
    first_text = record["sections"][0]["text"] if record["sections"] else ""
    return ArticleSpec(
        slug=source_slug(record["id"]),
        title=article_title(record),
        summary=summary_from(first_text) or article_title(record),
        body=article_body(record),
        author=authors[source],
        topics=matcher.match(texts=[record["focus"], *record.get("synonyms", [])]),
    )


class Command(BaseCommand):
    help = "Import (or update) MedQuAD articles as published ArticlePages."

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, help="Evaluation data folder.")
        parser.add_argument(
            "--articles", type=Path, help="articles.jsonl (default: <data>/medquad/)."
        )
        parser.add_argument(
            "--limit", type=int, help="Import only the first N records."
        )

    def handle(self, *args, data=None, articles=None, limit=None, **options):
        path = articles or (data or default_data_dir()) / "medquad" / "articles.jsonl"
        if not path.is_file():
            raise SystemExit(
                f"No MedQuAD articles at {path}: pass --data or --articles."
            )
        ensure_pain_topics()
        matcher = TopicMatcher.from_database()
        authors: dict = {}
        specs = (
            record_spec(record, matcher=matcher, authors=authors)
            for record in read_records(path, limit=limit)
        )
        counts = upsert_articles(specs=specs, parent=blog_index())
        self.stdout.write(f"MedQuAD import: {counts}")
