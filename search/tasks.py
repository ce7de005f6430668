"""Background work of the write side: the outbox drain, the vector fill, and
the functions that ask for them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

from search.indexing import drain_outbox, fill_vectors

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
