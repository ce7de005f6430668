"""Search snippets read as a sentence, or a fragment marked with an ellipsis:
list items, paragraphs and headings never run together."""

import re

import pytest

from tests.factories import bullet_list, create_article, paragraph, section

pytestmark = [pytest.mark.django_db, pytest.mark.search_server]

LEAD = "Lie on your back with knees bent and feet flat on the floor. " * 3
LONG = (
    "Warm up with a short walk first. " * 4
    + "Breathe out slowly as you reach for your toes and hold the stretch. "
    + "Keep every movement small and easy. " * 4
)


@pytest.fixture
def stretches(blog_index, index_articles):
    page = create_article(
        parent=blog_index,
        title="Morning routine",
        body=[
            section("Five stretches", anchor="five"),
            paragraph(LEAD),
            bullet_list(
                [
                    "Knee hugs: draw one knee gently towards the chest",
                    "Pelvic tilts: flatten your lower back against the floor",
                    "Cat and camel on hands and knees",
                ]
            ),
            paragraph("Stop if a stretch makes a leg tingle, and rest as pain settles"),
            bullet_list(["Advice on sitting", "Advice on standing"]),
            section("Breathing", anchor="breathing"),
            paragraph(LONG),
        ],
    )
    index_articles(page)
    return page


def snippet_text(client, query: str) -> str:
    hit = client.get("/api/v2/search/", {"q": query}).json()["results"][0]
    return re.sub(r"</?em>", "", hit["snippet_html"])


@pytest.mark.usefixtures("stretches")
@pytest.mark.parametrize(
    ("query", "snippet"),
    [
        ("pelvic tilts", "Pelvic tilts: flatten your lower back against the floor"),
        ("tingle", "Stop if a stretch makes a leg tingle, and rest as pain settles"),
        ("standing", "Advice on standing"),
    ],
)
def test_a_snippet_is_the_list_item_or_paragraph_that_matched(client, query, snippet):
    assert snippet_text(client, query) == snippet


@pytest.mark.usefixtures("stretches")
def test_a_snippet_cut_from_a_long_paragraph_says_so_with_ellipses(client):
    text = snippet_text(client, "toes")
    assert text.startswith("… ")
    assert text.endswith(" …")
    assert "reach for your toes" in text
