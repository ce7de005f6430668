"""The write side of the index: turning pages into documents and documents into
index operations. Readers never import this module."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex

from blog.listing import readable_articles
from blog.models import ArticlePage, ArticlePageAuthor, Author, PainTopic, TherapyType
from search import semantic
from search.documents import (
    SCHEMA_VERSION,
    ArticleDocument,
    alias_name,
    build_index,
    concrete_index_name,
)
from search.engine import SearchUnavailable, get_engine, is_unavailable
from search.models import ArticleEmbedding, IndexOperation, IndexVersion, index_lock

BATCH_SIZE = 500
# Publishing transactions that began before a rebuild started and committed after
# it read their page are caught by replaying entries from this much earlier.
REPLAY_MARGIN = timedelta(minutes=5)


def create_concrete_index(*, suffix: str | None = None) -> str:
    suffix = suffix or timezone.now().strftime("%Y%m%d%H%M%S%f")
    name = concrete_index_name(suffix=suffix)
    get_engine().create_index(name=name, body=build_index(name=name).to_dict())
    return name


def ensure_index() -> str:
    """The concrete index behind the alias, creating both when missing: under
    index_lock, so two first drains cannot each create one."""
    engine = get_engine()
    alias = alias_name()
    if indexes := engine.alias_indexes(name=alias):
        return indexes[0]
    with index_lock():
        if indexes := engine.alias_indexes(name=alias):
            return indexes[0]
        name = create_concrete_index()
        engine.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
    return name


# Keeping the index true ------------------------------------------------------------


def indexed_fields_of(*, instance) -> tuple:
    """The values of a taxonomy object that article documents carry, so an edit
    that changes none of them (a topic's synonyms) re-indexes nothing."""
    names = ArticleDocument.RELATED_FIELDS[type(instance).__name__]
    return tuple(getattr(instance, name) for name in names)


def articles_at_or_under(*, page_id: int) -> list[int]:
    """The page itself when it is an article, and every article below it."""
    page = Page.objects.filter(pk=page_id).only("path", "depth").first()
    if page is None:
        return []
    return list(
        ArticlePage.objects.filter(path__startswith=page.path).values_list(
            "pk", flat=True
        )
    )


def articles_using(*, instance) -> list[int]:
    """Articles whose documents show this author, topic, therapy type or
    snippet."""
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
    elif isinstance(instance, TherapyType):
        articles = ArticlePage.objects.filter(therapy_types=instance)
    else:
        articles = ArticlePage.objects.filter(
            pk__in=pages_referencing(instance=instance)
        )
    return list(articles.values_list("pk", flat=True).distinct())


def pages_referencing(*, instance) -> list[int]:
    """Pages whose content chooses `instance` (a snippet in a body block), as
    Wagtail's reference index records them on every page save."""
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.get_references_to(instance).filter(
        base_content_type=page_type
    )
    return [int(pk) for pk in references.values_list("object_id", flat=True)]


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


@ArticleDocument.preparing_many()
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
        semantic.store_embeddings(documents=documents_in(actions))
        failed.update(bulk_write(actions=actions, refresh=refresh))
    return failed


def documents_in(actions: list[dict]) -> list[dict]:
    return [action["_source"] for action in actions if action["_op_type"] == "index"]


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
    report = DrainReport()
    if not settings.RELIEF_SEARCH.get("URL"):
        report.error = "search is not configured (RELIEF_SEARCH['URL'] is empty)"
    else:
        cursor = 0
        outbox = IndexOperation.objects
        while batch := outbox.claim_batch(
            cursor=cursor, due_only=due_only, size=batch_size
        ):
            cursor = batch[-1].pk
            try:
                failed = write_pages(
                    page_ids=[op.page_id for op in batch], index=ensure_index()
                )
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                report.error = describe_error(exc)
                outbox.postpone(operations=batch, errors={}, default=report.error)
                break
            outbox.settle(operations=batch, failed=failed)
            report.failed += sum(op.page_id in failed for op in batch)
            report.applied += sum(op.page_id not in failed for op in batch)
        outbox.prune_applied()
    report.pending = IndexOperation.objects.pending().count()
    return report


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
                "_source": ArticleDocument.prepare(page),
            }
            for page in pages
        ]
        semantic.store_embeddings(documents=documents_in(actions))
        failed = bulk_write(actions=actions)
        if failed:
            raise RuntimeError(f"{len(failed)} documents were rejected: {failed}")
        loaded += len(pages)
        if on_batch:
            on_batch(len(pages))
    return loaded


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
        get_engine().update_aliases(actions=actions)
    return old_indexes


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
    started = timezone.now()
    engine = get_engine()
    new_index = create_concrete_index()
    try:
        loaded = load_index(index=new_index, batch_size=batch_size, on_batch=on_batch)
        engine.refresh(index=new_index)
        old_indexes = swap_alias(new_index=new_index)
    except BaseException:
        engine.delete_index(name=new_index)
        raise
    for old in old_indexes:
        engine.delete_index(name=old)
    edited = IndexOperation.objects.page_ids_since(started - REPLAY_MARGIN)
    write_pages(page_ids=edited, index=new_index)
    drain_outbox(due_only=False)
    engine.refresh(index=new_index)
    return RebuildReport(
        index=new_index, loaded=loaded, replayed=len(edited), removed=old_indexes
    )


def indexed_fingerprints() -> dict[int, str]:
    """{page id: fingerprint} of every document behind the alias, paged with
    search_after."""
    engine = get_engine()
    fingerprints: dict[int, str] = {}
    after = None
    while True:
        body = {"size": 1000, "sort": [{"page_id": "asc"}], "_source": ["fingerprint"]}
        if after is not None:
            body["search_after"] = after
        hits = engine.search(index=alias_name(), body=body)["hits"]["hits"]
        if not hits:
            return fingerprints
        for hit in hits:
            fingerprints[int(hit["_id"])] = hit["_source"].get("fingerprint", "")
        after = hits[-1]["sort"]


@ArticleDocument.preparing_many()
def database_fingerprints() -> dict[int, str]:
    """{page id: fingerprint} of every indexable article as it would be written
    now: preparing every document is the price of finding stale content."""
    return {
        page.pk: ArticleDocument.prepare(page)["fingerprint"]
        for _, pages in indexable_chunks(batch_size=BATCH_SIZE, versioned=False)
        for page in pages
    }


@ArticleDocument.preparing_many()
def fill_embeddings() -> int:
    """Compute the embeddings semantic re-ranking lacks, or has for an older
    text: articles indexed while it was switched off or before an upgrade
    brought it. Prepares every document, as `status` does; returns how many
    embeddings were computed."""
    if not semantic.is_enabled():
        return 0
    return sum(
        semantic.store_embeddings(
            documents=[ArticleDocument.prepare(page) for page in pages]
        )
        for _, pages in indexable_chunks(batch_size=BATCH_SIZE, versioned=False)
    )


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
    stale: set[int]
    embedded: int

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
        url=settings.RELIEF_SEARCH["URL"],
        engine=get_engine().describe(),
        alias=alias_name(),
        indexes=indexes,
        document_count=len(in_index),
        article_count=len(in_db),
        pending=IndexOperation.objects.pending().count(),
        missing=in_db.keys() - in_index.keys(),
        extra=in_index.keys() - in_db.keys(),
        stale={
            pk for pk in in_db.keys() & in_index.keys() if in_db[pk] != in_index[pk]
        },
        # A subquery, not a list of ids: tens of thousands of parameters are
        # more than SQLite takes.
        embedded=ArticleEmbedding.objects.filter(
            page_id__in=readable_articles().values("pk")
        ).count(),
    )


def repair_drift() -> tuple[IndexStatus, DrainReport]:
    """Index what is missing, delete what should not be there, rewrite what is
    stale, apply the outbox. Rebuilds instead when the index behind the alias has
    an older schema."""
    if not index_is_current(indexes=indexes_behind_alias()):
        rebuild_index()
    status = index_status()
    failed = write_pages(page_ids=status.drifted, index=ensure_index())
    if failed:
        raise RuntimeError(f"{len(failed)} documents were rejected: {failed}")
    report = drain_outbox(due_only=False)
    get_engine().refresh(index=alias_name())
    return status, report
