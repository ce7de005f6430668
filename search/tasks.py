"""Background work of the write side: the outbox drain, the vector fill, the
repair the admin's index health page asks for, and the functions that ask for
them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

from search import embeddings
from search.indexing import (
    DrainReport,
    compact_index,
    drain_outbox,
    fill_vectors,
    pages_without_vectors,
)
from search.status import IndexStatus, repair_drift

logger = logging.getLogger(__name__)


@task()
def drain_index_outbox() -> dict:
    """Apply due outbox entries. Entries in their retry back-off are left to the
    next drain, so a publish while the server is down costs one failed attempt at
    most, bounded by the client timeout."""
    report = drain_outbox(due_only=True)
    if report.error:
        logger.warning(
            "Search index not updated (%s); %d operations pending",
            report.error,
            report.pending,
        )
    request_vectors(page_ids=report.incomplete)
    return report.as_dict()


@task()
def fill_page_vectors(page_ids: list[int]) -> int:
    """Embed and write the vectors the pages' documents lack; returns how many
    texts were embedded."""
    return fill_vectors(page_ids=page_ids)


@task()
def compact_search_index() -> None:
    """Merge the index into one segment, after a rebuild and the vector fill
    it queued (a single worker runs tasks in the order they were queued)."""
    compact_index()


@task()
def repair_index() -> dict:
    """`search_index sync` in the worker: the drift it repaired, or a failure
    naming the outbox entries that still failed."""
    before, report, queued = sync_index()
    if report.failure:
        raise RuntimeError(report.failure)
    return {
        "missing": len(before.missing),
        "extra": len(before.extra),
        "stale": len(before.stale),
        "applied": report.applied,
        "vectors_queued": len(queued),
    }


def sync_index() -> tuple[IndexStatus, DrainReport, set[int]]:
    """Repair drift and apply the outbox, then queue the vectors still missing
    (of every document when semantic search is on); returns the status before
    the repair, the drain and the pages whose vectors were queued."""
    before, report = repair_drift()
    without = pages_without_vectors() if embeddings.is_enabled() else set()
    queued = without | report.incomplete
    request_vectors(page_ids=queued)
    return before, report, queued


def request_vectors(*, page_ids: Iterable[int]) -> None:
    """Queue the vector fill for pages written without some of their vectors.
    A failing enqueue is logged: the pages stay searchable by keyword, and
    `search_index sync` fills what is still missing."""
    page_ids = sorted(set(page_ids))
    if not page_ids:
        return
    try:
        fill_page_vectors.enqueue(page_ids=page_ids)
    except Exception:
        logger.exception("Could not queue the vectors of %d pages", len(page_ids))


def request_compaction() -> None:
    """Queue the merge of the index into one segment; a failing enqueue is
    logged: searches answer all the same, a little slower."""
    try:
        compact_search_index.enqueue()
    except Exception:
        logger.exception("Could not queue the merge of the search index")


def queue_index_operations(*, page_ids: Iterable[int], action: str) -> None:
    """Record the pages in the outbox inside the caller's transaction, and drain
    once it commits (a rolled-back change leaves neither entry nor drain). The
    new entries replace any the drain gave up on: the edit tries again."""
    from search.models import IndexOperation

    operations = [
        IndexOperation(page_id=page_id, action=action)
        for page_id in sorted(set(page_ids))
    ]
    if not operations:
        return
    IndexOperation.objects.clear_failures(page_ids=[op.page_id for op in operations])
    IndexOperation.objects.bulk_create(operations)
    # The task backend's own ENQUEUE_ON_COMMIT is not honoured by every
    # django-tasks release, so the deferral is explicit. robust: a failing
    # enqueue is logged and never breaks the request that published.
    transaction.on_commit(enqueue_drain, robust=True)


def enqueue_drain() -> None:
    drain_index_outbox.enqueue()
