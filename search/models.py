"""The search outbox: index operations recorded in the same transaction as the
content change that needs them, applied to Elasticsearch after commit."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class IndexOperationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_at__isnull=True)


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
