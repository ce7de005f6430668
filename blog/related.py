"""Related articles for the slot under an article.

The database version is the fallback source; the search index can replace it
later without the article template or its context key changing.
"""

from __future__ import annotations

from blog.listing import published_articles
from blog.models import ArticlePage


def related_articles_from_database(*, page: ArticlePage, limit: int = 4) -> list:
    """Newest live, public articles sharing a topic with `page`, never `page`.

    Reads topics from the in-memory page so an unsaved preview works too."""
    topic_ids = [topic.pk for topic in page.topics.all() if topic.pk]
    if not topic_ids:
        return []
    shared = ArticlePage.objects.filter(topics__in=topic_ids).values("pk")
    articles = published_articles().filter(pk__in=shared)
    if page.pk:
        articles = articles.exclude(pk=page.pk)
    return list(articles[:limit])
