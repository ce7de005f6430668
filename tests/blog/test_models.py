import pytest

from blog.models import ArticlePage, PainTopic
from tests.factories import PainTopicFactory, create_article, paragraph, section

pytestmark = pytest.mark.django_db


def test_section_anchors_are_generated_unique_and_kept_when_heading_changes(blog_index):
    page = create_article(
        parent=blog_index,
        title="PT or OT?",
        body=[
            section("What is the difference?"),
            paragraph("Text."),
            section("What is the difference?"),
        ],
    )
    assert [i["anchor"] for i in page.table_of_contents] == [
        "what-is-the-difference",
        "what-is-the-difference-2",
    ]

    page.body[0].value["heading"] = "So, what really is the difference?"
    page.save_revision().publish()
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.table_of_contents[0] == {
        "anchor": "what-is-the-difference",
        "title": "So, what really is the difference?",
    }


def test_reading_time_counts_body_words(blog_index):
    words = " ".join(["pain"] * 450)
    page = create_article(parent=blog_index, title="Long read", body=[paragraph(words)])
    assert page.reading_time == 3


def test_topic_lineage_runs_nearest_first_and_ends_on_a_stored_loop():
    top = PainTopicFactory(name="Chronic pain")
    back = PainTopicFactory(name="Back pain", parent=top)
    assert back.lineage_slugs == ["back-pain", "chronic-pain"]
    # A loop saved before the admin refused them must not hang a page.
    PainTopic.objects.filter(pk=top.pk).update(parent=back)
    assert PainTopic.objects.get(pk=back.pk).lineage_slugs == [
        "back-pain",
        "chronic-pain",
    ]


def test_reading_time_counts_the_words_of_every_block_but_not_alt_text(blog_index):
    from tests.factories import ImageFactory, bullet_list

    words = " ".join(["pain"] * 130)
    alt_text = " ".join(["gradient"] * 400)
    page = create_article(
        parent=blog_index,
        title="Long read",
        summary="Two words.",
        body=[
            paragraph(words),
            bullet_list([words], lead_in=words),
            ("pull_quote", {"quote": words, "attribution": ""}),
            ("image", {"image": ImageFactory(), "alt_text": alt_text, "caption": ""}),
        ],
    )
    # 2 + 4 x 130 = 522 words: three minutes, alt text or not.
    assert page.reading_time == 3
    assert len(page.body_text.split()) == 520


def test_paragraph_breaks_separate_words_in_the_reading_time(blog_index):
    page = create_article(
        parent=blog_index,
        title="Short paragraphs",
        summary="Brief.",
        body=[("rich_text", "".join(["<p>a</p>"] * 201))],
    )
    assert page.reading_time == 2


def test_wagtail_search_finds_an_article_by_its_topic(blog_index):
    """Wagtail's own search (the admin's, and the reader search's fallback) reads
    the topics an editor tagged, not only the words of the article."""
    sciatica = PainTopicFactory(name="Sciatica")
    tagged = create_article(parent=blog_index, title="Walking again", topics=[sciatica])
    create_article(parent=blog_index, title="Sleeping well")

    found = ArticlePage.objects.live().search("sciatica")

    assert [page.pk for page in found] == [tagged.pk]
