"""Template tags of the reader site: SEO metadata, structured data, topic nav."""

from __future__ import annotations

import datetime
import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import hooks

from blog.models import Author, MedicalDisclaimer, PainTopic

register = template.Library()

HERO_RENDITION = "fill-1200x630"

# The characters that could end a <script> element or open markup inside it;
# escaped as JSON unicode escapes, which every JSON parser reads back unchanged.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _absolute(request, url: str) -> str:
    if not url or url.startswith(("http://", "https://")) or request is None:
        return url
    return request.build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's own URL without query string, so filtered and paginated
    variants point search engines at one address."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and hasattr(page, "get_full_url"):
        return page.get_full_url(request) or ""
    return request.build_absolute_uri(request.path) if request else ""


@register.simple_tag(takes_context=True)
def meta_description(context) -> str:
    if context.get("meta_description"):
        return context["meta_description"]
    page = context.get("page")
    if page is None:
        return ""
    specific = getattr(page, "specific_deferred", page)
    for field in ("search_description", "summary", "intro"):
        value = getattr(specific, field, "")
        if value:
            return value
    return ""


@register.simple_tag(takes_context=True)
def hero_image_url(context, page) -> str:
    if not getattr(page, "hero_image", None):
        return ""
    rendition = page.hero_image.get_rendition(HERO_RENDITION)
    return _absolute(context.get("request"), rendition.url)


@register.filter
def count_selected(facet_groups: dict) -> int:
    """How many values are ticked across facet groups ({name: [facet, ...]}),
    so a folded filter panel still says that filters apply."""
    return sum(
        bool(facet.selected) for group in facet_groups.values() for facet in group
    )


@register.simple_tag
def disclaimer_or_default(disclaimer):
    """The chosen disclaimer, else the site default (None when neither exists)."""
    return disclaimer or MedicalDisclaimer.objects.default()


# The seam other apps fill under an article (the search app adds related
# articles): each function registered for this Wagtail hook receives the page
# and the request and returns HTML. blog itself knows none of them.
AFTER_ARTICLE_HOOK = "relief_after_article"


@register.simple_tag(takes_context=True)
def after_article(context, page) -> str:
    request = context.get("request")
    parts = [
        fn(page=page, request=request) for fn in hooks.get_hooks(AFTER_ARTICLE_HOOK)
    ]
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - hook HTML


@register.inclusion_tag("includes/topic_nav.html", takes_context=True)
def topic_nav(context):
    return {
        "topics": PainTopic.objects.filter(parent__isnull=True),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def articles_index_url(context) -> str:
    """Where "all articles" lives: the first live, public blog index."""
    from blog.models import BlogIndexPage

    index = BlogIndexPage.objects.live().public().order_by("path").first()
    return index.get_url(context.get("request")) if index else ""


@register.simple_tag
def index_filter_choices() -> dict:
    """Topics and authors a reader can filter the blog index by: only those
    with at least one live, public article, so no choice leads to nothing."""
    from blog.listing import published_articles

    article_ids = published_articles().values("pk")
    return {
        "topics": PainTopic.objects.filter(articles__in=article_ids)
        .distinct()
        .order_by("name"),
        "authors": Author.objects.filter(article_links__page__in=article_ids)
        .distinct()
        .order_by("name"),
    }


def _person(*, author: Author, request) -> dict:
    kind = "Organization" if author.kind == Author.Kind.TEAM else "Person"
    data = {
        "@type": kind,
        "name": author.name,
        "url": _absolute(request, author.get_absolute_url()),
    }
    if author.role and kind == "Person":
        data["jobTitle"] = author.role
    return data


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.isoformat()


def article_structured_data(*, page, request) -> dict:
    """schema.org Article, plus a MedicalWebPage when a medical reviewer is set.

    The next review date is not in it: schema.org has no property for it, and
    `expires` would ask search engines to drop the page on that day, while an
    article past its review stays correct until reviewed."""
    url = page.get_full_url(request)
    published = page.published_date or page.first_published_at
    article = {
        "@type": "Article",
        "headline": page.title,
        "description": page.search_description or page.summary,
        "author": [_person(author=a, request=request) for a in page.authors],
        "datePublished": _iso(published),
        # Only the editor's last meaningful update: a republish is not one.
        "dateModified": _iso(page.updated_date),
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": "Relief"},
        "about": [topic.name for topic in page.topics.all()],
    }
    if page.hero_image:
        rendition = page.hero_image.get_rendition(HERO_RENDITION)
        article["image"] = [_absolute(request, rendition.url)]
    graph = [{k: v for k, v in article.items() if v not in (None, [], "")}]
    if page.medical_reviewer:
        medical_page = {
            "@type": "MedicalWebPage",
            "url": url,
            "name": page.title,
            "reviewedBy": _person(author=page.medical_reviewer, request=request),
            "lastReviewed": _iso(page.last_reviewed),
            "mainEntity": {"@type": "Article", "headline": page.title},
        }
        graph.append({k: v for k, v in medical_page.items() if v is not None})
    return {"@context": "https://schema.org", "@graph": graph}


@register.simple_tag(takes_context=True)
def article_json_ld(context, page):
    data = article_structured_data(page=page, request=context.get("request"))
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload),  # noqa: S308 - escaped above
    )
