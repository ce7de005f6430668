"""Synonym sets from the admin to the reader's search: a search manager's set
applies to the very next search through the API, with nothing re-indexed, on
every engine."""

import pytest
from django.urls import reverse

from search.models import SynonymSet
from tests.factories import create_article, paragraph

pytestmark = pytest.mark.search_server


@pytest.fixture
def keywords_only(settings):
    """Meaning alone would bring "abdominal pain" to a search for "tummy ache"
    whatever the sets say: these tests are about the words."""
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "SEMANTIC_RERANK": False}


@pytest.fixture
def search_manager(client, admin_user_in):
    """A second client, so the reader's searches are anonymous."""
    from django.test import Client

    manager = Client()
    manager.force_login(admin_user_in("Search managers"))
    return manager


def found(client, query: str) -> set[int]:
    data = client.get("/api/v2/search/", {"q": query}).json()
    return {hit["id"] for hit in data["results"]}


def add_set(manager, **form) -> None:
    url = reverse("relief_search_synonymset_modeladmin_create")
    assert manager.post(url, {**form, "active": "on"}).status_code == 302


@pytest.fixture
def indexed(blog_index, index_articles):
    """Articles of one paragraph each, (title, text), in the index."""

    def make(*articles: tuple[str, str]) -> list:
        pages = [
            create_article(parent=blog_index, title=title, body=[paragraph(text)])
            for title, text in articles
        ]
        index_articles(*pages)
        return pages

    return make


def test_a_one_way_set_finds_the_medical_term_at_once_and_never_backwards(
    client, indexed, keywords_only, search_manager
):
    medical, everyday = indexed(
        ("Abdominal pain after meals", "Abdominal pain after eating often eases."),
        ("Before school", "A tummy ache before school can be worry."),
    )
    assert found(client, "tummy ache") == {everyday.pk}
    add_set(
        search_manager, kind="one-way", phrases="tummy ache", terms="abdominal pain"
    )
    assert found(client, "tummy ache") == {everyday.pk, medical.pk}
    assert found(client, "abdominal pain") == {medical.pk}


def test_a_two_way_set_works_both_ways_until_it_is_deleted(
    client, indexed, keywords_only, search_manager
):
    cramp, horse = indexed(
        ("Night cramps", "A muscle cramp in the calf wakes many people."),
        ("Old names", "Some still call it a charley horse."),
    )
    assert found(client, "charley horse") == {horse.pk}
    add_set(search_manager, kind="two-way", phrases="charley horse\nmuscle cramp")
    assert found(client, "charley horse") == {horse.pk, cramp.pk}
    assert found(client, "muscle cramp") == {horse.pk, cramp.pk}
    delete = reverse(
        "relief_search_synonymset_modeladmin_delete",
        args=[SynonymSet.objects.get().pk],
    )
    assert search_manager.post(delete).status_code == 302
    assert found(client, "charley horse") == {horse.pk}
