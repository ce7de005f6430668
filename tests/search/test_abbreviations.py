"""The shipped abbreviation lists and their loader (search/abbreviations.py)."""

import pytest
from django.core.management import call_command

from search.abbreviations import (
    SEED_FILES,
    abbreviations_in,
    read_seed_file,
    read_seed_header,
    seed_abbreviations,
)
from search.models import Abbreviation


@pytest.mark.parametrize("source", list(SEED_FILES))
def test_each_seed_file_names_its_source_and_licence_and_counts_its_rows(source):
    path = SEED_FILES[source]
    header = read_seed_header(path=path)
    rows = read_seed_file(path=path)
    assert header["Source"] and header["Licence"]
    assert int(header["Rows"]) == len(rows) == len(set(rows))
    assert all(row.abbreviation.isupper() and row.expansion for row in rows)


def test_the_disease_ontology_list_says_which_release_and_that_it_is_cc0():
    header = read_seed_header(path=SEED_FILES["disease-ontology"])
    assert "Disease Ontology" in header["Source"]
    assert header["Release"][:4].isdigit()
    assert header["Licence"].startswith("CC0 1.0")


@pytest.mark.django_db
def test_the_seed_lists_load_once_and_loading_again_keeps_editors_changes():
    Abbreviation.objects.all().delete()
    call_command("load_abbreviations", verbosity=0)
    # A pair in both lists loads once.
    pairs = {
        (row.abbreviation, row.expansion.lower())
        for path in SEED_FILES.values()
        for row in read_seed_file(path=path)
    }
    assert Abbreviation.objects.count() == len(pairs)
    als = Abbreviation.objects.get(abbreviation="ALS")
    assert als.expansion == "amyotrophic lateral sclerosis"
    assert als.source == Abbreviation.Source.DISEASE_ONTOLOGY
    als.active = False
    als.save()
    Abbreviation.objects.create(abbreviation="ALS", expansion="a local sense")
    assert seed_abbreviations() == 0
    assert not Abbreviation.objects.get(pk=als.pk).active
    assert Abbreviation.objects.filter(abbreviation="ALS").count() == 2


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ALS", ("als",)),
        ("NSAIDs for CRPS", ("nsaids", "crps")),
        ("as us ms", ()),
        ("WHAT CAN I DO FOR MY BACK", ()),
        ("Is TENS safe?", ("tens",)),
    ],
)
def test_abbreviations_count_only_as_typed_in_capitals(query, found):
    assert abbreviations_in(query=query) == found
