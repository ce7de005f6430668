"""The write side of the index: turning pages into documents and documents into
index operations. Readers never import this module."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from search.documents import (
    SCHEMA_VERSION,
    alias_name,
    build_index,
    concrete_index_name,
)
from search.engine import SearchUnavailable, get_engine, is_unavailable

BATCH_SIZE = 500
# Retry delays after a failed write: 10 s, 20 s, 40 s, ... capped at an hour.
RETRY_BASE_S = 10
RETRY_MAX_S = 3600
# Applied outbox entries are kept this long so a rebuild can replay the pages
# edited while it was loading; a rebuild must finish well inside it.
APPLIED_RETENTION = timedelta(days=1)
# Publishing transactions that began before a rebuild started and committed after
# it read their page are caught by replaying entries from this much earlier.
REPLAY_MARGIN = timedelta(minutes=5)


def indexable_articles():
    """Every article a reader may see, with what its document needs."""
    from blog.listing import readable_articles

    return (
        readable_articles()
        .select_related("locale")
        .prefetch_related(
            "article_authors__author",
            "topics__parent__parent__parent",
            "therapy_types",
        )
    )


def prepare_document(*, page) -> dict:
    """The index document of one article: plain text only, no editor-only content."""
    sections = [
        {
            "anchor": anchor,
            "heading": heading,
            "text": text,
            "all_text": f"{heading}\n{text}".strip(),
            "position": position,
        }
        for position, (anchor, heading, text) in enumerate(article_sections(page=page))
    ]
    # The same words as page.body_text, without reading the body a second time.
    body = "\n".join(
        part for s in sections for part in (s["heading"], s["text"]) if part
    )
    topics = list(page.topics.all())
    therapies = list(page.therapy_types.all())
    authors = [link.author for link in page.article_authors.all()]
    return {
        "page_id": page.pk,
        "title": page.title,
        "summary": page.summary,
        "body": body,
        "all_text": all_text(title=page.title, summary=page.summary, body=body),
        "sections": sections,
        "topics": [{"slug": t.slug, "name": t.name} for t in topics],
        "topic_slugs": [t.slug for t in topics],
        "topic_tree_slugs": sorted({s for t in topics for s in t.lineage_slugs}),
        "therapy_types": [{"slug": t.slug, "name": t.name} for t in therapies],
        "therapy_slugs": [t.slug for t in therapies],
        "author_names": [a.name for a in authors],
        "author_slugs": [a.slug for a in authors],
        "published_date": page.published_date,
        "updated_date": page.updated_date,
        "first_published_at": page.first_published_at,
        "url": page.get_url(),
        "locale": page.locale.language_code,
    }


def all_text(*, title: str, summary: str, body: str) -> str:
    """Title, summary and body as one text; a summary cut from the body's first
    words is not counted twice."""
    summary = summary.strip().rstrip("…").strip()
    parts = [title, body] if summary in body else [title, summary, body]
    return "\n".join(part for part in parts if part)


def article_sections(*, page) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) for each section; text before the first heading is
    an untitled lead section with an empty anchor (it links to the article top)."""
    sections: list[list] = [["", "", []]]
    for child in page.body:
        if child.block_type == "section_heading":
            sections.append([child.value["anchor"], child.value["heading"], []])
            continue
        text = child.block.plain_text(child.value)
        if text:
            sections[-1][2].append(text)
    return [
        (anchor, heading, "\n".join(parts))
        for anchor, heading, parts in sections
        if heading or parts
    ]


def create_concrete_index(*, suffix: str | None = None) -> str:
    suffix = suffix or timezone.now().strftime("%Y%m%d%H%M%S%f")
    name = concrete_index_name(suffix=suffix)
    get_engine().create_index(name=name, body=build_index(name=name).to_dict())
    return name


def ensure_index() -> str:
    """The concrete index behind the alias, creating both when missing."""
    engine = get_engine()
    alias = alias_name()
    if indexes := engine.alias_indexes(name=alias):
        return indexes[0]
    name = create_concrete_index()
    engine.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
    return name


# Keeping the index true ------------------------------------------------------------

# The fields of each taxonomy model that end up in article documents.
INDEXED_FIELDS = {
    "Author": ("name", "slug"),
    "PainTopic": ("name", "slug", "parent_id"),
    "TherapyType": ("name", "slug"),
}


def indexed_fields_of(*, instance) -> tuple:
    """The values of a taxonomy object that article documents carry, so an edit
    that changes none of them (a topic's synonyms) re-indexes nothing."""
    return tuple(
        getattr(instance, name) for name in INDEXED_FIELDS[type(instance).__name__]
    )


def articles_at_or_under(*, page_id: int) -> list[int]:
    """The page itself when it is an article, and every article below it."""
    from wagtail.models import Page

    from blog.models import ArticlePage

    page = Page.objects.filter(pk=page_id).only("path", "depth").first()
    if page is None:
        return []
    return list(
        ArticlePage.objects.filter(path__startswith=page.path).values_list(
            "pk", flat=True
        )
    )


def articles_using(*, instance) -> list[int]:
    """Articles whose documents show this author, topic or therapy type."""
    from blog.models import ArticlePage, ArticlePageAuthor, Author, PainTopic

    if isinstance(instance, Author):
        return list(
            ArticlePageAuthor.objects.filter(author=instance).values_list(
                "page_id", flat=True
            )
        )
    if isinstance(instance, PainTopic):
        # Documents carry every ancestor topic, so the topics below change too.
        topic_ids = PainTopic.objects.filter(pk=instance.pk).with_descendant_ids()
        articles = ArticlePage.objects.filter(topics__in=topic_ids)
    else:
        articles = ArticlePage.objects.filter(therapy_types=instance)
    return list(articles.values_list("pk", flat=True).distinct())


def describe_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:500]


def document_version() -> int:
    """The external version of documents about to be written: microseconds now,
    taken BEFORE the database is read. A write carrying a higher version therefore
    read the database later, so Elasticsearch keeps the newest state even when two
    drains or a drain and a rebuild race; the loser gets a harmless 409."""
    return time.time_ns() // 1_000


def write_pages(*, page_ids: Iterable[int], index: str, refresh: bool = False) -> dict:
    """Make `index` hold each page as the database has it now: its document when
    it is an indexable article, no document otherwise. Returns {page_id: error}
    for the pages that could not be written; raises when the server is unreachable.
    """
    failed: dict[int, str] = {}
    ids = sorted(set(page_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        version = document_version()
        pages = {page.pk: page for page in indexable_articles().filter(pk__in=chunk)}
        actions = []
        for page_id in chunk:
            meta = {
                "_index": index,
                "_id": str(page_id),
                "version": version,
                "version_type": "external",
            }
            page = pages.get(page_id)
            if page is None:
                actions.append({"_op_type": "delete", **meta})
                continue
            try:
                actions.append(
                    {
                        "_op_type": "index",
                        **meta,
                        "_source": prepare_document(page=page),
                    }
                )
            except Exception as exc:  # one broken page must not block the others
                failed[page_id] = describe_error(exc)
        failed.update(bulk_write(actions=actions, refresh=refresh))
    return failed


def bulk_write(*, actions: list[dict], refresh: bool = False) -> dict:
    """Send the actions; {page_id: error} for rejected ones. A delete of a missing
    document (404) and a write superseded by a newer version (409) are fine."""
    if not actions:
        return {}
    errors = get_engine().bulk(actions=actions, refresh=refresh, chunk_size=BATCH_SIZE)
    failed = {}
    for item in errors:
        info = next(iter(item.values()))
        if info.get("status") in (404, 409):
            continue
        failed[int(info["_id"])] = str(info.get("error"))[:500]
    return failed


@dataclass
class DrainReport:
    applied: int = 0
    failed: int = 0
    pending: int = 0
    error: str = ""

    def as_dict(self) -> dict:
        return {
            "applied": self.applied,
            "failed": self.failed,
            "pending": self.pending,
            "error": self.error,
        }


def drain_outbox(*, due_only: bool = True, batch_size: int = BATCH_SIZE) -> DrainReport:
    """Apply pending outbox entries oldest first. Never raises for an unreachable
    server: the entries stay, with a later next_attempt_at, for the next drain."""
    from search.models import IndexOperation

    report = DrainReport()
    if not settings.RELIEF_SEARCH.get("URL"):
        report.error = "search is not configured (RELIEF_SEARCH['URL'] is empty)"
    else:
        cursor = 0
        while batch := next_batch(cursor=cursor, due_only=due_only, size=batch_size):
            cursor = batch[-1].pk
            try:
                failed = write_pages(
                    page_ids=[op.page_id for op in batch], index=ensure_index()
                )
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                report.error = describe_error(exc)
                postpone(operations=batch, errors={}, default=report.error)
                break
            settle(operations=batch, failed=failed)
            report.failed += sum(op.page_id in failed for op in batch)
            report.applied += sum(op.page_id not in failed for op in batch)
        prune_applied()
    report.pending = IndexOperation.objects.pending().count()
    return report


def next_batch(*, cursor: int, due_only: bool, size: int) -> list:
    from search.models import IndexOperation

    pending = IndexOperation.objects.pending().filter(pk__gt=cursor)
    if due_only:
        pending = pending.filter(next_attempt_at__lte=timezone.now())
    return list(pending.order_by("pk")[:size])


def settle(*, operations: list, failed: dict) -> None:
    from search.models import IndexOperation

    done = [op.pk for op in operations if op.page_id not in failed]
    IndexOperation.objects.filter(pk__in=done).update(done_at=timezone.now())
    postpone(
        operations=[op for op in operations if op.page_id in failed],
        errors=failed,
        default="",
    )


def postpone(*, operations: list, errors: dict, default: str) -> None:
    from search.models import IndexOperation

    now = timezone.now()
    for op in operations:
        op.attempts += 1
        delay = min(RETRY_BASE_S * 2 ** (op.attempts - 1), RETRY_MAX_S)
        op.next_attempt_at = now + timedelta(seconds=delay)
        op.last_error = errors.get(op.page_id, default)
    IndexOperation.objects.bulk_update(
        operations, ["attempts", "next_attempt_at", "last_error"]
    )


def prune_applied() -> None:
    from search.models import IndexOperation

    IndexOperation.objects.filter(
        done_at__lt=timezone.now() - APPLIED_RETENTION
    ).delete()


# Rebuild, status and repair ---------------------------------------------------------


def check_server() -> None:
    """Raise SearchUnavailable with a one-line reason when the server is not there."""
    try:
        get_engine().info()
    except Exception as exc:
        if is_unavailable(exc):
            raise SearchUnavailable(
                f"Search server {settings.RELIEF_SEARCH.get('URL') or '(none)'} "
                f"is unreachable: {describe_error(exc)}"
            ) from exc
        raise


def indexes_behind_alias() -> list[str]:
    return get_engine().alias_indexes(name=alias_name())


def indexable_chunks(*, batch_size: int) -> Iterator[tuple[int, list]]:
    """(version, pages) in primary-key order: a fixed number of queries per chunk
    however many articles there are."""
    last_pk = 0
    while True:
        version = document_version()
        pages = list(
            indexable_articles().filter(pk__gt=last_pk).order_by("pk")[:batch_size]
        )
        if not pages:
            return
        yield version, pages
        last_pk = pages[-1].pk


def load_index(
    *, index: str, batch_size: int, on_batch: Callable[[int], None] | None = None
) -> int:
    loaded = 0
    for version, pages in indexable_chunks(batch_size=batch_size):
        actions = [
            {
                "_op_type": "index",
                "_index": index,
                "_id": str(page.pk),
                "version": version,
                "version_type": "external",
                "_source": prepare_document(page=page),
            }
            for page in pages
        ]
        failed = bulk_write(actions=actions)
        if failed:
            raise RuntimeError(f"{len(failed)} documents were rejected: {failed}")
        loaded += len(pages)
        if on_batch:
            on_batch(len(pages))
    return loaded


def swap_alias(*, new_index: str, old_indexes: list[str]) -> None:
    """Point the alias at new_index in one atomic update_aliases call, so readers
    see the old index or the new one and never neither."""
    actions = [{"remove": {"index": old, "alias": alias_name()}} for old in old_indexes]
    actions.append({"add": {"index": new_index, "alias": alias_name()}})
    get_engine().update_aliases(actions=actions)


@dataclass
class RebuildReport:
    index: str
    loaded: int
    replayed: int
    removed: list[str] = field(default_factory=list)


def rebuild_index(
    *, batch_size: int = BATCH_SIZE, on_batch: Callable[[int], None] | None = None
) -> RebuildReport:
    """Load every indexable article into a new concrete index, swap the alias,
    delete the old index, then replay the pages edited since the load began.

    Drains during the load write to the old index (the alias); the replay re-reads
    those pages into the new one, and the external versions keep it from going
    backwards.
    """
    from search.models import IndexOperation

    started = timezone.now()
    engine = get_engine()
    old_indexes = indexes_behind_alias()
    new_index = create_concrete_index()
    try:
        loaded = load_index(index=new_index, batch_size=batch_size, on_batch=on_batch)
        engine.refresh(index=new_index)
        swap_alias(new_index=new_index, old_indexes=old_indexes)
    except BaseException:
        engine.delete_index(name=new_index)
        raise
    for old in old_indexes:
        engine.delete_index(name=old)
    edited = set(
        IndexOperation.objects.filter(
            created_at__gte=started - REPLAY_MARGIN
        ).values_list("page_id", flat=True)
    )
    write_pages(page_ids=edited, index=new_index)
    drain_outbox(due_only=False)
    engine.refresh(index=new_index)
    return RebuildReport(
        index=new_index, loaded=loaded, replayed=len(edited), removed=old_indexes
    )


def indexed_ids() -> set[int]:
    """Every document id behind the alias, paged with search_after."""
    engine = get_engine()
    ids: set[int] = set()
    after = None
    while True:
        body = {"size": 1000, "sort": [{"page_id": "asc"}], "_source": False}
        if after is not None:
            body["search_after"] = after
        hits = engine.search(index=alias_name(), body=body)["hits"]["hits"]
        if not hits:
            return ids
        ids.update(int(hit["_id"]) for hit in hits)
        after = hits[-1]["sort"]


def index_is_current(*, indexes: list[str]) -> bool:
    """One concrete index built with this code's SCHEMA_VERSION."""
    prefix = f"{alias_name()}-v{SCHEMA_VERSION}-"
    return len(indexes) == 1 and indexes[0].startswith(prefix)


@dataclass
class IndexStatus:
    url: str
    engine: str
    alias: str
    indexes: list[str]
    document_count: int
    article_count: int
    pending: int
    missing: set[int]
    extra: set[int]

    @property
    def drift(self) -> int:
        return len(self.missing) + len(self.extra)


def index_status() -> IndexStatus:
    from search.models import IndexOperation

    indexes = indexes_behind_alias()
    if indexes:
        get_engine().refresh(index=alias_name())
    in_index = indexed_ids() if indexes else set()
    in_db = set(indexable_articles().values_list("pk", flat=True))
    return IndexStatus(
        url=settings.RELIEF_SEARCH["URL"],
        engine=get_engine().describe(),
        alias=alias_name(),
        indexes=indexes,
        document_count=len(in_index),
        article_count=len(in_db),
        pending=IndexOperation.objects.pending().count(),
        missing=in_db - in_index,
        extra=in_index - in_db,
    )


def repair_drift() -> tuple[IndexStatus, DrainReport]:
    """Index what is missing, delete what should not be there, apply the outbox.
    Rebuilds instead when the index behind the alias has an older schema."""
    if not index_is_current(indexes=indexes_behind_alias()):
        rebuild_index()
    status = index_status()
    failed = write_pages(page_ids=status.missing | status.extra, index=ensure_index())
    if failed:
        raise RuntimeError(f"{len(failed)} documents were rejected: {failed}")
    report = drain_outbox(due_only=False)
    get_engine().refresh(index=alias_name())
    return status, report
