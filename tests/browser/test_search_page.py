"""The search page on a phone-sized screen and on a desktop: the filters fold
away at 360 px so results start on the first screen."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.search_server,
    pytest.mark.django_db(transaction=True),
]


def open_search(live_server, new_page, *, width: int):
    page = new_page(width=width, height=640)
    page.goto(live_server.url + "/search/?q=therapy")
    return page


def test_filters_fold_and_results_start_on_the_first_phone_screen(
    live_server,
    new_page,
    articles,
):
    page = open_search(live_server, new_page, width=360)
    panel = page.locator("details.search-facets")
    assert panel.get_attribute("open") is None
    assert not page.locator(".search-facets fieldset").first.is_visible()
    first_result = page.locator(".search-result").first.bounding_box()
    assert first_result["y"] < 640
    assert page.locator('input[name="q"]:visible').count() == 1

    page.locator(".search-facets summary").click()
    assert page.locator(".search-facets fieldset").first.is_visible()


def test_filters_stay_open_on_a_wide_screen(
    live_server,
    new_page,
    articles,
):
    page = open_search(live_server, new_page, width=1280)
    assert page.locator("details.search-facets").get_attribute("open") is not None
    assert page.locator(".search-facets fieldset").first.is_visible()
