"""Author and topic pages: plain Django views over the same public listings as
the blog index, so their privacy rules cannot drift apart."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.shortcuts import get_object_or_404, render
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from blog.listing import (
    articles_about,
    articles_by,
    exclude_expired,
    paginate,
    published_articles,
)
from blog.models import Author, BlogIndexPage, PainTopic

ARTICLES_PER_PAGE = BlogIndexPage.ARTICLES_PER_PAGE


def author_detail(request, slug: str):
    author = get_object_or_404(Author, slug=slug)
    articles = paginate(
        items=articles_by(author=author),
        page_number=request.GET.get("page"),
        per_page=ARTICLES_PER_PAGE,
    )
    reviewed = published_articles().filter(medical_reviewer=author)[:ARTICLES_PER_PAGE]
    return render(
        request,
        "blog/author_page.html",
        {
            "author": author,
            "articles": articles,
            "reviewed_articles": reviewed,
            "meta_description": author.bio[:300] or f"Articles by {author.name}.",
        },
    )


def topic_detail(request, slug: str):
    topic = get_object_or_404(PainTopic.objects.select_related("parent"), slug=slug)
    articles = paginate(
        items=articles_about(topic=topic),
        page_number=request.GET.get("page"),
        per_page=ARTICLES_PER_PAGE,
    )
    return render(
        request,
        "blog/topic_page.html",
        {
            "topic": topic,
            "articles": articles,
            "child_topics": topic.children.all(),
            "meta_description": topic.description[:300]
            or f"Articles about {topic.name}.",
        },
    )


class AuthorSitemap(DjangoSitemap):
    def items(self):
        authored = published_articles().values("article_authors__author")
        return Author.objects.filter(pk__in=authored).order_by("slug")


class TopicSitemap(DjangoSitemap):
    def items(self):
        tagged = published_articles().values("topics")
        return PainTopic.objects.filter(pk__in=tagged).order_by("slug")


class UnexpiredPageSitemap(PageSitemap):
    def items(self):
        return exclude_expired(pages=super().items())


def sitemap(request):
    return wagtail_sitemap(
        request,
        sitemaps={
            "pages": UnexpiredPageSitemap,
            "authors": AuthorSitemap(),
            "topics": TopicSitemap(),
        },
    )
