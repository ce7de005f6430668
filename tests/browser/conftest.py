"""Browser tests: Debian's Chromium driven by Playwright against Django's live
server, with the embedded search server behind it. Chromium is launched from
the system package; Playwright's own browser downloads are never used."""

import os
from pathlib import Path

import pytest

from search.indexing import ensure_index, write_pages
from tests.factories import (
    PainTopicFactory,
    build_site,
    bullet_list,
    comparison,
    create_article,
    paragraph,
    section,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM}: "
            "apt-get install chromium chromium-driver"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the
    # tests still call the ORM between page actions, which Django would
    # otherwise refuse as "async context".
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """new_page(width=, height=, javascript=) -> a page in a fresh context."""
    contexts = []

    def make(*, width: int = 1280, height: int = 800, javascript: bool = True):
        context = chromium.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=javascript
        )
        context.set_default_timeout(5000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


LONG_TEXT = " ".join(["Movement and daily tasks both matter for pain."] * 40)


@pytest.fixture
def articles(page_tree_root, search_settings):
    """Two indexed articles, one with sections and a therapy comparison."""
    _, blog_index = build_site()
    back = PainTopicFactory(name="Back pain")
    main = create_article(
        parent=blog_index,
        title="Physical therapy or occupational therapy?",
        topics=[back],
        body=[
            section("Physical therapy: where did it come from?", anchor="history"),
            paragraph(LONG_TEXT),
            section("Physical and occupational therapy compared", anchor="differ"),
            paragraph(LONG_TEXT),
            comparison(
                ["Physical therapy", "Occupational therapy"],
                [
                    ("Focus", ["How the body moves and bears load", "Daily tasks"]),
                    ("Typical interventions", ["Graded exercise", "Adaptive tools"]),
                    ("Settings", ["Outpatient clinics and hospitals", "Homes"]),
                ],
            ),
            section("Which one first?", anchor="which"),
            bullet_list(["Start with the problem that bothers you most."]),
            paragraph(LONG_TEXT),
        ],
    )
    other = create_article(
        parent=blog_index,
        title="Ice or heat for a sore back?",
        topics=[back],
        body=[paragraph("Ice calms swelling in the first days.")],
    )
    write_pages(page_ids=[main.pk, other.pk], index=ensure_index(), refresh=True)
    return {"main": main, "other": other}
