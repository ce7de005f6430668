import xml.etree.ElementTree as ET

import pytest
from wagtail.models import PageViewRestriction

from blog.feeds import FEED_LENGTH
from tests.factories import AuthorFactory, PainTopicFactory, create_article

pytestmark = pytest.mark.django_db


def feed_items(client) -> list[ET.Element]:
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")


def test_feed_lists_live_articles_newest_first_with_absolute_links(client, blog_index):
    author = AuthorFactory(name="Dana Reyes")
    topic = PainTopicFactory(name="Back pain")
    create_article(parent=blog_index, title="Older", slug="older")
    create_article(
        parent=blog_index, title="Newer", slug="newer", authors=[author], topics=[topic]
    )

    items = feed_items(client)

    assert [item.findtext("title") for item in items] == ["Newer", "Older"]
    newest = items[0]
    assert newest.findtext("link").startswith("http")
    assert newest.findtext("link").endswith("/articles/newer/")
    assert newest.findtext("description") == "A short summary for readers."
    assert newest.findtext("category") == "Back pain"
    assert "Dana Reyes" in ET.tostring(newest, encoding="unicode")


def test_feed_never_contains_drafts_or_restricted_articles(client, blog_index):
    create_article(parent=blog_index, title="Public")
    create_article(parent=blog_index, title="Secret draft", live=False)
    private = create_article(parent=blog_index, title="Members only")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    body = client.get("/feed/").content.decode()

    assert [item.findtext("title") for item in feed_items(client)] == ["Public"]
    assert "Secret draft" not in body and "Members only" not in body


def test_feed_is_capped(client, blog_index):
    for n in range(FEED_LENGTH + 1):
        create_article(parent=blog_index, title=f"Article {n}")
    assert len(feed_items(client)) == FEED_LENGTH


def test_pages_advertise_the_feed(client, site_tree):
    home, _ = site_tree
    assert b'type="application/rss+xml"' in client.get(home.url).content
