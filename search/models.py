"""The search outbox: index operations recorded in the same transaction as the
content change that needs them, applied to Elasticsearch after commit.

An entry is pending until a drain applies it (done_at set) or postpones it after
a failed write (attempts + 1, next_attempt_at pushed back); applied entries are
pruned after APPLIED_RETENTION. The drain itself lives in search.indexing."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

# Retry delays after a failed write: 10 s, 20 s, 40 s, ... capped at an hour.
RETRY_BASE_S = 10
RETRY_MAX_S = 3600
# Applied outbox entries are kept this long so a rebuild can replay the pages
# edited while it was loading; a rebuild must finish well inside it.
APPLIED_RETENTION = timedelta(days=1)


class IndexOperationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_at__isnull=True)

    def next_batch(self, *, cursor: int, due_only: bool, size: int) -> list:
        """Pending entries after `cursor`, oldest first; with due_only, only
        those whose retry back-off has run out."""
        pending = self.pending().filter(pk__gt=cursor)
        if due_only:
            pending = pending.filter(next_attempt_at__lte=timezone.now())
        return list(pending.order_by("pk")[:size])

    def settle(self, *, operations: list, failed: dict) -> None:
        """Mark the entries applied, except those whose page failed to write."""
        done = [op.pk for op in operations if op.page_id not in failed]
        self.filter(pk__in=done).update(done_at=timezone.now())
        self.postpone(
            operations=[op for op in operations if op.page_id in failed],
            errors=failed,
            default="",
        )

    def postpone(self, *, operations: list, errors: dict, default: str) -> None:
        """Count one more attempt and back off: `errors` by page id, else `default`."""
        now = timezone.now()
        for op in operations:
            op.attempts += 1
            delay = min(RETRY_BASE_S * 2 ** (op.attempts - 1), RETRY_MAX_S)
            op.next_attempt_at = now + timedelta(seconds=delay)
            op.last_error = errors.get(op.page_id, default)
        self.bulk_update(operations, ["attempts", "next_attempt_at", "last_error"])

    def prune_applied(self) -> None:
        self.filter(done_at__lt=timezone.now() - APPLIED_RETENTION).delete()

    def page_ids_since(self, moment: datetime) -> set[int]:
        """Pages with an entry written from `moment` on, applied or not."""
        return set(
            self.filter(created_at__gte=moment).values_list("page_id", flat=True)
        )


class IndexOperation(models.Model):
    """One page whose index document must be brought up to date.

    The action records why the entry was written; applying it always re-reads the
    page, so an entry means "make the index match this page as it is now". Applied
    entries are kept for a while (done_at) so a rebuild can replay the pages edited
    while it was loading.
    """

    class Action(models.TextChoices):
        INDEX = "index", "Index"
        DELETE = "delete", "Delete"

    page_id = models.PositiveIntegerField(db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = IndexOperationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "search index operation"

    def __str__(self):
        return f"{self.action} page {self.page_id}"
