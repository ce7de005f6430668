"""The public content API at /api/v2/ (blog/api.py, blog/serializers.py, cms/api.py)."""

from urllib.parse import quote

import pytest
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from blog.blocks import ArticleBodyStreamBlock
from tests.factories import (
    AuthorFactory,
    CallToActionFactory,
    ImageFactory,
    MedicalDisclaimerFactory,
    NewsletterSignupFactory,
    PainTopicFactory,
    TherapyTypeFactory,
    bullet_list,
    comparison,
    create_article,
    expire,
    paragraph,
    section,
)

pytestmark = pytest.mark.django_db


ARTICLES = "/api/v2/pages/?type=relief_blog.ArticlePage"


def every_block(*, image) -> list:
    """One block of each type the body offers."""
    return [
        section("What is the difference?"),
        paragraph("Physical therapy helps you move."),
        bullet_list(["Stretch", "Walk"], lead_in="Try:"),
        ("image", {"image": image, "alt_text": "A therapist", "caption": "In clinic"}),
        ("pull_quote", {"quote": "Movement helped.", "attribution": "A reader"}),
        ("newsletter_callout", {"signup": NewsletterSignupFactory()}),
        (
            "bottom_line",
            {
                "heading": "The bottom line",
                "text": "<p>Both help.</p>",
                "takeaways": ["Ask"],
            },
        ),
        ("call_to_action", {"call_to_action": CallToActionFactory()}),
        ("medical_disclaimer", {"disclaimer": None}),
        comparison(
            ["Physical therapy", "Occupational therapy"],
            [("Focus", ["Movement", "Daily tasks"]), ("Settings", ["Clinic", "Home"])],
        ),
    ]


def full_article(blog_index, *, title="PT or OT?", copies=1, people=1, **fields):
    """An article using every field and block; `copies` repeats the body and
    `people` sets how many authors, topics and therapy types it has."""
    MedicalDisclaimerFactory()
    image = ImageFactory()
    parent_topic = PainTopicFactory(name="Chronic pain")
    return create_article(
        parent=blog_index,
        title=title,
        hero_image=ImageFactory(),
        hero_alt_text="Two therapists talking",
        body=every_block(image=image) * copies,
        authors=[
            AuthorFactory(name=f"{title} author {n}", avatar=ImageFactory())
            for n in range(people)
        ],
        topics=[
            PainTopicFactory(name=f"{title} topic {n}", parent=parent_topic)
            for n in range(people)
        ],
        therapy_types=[
            TherapyTypeFactory(name=f"{title} therapy {n}") for n in range(people)
        ],
        medical_reviewer=AuthorFactory(name="Dr Reviewer", avatar=ImageFactory()),
        **fields,
    )


def listed_titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


# Shape --------------------------------------------------------------------------

RENDITION = {"url": str, "width": int, "height": int}
AUTHOR = {"name": str, "slug": str, "kind": str, "role": str, "avatar": str}
BLOCK_SHAPES = {
    "section_heading": {"heading": str, "anchor": str},
    "rich_text": {"text": str},
    "list": {"lead_in": str, "style": str, "items": list},
    "image": {
        "image_id": int,
        "url": str,
        "width": int,
        "height": int,
        "alt": str,
        "caption": str,
    },
    "pull_quote": {"quote": str, "attribution": str},
    "newsletter_callout": {
        "id": int,
        "title": str,
        "text": str,
        "button_label": str,
        "action_url": str,
    },
    "bottom_line": {"heading": str, "text": str, "takeaways": list},
    "call_to_action": {
        "id": int,
        "title": str,
        "text": str,
        "link_label": str,
        "link_url": str,
    },
    "medical_disclaimer": {"id": int, "title": str, "text": str},
    "therapy_comparison": {
        "caption": str,
        "therapies": list,
        "rows": list,
        "summary": str,
    },
}


def shape(data: dict) -> dict:
    return {key: type(value) for key, value in data.items()}


def test_article_detail_json_shape_is_pinned(blog_index, client):
    page = full_article(blog_index, last_reviewed="2024-05-01")

    data = client.get(f"/api/v2/pages/{page.pk}/").json()

    assert shape(data) == {
        "id": int,
        "meta": dict,
        "title": str,
        "summary": str,
        "hero_image": dict,
        "published_date": str,
        "updated_date": type(None),
        "reading_time": int,
        "authors": list,
        "topics": list,
        "therapy_types": list,
        "table_of_contents": list,
        "body": list,
        "medical_reviewer": dict,
        "last_reviewed": str,
        "next_review_due": str,
        "disclaimer": dict,
    }
    assert shape(data["hero_image"]) == {
        "id": int,
        "alt": str,
        "small": dict,
        "large": dict,
    }
    assert shape(data["hero_image"]["small"]) == RENDITION
    assert shape(data["hero_image"]["large"]) == RENDITION
    assert [shape(author) for author in data["authors"]] == [AUTHOR]
    assert shape(data["medical_reviewer"]) == AUTHOR
    assert data["topics"] == [
        {
            "slug": "pt-or-ot-topic-0",
            "name": "PT or OT? topic 0",
            "parent": "chronic-pain",
        }
    ]
    assert data["therapy_types"] == [
        {"slug": "pt-or-ot-therapy-0", "name": "PT or OT? therapy 0"}
    ]
    assert data["table_of_contents"] == [
        {"anchor": "what-is-the-difference", "title": "What is the difference?"}
    ]
    assert shape(data["disclaimer"]) == {"id": int, "title": str, "text": str}

    # Every block type the editor can use is pinned here.
    assert set(BLOCK_SHAPES) == set(ArticleBodyStreamBlock.base_blocks)
    assert [block["type"] for block in data["body"]] == list(BLOCK_SHAPES)
    for block in data["body"]:
        assert shape(block) == {"type": str, "value": dict, "id": str}
        assert shape(block["value"]) == BLOCK_SHAPES[block["type"]], block["type"]

    table = data["body"][-1]["value"]
    assert table["therapies"] == [
        {"key": "physical-therapy", "name": "Physical therapy"},
        {"key": "occupational-therapy", "name": "Occupational therapy"},
    ]
    assert table["rows"][0] == {
        "dimension": "Focus",
        "cells": {
            "physical-therapy": "Movement",
            "occupational-therapy": "Daily tasks",
        },
    }


def test_authors_keep_the_editors_order(blog_index, client):
    second, first = AuthorFactory(name="Zoe Adams"), AuthorFactory(name="Al Young")
    page = create_article(parent=blog_index, title="Order", authors=[second, first])

    data = client.get(f"/api/v2/pages/{page.pk}/").json()

    assert [author["slug"] for author in data["authors"]] == ["zoe-adams", "al-young"]
    assert data["authors"][0]["avatar"] is None
    assert data["hero_image"] is None
    assert data["medical_reviewer"] is None


def test_article_without_disclaimer_block_exposes_the_site_default(blog_index, client):
    default = MedicalDisclaimerFactory(title="Site disclaimer")
    page = create_article(parent=blog_index, title="No disclaimer block")

    data = client.get(f"/api/v2/pages/{page.pk}/").json()

    assert data["disclaimer"]["id"] == default.pk
    assert data["disclaimer"]["title"] == "Site disclaimer"


# Filters ------------------------------------------------------------------------


@pytest.fixture
def tagged_articles(blog_index):
    chronic = PainTopicFactory(name="Chronic pain")
    back = PainTopicFactory(name="Back pain", parent=chronic)
    neck = PainTopicFactory(name="Neck pain")
    ann, bob = AuthorFactory(name="Ann"), AuthorFactory(name="Bob")
    physio = TherapyTypeFactory(name="Physical therapy")
    create_article(
        parent=blog_index,
        title="Back stretches",
        topics=[back],
        authors=[ann],
        therapy_types=[physio],
    )
    create_article(
        parent=blog_index, title="Neck pillows", topics=[neck], authors=[bob]
    )
    create_article(
        parent=blog_index,
        title="Living with pain",
        topics=[chronic],
        authors=[ann, bob],
    )


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("&topic=neck-pain", ["Neck pillows"]),
        ("&topic=chronic-pain", ["Back stretches", "Living with pain"]),
        ("&author=bob", ["Neck pillows", "Living with pain"]),
        ("&therapy=physical-therapy", ["Back stretches"]),
        ("&topic=chronic-pain&author=bob", ["Living with pain"]),
        ("&topic=no-such-topic", []),
        ("&author=nobody", []),
        ("&therapy=", []),
    ],
)
def test_article_listing_filters_by_topic_author_and_therapy(
    tagged_articles, client, query, titles
):
    assert sorted(listed_titles(client, ARTICLES + query)) == sorted(titles)


def test_taxonomy_filters_work_without_a_type_and_with_search(tagged_articles, client):
    assert listed_titles(client, "/api/v2/pages/?topic=neck-pain") == ["Neck pillows"]
    assert listed_titles(client, "/api/v2/pages/?search=stretches&author=ann") == [
        "Back stretches"
    ]


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        ('"((', []),
        ('back "stretches', ["Back stretches"]),
        ("neck (pillows)", ["Neck pillows"]),
        ("pillows*", ["Neck pillows"]),
        ("NEAR(", []),
    ],
)
def test_search_treats_the_readers_text_as_words(
    tagged_articles, client, search, titles
):
    url = f"{ARTICLES}&search={quote(search)}"
    assert listed_titles(client, url) == titles


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_image_and_document_search_take_any_text(blog_index, client, endpoint):
    ImageFactory(title="Calm gradient")
    response = client.get(f"/api/v2/{endpoint}/?search=calm%20%22((")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?colour=red",
        f"{ARTICLES}&topics=1",
        f"{ARTICLES}&body=x",
        "/api/v2/pages/?limit=ten",
        "/api/v2/pages/?limit=-1",
        "/api/v2/pages/?limit=100000",
        "/api/v2/pages/?offset=abc",
        "/api/v2/pages/?offset=99999999999999999999999",
        "/api/v2/pages/?order=colour",
        f"{ARTICLES}&order=body",
        f"{ARTICLES}&order=topics",
        "/api/v2/pages/?order=random&offset=1",
        "/api/v2/pages/?type=relief_blog.NoSuchPage",
        "/api/v2/pages/?type=relief_blog.Author",
        "/api/v2/pages/?type=nonsense",
        f"{ARTICLES}&published_date=yesterday",
        "/api/v2/pages/?fields=colour",
        "/api/v2/pages/?fields=title(",
        "/api/v2/pages/?child_of=abc",
        "/api/v2/pages/?rich_text_format=pdf",
        "/api/v2/pages/?topic=back%00pain",
        "/api/v2/pages/?search=back%00pain",
        "/api/v2/pages/?title=back%00pain",
        "/api/v2/images/?search=x%00",
        "/api/v2/pages/find/?id=abc",
        "/api/v2/images/?limit=ten",
        "/api/v2/images/?order=colour",
        "/api/v2/images/?width=wide",
        "/api/v2/images/find/?id=abc",
        "/api/v2/documents/?offset=-5",
        "/api/v2/documents/find/?id=abc",
    ],
)
def test_bad_query_parameters_answer_400_with_a_json_message(
    tagged_articles, client, url
):
    response = client.get(url)

    assert response.status_code == 400, response.content
    assert isinstance(response.json()["message"], str)


def test_a_database_error_is_a_logged_500_not_the_readers_fault(
    blog_index, client, monkeypatch, caplog
):
    """Only values from the query are the reader's fault (400); a failure of
    the database or the code must reach the error log and the operators."""
    page = create_article(parent=blog_index, title="Breathing")

    def fail(queryset):
        raise DataError("value too long for type character varying(255)")

    monkeypatch.setattr("blog.api.with_article_relations", fail)
    client.raise_request_exception = False

    response = client.get(f"/api/v2/pages/{page.pk}/")

    assert response.status_code == 500
    assert any(
        record.levelname == "ERROR" and record.exc_info
        for record in caplog.records
        if record.name == "django.request"
    )


def test_ids_beyond_any_column_find_nothing_rather_than_failing(blog_index, client):
    huge = "99999999999999999999999"

    assert client.get(f"/api/v2/pages/{huge}/").status_code == 404
    assert client.get(f"/api/v2/images/{huge}/").status_code == 404
    assert listed_titles(client, f"/api/v2/pages/?id={huge}") == []


# Visibility ---------------------------------------------------------------------


def assert_hidden(client, page, secret: str):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 404
    assert secret not in response.content.decode()
    for url in ("/api/v2/pages/?limit=100", f"{ARTICLES}&fields=title,summary"):
        listing = client.get(url)
        assert listing.status_code == 200
        assert secret not in listing.content.decode()
        assert page.pk not in [item["id"] for item in listing.json()["items"]]


def test_draft_article_is_never_served(blog_index, client):
    draft = create_article(parent=blog_index, title="Secret draft", live=False)

    assert_hidden(client, draft, "Secret draft")


def test_expired_article_is_never_served(blog_index, client):
    page = create_article(parent=blog_index, title="Old advice")
    expire(page)

    assert_hidden(client, page, "Old advice")


def test_private_article_is_never_served(blog_index, client):
    page = create_article(parent=blog_index, title="Members only")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )

    assert_hidden(client, page, "Members only")


def test_article_under_a_private_section_is_never_served(site_tree, client):
    home, blog_index = site_tree
    page = create_article(parent=blog_index, title="Inside the private blog")
    PageViewRestriction.objects.create(
        page=blog_index, restriction_type=PageViewRestriction.LOGIN
    )

    assert_hidden(client, page, "Inside the private blog")
    response = client.get(f"/api/v2/pages/?descendant_of={blog_index.pk}")
    assert response.status_code == 400


def test_unpublished_changes_stay_out_of_the_api(blog_index, client):
    page = create_article(parent=blog_index, title="Published title")
    page.title = "Unpublished new title"
    page.save_revision()

    response = client.get(f"/api/v2/pages/{page.pk}/")

    assert response.json()["title"] == "Published title"
    assert "Unpublished new title" not in client.get("/api/v2/pages/").content.decode()


def test_images_in_a_restricted_collection_are_not_exposed(db, client):
    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    public_image = ImageFactory(title="Public photo")
    private_image = ImageFactory(title="Private photo", collection=private)

    listing = client.get("/api/v2/images/")

    assert [item["title"] for item in listing.json()["items"]] == ["Public photo"]
    assert client.get(f"/api/v2/images/{private_image.pk}/").status_code == 404
    assert client.get(f"/api/v2/images/{public_image.pk}/").status_code == 200


# Query counts -------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    # The first request creates renditions; measure the steady state after it.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_article_detail_queries_do_not_grow_with_blocks_authors_or_topics(
    blog_index, client
):
    small = full_article(blog_index, title="Small")
    large = full_article(blog_index, title="Large", copies=6, people=6)

    small_count = count_queries(client, f"/api/v2/pages/{small.pk}/")
    large_count = count_queries(client, f"/api/v2/pages/{large.pk}/")

    assert large_count == small_count


def test_article_listing_queries_do_not_grow_with_the_number_of_articles(
    blog_index, client
):
    fields = "&fields=hero_image,authors,topics,therapy_types,medical_reviewer"
    full_article(blog_index, title="First", people=3)
    one_count = count_queries(client, ARTICLES + fields)
    for title in ("Second", "Third", "Fourth"):
        full_article(blog_index, title=title, people=3)

    assert count_queries(client, ARTICLES + fields) == one_count
