"""Migration 0003: comparisons stored as a free-text therapy list with per-row
cell lists become taxonomy-linked therapy columns, live and in drafts."""

import importlib
import json

import pytest
from django.apps import apps
from django.db import connection

from blog.models import ArticlePage
from tests.factories import TherapyTypeFactory, create_article

pytestmark = pytest.mark.django_db

OLD_COMPARISON = {
    "type": "therapy_comparison",
    "id": "c0ffee00-0000-4000-8000-000000000001",
    "value": {
        "caption": "Massage and acupuncture compared",
        "therapies": ["Massage therapy", "Acupuncture"],
        "rows": [{"dimension": "Focus", "cells": ["Soft tissue", "Needles"]}],
        "summary": "<p>Both can ease pain for a while.</p>",
    },
}


def store_old_body(page: ArticlePage) -> None:
    """Write the pre-0003 shape straight to the page row and its revision, as
    content saved before the change holds it."""
    raw = json.dumps([OLD_COMPARISON])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE relief_blog_articlepage SET body = %s WHERE page_ptr_id = %s",
            [raw, page.pk],
        )
    revision = page.latest_revision
    revision.content["body"] = raw
    revision.save(update_fields=["content"])


def run_migration() -> None:
    module = importlib.import_module("blog.migrations.0003_therapy_comparison_columns")
    operation = module.Migration.operations[-1]
    operation.migrate_stream_data_forward(apps, None)


def test_existing_comparisons_keep_their_table_and_link_known_therapies(
    client, blog_index
):
    massage = TherapyTypeFactory(name="Massage therapy")
    page = create_article(parent=blog_index, title="Massage or needles?")
    store_old_body(page)

    run_migration()

    api = client.get(f"/api/v2/pages/{page.pk}/").json()["body"][0]["value"]
    assert api["therapies"] == [
        {"key": "massage-therapy", "name": "Massage therapy"},
        {"key": "acupuncture", "name": "Acupuncture"},
    ]
    assert api["rows"] == [
        {
            "dimension": "Focus",
            "cells": {"massage-therapy": "Soft tissue", "acupuncture": "Needles"},
        }
    ]
    html = client.get(page.url).content.decode()
    assert '<th scope="col" role="columnheader">Acupuncture</th>' in html
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    columns = draft.body[0].value["therapies"]
    assert columns["first"]["therapy"] == massage
    assert columns["second"]["other_name"] == "Acupuncture"
