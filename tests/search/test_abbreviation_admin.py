"""The editors' abbreviation screen (search/wagtail_hooks.py), driven through its
admin forms."""

from html import unescape

import pytest
from django.urls import reverse

from search.models import Abbreviation

pytestmark = pytest.mark.django_db


def url(action: str, *args) -> str:
    return reverse(f"relief_search_abbreviation_modeladmin_{action}", args=args)


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    return client


def page_text(response) -> str:
    return unescape(response.content.decode())


def test_an_editor_adds_a_pair_filed_as_theirs(editor):
    response = editor.post(
        url("create"),
        {"abbreviation": "BMS", "expansion": "burning  mouth syndrome", "active": "on"},
    )
    assert response.status_code == 302
    pair = Abbreviation.objects.get(abbreviation="BMS")
    assert pair.expansion == "burning mouth syndrome"
    assert pair.source == Abbreviation.Source.EDITOR


@pytest.mark.parametrize(
    ("abbreviation", "expansion", "message"),
    [
        ("bms", "burning mouth syndrome", "2 to 6 capital letters"),
        ("BURNINGM", "burning mouth syndrome", "2 to 6 capital letters"),
        ("BMS", "BMS", "Spell the abbreviation out in words."),
    ],
)
def test_a_pair_that_is_no_abbreviation_is_refused_keeping_what_was_typed(
    editor, abbreviation, expansion, message
):
    response = editor.post(
        url("create"), {"abbreviation": abbreviation, "expansion": expansion}
    )
    assert response.status_code == 200
    html = page_text(response)
    assert message in html
    assert f'value="{expansion}"' in html
    assert not Abbreviation.objects.filter(expansion=expansion).exists()


def test_an_exact_duplicate_is_refused_naming_the_pair(editor):
    Abbreviation.objects.create(abbreviation="BMS", expansion="burning mouth syndrome")
    response = editor.post(
        url("create"), {"abbreviation": "BMS", "expansion": "Burning mouth syndrome"}
    )
    assert response.status_code == 200
    assert 'BMS already stands for "Burning mouth syndrome"' in page_text(response)
    assert Abbreviation.objects.filter(abbreviation="BMS").count() == 1


def test_an_editor_edits_their_pair(editor):
    pair = Abbreviation.objects.create(abbreviation="BMS", expansion="burning mouth")
    response = editor.post(
        url("edit", pair.pk),
        {"abbreviation": "BMS", "expansion": "burning mouth syndrome", "active": "on"},
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.expansion == "burning mouth syndrome"


def test_a_seeded_pair_can_be_switched_off_but_not_rewritten_or_deleted(
    editor, seeded_abbreviations
):
    pair = Abbreviation.objects.get(abbreviation="CRPS")
    response = editor.post(
        url("edit", pair.pk), {"abbreviation": "CRP", "expansion": "something else"}
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.abbreviation, pair.expansion, pair.active) == (
        "CRPS",
        "complex regional pain syndrome",
        False,
    )
    assert editor.post(url("delete", pair.pk)).status_code in (302, 403)
    assert Abbreviation.objects.filter(pk=pair.pk).exists()


def test_the_list_searches_and_filters_by_source(editor):
    Abbreviation.objects.create(abbreviation="BMS", expansion="burning mouth syndrome")
    Abbreviation.objects.create(
        abbreviation="PHN",
        expansion="postherpetic neuralgia",
        source=Abbreviation.Source.RELIEF,
    )
    found = page_text(editor.get(url("index"), {"q": "burning"}))
    assert "burning mouth syndrome" in found
    assert "postherpetic neuralgia" not in found
    by_editors = page_text(editor.get(url("index"), {"source__exact": "editor"}))
    assert "burning mouth syndrome" in by_editors
    assert "postherpetic neuralgia" not in by_editors
