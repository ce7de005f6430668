"""A full rebuild: every indexable article loaded into a new concrete index,
the alias swapped to it in one step, and the pages edited meanwhile replayed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from search import vectors
from search.documents import (
    ArticleDocument,
    alias_name,
)
from search.engine import get_engine
from search.indexing import (
    BATCH_SIZE,
    bulk_write,
    create_concrete_index,
    document_version,
    documents_in,
    drain_outbox,
    indexes_behind_alias,
    write_pages,
)
from search.models import IndexOperation, index_lock

# Publishing transactions that began before a rebuild started and committed after
# it read their page are caught by replaying entries from this much earlier.
REPLAY_MARGIN = timedelta(minutes=5)


def indexable_chunks(
    *, batch_size: int, versioned: bool = True
) -> Iterator[tuple[int | None, list]]:
    """(version, pages) in primary-key order: a fixed number of queries per chunk
    however many articles there are; each version is drawn before its chunk is
    read (none when `versioned` is false: nothing will be written)."""
    last_pk = 0
    while True:
        version = document_version() if versioned else None
        pages = list(
            ArticleDocument.get_queryset()
            .filter(pk__gt=last_pk)
            .order_by("pk")[:batch_size]
        )
        if not pages:
            return
        yield version, pages
        last_pk = pages[-1].pk


@ArticleDocument.preparing_many()
def load_index(
    *, index: str, batch_size: int, on_batch: Callable[[int], None] | None = None
) -> tuple[int, set[int]]:
    """Write every indexable article with the vectors already computed; how
    many, and which lack some vector."""
    loaded, incomplete = 0, set()
    for version, pages in indexable_chunks(batch_size=batch_size):
        actions = [
            {
                "_op_type": "index",
                "_index": index,
                "_id": str(page.pk),
                "version": version,
                "version_type": "external",
                "_source": ArticleDocument.prepare(page),
            }
            for page in pages
        ]
        incomplete |= vectors.attach_vectors(documents=documents_in(actions))
        failed = bulk_write(actions=actions)
        if failed:
            raise RuntimeError(f"{len(failed)} documents were rejected: {failed}")
        loaded += len(pages)
        if on_batch:
            on_batch(len(pages))
    return loaded, incomplete


def swap_alias(*, new_index: str) -> list[str]:
    """Point the alias at new_index alone in one atomic update_aliases call, so
    readers see the old index or the new one and never neither; returns the
    indexes it left. Under index_lock, so an index a first drain created
    meanwhile is swapped out too."""
    with index_lock():
        old_indexes = indexes_behind_alias()
        actions = [
            {"remove": {"index": old, "alias": alias_name()}} for old in old_indexes
        ]
        actions.append({"add": {"index": new_index, "alias": alias_name()}})
        get_engine(write=True).update_aliases(actions=actions)
    return old_indexes


@dataclass
class RebuildReport:
    index: str
    loaded: int
    replayed: int
    removed: list[str] = field(default_factory=list)
    incomplete: set[int] = field(default_factory=set)


def rebuild_index(
    *, batch_size: int = BATCH_SIZE, on_batch: Callable[[int], None] | None = None
) -> RebuildReport:
    """Load every indexable article into a new concrete index, swap the alias,
    delete the old index, then replay the pages edited since the load began.

    Drains during the load write to the old index (the alias); the replay re-reads
    those pages into the new one, and the external versions keep it from going
    backwards. Articles are written with the vectors already computed; the
    report names those still lacking some, for the vector fill.
    """
    started = timezone.now()
    engine = get_engine(write=True)
    new_index = create_concrete_index()
    try:
        loaded, incomplete = load_index(
            index=new_index, batch_size=batch_size, on_batch=on_batch
        )
        engine.refresh(index=new_index)
        old_indexes = swap_alias(new_index=new_index)
    except BaseException:
        engine.delete_index(name=new_index)
        raise
    for old in old_indexes:
        engine.delete_index(name=old)
    edited = IndexOperation.objects.page_ids_since(started - REPLAY_MARGIN)
    incomplete |= write_pages(page_ids=edited, index=new_index).incomplete
    incomplete |= drain_outbox(due_only=False).incomplete
    engine.refresh(index=new_index)
    return RebuildReport(
        index=new_index,
        loaded=loaded,
        replayed=len(edited),
        removed=old_indexes,
        incomplete=incomplete,
    )
