"""Only an article's own words make it match and make its snippet: the shared
boxes it shows (a call to action, a newsletter callout, the default medical
disclaimer) are the same on many articles and say nothing about this one."""

import re

import pytest

from tests.factories import (
    CallToActionFactory,
    MedicalDisclaimerFactory,
    NewsletterSignupFactory,
    create_article,
    paragraph,
    section,
)

pytestmark = [pytest.mark.django_db, pytest.mark.search_server]

# A word no article and no dictionary holds, so only boilerplate can match it.
MADE_UP = "zorblaxite"


def search(client, query: str) -> list[dict]:
    response = client.get("/api/v2/search/", {"q": query})
    assert response.status_code == 200
    return response.json()["results"]


def boilerplate_block(kind: str) -> tuple[str, dict] | None:
    """A body block showing a snippet with the made-up word, or None for the
    default disclaimer, which every article shows without a block."""
    words = f"Ask about {MADE_UP} at the front desk."
    if kind == "call to action":
        cta = CallToActionFactory(title=f"Try {MADE_UP}", text=words)
        return ("call_to_action", {"call_to_action": cta})
    if kind == "newsletter callout":
        signup = NewsletterSignupFactory(title=f"{MADE_UP} weekly", text=words)
        return ("newsletter_callout", {"signup": signup})
    MedicalDisclaimerFactory(text=f"<p>{words}</p>", is_default=True)
    return None


@pytest.mark.parametrize(
    "kind", ["call to action", "newsletter callout", "default disclaimer"]
)
def test_a_word_only_in_shared_boilerplate_finds_no_article(
    client, blog_index, index_articles, kind
):
    block = boilerplate_block(kind)
    pages = [
        create_article(
            parent=blog_index,
            title=title,
            body=[
                paragraph("Gentle movement helps many people."),
                *filter(None, [block]),
            ],
        )
        for title in ("Moving with arthritis", "Easing a stiff neck")
    ]
    index_articles(*pages)
    assert search(client, MADE_UP) == []


@pytest.fixture
def article_with_a_call_to_action(blog_index, index_articles):
    """An article about sleep that shows an advert for a back-pain programme."""
    cta = CallToActionFactory(
        title="Start the back pain programme",
        text="Twelve weeks of guided back pain sessions in your living room.",
    )
    page = create_article(
        parent=blog_index,
        title="Sleep and pain",
        summary="Why nights are hard when you hurt.",
        body=[
            section("Habits for better nights", anchor="habits"),
            paragraph("Get up at the same time every day, even after a poor night."),
            paragraph("Back pain often eases when sleep improves."),
            ("call_to_action", {"call_to_action": cta}),
        ],
    )
    index_articles(page)
    return page


def test_call_to_action_wording_is_never_an_articles_snippet(
    client, article_with_a_call_to_action
):
    [hit] = search(client, "back pain programme")
    snippet = re.sub(r"</?em>", "", hit["snippet_html"])
    assert "programme" not in snippet
    assert "Back pain often eases when sleep improves." in snippet


def test_an_ordinary_query_never_matches_through_a_call_to_action(
    client, article_with_a_call_to_action
):
    assert search(client, "guided sessions in the living room") == []
