"""Serializer fields for the computed parts of an article in the pages API.

Each field renders an already-loaded value: the pages viewset prefetches the
relations and renditions these fields read (see ``blog.api``), so they never
query per author, topic or image.
"""

from __future__ import annotations

from rest_framework.fields import Field

from blog.blocks import api_rendition, disclaimer_api_representation

AVATAR_RENDITION = "fill-96x96"
HERO_RENDITIONS = {"small": "fill-640x360", "large": "fill-1600x900"}


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
