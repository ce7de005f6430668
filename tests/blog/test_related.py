import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from blog.related import related_articles_from_database
from tests.factories import PainTopicFactory, create_article

pytestmark = pytest.mark.django_db


def test_related_are_newest_articles_sharing_a_topic_never_the_page(blog_index):
    back, neck = PainTopicFactory(name="Back"), PainTopicFactory(name="Neck")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    older = create_article(parent=blog_index, title="Older", topics=[back, neck])
    newer = create_article(parent=blog_index, title="Newer", topics=[back])
    create_article(parent=blog_index, title="Other topic", topics=[neck])

    assert related_articles_from_database(page=page, limit=4) == [newer, older]
    assert related_articles_from_database(page=page, limit=1) == [newer]


def test_related_skip_drafts_and_restricted_articles(blog_index):
    back = PainTopicFactory(name="Back")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    create_article(parent=blog_index, title="Draft", topics=[back], live=False)
    private = create_article(parent=blog_index, title="Private", topics=[back])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert related_articles_from_database(page=page) == []


def test_article_page_renders_the_related_slot(client, blog_index):
    back = PainTopicFactory(name="Back")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    create_article(parent=blog_index, title="Sibling", topics=[back])
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    related = soup.find("section", class_="related")
    assert [a.get_text() for a in related.select(".card__title a")] == ["Sibling"]
    assert "Also about Back" in related.get_text()


def test_each_related_card_carries_its_own_reason(client, blog_index):
    # The reason sat after the card, which fills its grid cell, so every
    # reason but the last row's was painted over by the next card.
    back = PainTopicFactory(name="Back")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    create_article(parent=blog_index, title="Sibling", topics=[back])
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    card = soup.select_one(".related article.card")
    assert card.select_one(".card__reason").get_text() == "Also about Back"
