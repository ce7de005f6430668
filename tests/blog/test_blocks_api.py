"""The typed API representation of each body block (blog/blocks.py)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from blog.blocks import (
    BODY_IMAGE_RENDITION,
    ArticleBodyStreamBlock,
    ArticleRichTextBlock,
    MedicalDisclaimerBlock,
    TherapyComparisonBlock,
)
from blog.comparison import comparison_data
from tests.factories import (
    CallToActionFactory,
    ImageFactory,
    MedicalDisclaimerFactory,
    NewsletterSignupFactory,
    TherapyTypeFactory,
    create_article,
)

pytestmark = pytest.mark.django_db


def api_context(query: str = "") -> dict:
    return {"request": RequestFactory().get(f"/api/v2/pages/{query}")}


def test_comparison_cells_are_keyed_by_therapy_and_empty_cells_are_strings():
    TherapyTypeFactory(name="Physical therapy", slug="physio")
    block = TherapyComparisonBlock()
    value = block.to_python(
        comparison_data(
            caption="PT and OT",
            therapies=["Physical therapy", "Occupational therapy"],
            rows=[("Focus", ["Movement", "Daily tasks"]), ("Cost", ["Varies"])],
        )
    )

    data = block.get_api_representation(value, api_context())

    # A taxonomy therapy is keyed by its slug, a free-text one by its name's.
    assert data["therapies"] == [
        {"key": "physio", "name": "Physical therapy"},
        {"key": "occupational-therapy", "name": "Occupational therapy"},
    ]
    assert data["rows"] == [
        {
            "dimension": "Focus",
            "cells": {"physio": "Movement", "occupational-therapy": "Daily tasks"},
        },
        {
            "dimension": "Cost",
            "cells": {"physio": "Varies", "occupational-therapy": ""},
        },
    ]


def test_rich_text_links_resolve_to_public_urls_by_default(blog_index):
    target = create_article(parent=blog_index, title="Pacing explained")
    block = ArticleRichTextBlock()
    value = block.to_python(
        f'<p>See <a linktype="page" id="{target.pk}">pacing</a>.</p>'
    )

    text = block.get_api_representation(value, api_context())["text"]

    assert 'href="/articles/pacing-explained/"' in text
    assert "linktype" not in text


def test_rich_text_honours_the_requested_rich_text_format(blog_index):
    target = create_article(parent=blog_index, title="Pacing explained")
    block = ArticleRichTextBlock()
    value = block.to_python(
        f'<p>See <a linktype="page" id="{target.pk}">pacing</a>.</p>'
    )

    text = block.get_api_representation(value, api_context("?rich_text_format=db_html"))

    assert f'linktype="page" id="{target.pk}"' in text["text"]


def test_disclaimer_block_without_a_choice_falls_back_to_the_site_default():
    default = MedicalDisclaimerFactory(title="Read this first")
    block = MedicalDisclaimerBlock()

    data = block.get_api_representation(block.to_python({}), api_context())

    assert data == {
        "id": default.pk,
        "title": "Read this first",
        "text": "<p>This article is for education and is not medical advice.</p>",
    }


def test_snippet_blocks_are_expanded_not_left_as_ids():
    signup = NewsletterSignupFactory()
    cta = CallToActionFactory()
    stream = ArticleBodyStreamBlock().to_python(
        [
            {"type": "newsletter_callout", "value": {"signup": signup.pk}},
            {"type": "call_to_action", "value": {"call_to_action": cta.pk}},
        ]
    )

    newsletter, call_to_action = ArticleBodyStreamBlock().get_api_representation(
        stream, api_context()
    )

    assert newsletter["value"]["action_url"] == "https://example.org/newsletter"
    assert call_to_action["value"] == {
        "id": cta.pk,
        "title": "Try the home programme",
        "text": "Guided sessions you can do from your living room.",
        "link_label": "Start free",
        "link_url": "https://example.org/programme",
    }


def test_image_blocks_load_images_and_renditions_in_two_queries_however_many(
    django_assert_num_queries,
):
    images = ImageFactory.create_batch(4)
    for image in images:
        image.get_rendition(BODY_IMAGE_RENDITION)
    # Without the rendition cache, a per-image lookup would show as a query.
    cache.clear()
    raw = [
        {"type": "image", "value": {"image": image.pk, "alt_text": f"Photo {n}"}}
        for n, image in enumerate(images)
    ]
    block = ArticleBodyStreamBlock()

    # One query for the images, one for their renditions.
    with django_assert_num_queries(2):
        data = block.get_api_representation(block.to_python(raw), api_context())

    assert [item["value"]["alt"] for item in data] == [f"Photo {n}" for n in range(4)]
    assert all(item["value"]["url"].startswith("http://testserver/") for item in data)
    assert data[0]["value"]["image_id"] == images[0].pk
