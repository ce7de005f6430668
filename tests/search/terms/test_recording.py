"""Readers' searches as the search-term counts see them: through the search
page, the API and the click beacon, with the engine up and down."""

import pytest
from django.utils import timezone

from search.terms.models import SearchTermDay
from tests.factories import create_article, paragraph

pytestmark = pytest.mark.django_db


def day_row(query: str) -> SearchTermDay:
    return SearchTermDay.objects.get(query=query, date=timezone.localdate())


@pytest.fixture
def sleep_article(blog_index):
    return create_article(
        parent=blog_index,
        title="Sleep and pain",
        body=[paragraph("Sleep helps pain.")],
    )


def test_the_fallback_search_is_counted_as_its_normalised_query_only(
    client, search_offline, sleep_article
):
    client.get("/search/", {"q": "  SLEEP   Pain! "})
    client.get("/api/v2/search/", {"q": "sleep pain"})
    client.get("/search/", {"q": "zzqx"})
    row = day_row("sleep pain")
    assert (row.searches, row.zero_results) == (2, 0)
    assert row.hits == 2
    assert day_row("zzqx").zero_results == 1
    # Nothing but the normalised text is kept.
    assert set(SearchTermDay.objects.values_list("query", flat=True)) == {
        "sleep pain",
        "zzqx",
    }


def test_paging_filtering_and_contact_details_are_not_new_searches(
    client, search_offline, sleep_article
):
    client.get("/search/", {"q": "sleep", "page": 2})
    client.get("/search/", {"q": "sleep", "topic": "back-pain"})
    client.get("/search/", {"q": "call me on 0161 496 0000"})
    client.get("/api/v2/search/", {"q": "me@example.org"})
    assert not SearchTermDay.objects.exists()


def test_nothing_is_recorded_when_switched_off(client, search_offline, settings):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "RECORD_SEARCH_TERMS": False}
    response = client.get("/search/", {"q": "sleep"})
    assert response.status_code == 200
    assert "ping=" not in response.content.decode()
    assert not SearchTermDay.objects.exists()


def test_a_failing_write_never_breaks_the_readers_page(
    client, search_offline, sleep_article, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database full")

    monkeypatch.setattr("search.terms.recording.count_search", broken)
    response = client.get("/search/", {"q": "sleep"})
    assert response.status_code == 200
    assert "Sleep and pain" in response.content.decode()


def test_result_links_ping_the_beacon_and_the_click_counts_its_position(
    client, search_offline, sleep_article
):
    html = client.get("/search/", {"q": "Sleep"}).content.decode()
    # The link itself still goes straight to the article.
    assert f'href="{sleep_article.url}"' in html
    assert 'ping="/search/click/?q=sleep&amp;position=1"' in html
    assert client.post("/search/click/?q=sleep&position=1").status_code == 204
    row = day_row("sleep")
    assert (row.clicks, row.click_positions) == (1, 1)


def test_the_api_gives_each_hit_its_beacon(client, search_offline, sleep_article):
    hit = client.get("/api/v2/search/", {"q": "sleep"}).json()["results"][0]
    assert client.post(hit["click_beacon"]).status_code == 204
    assert day_row("sleep").clicks == 1


def test_the_beacon_refuses_bad_input_and_counts_no_more_clicks_than_searches(
    client, search_offline, sleep_article
):
    assert client.post("/search/click/?q=sleep&position=1").status_code == 404
    client.get("/search/", {"q": "sleep"})
    bad = client.post("/search/click/?q=sleep&position=zero")
    assert bad.status_code == 400
    assert "position" in bad.json()["message"]
    assert client.get("/search/click/?q=sleep&position=1").status_code == 405
    client.post("/search/click/?q=sleep&position=1")
    assert client.post("/search/click/?q=sleep&position=1").status_code == 404
    assert day_row("sleep").clicks == 1


@pytest.mark.search_server
def test_searches_on_the_engine_are_counted(client, sleep_article, index_articles):
    index_articles(sleep_article)
    data = client.get("/api/v2/search/", {"q": "sleep"}).json()
    assert data["backend"] != "database"
    assert day_row("sleep").searches == 1
