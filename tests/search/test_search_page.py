"""The search page's template (search/templates/search/): its title, its one search
box and its collapsible filters, as a reader's browser receives them."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import PainTopicFactory, create_article

pytestmark = pytest.mark.django_db


def soup_of(client, url: str, **params) -> BeautifulSoup:
    response = client.get(url, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_search_page_without_a_query_is_titled_search(client, site_tree):
    soup = soup_of(client, "/search/")
    assert soup.title.get_text() == "Search | Relief"


def test_search_page_with_a_query_names_it_in_the_title(client, site_tree):
    soup = soup_of(client, "/search/", q="knee")
    assert soup.title.get_text() == "Search: knee | Relief"


@pytest.mark.parametrize("query", [None, "back"])
def test_search_page_shows_one_search_box(client, site_tree, query):
    params = {"q": query} if query else {}
    soup = soup_of(client, "/search/", **params)
    assert len(soup.select('input[name="q"]:not([type="hidden"])')) == 1


def test_other_pages_keep_the_header_search_box(client, site_tree):
    soup = soup_of(client, "/")
    assert soup.select_one(".site-header input[name=q]")


@pytest.mark.search_server
def test_filters_sit_in_a_panel_the_reader_can_fold(client, blog_index, index_articles):
    page = create_article(
        parent=blog_index,
        title="Back care",
        topics=[PainTopicFactory(name="Back pain")],
    )
    index_articles(page)
    soup = soup_of(client, "/search/", q="movement", topic="back-pain")
    panel = soup.select_one("details.search-facets")
    assert "Filters" in panel.summary.get_text()
    assert "1 selected" in panel.summary.get_text()
    assert panel.select_one('input[name="topic"][value="back-pain"][checked]')


@pytest.mark.search_server
def test_no_results_offer_the_topics_and_the_newest_articles(
    client, blog_index, index_articles
):
    arthritis = PainTopicFactory(name="Arthritis")
    PainTopicFactory(name="Osteoarthritis", parent=arthritis)
    pages = [
        create_article(parent=blog_index, title=title, topics=[arthritis])
        for title in ("Living with arthritis", "Warm water walking", "Kitchen tools")
    ]
    index_articles(*pages)
    # The did-you-mean on this page: test_views.test_no_results_offer_a_did_you_mean_link
    soup = soup_of(client, "/search/", q="zzzqqq")
    offer = soup.select_one(".search-empty")
    assert [a.get_text() for a in offer.select(".topic-nav a")] == ["Arthritis"]
    assert offer.select_one('.topic-nav a[href="/topics/arthritis/"]')
    newest = [a.get_text() for a in offer.select(".card__title a")]
    assert newest == ["Kitchen tools", "Warm water walking", "Living with arthritis"]


@pytest.mark.search_server
def test_a_search_with_results_offers_no_topics_or_newest(
    client, blog_index, index_articles
):
    index_articles(create_article(parent=blog_index, title="Living with arthritis"))
    soup = soup_of(client, "/search/", q="arthritis")
    assert soup.select_one(".search-empty") is None
