"""Search terms in a real browser: a reader opening a result without
JavaScript is counted through the link's ping, and the report an editor reads
(its screenshot is docs/screenshots/search-terms-report.png)."""

import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from home.demo.search_terms import fill_demo_search_terms
from search.terms.models import SearchTermDay
from tests.browser.test_editor import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = (
    Path(__file__).resolve().parents[2] / "docs/screenshots/search-terms-report.png"
)


def wait_for_click(query: str) -> int:
    row = SearchTermDay.objects.filter(query=query, date=timezone.localdate())
    for _ in range(50):
        if row.filter(clicks__gt=0).exists():
            break
        time.sleep(0.1)
    return row.get().clicks


@pytest.mark.search_server
def test_opening_a_result_without_javascript_counts_its_position(
    live_server, new_page, articles
):
    page = new_page(javascript=False)
    page.goto(live_server.url + "/search/?q=ice+heat")
    link = page.locator(".search-result h2 a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    assert wait_for_click("ice heat") == 1


def test_an_editor_reads_the_top_searches_report(live_server, new_page, page_tree_root):
    get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    fill_demo_search_terms()
    page = new_page(width=1280, height=900)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/reports/search-terms/top/")
    assert page.locator("svg[role=img] rect").count() == 7
    assert page.get_by_role("link", name="back pain").first.is_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=False)
