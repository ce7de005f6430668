"""Highlighted titles and snippets are escaped by Relief itself, whatever the
server's highlighter does with markup: only Relief's own <em> reaches readers."""

import pytest
from bs4 import BeautifulSoup

from search import query
from tests.factories import bullet_list, create_article, section

pytestmark = pytest.mark.django_db

HOSTILE = {
    "title": "<img src=x onerror=alert(1)> pacing & rest",
    "summary": '"><iframe src="javascript:alert(2)"></iframe> pacing basics',
    "heading": "<script>alert(3)</script> pacing plan",
    "item": "<svg onload=alert(4)> pacing with a timer",
}
ACTIVE_TAGS = ["img", "iframe", "script", "svg"]


def without_html_encoder(body):
    """A server that ignores the highlighter's `encoder` option."""
    if isinstance(body, dict):
        return {k: without_html_encoder(v) for k, v in body.items() if k != "encoder"}
    if isinstance(body, list):
        return [without_html_encoder(v) for v in body]
    return body


@pytest.fixture(params=["encoder honoured", "encoder ignored"])
def hostile_article(request, blog_index, index_articles, monkeypatch):
    if request.param == "encoder ignored":
        run_search = query.run_search
        monkeypatch.setattr(
            query,
            "run_search",
            lambda *, body: run_search(body=without_html_encoder(body)),
        )
    page = create_article(
        parent=blog_index,
        title=HOSTILE["title"],
        summary=HOSTILE["summary"],
        body=[
            section(HOSTILE["heading"], anchor="plan"),
            bullet_list([HOSTILE["item"], "Rest before the pain starts"]),
        ],
    )
    index_articles(page)
    return page


def assert_only_emphasis(html: str, *, words: str) -> None:
    """Only <em> around some of the reader's words (a snippet is the one line
    of the article that matched best)."""
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(ACTIVE_TAGS) == []
    assert not any(tag.attrs for tag in soup.find_all(True) if tag.name == "em")
    assert set(words.split()) & {em.get_text().lower() for em in soup.find_all("em")}


@pytest.mark.search_server
@pytest.mark.parametrize("words", ["pacing", "pacing timer", "pacing plan rest"])
def test_hostile_markup_in_articles_reaches_readers_as_text(
    client, hostile_article, words
):
    response = client.get("/search/", {"q": words})
    results = BeautifulSoup(response.content, "html.parser").select_one(
        ".search-results"
    )
    assert results is not None, response.content.decode()
    assert results.find_all(ACTIVE_TAGS) == []
    assert "<script>alert(3)</script> pacing plan" in results.get_text()

    [hit] = client.get("/api/v2/search/", {"q": words}).json()["results"]
    for html in (hit["title_html"], hit["snippet_html"]):
        assert_only_emphasis(html, words=words)
    assert (
        BeautifulSoup(hit["title_html"], "html.parser").get_text() == (HOSTILE["title"])
    )
