"""Querysets and pagination shared by the reader-facing listings.

Every listing starts from `readable_articles()`, so drafts, expired pages and
pages under a view restriction (on the page or any ancestor) never reach a
reader, not even by title.
"""

from __future__ import annotations

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from blog.models import ArticlePage, Author, PainTopic

# The rendition blog/templates/includes/article_card.html asks for.
CARD_RENDITION = "fill-480x270"


def readable_articles() -> QuerySet[ArticlePage]:
    """Every article a reader may be shown: live, outside any view restriction
    on it or an ancestor, not expired. Listings, feeds, search and related
    articles all start here. An expiry time that has passed counts even before
    the scheduled-publishing job has unpublished the page."""
    return exclude_expired(pages=ArticlePage.objects.live().public())


def exclude_expired(*, pages: QuerySet) -> QuerySet:
    """Pages whose expiry time has not come. Wagtail only unpublishes an expired
    page when the scheduled-publishing job next runs; readers must not see it
    in between. Excluding by id keeps the queryset searchable: Wagtail's search
    backends filter only on indexed fields, and `id` is one."""
    expired = Page.objects.filter(Q(expired=True) | Q(expire_at__lte=timezone.now()))
    return pages.exclude(pk__in=expired.values("pk"))


def has_expired(*, page: Page) -> bool:
    """The single-page form of `exclude_expired()`, for serving a page."""
    return page.expired or (
        page.expire_at is not None and page.expire_at <= timezone.now()
    )


def published_articles() -> QuerySet[ArticlePage]:
    """Readable articles newest first, with what an article card shows."""
    return with_card_relations(
        readable_articles().order_by("-first_published_at", "-pk")
    )


def with_card_relations(articles: QuerySet) -> QuerySet:
    """Authors, topics and the card's hero rendition in a fixed number of
    queries, so a listing costs the same for four articles as for forty."""
    renditions = get_image_model().get_rendition_model().objects
    return articles.select_related("hero_image").prefetch_related(
        "article_authors__author",
        "topics",
        Prefetch(
            "hero_image__renditions",
            queryset=renditions.filter(filter_spec=CARD_RENDITION),
            to_attr="prefetched_renditions",
        ),
    )


def articles_about(*, topic: PainTopic, articles: QuerySet | None = None) -> QuerySet:
    articles = published_articles() if articles is None else articles
    topic_ids = PainTopic.objects.filter(pk=topic.pk).with_descendant_ids()
    matching = ArticlePage.objects.filter(topics__in=topic_ids).values("pk")
    return articles.filter(pk__in=matching)


def articles_by(*, author: Author, articles: QuerySet | None = None) -> QuerySet:
    articles = published_articles() if articles is None else articles
    return articles.filter(article_authors__author=author)


def paginate(*, items, page_number: str | None, per_page: int) -> PaginatorPage:
    """A page of `items`. A missing or non-numeric number means the first page;
    a number past the end is a 404, so crawlers do not index empty pages."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    try:
        number = int(page_number or 1)
    except (TypeError, ValueError):
        number = 1
    if number < 1 or number > paginator.num_pages:
        raise Http404("No such page of articles.")
    return paginator.page(number)


def filtered_index_articles(
    *, articles: QuerySet, topic_slug: str, author_slug: str
) -> tuple[QuerySet, dict]:
    """Apply the ?topic= and ?author= filters of the blog index. An unknown slug
    gives an empty list and a message for the reader, never an error."""
    filters: dict = {"active_topic": None, "active_author": None, "filter_message": ""}
    if topic_slug:
        topic = PainTopic.objects.filter(slug=topic_slug).first()
        if topic is None:
            filters["filter_message"] = "There is no topic by that name."
            return articles.none(), filters
        filters["active_topic"] = topic
        articles = articles_about(topic=topic, articles=articles)
    if author_slug:
        author = Author.objects.filter(slug=author_slug).first()
        if author is None:
            filters["filter_message"] = "There is no author by that name."
            return articles.none(), filters
        filters["active_author"] = author
        articles = articles_by(author=author, articles=articles)
    return articles, filters
