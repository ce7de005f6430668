"""The editors' tools in a real browser, each saved as a screenshot for the
docs: the reading-grade panel of the article editor."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.browser.test_editor import log_in
from tests.factories import build_site, create_article, paragraph, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_reading_grade_panel_shows_each_section_beside_the_target(
    live_server, new_page, page_tree_root
):
    _, blog_index = build_site()
    article = create_article(
        parent=blog_index,
        title="Moving with chronic back pain",
        summary="Gentle ways to keep moving.",
        body=[
            section("Start small", "start-small"),
            paragraph(
                "Walk a bit each day. Stop when it hurts more. Rest, then try "
                "again. Small steps add up. You can do this at home."
            ),
            section("What the research says", "research"),
            paragraph(
                "Multidisciplinary biopsychosocial rehabilitation programmes "
                "incorporating graded exposure methodologies demonstrate "
                "considerable effectiveness regarding functional improvement."
            ),
        ],
    )
    get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    page = new_page(width=1280, height=900)
    log_in(page, live_server)
    # The editor loads many scripts; a busy machine needs more than 5 s.
    page.goto(
        live_server.url + reverse("wagtailadmin_pages:edit", args=[article.pk]),
        timeout=60_000,
    )

    panel = page.locator("[data-reading-grade]")
    panel.scroll_into_view_if_needed()
    assert panel.is_visible()
    # Wagtail's status tags are shown in capitals; compare what a reader sees.
    hard = panel.locator('[data-section-grade="research"]').inner_text().lower()
    easy = panel.locator('[data-section-grade="start-small"]').inner_text().lower()
    assert "harder than target" in hard
    assert "easier than target" in easy
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-reading-grade]").locator("xpath=../..").screenshot(
        path=str(SCREENSHOTS / "reading-grade-panel.png")
    )
