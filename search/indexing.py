"""The write side of the index: the index behind the alias, turning pages into
documents and documents into index operations, the outbox drain and the vector
fill. Readers never import this module; rebuilds (search.rebuild) and the
status and repair of the index (search.status) build on it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone

from search import embeddings, vectors
from search.conf import get_search_settings
from search.documents import (
    VECTOR_FIELD,
    ArticleDocument,
    alias_name,
    concrete_index_name,
    index_body,
)
from search.engine import SearchUnavailable, get_engine, is_unavailable
from search.models import IndexOperation, IndexVersion, index_lock

BATCH_SIZE = 500
# A concrete index is named after the moment it was created, in UTC.
INDEX_SUFFIX_FORMAT = "%Y%m%d%H%M%S%f"

logger = logging.getLogger(__name__)


def create_concrete_index(*, suffix: str | None = None) -> str:
    suffix = suffix or timezone.now().strftime(INDEX_SUFFIX_FORMAT)
    name = concrete_index_name(suffix=suffix)
    engine = get_engine(write=True)
    engine.create_index(name=name, body=index_body(name=name, engine=engine))
    return name


def index_built_at(*, name: str) -> datetime | None:
    """When the concrete index `name` was created, read from its name: a
    rebuild always loads a new index, so this is when the last one began.
    None for an index named otherwise (a benchmark's)."""
    try:
        built = datetime.strptime(name.rsplit("-", 1)[-1], INDEX_SUFFIX_FORMAT)
    except ValueError:
        return None
    return built.replace(tzinfo=UTC)


def ensure_index() -> str:
    """The concrete index behind the alias, creating both when missing: under
    index_lock, so two first drains cannot each create one."""
    engine = get_engine(write=True)
    alias = alias_name()
    if indexes := engine.alias_indexes(name=alias):
        return indexes[0]
    with index_lock():
        if indexes := engine.alias_indexes(name=alias):
            return indexes[0]
        name = create_concrete_index()
        engine.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
    return name


def describe_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:500]


def document_version() -> int:
    """The external version of documents about to be written, drawn from the
    database AFTER the outbox entries were claimed and BEFORE the pages are read.
    A write carrying a higher version therefore read the database later, so the
    index keeps the newest state when drains, or a drain and a rebuild, race on
    any number of hosts; the loser gets a harmless 409."""
    return IndexVersion.objects.draw()


@dataclass
class WriteReport:
    # {page_id: error} of the pages that could not be written.
    failed: dict[int, str] = field(default_factory=dict)
    # Pages written without some of their vectors, for the vector fill.
    incomplete: set[int] = field(default_factory=set)
    # Texts embedded for the write (with `embed`).
    embedded: int = 0


@ArticleDocument.preparing_many()
def write_pages(
    *, page_ids: Iterable[int], index: str, refresh: bool = False, embed: bool = False
) -> WriteReport:
    """Make `index` hold each page as the database has it now: its document when
    it is an indexable article, with the vectors already computed (with
    `embed`, after computing those the cache lacks), and no document otherwise.
    Raises when the server is unreachable."""
    report = WriteReport()
    failed = report.failed
    ids = sorted(set(page_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        version = document_version()
        pages = {
            page.pk: page
            for page in ArticleDocument.get_queryset().filter(pk__in=chunk)
        }
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
                        "_source": ArticleDocument.prepare(page),
                    }
                )
            except Exception as exc:  # one broken page must not block the others
                failed[page_id] = describe_error(exc)
        documents = documents_in(actions)
        if embed:
            report.embedded += vectors.embed_missing(documents=documents)
        report.incomplete |= vectors.attach_vectors(documents=documents)
        failed.update(bulk_write(actions=actions, refresh=refresh))
    report.incomplete -= failed.keys()
    return report


def documents_in(actions: list[dict]) -> list[dict]:
    return [action["_source"] for action in actions if action["_op_type"] == "index"]


def bulk_write(*, actions: list[dict], refresh: bool = False) -> dict:
    """Send the actions; {page_id: error} for rejected ones. A delete of a missing
    document (404) and a write superseded by a newer version (409) are fine."""
    if not actions:
        return {}
    errors = get_engine(write=True).bulk(
        actions=actions, refresh=refresh, chunk_size=BATCH_SIZE
    )
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
    incomplete: set[int] = field(default_factory=set)

    @property
    def failure(self) -> str:
        """Why the drain left entries unapplied; empty when it applied them."""
        if not (self.error or self.failed):
            return ""
        return f"{self.failed} outbox entries failed: {self.error or 'see last_error'}"

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
    report = DrainReport()
    if not get_search_settings()["URL"]:
        report.error = "search is not configured (RELIEF_SEARCH['URL'] is empty)"
    else:
        cursor = 0
        outbox = IndexOperation.objects
        while batch := outbox.claim_batch(
            cursor=cursor, due_only=due_only, size=batch_size
        ):
            cursor = batch[-1].pk
            try:
                written = write_pages(
                    page_ids=[op.page_id for op in batch], index=ensure_index()
                )
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                report.error = describe_error(exc)
                outbox.postpone(operations=batch, errors={}, default=report.error)
                break
            failed = written.failed
            given_up = outbox.settle(operations=batch, failed=failed)
            log_rejections(failed=failed, given_up=given_up)
            report.failed += sum(op.page_id in failed for op in batch)
            report.applied += sum(op.page_id not in failed for op in batch)
            report.incomplete |= written.incomplete
        outbox.prune_applied()
    report.pending = IndexOperation.objects.pending().count()
    return report


def log_rejections(*, failed: dict[int, str], given_up: list) -> None:
    last_tries = {op.page_id: op.attempts for op in given_up}
    for page_id, error in failed.items():
        if page_id in last_tries:
            logger.error(
                "Search index gave up on page %d after %d attempts (a new edit, "
                "`search_index sync` or `rebuild` tries again): %s",
                page_id,
                last_tries[page_id],
                error,
            )
        else:
            logger.warning(
                "Search index rejected page %d, retried later: %s", page_id, error
            )


def check_server() -> None:
    """Raise SearchUnavailable with a one-line reason when the server is not there."""
    try:
        get_engine().info()
    except Exception as exc:
        if is_unavailable(exc):
            raise SearchUnavailable(
                f"Search server {get_search_settings()['URL'] or '(none)'} "
                f"is unreachable: {describe_error(exc)}"
            ) from exc
        raise


# A merge rewrites every segment, the vectors' graphs too: about a minute at
# 20,000 articles on two cores. The server finishes it if the client gives up.
COMPACT_TIMEOUT = 900


def compact_index() -> None:
    """Merge the index readers search into one segment. A bulk load leaves
    several, and every search pays per segment: at 20,000 articles the reader
    search's main request fell from 50 to 38 ms p50 and the best-score request
    from 22 to 15 ms after merging 6 segments into one."""
    engine = get_engine(write=True)
    engine.force_merge(index=alias_name(), timeout=COMPACT_TIMEOUT)
    # Searches see the merged segment from the next refresh on.
    engine.refresh(index=alias_name())


def indexes_behind_alias() -> list[str]:
    return get_engine(write=True).alias_indexes(name=alias_name())


def alias_hits(*, query: dict, source: list[str] | bool) -> Iterator[dict]:
    """Every document behind the alias that `query` matches, in page-id order,
    paged with search_after."""
    engine = get_engine(write=True)
    body = {
        "size": 1000,
        "sort": [{"page_id": "asc"}],
        "_source": source,
        "query": query,
    }
    while hits := engine.search(index=alias_name(), body=body)["hits"]["hits"]:
        yield from hits
        body["search_after"] = hits[-1]["sort"]


def pages_without_vectors() -> set[int]:
    """Page ids of the documents behind the alias lacking their article vector."""
    lacking = {"bool": {"must_not": [{"exists": {"field": VECTOR_FIELD}}]}}
    return {int(hit["_id"]) for hit in alias_hits(query=lacking, source=False)}


def fill_vectors(*, page_ids: Iterable[int]) -> int:
    """Embed what the pages' documents lack, a batch of articles at a time on
    every core, and write the documents again with their vectors (at a new
    version, so a newer edit is never overwritten). Returns how many texts were
    embedded."""
    if not embeddings.is_enabled():
        return 0
    return write_pages(page_ids=page_ids, index=ensure_index(), embed=True).embedded
