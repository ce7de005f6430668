"""Headless preview in a real browser, as an editor hands a draft to the front
end (its screenshot is docs/screenshots/headless-preview.png)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.browser.test_editor import log_in
from tests.factories import build_site, create_article, paragraph

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = (
    Path(__file__).resolve().parents[2] / "docs/screenshots/headless-preview.png"
)


def test_an_editor_hands_a_saved_draft_to_the_front_end(
    live_server, new_page, page_tree_root
):
    get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    _, blog_index = build_site()
    article = create_article(parent=blog_index, title="Heat or ice?")
    article.title = "Heat, then ice"
    article.body = [paragraph("Heat eases morning stiffness.")]
    article.save_revision()

    page = new_page(width=1280, height=800)
    log_in(page, live_server)
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[article.pk]))
    page.get_by_role("button", name="Actions", exact=True).click()
    page.get_by_role("link", name="Headless preview").click()
    page.wait_for_url("**/headless-preview/")
    api_url = page.get_by_role("link", name="/api/v2/page_preview/").inner_text()
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    front_end = new_page()
    answer = front_end.request.get(api_url)
    assert answer.status == 200
    assert answer.json()["title"] == "Heat, then ice"
    live = front_end.request.get(f"{live_server.url}/api/v2/pages/{article.pk}/")
    assert live.json()["title"] == "Heat or ice?"
