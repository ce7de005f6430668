import pytest

from search.synonyms import expand_query, merge_groups, normalise, synonym_groups
from tests.factories import PainTopicFactory


def test_longest_phrase_is_taken_before_its_parts():
    expansion = expand_query(
        query="Cognitive behavioral therapy for sleep",
        groups=merge_groups([("cbt", "cognitive behavioral therapy"), ("therapy",)]),
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
    )
    assert "nsaid" in expansion.groups[0]


@pytest.mark.django_db
def test_built_in_groups_cover_both_directions():
    groups = synonym_groups()
    by_abbreviation = expand_query(query="nsaid", groups=groups).groups[0]
    by_phrase = expand_query(query="nonsteroidal anti-inflammatory", groups=groups)
    assert "nonsteroidal anti inflammatory" in by_abbreviation
    assert by_phrase.groups[0] == by_abbreviation
    assert "physical therapy" in expand_query(query="physiotherapy").groups[0]


@pytest.mark.django_db
def test_topic_synonyms_merge_with_a_built_in_group_that_shares_a_phrase():
    PainTopicFactory(name="Low back pain", synonyms="lumbago\nbackache\n")
    group = expand_query(query="backache stretches").groups[0]
    assert {"backache", "lumbago", "lbp", "low back pain"} <= set(group)


@pytest.mark.django_db
def test_an_edited_topic_synonym_applies_to_the_next_expansion():
    topic = PainTopicFactory(name="Jaw pain", synonyms="")
    assert expand_query(query="bruxism").groups == ()
    topic.synonyms = "bruxism"
    topic.save()
    assert "jaw pain" in expand_query(query="bruxism").groups[0]


def test_words_outside_every_group_are_left_for_the_normal_query():
    expansion = expand_query(query="gentle walking", groups=merge_groups([("pt",)]))
    assert expansion.groups == ()
    assert expansion.remaining_words == ("gentle", "walking")
