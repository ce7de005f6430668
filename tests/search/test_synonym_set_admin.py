"""The synonym sets' admin screen (search/wagtail_hooks.py), driven through
its own views: search managers change the sets, editors only see them."""

from html import unescape

import pytest
from django.urls import reverse

from search.models import Abbreviation, SynonymSet

pytestmark = pytest.mark.django_db

ONE_WAY = {
    "kind": "one-way",
    "phrases": "tummy ache\n Tummy  ache \ntummy pain",
    "terms": "abdominal pain",
    "active": "on",
}
TWO_WAY = {"kind": "two-way", "phrases": "charley horse\nmuscle cramp", "active": "on"}


def url(action: str, *args, model: str = "synonymset") -> str:
    return reverse(f"relief_search_{model}_modeladmin_{action}", args=args)


@pytest.fixture
def search_manager(client, admin_user_in):
    client.force_login(admin_user_in("Search managers"))
    return client


@pytest.fixture
def editor(client, admin_user_in):
    client.force_login(admin_user_in("Editors"))
    return client


def test_a_search_manager_adds_a_one_way_and_a_two_way_set(search_manager):
    assert search_manager.post(url("create"), ONE_WAY).status_code == 302
    assert search_manager.post(url("create"), TWO_WAY).status_code == 302
    one_way = SynonymSet.objects.get(kind="one-way")
    assert one_way.phrase_list == ["tummy ache", "tummy pain"]
    assert one_way.term_list == ["abdominal pain"]
    assert str(one_way) == "tummy ache, tummy pain \u2192 abdominal pain"
    listing = unescape(search_manager.get(url("index")).content.decode())
    assert "tummy ache, tummy pain \u2192 abdominal pain" in listing
    assert "charley horse, muscle cramp" in listing


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({**TWO_WAY, "phrases": "charley horse"}, "two phrases or more"),
        ({**TWO_WAY, "terms": "cramp"}, "A two-way set has only phrases"),
        ({**ONE_WAY, "terms": ""}, "Name the terms"),
        ({**ONE_WAY, "terms": "Tummy ache"}, "Already among the phrases"),
    ],
)
def test_a_set_that_cannot_work_is_refused_saying_why(search_manager, form, message):
    response = search_manager.post(url("create"), form)
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not SynonymSet.objects.exists()


def test_a_search_manager_edits_and_deletes_a_set(search_manager):
    synonym_set = SynonymSet.objects.create(kind="two-way", phrases="a\nb")
    response = search_manager.post(url("edit", synonym_set.pk), TWO_WAY)
    assert response.status_code == 302
    synonym_set.refresh_from_db()
    assert synonym_set.phrase_list == ["charley horse", "muscle cramp"]
    assert search_manager.post(url("delete", synonym_set.pk)).status_code == 302
    assert not SynonymSet.objects.exists()


def test_an_editor_sees_the_sets_but_cannot_add_edit_or_delete_one(editor):
    synonym_set = SynonymSet.objects.create(
        kind="one-way", phrases="tummy ache", terms="abdominal pain"
    )
    listing = unescape(editor.get(url("index")).content.decode())
    assert "tummy ache \u2192 abdominal pain" in listing
    assert url("create") not in listing
    assert editor.get(url("inspect", synonym_set.pk)).status_code == 200
    assert editor.post(url("create"), TWO_WAY).status_code in (302, 403)
    assert editor.post(url("edit", synonym_set.pk), TWO_WAY).status_code in (302, 403)
    assert editor.post(url("delete", synonym_set.pk)).status_code in (302, 403)
    synonym_set.refresh_from_db()
    assert (synonym_set.kind, synonym_set.phrases) == ("one-way", "tummy ache")
    assert SynonymSet.objects.count() == 1


def test_an_editor_sees_the_abbreviations_but_cannot_change_them(editor):
    pair = Abbreviation.objects.create(abbreviation="BMS", expansion="burning mouth")
    listing = unescape(
        editor.get(
            url("index", model="abbreviation"), {"q": "burning"}
        ).content.decode()
    )
    assert "burning mouth" in listing
    form = {"abbreviation": "BMS", "expansion": "burning mouth syndrome"}
    response = editor.post(url("edit", pair.pk, model="abbreviation"), form)
    assert response.status_code in (302, 403)
    pair.refresh_from_db()
    assert pair.expansion == "burning mouth"
