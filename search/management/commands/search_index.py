"""Operate the article index: rebuild | status | sync | drain.

Exits non-zero with a one-line message when the search server is unreachable.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from search import embeddings, indexing
from search.documents import ArticleDocument
from search.engine import EngineMismatch, SearchUnavailable, is_unavailable
from search.models import IndexOperation
from search.rebuild import rebuild_index
from search.status import index_is_current, index_status
from search.tasks import request_compaction, request_vectors, sync_index

FAILURES_SHOWN = 20


class Command(BaseCommand):
    help = "Rebuild, inspect, repair or catch up the Elasticsearch article index."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser(
            "rebuild", help="Load a new index and swap the alias to it."
        )
        rebuild.add_argument("--batch-size", type=int, default=indexing.BATCH_SIZE)
        rebuild.add_argument(
            "--no-progress", action="store_true", help="No progress bar."
        )
        sub.add_parser(
            "status", help="Compare the index with the database, ids and content."
        )
        sub.add_parser(
            "sync", help="Repair drift and apply the outbox (rebuild if outdated)."
        )
        sub.add_parser("drain", help="Apply every pending outbox entry now.")

    def handle(self, *args, action, **options):
        try:
            indexing.check_server()
            getattr(self, f"handle_{action}")(**options)
        except (SearchUnavailable, EngineMismatch) as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:
            if is_unavailable(exc):
                raise CommandError(
                    f"Search server became unreachable: {indexing.describe_error(exc)}"
                ) from None
            raise

    def handle_rebuild(self, *, batch_size, no_progress, **options):
        started = timezone.now()
        total = ArticleDocument.get_queryset().count()
        with tqdm(
            total=total,
            unit="article",
            disable=no_progress,
            file=sys.stderr,
        ) as bar:
            report = rebuild_index(batch_size=batch_size, on_batch=bar.update)
        # Every page given up on before is in the new index as it is now.
        IndexOperation.objects.clear_failures(before=started)
        self.stdout.write(
            f"Loaded {report.loaded} articles into {report.index}; alias swapped; "
            f"replayed {report.replayed} edited pages; "
            f"removed {', '.join(report.removed) or 'no old index'}; "
            f"{self.queue_vectors(report.incomplete)}"
        )
        # After the vectors it queued, so the merge takes in what they add.
        request_compaction()
        self.stdout.write("Queued the merge of the index into one segment.")

    @classmethod
    def queue_vectors(cls, page_ids: set[int]) -> str:
        request_vectors(page_ids=page_ids)
        return cls.vectors_queued(page_ids)

    @staticmethod
    def vectors_queued(page_ids: set[int]) -> str:
        if not page_ids:
            return "every article has its vectors."
        return f"vectors of {len(page_ids)} articles queued for the task worker."

    def handle_status(self, **options):
        status = index_status()
        lines = [
            f"Server:           {status.url} ({status.engine})",
            f"Alias:            {status.alias}",
            f"Concrete index:   {', '.join(status.indexes) or '(none)'}",
            "Built:            "
            + (f"{status.built_at:%Y-%m-%d %H:%M} UTC" if status.built_at else "-"),
            f"Documents:        {status.document_count}",
            f"Live articles:    {status.article_count}",
            f"Pending outbox:   {status.pending}"
            + (
                f" (oldest {status.outbox.oldest_pending.created_at:%Y-%m-%d %H:%M} UTC)"
                if status.outbox.oldest_pending
                else ""
            ),
            f"Drift:            {status.drift} "
            f"(missing {sorted(status.missing)[:20]}, extra {sorted(status.extra)[:20]}, "
            f"stale {sorted(status.stale)[:20]})",
            f"Vectors:          {status.with_vectors}"
            f" of {status.document_count} documents"
            + ("" if embeddings.is_enabled() else " (semantic search is off)"),
        ]
        lines += self.failure_lines(status.failures)
        if status.indexes and not index_is_current(indexes=status.indexes):
            lines.append("Schema:           outdated, run `search_index rebuild`")
        self.stdout.write("\n".join(lines))

    @staticmethod
    def failure_lines(failures: list[IndexOperation]) -> list[str]:
        lines = [
            f"Failed pages:     {len(failures)}"
            + (" (given up; `search_index sync` tries again)" if failures else "")
        ]
        for op in failures[:FAILURES_SHOWN]:
            lines.append(
                f"  page {op.page_id} ({op.attempts} attempts, last "
                f"{op.failed_at:%Y-%m-%d %H:%M} UTC): {op.last_error[:300]}"
            )
        if len(failures) > FAILURES_SHOWN:
            lines.append(f"  ... and {len(failures) - FAILURES_SHOWN} more")
        return lines

    def handle_sync(self, **options):
        before, report, queued = sync_index()
        self.stdout.write(
            f"Indexed {len(before.missing)} missing, deleted {len(before.extra)} extra, "
            f"refreshed {len(before.stale)} stale; "
            f"applied {report.applied} outbox entries, {report.pending} pending; "
            f"{self.vectors_queued(queued)}"
        )
        if report.failure:
            raise CommandError(report.failure)

    def handle_drain(self, **options):
        report = indexing.drain_outbox(due_only=False)
        self.stdout.write(
            f"Applied {report.applied} outbox entries; {report.failed} failed; "
            f"{report.pending} pending; {self.queue_vectors(report.incomplete)}"
        )
        if report.error or report.failed:
            raise CommandError(report.error or f"{report.failed} entries failed")
