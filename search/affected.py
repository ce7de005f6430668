"""Which articles' documents a content change touches: a page and the articles
under it, or the articles showing an author, topic or therapy type that
changed. The receivers (search.receivers) queue those pages."""

from __future__ import annotations

from wagtail.models import Page

from blog.models import ArticlePage, ArticlePageAuthor, Author, PainTopic
from search.documents import (
    ArticleDocument,
)


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
    """Articles whose documents show this author, topic or therapy type."""
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
