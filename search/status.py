"""The index against the database: missing, extra and stale documents (by
content fingerprint), the outbox backlog and vector coverage, and the repair
that brings the index back in line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from search.conf import get_search_settings
from search.documents import (
    SCHEMA_VERSION,
    ArticleDocument,
    alias_name,
)
from search.engine import get_engine
from search.indexing import (
    BATCH_SIZE,
    DrainReport,
    alias_hits,
    drain_outbox,
    ensure_index,
    index_built_at,
    indexes_behind_alias,
    pages_without_vectors,
    write_pages,
)
from search.models import IndexOperation
from search.rebuild import indexable_chunks, rebuild_index


def indexed_fingerprints() -> dict[int, str]:
    """{page id: fingerprint} of every document behind the alias."""
    return {
        int(hit["_id"]): hit["_source"].get("fingerprint", "")
        for hit in alias_hits(query={"match_all": {}}, source=["fingerprint"])
    }


@ArticleDocument.preparing_many()
def database_fingerprints() -> dict[int, str]:
    """{page id: fingerprint} of every indexable article as it would be written
    now: preparing every document is the price of finding stale content."""
    return {
        page.pk: ArticleDocument.prepare(page)["fingerprint"]
        for _, pages in indexable_chunks(batch_size=BATCH_SIZE, versioned=False)
        for page in pages
    }


def index_is_current(*, indexes: list[str]) -> bool:
    """One concrete index built with this code's SCHEMA_VERSION."""
    prefix = f"{alias_name()}-v{SCHEMA_VERSION}-"
    return len(indexes) == 1 and indexes[0].startswith(prefix)


@dataclass
class OutboxStatus:
    """The database's side of the index: readable while the server is down."""

    pending: int
    oldest_pending: IndexOperation | None
    # Entries given up after MAX_INDEX_ATTEMPTS, newest first.
    failures: list[IndexOperation]


def outbox_status() -> OutboxStatus:
    pending = IndexOperation.objects.pending()
    return OutboxStatus(
        pending=pending.count(),
        oldest_pending=pending.order_by("created_at", "pk").first(),
        failures=list(IndexOperation.objects.failed()),
    )


@dataclass
class IndexStatus:
    url: str
    engine: str
    alias: str
    indexes: list[str]
    # When the index behind the alias was created: by the last rebuild, or by
    # the first write when the index was never rebuilt.
    built_at: datetime | None
    document_count: int
    article_count: int
    missing: set[int]
    extra: set[int]
    stale: set[int]
    # Documents behind the alias without their article vector yet.
    without_vectors: set[int]
    outbox: OutboxStatus

    @property
    def pending(self) -> int:
        return self.outbox.pending

    @property
    def failures(self) -> list[IndexOperation]:
        return self.outbox.failures

    @property
    def with_vectors(self) -> int:
        return self.document_count - len(self.without_vectors)

    @property
    def drift(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.stale)

    @property
    def drifted(self) -> set[int]:
        return self.missing | self.extra | self.stale


def index_status() -> IndexStatus:
    indexes = indexes_behind_alias()
    if indexes:
        get_engine().refresh(index=alias_name())
    in_index = indexed_fingerprints() if indexes else {}
    in_db = database_fingerprints()
    return IndexStatus(
        url=get_search_settings()["URL"],
        engine=get_engine().describe(),
        alias=alias_name(),
        indexes=indexes,
        built_at=index_built_at(name=indexes[0]) if len(indexes) == 1 else None,
        document_count=len(in_index),
        article_count=len(in_db),
        missing=in_db.keys() - in_index.keys(),
        extra=in_index.keys() - in_db.keys(),
        stale={
            pk for pk in in_db.keys() & in_index.keys() if in_db[pk] != in_index[pk]
        },
        without_vectors=pages_without_vectors() if indexes else set(),
        outbox=outbox_status(),
    )


def repair_drift() -> tuple[IndexStatus, DrainReport]:
    """Index what is missing, delete what should not be there, rewrite what is
    stale, apply the outbox. Rebuilds instead when the index behind the alias has
    an older schema. The pages given up on before are then as the database has
    them, so their failures are cleared."""
    started = timezone.now()
    if not index_is_current(indexes=indexes_behind_alias()):
        rebuild_index()
    status = index_status()
    failed = write_pages(page_ids=status.drifted, index=ensure_index()).failed
    if failed:
        raise RuntimeError(f"{len(failed)} documents were rejected: {failed}")
    report = drain_outbox(due_only=False)
    IndexOperation.objects.clear_failures(before=started)
    get_engine().refresh(index=alias_name())
    return status, report
