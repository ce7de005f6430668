"""The snippet beside a section link comes from that section; a snippet from
the article's opening text or its summary goes with a link to the article's
top, never with a link to another section. Checked as readers get it: the
search API's JSON and the /search/ page, on every demo query."""

import html
import re

import pytest
from bs4 import BeautifulSoup

from blog.models import ArticlePage
from search.snippets import ELLIPSIS
from tests.factories import create_article, paragraph, section
from tests.search.judged import kinds
from tests.search.test_demo_relevance import demo_site  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.search_server]


def demo_queries() -> list[str]:
    return sorted({query for kind in kinds().values() for query in kind.JUDGED})


def snippet_pieces(snippet_html: str) -> list[str]:
    """The snippet's runs of article text, without the ellipses between them."""
    text = html.unescape(re.sub(r"</?em>", "", snippet_html))
    return [piece.strip() for piece in text.split(ELLIPSIS) if piece.strip()]


def source_texts(page: ArticlePage, *, anchor: str | None) -> list[str]:
    """Where a snippet beside a link to `anchor` may come from: that section,
    or for the article's top (None) its opening text or summary."""
    sections = {a: f"{heading}\n{text}" for a, heading, text in page.body_sections}
    if anchor:
        return [sections.get(anchor, "")]
    return [sections.get("", ""), page.summary]


def agrees(page: ArticlePage, *, snippet_html: str, anchor: str | None) -> bool:
    texts = source_texts(page, anchor=anchor)
    return any(
        all(piece in text for piece in snippet_pieces(snippet_html)) for text in texts
    )


def api_disagreements(client, query: str, pages: dict) -> list[str]:
    results = client.get("/api/v2/search/", {"q": query}).json()["results"]
    return [
        f"{query!r} -> {pages[hit['id']].slug} in {anchor}"
        for hit in results
        if not agrees(
            pages[hit["id"]],
            snippet_html=hit["snippet_html"],
            anchor=(anchor := (hit["section"] or {}).get("anchor")),
        )
    ]


def page_disagreements(client, query: str, pages: dict) -> list[str]:
    soup = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
    by_url = {page.url: page for page in pages.values()}
    found = []
    for result in soup.select(".search-result"):
        page = by_url[result.select_one("h2 a")["href"]]
        link = result.select_one(".in-section a")
        anchor = link["href"].partition("#")[2] if link else None
        snippet = result.select_one(".snippet").decode_contents()
        if not agrees(page, snippet_html=snippet, anchor=anchor):
            found.append(f"{query!r} -> {page.slug} in {anchor}")
    return found


def test_every_demo_snippet_comes_from_the_section_it_is_shown_with(
    client,
    demo_site,  # noqa: F811
):
    pages = {page.pk: page for page in ArticlePage.objects.live()}
    hits, in_api, on_page = 0, [], []
    for query in demo_queries():
        hits += len(client.get("/api/v2/search/", {"q": query}).json()["results"])
        in_api += api_disagreements(client, query, pages)
        on_page += page_disagreements(client, query, pages)
    assert (in_api, on_page) == ([], []), (
        f"of {hits} hits, {len(in_api)} disagree in the API and "
        f"{len(on_page)} on the page: {in_api}"
    )


@pytest.fixture
def lead_and_sections(blog_index, index_articles):
    page = create_article(
        parent=blog_index,
        title="Heat or ice",
        summary="Which to reach for, and when.",
        body=[
            paragraph("A heat pack eases stiff muscles; ice calms a fresh sprain."),
            section("Using heat", anchor="heat"),
            paragraph("Wrap the pack in a towel."),
            section("Using ice", anchor="ice"),
            paragraph("Twenty minutes at a time is enough."),
        ],
    )
    index_articles(page)
    return page


def test_a_best_match_in_the_opening_text_links_to_the_top_of_the_article(
    client, lead_and_sections
):
    [hit] = client.get("/api/v2/search/", {"q": "heat pack stiff muscles"}).json()[
        "results"
    ]
    assert hit["section"] is None
    assert "stiff" in hit["snippet_html"]
    soup = BeautifulSoup(
        client.get("/search/", {"q": "heat pack stiff muscles"}).content,
        "html.parser",
    )
    result = soup.select_one(".search-result")
    assert "stiff" in result.select_one(".snippet").get_text()
    assert result.select_one(".in-section") is None
    assert result.select_one("h2 a")["href"] == lead_and_sections.url


def test_a_section_link_goes_with_that_sections_words(client, lead_and_sections):
    [hit] = client.get("/api/v2/search/", {"q": "towel"}).json()["results"]
    assert hit["section"]["anchor"] == "heat"
    assert "towel" in hit["snippet_html"]
