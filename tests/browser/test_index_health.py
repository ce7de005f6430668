"""The search index health page in a real browser, as a search manager finds
a stale document and repairs it (its screenshot is
docs/screenshots/index-health.png)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from blog.models import ArticlePage
from tests.browser.test_editor import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.search_server,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs/screenshots/index-health.png"


def test_a_search_manager_repairs_a_stale_document(live_server, new_page, articles):
    get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    stale = articles["other"]
    ArticlePage.objects.filter(pk=stale.pk).update(title="Ice or heat, renamed")
    page = new_page(width=1280, height=1400)
    log_in(page, live_server)
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Search index health").click()
    stale_figure = page.locator("[data-health=stale]")
    assert stale_figure.inner_text().startswith("1")
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="Repair").click()
    assert "successful" in page.locator("[data-health=repair]").inner_text().lower()
    assert stale_figure.inner_text() == "0"
