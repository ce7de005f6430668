import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from tests.factories import PainTopicFactory, create_article

pytestmark = pytest.mark.django_db


def section_titles(soup: BeautifulSoup, heading_id: str) -> list[str]:
    section = soup.find(attrs={"aria-labelledby": heading_id})
    return [a.get_text() for a in section.select(".card__title a")] if section else []


def test_home_shows_featured_then_latest_articles(client, site_tree):
    home, blog_index = site_tree
    home.featured_articles_count = 2
    home.save_revision().publish()
    for n in range(4):
        create_article(parent=blog_index, title=f"Article {n}")

    soup = BeautifulSoup(client.get(home.url).content, "html.parser")

    assert section_titles(soup, "featured-heading") == ["Article 3", "Article 2"]
    assert section_titles(soup, "latest-heading") == ["Article 1", "Article 0"]


def test_home_lists_only_topics_with_public_articles(client, site_tree):
    home, blog_index = site_tree
    used = PainTopicFactory(name="Back pain")
    draft_only = PainTopicFactory(name="Draft topic")
    create_article(parent=blog_index, title="Public", topics=[used])
    create_article(parent=blog_index, title="Draft", topics=[draft_only], live=False)

    soup = BeautifulSoup(client.get(home.url).content, "html.parser")
    topics = soup.find(attrs={"aria-labelledby": "topics-heading"})

    assert [a.get_text() for a in topics.find_all("a")] == ["Back pain"]


def test_home_never_shows_drafts_or_restricted_articles(client, site_tree):
    home, blog_index = site_tree
    create_article(parent=blog_index, title="Secret draft", live=False)
    private = create_article(parent=blog_index, title="Members only")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    html = client.get(home.url).content.decode()
    assert "Secret draft" not in html and "Members only" not in html
    assert "No articles yet." in html


def test_home_title_names_the_site_once(client, site_tree):
    home, _ = site_tree
    soup = BeautifulSoup(client.get(home.url).content, "html.parser")
    assert soup.title.get_text() == home.title


def test_home_and_header_link_to_all_articles(client, site_tree):
    home, blog_index = site_tree
    for n in range(3):
        create_article(parent=blog_index, title=f"Article {n}")
    soup = BeautifulSoup(client.get(home.url).content, "html.parser")
    assert soup.select_one(".site-header a.site-header__link")["href"] == blog_index.url
    more = soup.select_one(".listing__more a")
    assert (more.get_text(), more["href"]) == ("See all articles", blog_index.url)
