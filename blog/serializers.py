"""An article's parts as the pages API gives them.

Serializer fields for the computed parts of an article, and the representations
they share with the body blocks' ``get_api_representation`` (rich text,
renditions, the disclaimer), so a page field and a block say the same thing in
the same shape.

Each field renders an already-loaded value: the pages viewset prefetches the
relations and renditions these fields read (see ``blog.api``), so they never
query per author, topic or image.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.fields import Field
from wagtail.api.rich_text import APIRichText
from wagtail.api.utils import get_full_url

AVATAR_RENDITION = "fill-96x96"
HERO_RENDITIONS = {"small": "fill-640x360", "large": "fill-1600x900"}


def api_rich_text(value, *, context: dict | None) -> str:
    """Rich text for API consumers: display HTML with internal links resolved,
    unless the request asks for another ``rich_text_format`` (or the project
    sets ``WAGTAILAPI_RICH_TEXT_FORMAT``). Database HTML is the wrong default
    here: its ``<a linktype="page" id="3">`` references mean nothing outside
    Wagtail."""
    source = str(getattr(value, "source", value) or "")
    request = (context or {}).get("request")
    requested = request.GET.get("rich_text_format") if request is not None else None
    rich_text_format = APIRichText.resolve_format(
        requested
        or getattr(settings, "WAGTAILAPI_RICH_TEXT_FORMAT", APIRichText.FORMAT_HTML)
    )
    return APIRichText.serialize(source, format=rich_text_format)


def api_rendition(image, *, spec: str, context: dict | None) -> dict:
    """Absolute URL and size of one rendition of an image."""
    rendition = image.get_rendition(spec)
    request = (context or {}).get("request")
    return {
        "url": get_full_url(request, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }


def disclaimer_api_representation(disclaimer, *, context: dict | None) -> dict | None:
    if disclaimer is None:
        return None
    return {
        "id": disclaimer.pk,
        "title": disclaimer.title,
        "text": api_rich_text(disclaimer.text, context=context),
    }


def default_disclaimer(*, context: dict | None):
    """The site-wide default disclaimer, looked up once per request: the
    serializer context lives for one request, so it carries the answer."""
    from blog.models import MedicalDisclaimer

    cache = context if context is not None else {}
    if "relief_default_disclaimer" not in cache:
        cache["relief_default_disclaimer"] = MedicalDisclaimer.objects.default()
    return cache["relief_default_disclaimer"]


def author_api_representation(author, *, context: dict | None) -> dict:
    avatar = author.avatar
    return {
        "name": author.name,
        "slug": author.slug,
        "kind": author.kind,
        "role": author.role,
        "avatar": (
            api_rendition(avatar, spec=AVATAR_RENDITION, context=context)["url"]
            if avatar
            else None
        ),
    }


class ReadOnlyField(Field):
    """A computed field of the pages API: rendered, never written."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class AuthorField(ReadOnlyField):
    """One author, e.g. the medical reviewer."""

    def to_representation(self, value):
        return author_api_representation(value, context=self.context)


class AuthorListField(AuthorField):
    """Authors in the order the editor put them."""

    def to_representation(self, value):
        return [
            author_api_representation(author, context=self.context) for author in value
        ]


class TopicListField(ReadOnlyField):
    def to_representation(self, value):
        return [
            {
                "slug": topic.slug,
                "name": topic.name,
                "parent": topic.parent.slug if topic.parent_id else None,
            }
            for topic in value.all()
        ]


class TherapyTypeListField(ReadOnlyField):
    def to_representation(self, value):
        return [{"slug": therapy.slug, "name": therapy.name} for therapy in value.all()]


class TableOfContentsField(ReadOnlyField):
    def to_representation(self, value):
        return [{"anchor": item["anchor"], "title": item["title"]} for item in value]


class HeroImageField(ReadOnlyField):
    """The hero image with its alt text (which lives on the page) and the
    renditions a front end picks from; null when the article has none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        image = value.hero_image
        if image is None:
            return None
        return {
            "id": image.pk,
            "alt": value.hero_alt_text,
            **{
                name: api_rendition(image, spec=spec, context=self.context)
                for name, spec in HERO_RENDITIONS.items()
            },
        }


class DisclaimerField(ReadOnlyField):
    """The disclaimer the article shows: its own block's, else the site default."""

    def to_representation(self, value):
        return disclaimer_api_representation(value, context=self.context)
