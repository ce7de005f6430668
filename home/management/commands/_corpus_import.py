"""Shared by the corpus importers: turning records into ArticlePages through the
same publishing path editors use (a revision, then publish), updating pages that
exist (matched by slug under the blog index) instead of duplicating them.

Evaluation data is read from a folder given at run time (--data, else the
RELIEF_EVAL_DATA environment variable, else ../shared/data beside the project);
it is never copied into the repository.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from wagtail.signal_handlers import disable_reference_index_auto_update

from blog.blocks import ArticleBodyStreamBlock
from blog.models import ArticlePage, ArticlePageAuthor, Author, BlogIndexPage, PainTopic

SUMMARY_MAX = 300
LIST_ITEM_MAX = 500
BATCH_SIZE = 200


def default_data_dir() -> Path:
    configured = os.environ.get("RELIEF_EVAL_DATA")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "data"


# Pain topics ---------------------------------------------------------------------

# (slug, name, parent slug, synonyms). Created when missing; existing topics with
# the same slug keep their editor-made names and synonyms.
PAIN_TOPICS: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("chronic-pain", "Chronic pain", None, ("pain", "persistent pain", "central pain")),
    (
        "back-pain",
        "Back pain",
        "chronic-pain",
        ("low back pain", "backache", "lumbago", "sciatica"),
    ),
    ("neck-pain", "Neck pain", "chronic-pain", ("stiff neck", "whiplash")),
    (
        "arthritis",
        "Arthritis",
        "chronic-pain",
        (
            "osteoarthritis",
            "rheumatoid arthritis",
            "psoriatic arthritis",
            "juvenile arthritis",
            "infectious arthritis",
            "gout",
        ),
    ),
    ("fibromyalgia", "Fibromyalgia", "chronic-pain", ("FMS", "fibromyalgia syndrome")),
    (
        "neuropathy",
        "Nerve pain",
        "chronic-pain",
        (
            "neuropathy",
            "neuropathies",
            "neuropathic pain",
            "neuralgia",
            "peripheral neuropathy",
        ),
    ),
    (
        "headache-and-migraine",
        "Headache and migraine",
        "chronic-pain",
        (
            "headache",
            "headaches",
            "migraine",
            "migraines",
        ),
    ),
)


@dataclass
class TopicMatcher:
    """Finds the pain topics an article is about from its title and synonyms,
    keeping only the most specific ones (back pain, not also chronic pain)."""

    patterns: list[tuple[PainTopic, re.Pattern]]

    @classmethod
    def from_database(cls) -> TopicMatcher:
        topics = list(PainTopic.objects.all())
        patterns = []
        for topic in topics:
            terms = sorted({topic.name, *topic.synonym_list}, key=len, reverse=True)
            alternation = "|".join(re.escape(term) for term in terms if term)
            patterns.append(
                (topic, re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE))
            )
        return cls(patterns=patterns)

    def match(self, *, texts: Iterable[str]) -> list[PainTopic]:
        joined = "\n".join(texts)
        found = {
            topic.pk: topic
            for topic, pattern in self.patterns
            if pattern.search(joined)
        }
        ancestors = {
            node.pk for topic in found.values() for node in topic.lineage()[1:]
        }
        return sorted(
            (t for pk, t in found.items() if pk not in ancestors), key=lambda t: t.slug
        )


def ensure_pain_topics() -> None:
    for slug, name, parent_slug, synonyms in PAIN_TOPICS:
        parent = (
            PainTopic.objects.filter(slug=parent_slug).first() if parent_slug else None
        )
        PainTopic.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "parent": parent, "synonyms": "\n".join(synonyms)},
        )


# Bodies --------------------------------------------------------------------------


def text_to_blocks(text: str) -> list[tuple[str, object]]:
    """Paragraphs become rich text and runs of "- " lines become list blocks, so
    the imported body has the same shape an editor would give it."""
    blocks: list[tuple[str, object]] = []
    paragraphs: list[str] = []
    items: list[str] = []

    def flush_paragraphs():
        if paragraphs:
            blocks.append(
                ("rich_text", "".join(f"<p>{escape(p)}</p>" for p in paragraphs))
            )
            paragraphs.clear()

    def flush_items():
        if not items:
            return
        if max(len(item) for item in items) <= LIST_ITEM_MAX:
            blocks.append(
                ("list", {"lead_in": "", "style": "bulleted", "items": list(items)})
            )
        else:
            # Items too long for a list block stay a list inside rich text.
            lis = "".join(f"<li>{escape(item)}</li>" for item in items)
            blocks.append(("rich_text", f"<ul>{lis}</ul>"))
        items.clear()

    for line in text.split("\n"):
        line = line.strip()
        if line.startswith("- "):
            flush_paragraphs()
            items.append(line[2:].strip())
        elif line:
            flush_items()
            paragraphs.append(line)
        else:
            flush_items()
            flush_paragraphs()
    flush_items()
    flush_paragraphs()
    return blocks


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def summary_from(text: str) -> str:
    """The first sentences of the text, at most SUMMARY_MAX characters."""
    first = next(
        (line.strip("- ").strip() for line in text.split("\n") if line.strip()), ""
    )
    if len(first) <= SUMMARY_MAX:
        return first
    cut = first[:SUMMARY_MAX]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > 80 else cut.rsplit(" ", 1)[0] + "…"


# Upsert --------------------------------------------------------------------------


@dataclass
class ArticleSpec:
    slug: str
    title: str
    summary: str
    body: list[tuple[str, object]]
    author: Author
    topics: list[PainTopic] = field(default_factory=list)


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        total = self.created + self.updated + self.unchanged
        rate = total / self.seconds if self.seconds else 0.0
        return (
            f"{total} articles in {self.seconds:.1f} s ({rate:.1f}/s): "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        )


def blog_index() -> BlogIndexPage:
    index = BlogIndexPage.objects.first()
    if index is None:
        raise SystemExit(
            "No blog index page: run `manage.py migrate` and create the site first "
            "(`manage.py load_demo_content`, or let bench/ build an empty site)."
        )
    return index


def upsert_articles(
    *, specs: Iterable[ArticleSpec], parent: BlogIndexPage
) -> ImportCounts:
    counts = ImportCounts()
    started = time.perf_counter()
    existing = {
        page.slug: page
        for page in ArticlePage.objects.child_of(parent).prefetch_related("topics")
    }
    with quiet_publishing():
        for batch in batched(specs, BATCH_SIZE):
            with transaction.atomic():
                for spec in batch:
                    page = existing.get(spec.slug)
                    if page is None:
                        create_article(spec=spec, parent=parent)
                        counts.created += 1
                    elif needs_update(page=page, spec=spec):
                        update_article(page=page, spec=spec)
                        counts.updated += 1
                    else:
                        counts.unchanged += 1
    counts.seconds = time.perf_counter() - started
    return counts


def create_article(*, spec: ArticleSpec, parent: BlogIndexPage) -> ArticlePage:
    page = ArticlePage(
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        body=spec.body,
        live=False,
    )
    page.article_authors = [ArticlePageAuthor(author=spec.author, sort_order=0)]
    page.topics = list(spec.topics)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def update_article(*, page: ArticlePage, spec: ArticleSpec) -> None:
    page.title = spec.title
    page.draft_title = spec.title
    page.summary = spec.summary
    page.body = spec.body
    page.topics = list(spec.topics)
    if [link.author_id for link in page.article_authors.all()] != [spec.author.pk]:
        page.article_authors = [ArticlePageAuthor(author=spec.author, sort_order=0)]
    page.save_revision().publish()


def needs_update(*, page: ArticlePage, spec: ArticleSpec) -> bool:
    if (page.title, page.summary) != (spec.title, spec.summary):
        return True
    if sorted(t.pk for t in page.topics.all()) != sorted(t.pk for t in spec.topics):
        return True
    return stream_fingerprint(page.body) != stream_fingerprint(spec.body)


_BODY_BLOCK = ArticleBodyStreamBlock()


def stream_fingerprint(body) -> list:
    """The body's stored JSON without block ids, which differ on every save."""
    if not hasattr(body, "raw_data"):
        body = _BODY_BLOCK.to_python([{"type": t, "value": v} for t, v in body])
    return _without_ids(_BODY_BLOCK.get_prep_value(body))


def _without_ids(value):
    if isinstance(value, dict) and value.get("type") == "item" and "value" in value:
        # List items are stored either bare or as {"type": "item", "value": ...}.
        return _without_ids(value["value"])
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


@contextlib.contextmanager
def quiet_publishing() -> Iterator[None]:
    """Bulk import skips the admin reference index (rebuilt by Wagtail's
    `rebuild_references_index`); the search index is rebuilt once afterwards."""
    with disable_reference_index_auto_update():
        yield


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def team_author(*, name: str) -> Author:
    author, _ = Author.objects.get_or_create(
        slug=slugify(name)[:120], defaults={"name": name, "kind": Author.Kind.TEAM}
    )
    return author
