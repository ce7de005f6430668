import pytest

from search.abbreviations import AbbreviationTable, build_table
from search.models import Abbreviation, SynonymSet
from search.synonyms import expand_query, merge_groups, normalise
from tests.factories import PainTopicFactory

NO_ABBREVIATIONS = AbbreviationTable()


def table_of(*rows: tuple[str, str, str]) -> AbbreviationTable:
    return build_table(rows=rows)


def meanings(query: str) -> set[str]:
    """Every phrase the query stands for, by the editors' lists and sets."""
    return {p for group in expand_query(query=query).groups for p in group}


def test_longest_phrase_is_taken_before_its_parts():
    expansion = expand_query(
        query="Cognitive behavioral therapy for sleep",
        groups=merge_groups([("cbt", "cognitive behavioral therapy"), ("therapy",)]),
        table=NO_ABBREVIATIONS,
    )
    assert expansion.groups == (("cognitive behavioral therapy", "cbt"),)
    assert expansion.remaining_words == ("for", "sleep")


def test_hyphens_case_and_accents_do_not_matter():
    assert normalise("Non-Steroidal  Anti-Inflammatory Café") == (
        "non steroidal anti inflammatory cafe"
    )
    expansion = expand_query(
        query="NON-STEROIDAL anti-inflammatory",
        groups=merge_groups([("nsaid", "non-steroidal anti-inflammatory")]),
        table=NO_ABBREVIATIONS,
    )
    assert "nsaid" in expansion.groups[0]


@pytest.mark.django_db
def test_built_in_groups_and_seeded_abbreviations_cover_both_directions(
    seeded_abbreviations,
):
    by_abbreviation = expand_query(query="NSAID").groups[0]
    by_phrase = expand_query(query="nonsteroidal anti-inflammatory").groups[0]
    assert "nonsteroidal anti inflammatory" in by_abbreviation
    assert by_phrase == by_abbreviation
    assert expand_query(query="NSAIDs for knees").abbreviations == ("nsaid",)
    assert "physical therapy" in expand_query(query="physiotherapy").groups[0]
    assert "pt" in expand_query(query="physiotherapy").groups[0]


@pytest.mark.django_db
def test_lowercase_words_are_not_read_as_abbreviations(seeded_abbreviations):
    assert expand_query(query="ms").groups == ()
    assert expand_query(query="tens of people with pt").groups == ()
    assert "multiple sclerosis" in expand_query(query="MS fatigue").groups[0]


@pytest.mark.django_db
def test_abbreviations_marked_any_case_count_however_they_are_typed(
    seeded_abbreviations,
):
    assert "complex regional pain syndrome" in expand_query(query="crps").groups[0]
    assert expand_query(query="nsaids for knees").abbreviations == ("nsaid",)
    # An editor marks an abbreviation that lowercase is no word.
    pair = Abbreviation.objects.create(
        abbreviation="CWP", expansion="chronic widespread pain"
    )
    assert expand_query(query="cwp").groups == ()
    pair.any_case = True
    pair.save()
    assert "chronic widespread pain" in expand_query(query="cwp").groups[0]


def test_an_abbreviation_spelled_out_matches_it_unstemmed():
    table = table_of(("ALS", "amyotrophic lateral sclerosis", "disease-ontology"))
    by_phrase = expand_query(
        query="amyotrophic lateral sclerosis diet", groups=[], table=table
    )
    assert by_phrase.abbreviations == ("als",)
    assert by_phrase.remaining_words == ("diet",)
    by_abbreviation = expand_query(query="ALS diet", groups=[], table=table)
    assert by_abbreviation.groups == by_phrase.groups


def test_an_ambiguous_abbreviation_expands_only_to_what_other_words_point_to():
    table = table_of(
        ("AD", "Alzheimer's disease", "disease-ontology"),
        ("AD", "atopic dermatitis", "disease-ontology"),
    )
    alone = expand_query(query="AD treatment", groups=[], table=table)
    assert alone.groups == ()
    assert alone.remaining_words == ("ad", "treatment")
    pointed = expand_query(query="AD dermatitis itch", groups=[], table=table)
    assert pointed.groups == (("atopic dermatitis", "ad"),)
    # Spelled out, it does not bring in every article saying "AD".
    assert expand_query(query="atopic dermatitis", groups=[], table=table).groups == ()


def test_relief_and_editor_meanings_replace_the_ontology_meanings():
    table = table_of(
        ("TMD", "tibial muscular dystrophy", "disease-ontology"),
        ("TMD", "temporomandibular joint disorder", "relief"),
    )
    [group] = expand_query(query="TMD", groups=[], table=table).groups
    assert "temporomandibular joint disorder" in group
    assert "tibial muscular dystrophy" not in group


@pytest.mark.django_db
def test_topic_synonyms_merge_with_a_built_in_group_that_shares_a_phrase():
    PainTopicFactory(name="Low back pain", synonyms="lumbago\nbackache\n")
    group = expand_query(query="backache stretches").groups[0]
    assert {"backache", "lumbago", "low back pain"} <= set(group)


@pytest.mark.django_db
def test_an_edited_topic_synonym_applies_to_the_next_expansion():
    topic = PainTopicFactory(name="Jaw pain", synonyms="")
    assert expand_query(query="bruxism").groups == ()
    topic.synonyms = "bruxism"
    topic.save()
    assert "jaw pain" in expand_query(query="bruxism").groups[0]


@pytest.mark.django_db
def test_added_edited_switched_off_and_deleted_pairs_apply_to_the_next_expansion():
    assert "burning mouth syndrome" not in meanings("BMS")
    pair = Abbreviation.objects.create(abbreviation="BMS", expansion="burning mouth")
    assert "burning mouth" in meanings("BMS")
    pair.expansion = "burning mouth syndrome"
    pair.save()
    assert "burning mouth syndrome" in meanings("BMS")
    pair.active = False
    pair.save()
    assert meanings("BMS") == set()
    pair.active = True
    pair.save()
    pair.delete()
    assert meanings("BMS") == set()


@pytest.mark.django_db
def test_one_way_sets_widen_only_forwards_and_two_way_sets_both_ways():
    one_way = SynonymSet.objects.create(
        kind="one-way", phrases="tummy ache\ntummy pain", terms="abdominal pain"
    )
    assert meanings("tummy ache") == {"tummy ache", "abdominal pain"}
    assert meanings("abdominal pain") == set()
    # The term's own synonyms come along, still one way.
    SynonymSet.objects.create(kind="two-way", phrases="Abdominal pain\nstomach pain")
    assert meanings("tummy pain") == {"tummy pain", "abdominal pain", "stomach pain"}
    assert meanings("stomach pain") == {"abdominal pain", "stomach pain"}
    one_way.active = False
    one_way.save()
    assert meanings("tummy ache") == set()


def test_words_outside_every_group_are_left_for_the_normal_query():
    expansion = expand_query(
        query="gentle walking", groups=merge_groups([("pt",)]), table=NO_ABBREVIATIONS
    )
    assert expansion.groups == ()
    assert expansion.remaining_words == ("gentle", "walking")


def test_a_term_finds_the_compound_terms_built_on_it_and_no_word_merely_ending_alike():
    table = table_of(
        ("OA", "osteoarthritis", "relief"),
        ("JPA", "juvenile polyarthritis", "disease-ontology"),
        ("HTN", "hypertension", "disease-ontology"),
    )
    groups = merge_groups([("arthritis", "joint inflammation")])
    [group] = expand_query(query="arthritis", groups=groups, table=table).groups
    assert {"osteoarthritis", "polyarthritis"} <= set(group)
    # "tension" is no term of the vocabulary, only the end of one word.
    assert expand_query(query="tension", groups=groups, table=table).groups == ()
    # The broader term is not found from the narrower one.
    [narrow] = expand_query(query="osteoarthritis", groups=groups, table=table).groups
    assert "arthritis" not in narrow


def test_a_comparison_is_expanded_side_by_side_without_its_connector():
    groups = merge_groups([("physio", "physical therapy")])
    expansion = expand_query(
        query="Physio compared with massage", groups=groups, table=NO_ABBREVIATIONS
    )
    assert [side.remaining_words for side in expansion.sides] == [(), ("massage",)]
    assert "physical therapy" in expansion.sides[0].groups[0]
    assert expansion.remaining_words == ("massage",)
    assert (
        expand_query(query="back pain", groups=groups, table=NO_ABBREVIATIONS).sides
        == ()
    )
