"""Content events -> outbox entries. Each receiver only works out which pages an
event touches and hands them to queue_index_operations; whether a page belongs in
the index is decided when the entry is applied, from the database."""

from __future__ import annotations

from search.tasks import queue_index_operations

INDEX = "index"
DELETE = "delete"

# The fields of each taxonomy model that end up in article documents.
INDEXED_FIELDS = {
    "Author": ("name", "slug"),
    "PainTopic": ("name", "slug", "parent_id"),
    "TherapyType": ("name", "slug"),
}


def article_ids_at_or_under(page_id: int) -> list[int]:
    """The page itself when it is an article, and every article below it."""
    from wagtail.models import Page

    from blog.models import ArticlePage

    page = Page.objects.filter(pk=page_id).only("path", "depth").first()
    if page is None:
        return []
    return list(
        ArticlePage.objects.filter(path__startswith=page.path).values_list(
            "pk", flat=True
        )
    )


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
    queue_index_operations(page_ids=article_ids_at_or_under(instance.pk), action=INDEX)


def view_restriction_changed(sender, instance, **kwargs):
    queue_index_operations(
        page_ids=article_ids_at_or_under(instance.page_id), action=INDEX
    )


def remember_indexed_fields(sender, instance, **kwargs):
    """pre_save: keep the stored values so post_save can tell whether anything
    that reaches a document changed (a synonyms-only edit needs no re-index)."""
    names = INDEXED_FIELDS[sender.__name__]
    stored = None
    if instance.pk is not None:
        stored = sender.objects.filter(pk=instance.pk).values_list(*names).first()
    instance._relief_indexed_before = stored


def taxonomy_saved(sender, instance, created, **kwargs):
    names = INDEXED_FIELDS[sender.__name__]
    before = getattr(instance, "_relief_indexed_before", None)
    if created or before == tuple(getattr(instance, name) for name in names):
        return
    queue_index_operations(page_ids=articles_using(instance), action=INDEX)


def taxonomy_deleting(sender, instance, **kwargs):
    """pre_delete: the article links are gone by post_delete."""
    queue_index_operations(page_ids=articles_using(instance), action=INDEX)


def articles_using(instance) -> list[int]:
    from blog.models import ArticlePage, ArticlePageAuthor, Author, PainTopic

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
    else:
        articles = ArticlePage.objects.filter(therapy_types=instance)
    return list(articles.values_list("pk", flat=True).distinct())


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    from blog.models import ArticlePage, Author, PainTopic, TherapyType

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
    for model in (Author, PainTopic, TherapyType):
        label = model.__name__.lower()
        pre_save.connect(
            remember_indexed_fields, sender=model, dispatch_uid=f"{uid}_{label}_pre"
        )
        post_save.connect(taxonomy_saved, sender=model, dispatch_uid=f"{uid}_{label}")
        pre_delete.connect(
            taxonomy_deleting, sender=model, dispatch_uid=f"{uid}_{label}_delete"
        )
