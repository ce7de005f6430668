import inspect

import pytest

from search.documents import ArticleDocument, SectionDoc
from tests.factories import (
    CallToActionFactory,
    PainTopicFactory,
    bullet_list,
    create_article,
    paragraph,
    section,
)

pytestmark = pytest.mark.django_db


def prepared_document(page) -> dict:
    return ArticleDocument.prepare(ArticleDocument.get_queryset().get(pk=page.pk))


def test_every_mapped_field_is_prepared_and_every_prepared_key_is_mapped(
    blog_index,
):
    page = create_article(parent=blog_index, title="Pacing")
    preparers = {
        name.removeprefix("prepare_")
        for name, _ in inspect.getmembers(ArticleDocument)
        if name.startswith("prepare_")
    }
    mapped = set(ArticleDocument.mapped_fields())
    # The fingerprint is a digest of the other prepared fields.
    assert preparers | {"fingerprint"} == mapped
    assert set(prepared_document(page)) == mapped
    section_keys = {key for s in prepared_document(page)["sections"] for key in s}
    assert section_keys == set(SectionDoc._doc_type.mapping)


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
    doc = prepared_document(page)
    assert doc["sections"] == [
        {
            "anchor": "",
            "heading": "",
            "text": "Start slowly.",
            "all_text": "Start slowly.",
            "position": 0,
        },
        {
            "anchor": "which-stretches-help",
            "heading": "Which stretches help?",
            "text": "Try these:\u2029Cat-cow\u2029Pelvic tilt",
            "all_text": "Which stretches help?\nTry these:\nCat-cow\nPelvic tilt",
            "position": 1,
        },
    ]
    assert doc["topic_slugs"] == ["back-pain"]
    assert doc["topic_tree_slugs"] == ["back-pain", "chronic-pain"]
    assert "<" not in doc["body"]


def test_all_text_holds_each_word_a_reader_sees_once(blog_index):
    body = [paragraph("Start slowly."), section("Why pace?"), paragraph("Flares.")]
    written = create_article(
        parent=blog_index, title="Pacing", summary="A standfirst.", body=body
    )
    excerpt = create_article(
        parent=blog_index, title="Pacing again", summary="Start slowly…", body=body
    )

    assert prepared_document(written)["all_text"].split("\n") == [
        "Pacing",
        "A standfirst.",
        "Start slowly.",
        "Why pace?",
        "Flares.",
    ]
    assert prepared_document(excerpt)["all_text"].count("Start slowly") == 1


def test_the_indexed_body_is_the_text_the_page_reads_out(blog_index):
    cta = CallToActionFactory(title="Join a class", text="Gentle sessions weekly.")
    page = create_article(
        parent=blog_index,
        title="Classes",
        body=[
            paragraph("<b>Start</b> slowly."),
            section("Where to go"),
            ("call_to_action", {"call_to_action": cta}),
        ],
    )
    doc = prepared_document(page)
    # The call to action is shared boilerplate, not the article's own words.
    assert doc["body"] == "Start slowly.\nWhere to go"
    assert doc["body"] == page.body_text
