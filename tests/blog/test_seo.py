"""What search engines and link previews read: meta tags, JSON-LD, sitemap."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from blog.models import Author
from tests.factories import (
    AuthorFactory,
    ImageFactory,
    PainTopicFactory,
    create_article,
    expire,
)

pytestmark = pytest.mark.django_db


def soup_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def json_ld(soup: BeautifulSoup) -> dict:
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def by_type(data: dict, kind: str) -> dict | None:
    return next((node for node in data["@graph"] if node["@type"] == kind), None)


def test_json_ld_describes_the_article(client, blog_index):
    page = create_article(
        parent=blog_index,
        title="PT or OT?",
        authors=[
            AuthorFactory(name="Dana Reyes", role="DPT"),
            AuthorFactory(name="Relief Team", kind=Author.Kind.TEAM),
        ],
        hero_image=ImageFactory(),
        hero_alt_text="A clinic",
        updated_date=datetime.date(2030, 5, 1),
    )
    data = json_ld(soup_of(client, page.url))

    assert data["@context"] == "https://schema.org"
    article = by_type(data, "Article")
    assert article["headline"] == "PT or OT?"
    assert [(a["@type"], a["name"]) for a in article["author"]] == [
        ("Person", "Dana Reyes"),
        ("Organization", "Relief Team"),
    ]
    assert article["author"][0]["url"].endswith("/authors/dana-reyes/")
    assert article["datePublished"] == page.published_date.isoformat()
    assert article["dateModified"] == "2030-05-01"
    assert article["image"][0].startswith("http")
    assert by_type(data, "MedicalWebPage") is None


def test_json_ld_adds_medical_web_page_when_a_reviewer_is_set(client, blog_index):
    reviewer = AuthorFactory(name="Dr Sam Okafor", role="MD")
    page = create_article(
        parent=blog_index,
        title="Reviewed",
        medical_reviewer=reviewer,
        last_reviewed=datetime.date(2030, 2, 3),
    )
    medical = by_type(json_ld(soup_of(client, page.url)), "MedicalWebPage")

    assert medical["reviewedBy"]["name"] == "Dr Sam Okafor"
    assert medical["reviewedBy"]["@type"] == "Person"
    assert medical["lastReviewed"] == "2030-02-03"


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, blog_index):
    title = 'Pain </script><script>alert("x")</script> & more'
    page = create_article(parent=blog_index, title=title, summary="<b>bold</b>")
    html = client.get(page.url).content.decode()
    assert "<script>alert" not in html
    data = json_ld(BeautifulSoup(html, "html.parser"))
    assert by_type(data, "Article")["headline"] == title


def test_article_has_description_canonical_and_open_graph(client, blog_index):
    page = create_article(
        parent=blog_index,
        title="Stretches",
        summary="Five gentle stretches.",
        hero_image=ImageFactory(),
        hero_alt_text="A stretch",
    )
    soup = soup_of(client, page.url + "?utm_source=x")
    meta = {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in soup.find_all("meta", content=True)
    }

    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical == page.full_url
    assert "utm_source" not in canonical
    assert meta["description"] == "Five gentle stretches."
    assert meta["og:title"] == "Stretches"
    assert meta["og:type"] == "article"
    assert meta["og:url"] == canonical
    assert meta["og:description"] == "Five gentle stretches."
    assert meta["og:image"].startswith("http")


def test_search_description_overrides_the_summary_in_meta(client, blog_index):
    page = create_article(
        parent=blog_index, title="X", summary="Dek.", search_description="For search."
    )
    soup = soup_of(client, page.url)
    assert soup.find("meta", attrs={"name": "description"})["content"] == "For search."


def test_topic_page_canonical_drops_the_query_string(client, blog_index):
    PainTopicFactory(name="Neck pain")
    soup = soup_of(client, "/topics/neck-pain/?page=1")
    assert (
        soup.find("link", rel="canonical")["href"]
        == "http://testserver/topics/neck-pain/"
    )


def test_sitemap_lists_live_public_pages_authors_and_topics_only(client, blog_index):
    topic = PainTopicFactory(name="Back pain")
    author = AuthorFactory(name="Dana Reyes")
    create_article(parent=blog_index, title="Live one", slug="live-one", topics=[topic])
    create_article(parent=blog_index, title="Draft one", slug="draft-one", live=False)
    private = create_article(
        parent=blog_index, title="Private one", slug="private-one", authors=[author]
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    xml = response.content.decode()
    assert "/articles/live-one/" in xml
    assert "/topics/back-pain/" in xml
    assert "draft-one" not in xml
    assert "private-one" not in xml
    # Dana wrote only the private article, so her page must not be advertised.
    assert "/authors/dana-reyes/" not in xml


def test_sitemap_leaves_out_an_expired_article(client, blog_index):
    create_article(parent=blog_index, title="Current", slug="current")
    expire(create_article(parent=blog_index, title="Old advice", slug="old-advice"))

    xml = client.get("/sitemap.xml").content.decode()

    assert "/articles/current/" in xml
    assert "old-advice" not in xml
