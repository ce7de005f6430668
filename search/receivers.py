"""Content events -> outbox entries. Each receiver hands the pages an event
touches (search.affected works out which) to queue_index_operations; whether a
page belongs in the index is decided when the entry is applied, from the
database."""

from __future__ import annotations

from search.affected import (
    articles_at_or_under,
    articles_using,
    indexed_fields_of,
)
from search.tasks import queue_index_operations

INDEX = "index"
DELETE = "delete"


def article_published(sender, instance, **kwargs):
    queue_index_operations(page_ids=[instance.pk], action=INDEX)


def article_unpublished(sender, instance, **kwargs):
    queue_index_operations(page_ids=[instance.pk], action=DELETE)


def article_deleted(sender, instance, **kwargs):
    # Deleting any ancestor cascades to the articles, which arrive here one by one.
    queue_index_operations(page_ids=[instance.pk], action=DELETE)


def page_url_changed(sender, instance, **kwargs):
    """A move or slug change rewrites the URL of the page and all its descendants
    (and a move may carry them under or out of a private section)."""
    queue_index_operations(
        page_ids=articles_at_or_under(page_id=instance.pk), action=INDEX
    )


def view_restriction_changed(sender, instance, **kwargs):
    queue_index_operations(
        page_ids=articles_at_or_under(page_id=instance.page_id), action=INDEX
    )


def remember_indexed_fields(sender, instance, **kwargs):
    """pre_save: keep the stored values so post_save can tell whether anything
    that reaches a document changed (a synonyms-only edit needs no re-index)."""
    stored = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._relief_indexed_before = (
        indexed_fields_of(instance=stored) if stored else None
    )


def related_object_saved(sender, instance, created, **kwargs):
    """A taxonomy term whose fields reach documents was saved."""
    before = getattr(instance, "_relief_indexed_before", None)
    if created or before == indexed_fields_of(instance=instance):
        return
    queue_index_operations(page_ids=articles_using(instance=instance), action=INDEX)


def related_object_deleting(sender, instance, **kwargs):
    """pre_delete: the article links (and references) are gone by post_delete."""
    queue_index_operations(page_ids=articles_using(instance=instance), action=INDEX)


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    from blog.models import ArticlePage
    from search.documents import ArticleDocument

    uid = "relief_search"
    page_published.connect(
        article_published, sender=ArticlePage, dispatch_uid=f"{uid}_published"
    )
    page_unpublished.connect(
        article_unpublished, sender=ArticlePage, dispatch_uid=f"{uid}_unpublished"
    )
    post_delete.connect(
        article_deleted, sender=ArticlePage, dispatch_uid=f"{uid}_deleted"
    )
    # Any page type: moving or renaming a blog index changes its articles' URLs.
    post_page_move.connect(page_url_changed, dispatch_uid=f"{uid}_moved")
    page_slug_changed.connect(page_url_changed, dispatch_uid=f"{uid}_slug")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}_restriction_{name}",
        )
    for name in ArticleDocument.RELATED_FIELDS:
        model = apps.get_model(ArticlePage._meta.app_label, name)
        label = name.lower()
        pre_save.connect(
            remember_indexed_fields, sender=model, dispatch_uid=f"{uid}_{label}_pre"
        )
        post_save.connect(
            related_object_saved, sender=model, dispatch_uid=f"{uid}_{label}"
        )
        pre_delete.connect(
            related_object_deleting, sender=model, dispatch_uid=f"{uid}_{label}_delete"
        )
