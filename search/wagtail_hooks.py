"""What the search app adds to blog pages through the seams blog offers."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from wagtail import hooks

from blog.templatetags.relief_tags import AFTER_ARTICLE_HOOK
from search.related import related_articles


@hooks.register(AFTER_ARTICLE_HOOK)
def render_related_articles(*, page, request) -> SafeString:
    return render_to_string(
        "search/related_articles.html",
        {"related_articles": related_articles(page=page)},
        request=request,
    )
