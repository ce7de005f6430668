"""Promoted results: made by a search manager in Wagtail's own screens, shown
first on the search page and in the API for every query that means the same."""

import pytest
from django.contrib.auth.models import Group
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search.models import SynonymSet
from search.terms.models import SearchTermDay
from tests.factories import create_article, paragraph

pytestmark = pytest.mark.django_db


def user_in(django_user_model, group: str):
    user = django_user_model.objects.create_user(
        username=group.replace(" ", "-").lower(), password="pw"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def promotion_form(*, query: str, page_id: int) -> dict:
    return {
        "query_string": query,
        "editors_picks-TOTAL_FORMS": "1",
        "editors_picks-INITIAL_FORMS": "0",
        "editors_picks-MIN_NUM_FORMS": "0",
        "editors_picks-MAX_NUM_FORMS": "1000",
        "editors_picks-0-page": str(page_id),
        "editors_picks-0-sort_order": "0",
        "editors_picks-0-description": "Start here.",
        "editors_picks-0-external_link_url": "",
        "editors_picks-0-external_link_text": "",
    }


@pytest.fixture
def physio_page(blog_index):
    return create_article(
        parent=blog_index,
        title="Starting physical therapy",
        body=[paragraph("What the first visit looks like.")],
    )


def test_only_search_managers_may_create_promotions(
    client, django_user_model, physio_page
):
    client.force_login(user_in(django_user_model, "Editors"))
    form = promotion_form(query="Physical Therapy", page_id=physio_page.pk)
    assert client.post("/admin/searchpicks/add/", form).status_code in (302, 403)
    assert not SearchPromotion.objects.exists()
    client.force_login(user_in(django_user_model, "Search managers"))
    response = client.post("/admin/searchpicks/add/", form)
    assert response.status_code == 302
    assert SearchPromotion.objects.get().page_id == physio_page.pk


@pytest.mark.parametrize(
    "typed", ["physical therapy", "Physical Therapies", "physiotherapy", "physio"]
)
def test_a_promotion_comes_first_for_case_plurals_and_synonyms(
    client, search_offline, physio_page, typed
):
    SearchPromotion.objects.create(
        query=Query.get("physical therapy"), page=physio_page, sort_order=0
    )
    data = client.get("/api/v2/search/", {"q": typed}).json()
    assert [(p["id"], p["promoted"]) for p in data["promoted"]] == [
        (physio_page.pk, True)
    ]
    html = client.get("/search/", {"q": typed}).content.decode()
    promoted, _, organic = html.partition('class="search-results"')
    assert "Promoted" in promoted and physio_page.title in promoted


def test_a_promotion_does_not_answer_another_question(
    client, search_offline, physio_page
):
    SearchPromotion.objects.create(
        query=Query.get("physical therapy"), page=physio_page, sort_order=0
    )
    for other in ("occupational therapy", "physical therapy for knees"):
        assert client.get("/api/v2/search/", {"q": other}).json()["promoted"] == []


def test_editors_synonym_sets_count_as_searches_use_them(
    client, search_offline, physio_page
):
    def promoted(query: str) -> list[int]:
        data = client.get("/api/v2/search/", {"q": query}).json()
        return [p["id"] for p in data["promoted"]]

    SearchPromotion.objects.create(
        query=Query.get("tummy ache"), page=physio_page, sort_order=0
    )
    assert promoted("tummy upset") == []
    SynonymSet.objects.create(kind="two-way", phrases="tummy ache\ntummy upset")
    assert promoted("Tummy upsets") == [physio_page.pk]
    SynonymSet.objects.create(
        kind="one-way", phrases="tummy ache", terms="abdominal pain"
    )
    assert promoted("tummy ache") == [physio_page.pk]
    # One way only: the medical term does not answer the reader's phrase.
    assert promoted("abdominal pain") == []


@pytest.fixture
def two_physio_pages(physio_page, blog_index):
    other = create_article(
        parent=blog_index,
        title="Physical therapy at home",
        body=[paragraph("Exercises to do between physical therapy visits.")],
    )
    SearchPromotion.objects.create(
        query=Query.get("physical therapy"), page=physio_page, sort_order=0
    )
    return physio_page, other


def assert_promoted_once(client, *, promoted, other) -> None:
    """The promoted article is moved to the top, not repeated among the hits;
    the total counts what the hits can page through."""
    data = client.get("/api/v2/search/", {"q": "physical therapy"}).json()
    assert [p["id"] for p in data["promoted"]] == [promoted.pk]
    assert [hit["id"] for hit in data["results"]] == [other.pk]
    assert data["total"] == 1
    html = client.get("/search/", {"q": "physical therapy"}).content.decode()
    assert html.count(f'href="{promoted.url}"') == 1


@pytest.mark.search_server
def test_a_promoted_article_is_not_repeated_among_the_index_hits(
    client, index_articles, two_physio_pages
):
    promoted, other = two_physio_pages
    index_articles(promoted, other)
    assert_promoted_once(client, promoted=promoted, other=other)


def test_a_promoted_article_is_not_repeated_among_the_database_hits(
    client, search_offline, two_physio_pages
):
    promoted, other = two_physio_pages
    assert_promoted_once(client, promoted=promoted, other=other)


def test_a_search_only_a_promotion_answers_is_no_dead_end(
    client, search_offline, physio_page
):
    SearchPromotion.objects.create(
        query=Query.get("physical therapy"), page=physio_page, sort_order=0
    )
    html = client.get("/search/", {"q": "physical therapy"}).content.decode()
    assert html.count(f'href="{physio_page.url}"') == 1
    assert "No other articles match." in html
    assert "Try fewer or different words" not in html
    row = SearchTermDay.objects.get(query="physical therapy")
    assert (row.searches, row.zero_results) == (1, 0)
