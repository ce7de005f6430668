"""StreamField blocks of an article body.

Every block has a template, an admin preview, a typed API representation, and a
`plain_text(value)`: the one text extractor, read by the search index and by
reading time (never markup, never editor-only content such as alt text or
anchors, and never the shared boilerplate a block chooses from a snippet: a call
to action, newsletter callout or disclaimer is the same on many articles and
says nothing about this one, so it neither makes an article match nor becomes
its search snippet).
"""

from __future__ import annotations

import html
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.field_block import ChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from blog.comparison import (
    COLUMN_LABELS,
    TherapyComparisonValue,
    comparison_row_errors,
    therapy_column_errors,
)
from blog.preload import prefetch_renditions, preloaded_therapy_types_by_pk
from blog.serializers import (
    api_rendition,
    api_rich_text,
    default_disclaimer,
    disclaimer_api_representation,
)

ANCHOR_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
ANCHOR_MAX_LENGTH = 80
BODY_IMAGE_RENDITION = "max-1200x1200|format-webp"


BLOCK_END_RE = re.compile(r"<(?:/p|br\s*/?|/li|/h\d)>", re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]*>")
SPACES_RE = re.compile(r"[ \t]+")


def rich_text_to_plain(value) -> str:
    """Words of editor-made rich text, one line per paragraph or item. A plain
    tag pattern suffices for the well-formed HTML the editor stores, and it runs
    for every block of every article in a rebuild."""
    source = str(getattr(value, "source", value) or "")
    text = TAG_RE.sub("", BLOCK_END_RE.sub("\n", source))
    return SPACES_RE.sub(" ", html.unescape(text)).strip()


def anchor_from_heading(heading: str) -> str:
    slug = slugify(heading)[:ANCHOR_MAX_LENGTH].strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"section-{slug}".strip("-")
    return slug


class PlainTextMixin:
    def plain_text(self, value) -> str:
        return ""


def value_without_lookups(block, raw):
    """A stored value as the block's own value type, with every image and
    snippet it chooses left as None instead of fetched."""
    if isinstance(block, ChooserBlock):
        return None
    if isinstance(block, blocks.StructBlock):
        return block._to_struct_value(
            [
                (
                    name,
                    value_without_lookups(child, raw[name])
                    if name in raw
                    else child.get_default(),
                )
                for name, child in block.child_blocks.items()
            ]
        )
    return block.to_python(raw)


def stored_plain_texts(body) -> list[str]:
    """Each block's plain_text read from the stored body, with chosen images and
    snippets unread, so a listing of many articles loads none of them."""
    child_blocks = body.stream_block.child_blocks
    return [
        child_blocks[item["type"]].plain_text(
            value_without_lookups(child_blocks[item["type"]], item["value"])
        )
        for item in body.raw_data
        if item["type"] in child_blocks
    ]


# Section heading ----------------------------------------------------------------


class SectionHeadingBlock(PlainTextMixin, blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=200, help_text="Phrase it as the reader's question."
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=ANCHOR_MAX_LENGTH,
        help_text=(
            "The #link to this section. Filled in from the heading when left blank and "
            "kept when the heading changes, so links stay valid."
        ),
    )

    class Meta:
        icon = "title"
        template = "blocks/section_heading.html"
        label = "Section heading"
        description = (
            "Starts a section listed in the Jump To Section table of contents."
        )
        preview_value = {
            "heading": "What is the difference?",
            "anchor": "what-is-the-difference",
        }

    def clean(self, value):
        value = super().clean(value)
        anchor = value.get("anchor")
        if anchor and not ANCHOR_RE.match(anchor):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "anchor": ValidationError(
                        "Use letters, digits, hyphens or underscores, starting with a letter."
                    )
                }
            )
        return value

    def plain_text(self, value) -> str:
        return value.get("heading", "")

    def get_api_representation(self, value, context=None):
        return {"heading": value.get("heading", ""), "anchor": value.get("anchor", "")}


# Text ------------------------------------------------------------------------------


class ArticleRichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "ol", "ul", "h3", "h4"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text.html"
        description = "Paragraphs of text."
        preview_value = (
            "<p>Chronic pain is pain that lasts longer than three months.</p>"
        )

    def plain_text(self, value) -> str:
        return rich_text_to_plain(value)

    def get_api_representation(self, value, context=None):
        return {"text": api_rich_text(value, context=context)}


class ListItemsBlock(PlainTextMixin, blocks.StructBlock):
    lead_in = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text="Optional sentence introducing the list.",
    )
    style = blocks.ChoiceBlock(
        choices=[("bulleted", "Bulleted"), ("numbered", "Numbered")], default="bulleted"
    )
    items = blocks.ListBlock(blocks.CharBlock(max_length=500, label="Item"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/list.html"
        label = "List"
        description = "A bulleted or numbered list with an optional lead-in sentence."
        preview_value = {
            "lead_in": "Popular stretches include:",
            "style": "bulleted",
            "items": ["Knee-to-chest stretch", "Cat-cow", "Pelvic tilt"],
        }

    def plain_text(self, value) -> str:
        return "\n".join([value.get("lead_in") or "", *value.get("items", [])]).strip()

    def get_api_representation(self, value, context=None):
        return {
            "lead_in": value.get("lead_in") or "",
            "style": value.get("style") or "bulleted",
            "items": list(value.get("items", [])),
        }


class CaptionedImageBlock(PlainTextMixin, blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Describe the image for readers who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = "Image"
        description = "An image with required alt text and an optional caption."

    def plain_text(self, value) -> str:
        return value.get("caption") or ""

    def bulk_to_python(self, values):
        # StreamField converts all image blocks of a body in one call; fetching
        # their renditions here too keeps the API's query count flat.
        struct_values = super().bulk_to_python(values)
        prefetch_renditions(
            images=[value.get("image") for value in struct_values],
            specs=[BODY_IMAGE_RENDITION],
        )
        return struct_values

    def get_api_representation(self, value, context=None):
        image = value.get("image")
        rendition = (
            api_rendition(image, spec=BODY_IMAGE_RENDITION, context=context)
            if image
            else {"url": None, "width": None, "height": None}
        )
        return {
            "image_id": image.pk if image else None,
            **rendition,
            "alt": value.get("alt_text", ""),
            "caption": value.get("caption") or "",
        }


class PullQuoteBlock(PlainTextMixin, blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/pull_quote.html"
        description = "A short quotation set apart from the text."
        preview_value = {
            "quote": "Movement is the medicine I did not know I needed.",
            "attribution": "A reader",
        }

    def plain_text(self, value) -> str:
        return "\n".join(filter(None, [value.get("quote"), value.get("attribution")]))

    def get_api_representation(self, value, context=None):
        return {
            "quote": value.get("quote", ""),
            "attribution": value.get("attribution") or "",
        }


class KeyTakeawaysBlock(PlainTextMixin, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="The bottom line")
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])
    takeaways = blocks.ListBlock(
        blocks.CharBlock(max_length=300, label="Takeaway"), required=False, min_num=0
    )

    class Meta:
        icon = "tick-inverse"
        template = "blocks/bottom_line.html"
        label = "Bottom line"
        description = "A closing summary with optional key takeaways."
        preview_value = {
            "heading": "The bottom line",
            "text": "<p>Both therapies help you move and live with less pain.</p>",
            "takeaways": ["Ask your doctor which fits your goals."],
        }

    def plain_text(self, value) -> str:
        return "\n".join(
            [
                value.get("heading", ""),
                rich_text_to_plain(value.get("text")),
                *value.get("takeaways", []),
            ]
        ).strip()

    def get_api_representation(self, value, context=None):
        return {
            "heading": value.get("heading", ""),
            "text": api_rich_text(value.get("text"), context=context),
            "takeaways": list(value.get("takeaways", [])),
        }


# Reusable snippets --------------------------------------------------------------


class NewsletterCalloutBlock(PlainTextMixin, blocks.StructBlock):
    signup = SnippetChooserBlock("relief_blog.NewsletterSignup")

    class Meta:
        icon = "mail"
        template = "blocks/newsletter_callout.html"
        label = "Newsletter callout"
        description = "A reusable newsletter sign-up box."

    def get_api_representation(self, value, context=None):
        signup = value.get("signup")
        if signup is None:
            return None
        return {
            "id": signup.pk,
            "title": signup.title,
            "text": signup.text,
            "button_label": signup.button_label,
            "action_url": signup.action_url,
        }


class CallToActionBlock(PlainTextMixin, blocks.StructBlock):
    call_to_action = SnippetChooserBlock("relief_blog.CallToAction")

    class Meta:
        icon = "link"
        template = "blocks/call_to_action.html"
        label = "Call to action"
        description = "A reusable call to action with a link."

    def get_api_representation(self, value, context=None):
        cta = value.get("call_to_action")
        if cta is None:
            return None
        return {
            "id": cta.pk,
            "title": cta.title,
            "text": cta.text,
            "link_label": cta.link_label,
            "link_url": cta.link_url,
        }


class MedicalDisclaimerBlock(PlainTextMixin, blocks.StructBlock):
    disclaimer = SnippetChooserBlock(
        "relief_blog.MedicalDisclaimer",
        required=False,
        help_text="Leave empty to use the site-wide default disclaimer.",
    )

    class Meta:
        icon = "warning"
        template = "blocks/medical_disclaimer.html"
        label = "Medical disclaimer"
        description = (
            "The medical disclaimer; every article shows one even without this block."
        )

    def get_api_representation(self, value, context=None):
        disclaimer = value.get("disclaimer")
        if disclaimer is None:
            disclaimer = default_disclaimer(context=context)
        return disclaimer_api_representation(disclaimer, context=context)


# Therapy comparison ------------------------------------------------------------


class TherapyTypeChooserBlock(blocks.ChooserBlock):
    """A therapy from the Therapy types taxonomy, picked from a list."""

    def bulk_to_python(self, values):
        preloaded = preloaded_therapy_types_by_pk()
        if preloaded is None:
            return super().bulk_to_python(values)
        return [preloaded.get(self.primary_key(value)) for value in values]

    @staticmethod
    def primary_key(value) -> int | None:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    @cached_property
    def target_model(self):
        from blog.models import TherapyType

        return TherapyType

    @cached_property
    def widget(self):
        return forms.Select()

    def value_from_form(self, value):
        # The empty choice posts "", which is no primary key.
        return super().value_from_form(value or None)

    def get_form_state(self, value):
        # A plain select takes the primary key, not a chooser's display data.
        return blocks.FieldBlock.get_form_state(self, value)


class TherapyColumnBlock(blocks.StructBlock):
    therapy = TherapyTypeChooserBlock(
        required=False, help_text="Pick the therapy from Therapy types."
    )
    other_name = blocks.CharBlock(
        required=False,
        max_length=80,
        label="Or, if Therapy types lacks it, its name",
        help_text="Only for a therapy that is not in Therapy types.",
    )

    class Meta:
        form_classname = "comparison-therapy"


class ComparisonRowBlock(blocks.StructBlock):
    dimension = blocks.CharBlock(
        max_length=120, help_text="For example: Focus, Goals, Settings."
    )
    # One cell per therapy column by construction: a row cannot have too few
    # or too many, nor cells in another order than the therapies.
    cells = blocks.StructBlock(
        [
            (key, blocks.TextBlock(required=False, max_length=600, label=label))
            for key, label in COLUMN_LABELS.items()
        ],
        help_text="Leave the cells of unused therapy columns empty.",
    )


class TherapyComparisonBlock(blocks.StructBlock):
    caption = blocks.CharBlock(
        max_length=200, help_text="What the table compares, for screen readers too."
    )
    therapies = blocks.StructBlock(
        [
            (key, TherapyColumnBlock(label=label))
            for key, label in COLUMN_LABELS.items()
        ],
        help_text="One column each; the first two are required.",
    )
    rows = blocks.ListBlock(
        ComparisonRowBlock(), min_num=1, label="Compared dimensions"
    )
    summary = blocks.RichTextBlock(
        required=False,
        features=["bold", "italic", "link"],
        label="Summary under the table",
        help_text=(
            "Optional: what the comparison means for the reader, shown below the "
            "table. The article's own summary is set above the body."
        ),
    )

    class Meta:
        icon = "table"
        template = "blocks/therapy_comparison.html"
        label = "Therapy comparison"
        description = "Two to four therapies compared across named dimensions."
        value_class = TherapyComparisonValue
        preview_value = {
            "caption": "Physical and occupational therapy compared",
            "therapies": {
                "first": {"therapy": None, "other_name": "Physical therapy"},
                "second": {"therapy": None, "other_name": "Occupational therapy"},
            },
            "rows": [
                {
                    "dimension": "Focus",
                    "cells": {
                        "first": "Movement and strength",
                        "second": "Daily activities",
                    },
                },
                {
                    "dimension": "Settings",
                    "cells": {
                        "first": "Clinics, hospitals",
                        "second": "Homes, workplaces",
                    },
                },
            ],
            "summary": "",
        }

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        column_errors = therapy_column_errors(therapies=value["therapies"])
        if column_errors:
            errors["therapies"] = blocks.StructBlockValidationError(
                block_errors=column_errors
            )
        else:
            row_errors = comparison_row_errors(value=value)
            if row_errors:
                errors["rows"] = blocks.ListBlockValidationError(
                    block_errors=row_errors
                )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    def plain_text(self, value) -> str:
        lines = [value.get("caption", ""), ", ".join(value.therapy_names)]
        for row in value.table_rows:
            lines.append(row["dimension"])
            lines.extend(cell for _, cell in row["cells"])
        lines.append(rich_text_to_plain(value.get("summary")))
        return "\n".join(filter(None, lines))

    def get_api_representation(self, value, context=None):
        return {
            "caption": value.get("caption", ""),
            "therapies": [{"key": key, "name": name} for _, key, name in value.columns],
            "rows": [
                {
                    "dimension": row["dimension"],
                    "cells": {
                        key: row["cells"].get(slot) or ""
                        for slot, key, _ in value.columns
                    },
                }
                for row in value.get("rows", [])
            ],
            "summary": api_rich_text(value.get("summary"), context=context),
        }


# The body -------------------------------------------------------------------------


class ArticleBodyStreamBlock(blocks.StreamBlock):
    section_heading = SectionHeadingBlock()
    rich_text = ArticleRichTextBlock()
    list = ListItemsBlock()
    image = CaptionedImageBlock()
    pull_quote = PullQuoteBlock()
    newsletter_callout = NewsletterCalloutBlock()
    bottom_line = KeyTakeawaysBlock()
    call_to_action = CallToActionBlock()
    medical_disclaimer = MedicalDisclaimerBlock()
    therapy_comparison = TherapyComparisonBlock()

    class Meta:
        block_counts = {"medical_disclaimer": {"max_num": 1}}

    def clean(self, value):
        value = super().clean(value)
        assign_section_anchors(body=value)
        errors = {}
        seen: dict[str, int] = {}
        for index, child in enumerate(value):
            if child.block_type != "section_heading":
                continue
            anchor = child.value["anchor"]
            if anchor in seen:
                errors[index] = blocks.StructBlockValidationError(
                    block_errors={
                        "anchor": ValidationError(
                            f'"{anchor}" is already the anchor of another section; '
                            "anchors must be unique within the article."
                        )
                    }
                )
            seen.setdefault(anchor, index)
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value


def assign_section_anchors(*, body) -> None:
    """Give every section heading without an anchor one made from its heading,
    unique within the article. Anchors that exist are never changed, so editing a
    published heading keeps its links valid."""
    headings = [child for child in body if child.block_type == "section_heading"]
    taken = {child.value["anchor"] for child in headings if child.value.get("anchor")}
    for child in headings:
        if child.value.get("anchor"):
            continue
        base = anchor_from_heading(child.value["heading"])
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        child.value["anchor"] = anchor
        taken.add(anchor)
