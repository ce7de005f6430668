"""Import the NFCorpus documents as published ArticlePages, for relevance
evaluation only: their text is licensed for academic evaluation and must never
be shown on a public site, so import them into a bench database only."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from home.management.commands._corpus_import import (
    ArticleSpec,
    blog_index,
    default_data_dir,
    escape,
    summary_from,
    team_author,
    upsert_articles,
)
from home.management.commands.import_medquad import TITLE_MAX, read_records, source_slug


def record_spec(record: dict, *, author) -> ArticleSpec:
    title = (record.get("title") or "").strip() or record["_id"]
    text = record.get("text") or ""
    return ArticleSpec(
        slug=source_slug(record["_id"]),
        title=title[:TITLE_MAX],
        summary=summary_from(text) or title[:300],
        body=[("rich_text", f"<p>{escape(text)}</p>")] if text else [],
        author=author,
    )


class Command(BaseCommand):
    help = (
        "Import (or update) NFCorpus documents as ArticlePages (bench databases only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, help="Evaluation data folder.")
        parser.add_argument(
            "--corpus", type=Path, help="corpus.jsonl (default: <data>/nfcorpus/)."
        )
        parser.add_argument(
            "--limit", type=int, help="Import only the first N records."
        )

    def handle(self, *args, data=None, corpus=None, limit=None, **options):
        path = corpus or (data or default_data_dir()) / "nfcorpus" / "corpus.jsonl"
        if not path.is_file():
            raise SystemExit(
                f"No NFCorpus documents at {path}: pass --data or --corpus."
            )
        author = team_author(name="PubMed abstracts")
        specs = (record_spec(r, author=author) for r in read_records(path, limit=limit))
        counts = upsert_articles(specs=specs, parent=blog_index())
        self.stdout.write(f"NFCorpus import: {counts}")
