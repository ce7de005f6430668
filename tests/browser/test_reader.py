"""What a reader does in a real browser: suggestions, plain search, section
links and the comparison table on a phone-sized screen."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.search_server,
    pytest.mark.django_db(transaction=True),
]


def test_autocomplete_suggests_and_enter_opens_the_suggestion(
    live_server, new_page, articles
):
    # A short window, so the suggestions outgrow their list and it scrolls.
    page = new_page(height=200)
    page.goto(live_server.url + "/")
    header = page.locator(".site-header")
    height_before = header.bounding_box()["height"]
    box = page.locator("#site-search-q")
    box.press_sequentially("phy")
    option = page.get_by_role("option").first
    option.wait_for()
    assert "Physical therapy or occupational therapy?" in option.inner_text()
    # The list floats over the page: the header keeps its height.
    assert header.bounding_box()["height"] == height_before

    # Up from the top wraps to the last suggestion, scrolled into sight.
    box.press("ArrowUp")
    last = page.get_by_role("option").last
    assert last.get_attribute("aria-selected") == "true"
    listbox = page.get_by_role("listbox").bounding_box()
    last_box = last.bounding_box()
    assert last_box["y"] + last_box["height"] <= listbox["y"] + listbox["height"] + 1

    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url(f"**{articles['main'].url}")


def test_escape_closes_the_suggestions_and_keeps_what_was_typed(
    live_server, new_page, articles
):
    page = new_page()
    page.goto(live_server.url + "/")
    box = page.locator("#site-search-q")
    box.press_sequentially("physio")
    page.get_by_role("option").first.wait_for()
    box.press("Escape")
    assert page.get_by_role("listbox").is_hidden()
    assert box.input_value() == "physio"
    assert box.get_attribute("aria-expanded") == "false"


def test_search_form_works_without_javascript(live_server, new_page, articles):
    page = new_page(javascript=False)
    page.goto(live_server.url + "/")
    page.locator("#site-search-q").fill("swelling")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/search/?q=swelling")
    result = page.locator(".search-result h2 a")
    assert result.inner_text() == "Ice or heat for a sore back?"
    # The search page's own controls are large enough to tap.
    assert page.locator("#search-q-main").bounding_box()["height"] >= 40


def test_jump_to_section_link_brings_the_section_to_the_top(
    live_server, new_page, articles
):
    page = new_page()
    page.goto(live_server.url + articles["main"].url)
    page.locator(".toc a", has_text="Which one first?").click()
    page.wait_for_url("**#which")
    heading = page.locator("#which")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('which')"
        ".getBoundingClientRect().top) < 80"
    )
    assert heading.is_visible()


def test_comparison_table_fits_a_360_px_screen(live_server, new_page, articles):
    page = new_page(width=360)
    page.goto(live_server.url + articles["main"].url)
    table = page.locator(".comparison__table")
    table.scroll_into_view_if_needed()
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 360
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.get_by_role("cell", name="Adaptive tools").is_visible()
