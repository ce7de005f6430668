import pytest
from django.test import Client

from tests.factories import PainTopicFactory, create_article, paragraph, section

pytestmark = pytest.mark.django_db


@pytest.mark.search_server
def test_search_returns_hits_facets_and_the_engine_that_answered(
    client, blog_index, index_articles, search_engine
):
    back = PainTopicFactory(name="Back pain")
    page = create_article(
        parent=blog_index,
        title="Core strength",
        topics=[back],
        body=[section("Planks", anchor="planks"), paragraph("Hold a plank briefly.")],
    )
    index_articles(page)
    data = client.get("/api/v2/search/", {"q": "plank"}).json()
    assert data["backend"] == search_engine
    assert data["notice"] == ""
    assert data["total"] == 1
    hit = data["results"][0]
    assert (hit["id"], hit["url"]) == (page.pk, page.url)
    assert hit["section"] == {
        "heading": "Planks",
        "anchor": "planks",
        "url": f"{page.url}#planks",
    }
    assert [(s["anchor"], s["url"]) for s in hit["sections"]] == [
        ("planks", f"{page.url}#planks")
    ]
    assert hit["sections"][0]["score"] > 0
    assert data["facets"]["topics"] == [
        {"slug": "back-pain", "name": "Back pain", "count": 1, "selected": False}
    ]


@pytest.mark.search_server
def test_html_in_results_is_escaped_in_json_too(client, blog_index, index_articles):
    page = create_article(
        parent=blog_index,
        title="Tips",
        summary="Ignore <img src=x onerror=alert(1)> tags",
    )
    index_articles(page)
    hit = client.get("/api/v2/search/", {"q": "onerror"}).json()["results"][0]
    assert "<img" not in hit["snippet_html"]
    assert "&lt;img" in hit["snippet_html"]


@pytest.mark.usefixtures("search_offline")
def test_with_the_server_down_json_says_database_and_why(client, blog_index):
    page = create_article(parent=blog_index, title="Pacing your day")
    data = client.get("/api/v2/search/", {"q": "pacing"}).json()
    assert data["backend"] == "database"
    assert "simpler mode" in data["notice"]
    assert [hit["id"] for hit in data["results"]] == [page.pk]


@pytest.mark.search_server
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": '"*:* AND (NOT ~ ^ \\'}, 200),
        ({"q": ""}, 200),
        ({"q": "x" * 501}, 400),
        ({"q": "pain", "page": "0"}, 400),
        ({"q": "pain", "page": "1e3"}, 400),
        ({"q": "pain", "page": "abc"}, 400),
        ({"q": "pain", "per_page": "abc"}, 400),
        ({"q": "pain", "per_page": "1000"}, 400),
        ({"q": "pain", "bogus": "1"}, 400),
        ({"q": "pain", "limit": "10"}, 400),
        ({"q": "pain\x00"}, 400),
    ],
)
def test_bad_input_is_a_400_with_a_message_never_a_500(
    client, site_tree, search_settings, params, status
):
    response = client.get("/api/v2/search/", params)
    assert response.status_code == status
    if status == 400:
        assert list(response.json()) == ["message"]
        assert response.json()["message"]


@pytest.mark.search_server
@pytest.mark.parametrize(
    "params",
    [
        {"q": "knee", "topic": "no-such-topic"},
        {"q": "knee", "therapy": "no-such-therapy"},
        {"q": "knee", "page": "99"},
        {"q": "knee", "page": "1001"},
    ],
)
def test_an_unknown_slug_or_a_page_past_the_end_is_an_empty_list(
    client, blog_index, index_articles, params
):
    index_articles(create_article(parent=blog_index, title="Knee care"))
    response = client.get("/api/v2/search/", params)
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v2/search/autocomplete/", {"q": "back", "bogus": "1"}),
        ("/api/v2/search/autocomplete/", {"q": "x" * 101}),
        ("/api/v2/search/", {"bogus": "1"}),
    ],
)
def test_autocomplete_and_search_refuse_what_they_do_not_take(client, db, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert list(response.json()) == ["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/search/",
        "/api/v2/search/autocomplete/",
        "/api/v2/pages/1/related/",
        "/api/v2/search/openapi.json",
    ],
)
def test_the_search_endpoints_are_read_only_and_say_so_in_json(db, url, method):
    # A client without a CSRF token, as every API client is.
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json() == {"message": "This API is read-only."}
    assert client.options(url)["Allow"] == "GET, HEAD, OPTIONS"


def test_a_too_long_query_says_what_the_limit_is(client, db):
    response = client.get("/api/v2/search/", {"q": "x" * 501})
    assert response.json()["message"].startswith(
        "Search terms are limited to 500 characters"
    )


@pytest.mark.search_server
def test_autocomplete_offers_titles_headings_and_topics(
    client, blog_index, index_articles
):
    topic = PainTopicFactory(name="Shoulder pain")
    page = create_article(
        parent=blog_index,
        title="Shoulder stretches",
        topics=[topic],
        body=[section("Should I rest?", anchor="rest"), paragraph("Not for long.")],
    )
    index_articles(page)
    results = client.get("/api/v2/search/autocomplete/", {"q": "shou"}).json()[
        "results"
    ]
    assert {"type": "article", "label": "Shoulder stretches", "url": page.url} in (
        results
    )
    assert {
        "type": "section",
        "label": "Should I rest?",
        "article": "Shoulder stretches",
        "url": f"{page.url}#rest",
    } in results
    assert {
        "type": "topic",
        "label": "Shoulder pain",
        "url": "/search/?topic=shoulder-pain",
    } in results
    stretch = client.get("/api/v2/search/autocomplete/", {"q": "stret"}).json()
    assert [r["label"] for r in stretch["results"]] == ["Shoulder stretches"]


@pytest.mark.parametrize("query", ["", "s", " s "])
def test_autocomplete_waits_for_two_characters(client, db, query):
    response = client.get("/api/v2/search/autocomplete/", {"q": query})
    assert response.json()["results"] == []


@pytest.mark.usefixtures("search_offline")
def test_autocomplete_falls_back_to_titles_when_the_server_is_down(client, blog_index):
    page = create_article(parent=blog_index, title="Shoulder stretches")
    results = client.get("/api/v2/search/autocomplete/", {"q": "shoulder"}).json()
    assert results["results"] == [
        {"type": "article", "label": "Shoulder stretches", "url": page.url}
    ]


@pytest.mark.search_server
def test_autocomplete_lists_a_topic_the_query_begins_first(
    client, blog_index, index_articles
):
    back = PainTopicFactory(name="Back pain")
    pages = [
        create_article(parent=blog_index, title=title, topics=[back])
        for title in ("Sleeping with a sore back", "Lifting without hurting your back")
    ]
    index_articles(*pages)
    results = client.get("/api/v2/search/autocomplete/", {"q": "back p"}).json()
    assert results["results"][0]["label"] == "Back pain"


@pytest.mark.usefixtures("search_offline")
def test_autocomplete_without_the_server_lists_a_title_the_query_begins_first(
    client, blog_index
):
    create_article(parent=blog_index, title="Sleeping with a sore back")
    create_article(parent=blog_index, title="Back to work after sciatica")
    results = client.get("/api/v2/search/autocomplete/", {"q": "back t"}).json()
    assert results["results"][0]["label"] == "Back to work after sciatica"
