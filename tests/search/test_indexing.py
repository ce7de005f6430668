import pytest

from search.client import get_client
from search.documents import alias_name
from search.indexing import (
    bulk_index_documents,
    ensure_index,
    indexable_articles,
    prepare_document,
)
from tests.factories import (
    PainTopicFactory,
    bullet_list,
    create_article,
    paragraph,
    section,
)

pytestmark = pytest.mark.django_db


def test_document_holds_sections_with_anchors_and_topic_ancestry(blog_index):
    chronic = PainTopicFactory(name="Chronic pain")
    back = PainTopicFactory(name="Back pain", parent=chronic)
    page = create_article(
        parent=blog_index,
        title="Stretches for back pain",
        body=[
            paragraph("Start slowly."),
            section("Which stretches help?"),
            bullet_list(["Cat-cow", "Pelvic tilt"], lead_in="Try these:"),
        ],
        topics=[back],
    )
    doc = prepare_document(indexable_articles().get(pk=page.pk))
    assert doc["sections"] == [
        {"anchor": "", "heading": "", "text": "Start slowly.", "position": 0},
        {
            "anchor": "which-stretches-help",
            "heading": "Which stretches help?",
            "text": "Try these:\nCat-cow\nPelvic tilt",
            "position": 1,
        },
    ]
    assert doc["topic_slugs"] == ["back-pain"]
    assert doc["topic_tree_slugs"] == ["back-pain", "chronic-pain"]
    assert "<" not in doc["body"]


def test_indexed_article_is_found_through_the_alias(blog_index, search_settings):
    page = create_article(parent=blog_index, title="Walking with arthritis")
    index = ensure_index()
    bulk_index_documents(
        documents=[prepare_document(indexable_articles().get(pk=page.pk))],
        index=index,
        refresh=True,
    )
    response = get_client().search(
        index=alias_name(), query={"match": {"title": "walk arthritis"}}
    )
    assert [hit["_id"] for hit in response["hits"]["hits"]] == [str(page.pk)]
