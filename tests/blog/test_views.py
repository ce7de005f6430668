"""Reader listings: the blog index, author pages and topic pages."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from blog.models import ArticlePage, BlogIndexPage
from tests.factories import AuthorFactory, PainTopicFactory, create_article, expire

pytestmark = pytest.mark.django_db


def listed_titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text() for a in soup.select("main .card__title a")]


def restrict(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


@pytest.fixture
def hidden_articles(blog_index):
    """A draft and a password-protected article, both tagged and authored so they
    would match every listing if privacy were not enforced."""
    topic = PainTopicFactory(name="Back pain", slug="back-pain")
    author = AuthorFactory(name="Dana Reyes")
    create_article(
        parent=blog_index,
        title="Secret draft",
        topics=[topic],
        authors=[author],
        live=False,
    )
    private = create_article(
        parent=blog_index, title="Members only", topics=[topic], authors=[author]
    )
    restrict(private)
    # Past its expiry time, before the scheduled-publishing job has unpublished it.
    expired = create_article(
        parent=blog_index, title="Expired notice", topics=[topic], authors=[author]
    )
    expire(expired)
    return topic, author


# Blog index ------------------------------------------------------------------


def test_index_lists_newest_first_and_paginates(client, blog_index, settings):
    for n in range(BlogIndexPage.ARTICLES_PER_PAGE + 2):
        create_article(parent=blog_index, title=f"Article {n:02d}")

    first = client.get(blog_index.url)
    second = client.get(blog_index.url, {"page": 2})

    assert listed_titles(first)[:2] == ["Article 11", "Article 10"]
    assert len(listed_titles(first)) == BlogIndexPage.ARTICLES_PER_PAGE
    assert listed_titles(second) == ["Article 01", "Article 00"]
    assert b'rel="next" href="?page=2"' in first.content


@pytest.mark.parametrize("page_number", ["abc", "", "1.5", "-"])
def test_index_treats_a_malformed_page_number_as_the_first_page(
    client, blog_index, page_number
):
    create_article(parent=blog_index, title="Only article")
    response = client.get(blog_index.url, {"page": page_number})
    assert response.status_code == 200
    assert listed_titles(response) == ["Only article"]


@pytest.mark.parametrize("page_number", ["0", "-3", "99", "99999999999999999999"])
def test_index_answers_404_for_a_page_past_the_end(client, blog_index, page_number):
    create_article(parent=blog_index, title="Only article")
    assert client.get(blog_index.url, {"page": page_number}).status_code == 404


def test_index_filters_by_topic_including_child_topics(client, blog_index):
    chronic = PainTopicFactory(name="Chronic pain")
    back = PainTopicFactory(name="Back pain", parent=chronic)
    create_article(parent=blog_index, title="About back pain", topics=[back])
    create_article(parent=blog_index, title="About chronic pain", topics=[chronic])
    create_article(parent=blog_index, title="Unrelated")

    assert set(
        listed_titles(client.get(blog_index.url, {"topic": "chronic-pain"}))
    ) == {
        "About back pain",
        "About chronic pain",
    }
    assert listed_titles(client.get(blog_index.url, {"topic": "back-pain"})) == [
        "About back pain"
    ]


def test_index_filters_by_author_and_keeps_filter_in_page_links(client, blog_index):
    author = AuthorFactory(name="Dana Reyes")
    for n in range(BlogIndexPage.ARTICLES_PER_PAGE + 1):
        create_article(parent=blog_index, title=f"Dana {n:02d}", authors=[author])
    create_article(parent=blog_index, title="Someone else")

    response = client.get(blog_index.url, {"author": "dana-reyes"})

    assert "Someone else" not in listed_titles(response)
    assert b'href="?author=dana-reyes&amp;page=2"' in response.content


def test_index_offers_topic_and_author_filters_with_articles_behind_them(
    client, blog_index, hidden_articles
):
    topic = PainTopicFactory(name="Neck pain")
    author = AuthorFactory(name="Sam Lee")
    create_article(parent=blog_index, title="Neck", topics=[topic], authors=[author])

    response = client.get(blog_index.url, {"topic": "neck-pain"})
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form.listing__filters")
    summary = " ".join(soup.select_one(".listing__filter").get_text().split())
    assert summary == "Showing articles about Neck pain. Show all articles"

    topics = {
        o["value"]: o.get_text() for o in form.select("select[name=topic] option")
    }
    authors = [o["value"] for o in form.select("select[name=author] option")]
    # Only choices that lead to a public article: not the hidden ones' topic
    # or author.
    assert topics == {"": "All topics", "neck-pain": "Neck pain"}
    assert authors == ["", "sam-lee"]
    assert form.select_one("option[selected]")["value"] == "neck-pain"
    assert form["method"] == "get"


@pytest.mark.parametrize("param", ["topic", "author"])
def test_index_unknown_filter_slug_shows_a_message_not_an_error(
    client, blog_index, param
):
    create_article(parent=blog_index, title="Visible")
    response = client.get(blog_index.url, {param: "no-such-thing"})
    assert response.status_code == 200
    assert listed_titles(response) == []
    assert f"There is no {param} by that name." in response.content.decode()


def test_index_never_lists_drafts_or_restricted_articles(
    client, blog_index, hidden_articles
):
    create_article(parent=blog_index, title="Public article")
    html = client.get(blog_index.url).content.decode()
    assert "Public article" in html
    assert "Secret draft" not in html
    assert "Members only" not in html
    assert "Expired notice" not in html


def test_restricting_the_whole_index_hides_its_articles_from_listings(
    client, blog_index, site_tree
):
    home, _ = site_tree
    topic = PainTopicFactory(name="Knee pain")
    create_article(parent=blog_index, title="Behind the index", topics=[topic])
    restrict(blog_index)
    assert "Behind the index" not in client.get("/topics/knee-pain/").content.decode()
    assert "Behind the index" not in client.get(home.url).content.decode()


# Author pages ----------------------------------------------------------------


def test_author_page_lists_their_public_articles(client, blog_index, hidden_articles):
    _, author = hidden_articles
    create_article(parent=blog_index, title="By Dana", authors=[author])
    create_article(parent=blog_index, title="By someone else")

    response = client.get("/authors/dana-reyes/")

    assert response.status_code == 200
    assert listed_titles(response) == ["By Dana"]
    html = response.content.decode()
    assert "<h1>Dana Reyes</h1>" in html
    assert "Secret draft" not in html and "Members only" not in html


def test_author_page_lists_articles_they_reviewed(client, blog_index):
    reviewer = AuthorFactory(name="Dr Sam Okafor")
    create_article(parent=blog_index, title="Checked by Sam", medical_reviewer=reviewer)
    response = client.get("/authors/dr-sam-okafor/")
    assert "Medically reviewed by Dr Sam Okafor" in response.content.decode()
    assert "Checked by Sam" in listed_titles(response)


def test_unknown_author_is_404(client, site_tree):
    assert client.get("/authors/nobody/").status_code == 404


# Topic pages -----------------------------------------------------------------


def test_topic_page_includes_child_topics_articles(client, blog_index):
    chronic = PainTopicFactory(name="Chronic pain")
    back = PainTopicFactory(name="Back pain", parent=chronic)
    lower = PainTopicFactory(name="Lower back pain", parent=back)
    create_article(parent=blog_index, title="Deep child", topics=[lower])
    create_article(parent=blog_index, title="Direct", topics=[chronic])
    create_article(parent=blog_index, title="Elsewhere")

    response = client.get("/topics/chronic-pain/")

    assert response.status_code == 200
    assert listed_titles(response) == ["Direct", "Deep child"]
    assert b'href="/topics/back-pain/"' in response.content


def test_topic_page_hides_drafts_and_restricted_articles(
    client, blog_index, hidden_articles
):
    html = client.get("/topics/back-pain/").content.decode()
    assert "Secret draft" not in html and "Members only" not in html
    assert "No articles here yet." in html


def test_unknown_topic_is_404(client, site_tree):
    assert client.get("/topics/nothing-here/").status_code == 404


def test_topic_page_past_the_last_page_is_404(client, blog_index):
    PainTopicFactory(name="Hip pain")
    assert client.get("/topics/hip-pain/", {"page": 5}).status_code == 404


# Query counts ----------------------------------------------------------------


def listing_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # creates the card renditions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/articles/", "/", "/topics/back-pain/"])
def test_listing_queries_do_not_grow_with_articles_that_have_hero_images(
    client, blog_index, url
):
    from tests.factories import CallToActionFactory, ImageFactory

    topic = PainTopicFactory(name="Back pain", slug="back-pain")
    cta = CallToActionFactory()

    def publish(count: int) -> None:
        # Cards show the reading time, which must not load the body's images
        # or snippets article by article.
        for _ in range(count):
            image = ImageFactory()
            create_article(
                parent=blog_index,
                title=f"Article {ArticlePage.objects.count()}",
                topics=[topic],
                hero_image=image,
                hero_alt_text="A calm gradient",
                body=[
                    (
                        "image",
                        {"image": image, "alt_text": "Gradient", "caption": ""},
                    ),
                    ("call_to_action", {"call_to_action": cta}),
                ],
            )

    publish(1)
    one = listing_queries(client, url)
    publish(3)
    assert listing_queries(client, url) == one


def test_article_page_queries_do_not_grow_with_authors_topics_or_blocks(
    client, blog_index
):
    from tests.factories import ImageFactory, bullet_list, paragraph, section

    def article(title: str, count: int) -> ArticlePage:
        body = []
        for n in range(count):
            body += [section(f"Question {n}?"), paragraph("Text."), bullet_list(["A"])]
        return create_article(
            parent=blog_index,
            title=title,
            body=body,
            authors=[AuthorFactory(avatar=ImageFactory()) for _ in range(count)],
            topics=[PainTopicFactory() for _ in range(count)],
        )

    small, large = article("Small", 1), article("Large", 5)
    assert listing_queries(client, small.url) == listing_queries(client, large.url)


def test_expired_article_page_answers_404_before_the_publishing_job_runs(
    client, blog_index
):
    page = create_article(parent=blog_index, title="Old advice")
    assert client.get(page.url).status_code == 200

    expire(page)

    response = client.get(page.url)
    assert response.status_code == 404
    assert "Old advice" not in response.content.decode()
