"""How a reader's text becomes a scored query: its shape (a few keywords or a
long question), the words that carry meaning, and the clauses that score them.

Each query word is scored once across an article's fields (a BM25F-style
combined score) instead of once per boosted field, so a word in the title does
not count again in every heading that repeats the title. Short keyword queries
tolerate typos and reward their words side by side; long questions lose their
filler words and lean on titles to say which of their many words matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.abbreviations import abbreviations_in
from search.synonyms import QueryExpansion, normalise, words_compared

# Words a consumer question is wrapped in ("Do you have information about...",
# "what can I do for..."): they match templated headings and every long text,
# and never say what the question is about. Removed at query time only.
FILLER_WORDS = """
    a about after again all also am an and any anyone anything are as ask asked
    asking at be been before being but by can cannot could dear did do does doing
    done for from get gets getting give got had has have having hello help hi how
    i if im in info information into is it its ive just know let like me mine my
    myself need needed needs no not of on or our please question questions really
    regards should so some someone something sure tell than thank thanks that the
    their them then there these they this those to too us very want wanted was we
    were what whats when where which while who whom whose why will with would you
    your yours
"""
QUESTION_FILLER = frozenset(FILLER_WORDS.split())
# Up to this many meaningful words a query is keywords ("knee pain", "physio
# for back pain"); beyond it, a question.
KEYWORD_QUERY_WORDS = 3
# The score an article gains for being filed under a topic the query names: about
# what one well-matched title word adds.
TOPIC_BONUS = 3.0
# What an article's own score is multiplied by when it covers every side of a
# comparison ("migraine vs tension headache"): it answers the whole question
# where one covering a side answers half. A factor, not an added score, so it
# weighs the same on every engine's scale of BM25 (an added 3.0, as for a
# topic, moved OpenSearch's ranking but not noida-db's, whose scores run
# about twice as high on the demo).
ALL_SIDES_FACTOR = 2.0
# What a typo-tolerant match alone scores: about one exact match of a common word.
TYPO_SCORE = 1.0
# No typo tolerance below 4 characters (CBD must not find CBT), one edit up
# to 6 characters, two from 7.
FUZZINESS = "AUTO:4,7"


@dataclass(frozen=True)
class QueryShape:
    text: str
    words: tuple[str, ...]
    # Short all-caps terms as typed ("ALS", "NSAIDs"), lowercased: matched
    # unstemmed, never through the stemmer that makes ALS "al".
    abbreviations: tuple[str, ...] = ()

    @property
    def is_question(self) -> bool:
        return len(self.words) > KEYWORD_QUERY_WORDS


def meaningful_words(*, query: str) -> tuple[str, ...]:
    """The query's words without comparison connectors ("vs") and question
    filler (all of its words when every one is filler)."""
    words = words_compared(query)
    return tuple(w for w in words if w not in QUESTION_FILLER) or tuple(words)


def shape_query(*, query: str) -> QueryShape:
    """The query's meaningful words and its abbreviations."""
    meaningful = meaningful_words(query=query)
    abbreviations = abbreviations_in(query=query)
    return QueryShape(
        text=" ".join(w for w in meaningful if w not in abbreviations),
        words=meaningful,
        abbreviations=abbreviations,
    )


@dataclass(frozen=True)
class Weights:
    """Field weights inside the combined score, and what the best section adds
    to the article's own score."""

    title: float
    heading: float
    summary: float
    section: float


# Keywords name a subject, and an article about it need not repeat them in its
# title: at title weight 4, articles that did outranked those that discuss the
# subject. On NFCorpus train's 2,059 keyword queries, title 2 gained +0.005
# nDCG@10 over all 2,590 queries (p 0.0001; 1 and 1.5 did alike, 3 half as
# much). The best section only picks the link to show (a common word in a
# heading must not outweigh a rarer word elsewhere in another article): at 1.0
# it scored the same on NFCorpus and ranked the demo's back-pain articles above
# its knee article.
KEYWORD_WEIGHTS = Weights(title=2.0, heading=3.0, summary=1.5, section=0.1)
# Long questions carry many words of their own; the title says which of them
# the article is about. The best section, the passage that answers, counts in
# full beside the article's own score.
QUESTION_WEIGHTS = Weights(title=4.0, heading=3.0, summary=1.5, section=1.0)


def weights_for(shape: QueryShape) -> Weights:
    return QUESTION_WEIGHTS if shape.is_question else KEYWORD_WEIGHTS


def any_phrase_clauses(*, phrases: list[str], boosts: dict[str, float]) -> list[dict]:
    """Any of the phrases, each exactly, in one intervals clause per field:
    "physical therapy" must not match every page that says "therapy", and one
    clause reads a long field once."""
    if not phrases:
        return []
    return [
        {
            "intervals": {
                field_name: {
                    "any_of": {
                        "intervals": [
                            {"match": {"query": p, "max_gaps": 0, "ordered": True}}
                            for p in phrases
                        ]
                    },
                    "boost": boost,
                }
            }
        }
        for field_name, boost in boosts.items()
    ]


def synonym_clauses(
    *,
    expansion: QueryExpansion,
    boosts: dict[str, float],
    unstemmed_boosts: dict[str, float],
) -> list[dict]:
    """Every phrase of every group the query mentioned, on the stemmed fields;
    the groups' abbreviations, singular or plural, on the unstemmed ones."""
    abbreviations = set(expansion.abbreviations)
    phrases = {p for group in expansion.groups for p in group} - abbreviations
    forms = abbreviations | {f"{a}s" for a in abbreviations if not a.endswith("s")}
    return [
        *any_phrase_clauses(phrases=sorted(phrases), boosts=boosts),
        *any_phrase_clauses(phrases=sorted(forms), boosts=unstemmed_boosts),
    ]


def combined_text_query(*, query: str, fields: list[str]) -> dict:
    """One score per query word over several fields of one analyzer, as if they
    were one field: `cross_fields` blends the fields' term statistics and counts
    each word once, in its best field, on every engine. Elasticsearch and
    OpenSearch 3 also have `combined_fields` (BM25F proper): with it on
    OpenSearch 3.5, LiveQA DEV nDCG@10 fell from 0.697 to 0.648 (p 0.0006) and
    NFCorpus moved by no significant amount (bench/results/history.jsonl)."""
    return {"multi_match": {"query": query, "fields": fields, "type": "cross_fields"}}


def words_clause(
    *, shape: QueryShape, fields: list[str], typo_fields: list[str]
) -> dict:
    """The query's words over the fields as one combined score. For keywords, a
    typo-tolerant match on the unstemmed short fields stands in with a small
    fixed score where nothing matched exactly; it never adds to an exact match
    (a word typed correctly counts once, with its own rarity)."""
    exact = combined_text_query(query=shape.text, fields=fields)
    if shape.is_question:
        return exact
    typo = {
        "multi_match": {
            "query": shape.text,
            "fields": typo_fields,
            "fuzziness": FUZZINESS,
            "prefix_length": 1,
            "max_expansions": 20,
        }
    }
    return {
        "dis_max": {
            "queries": [
                exact,
                {"constant_score": {"filter": typo, "boost": TYPO_SCORE}},
            ]
        }
    }


def abbreviation_clauses(*, shape: QueryShape, fields: list[str]) -> list[dict]:
    """The query's abbreviations over unstemmed fields, one combined score."""
    if not shape.abbreviations:
        return []
    return [combined_text_query(query=" ".join(shape.abbreviations), fields=fields)]


def section_clauses(*, shape: QueryShape, expansion: QueryExpansion) -> list[dict]:
    """One section's score: its heading and text as one combined field."""
    weights = weights_for(shape)
    return [
        words_clause(
            shape=shape,
            fields=[f"sections.heading^{weights.heading}", "sections.text"],
            typo_fields=["sections.heading.plain"],
        ),
        *synonym_clauses(
            expansion=expansion,
            boosts={"sections.heading": weights.heading, "sections.text": 1.0},
            unstemmed_boosts={
                "sections.heading.plain": weights.heading,
                "sections.text.exact": 1.0,
            },
        ),
        *abbreviation_clauses(
            shape=shape,
            fields=[f"sections.heading.plain^{weights.heading}", "sections.text.exact"],
        ),
    ]


def topics_named_in(*, query: str) -> list[str]:
    """Slugs of the pain topics the query names by name or synonym ("physio for
    back pain" names Back pain). A topic sharing only a common word with the
    query ("pain") says nothing about what was asked."""
    from blog.models import PainTopic

    padded = f" {normalise(query)} "
    return [
        topic.slug
        for topic in PainTopic.objects.only("slug", "name", "synonyms")
        if any(
            f" {phrase} " in padded
            for phrase in map(normalise, (topic.name, *topic.synonym_list))
            if phrase
        )
    ]


def side_clause(*, side: QueryExpansion) -> dict | None:
    """One side of a comparison covered by the article's text: each of its
    meaningful words, and a phrase or abbreviation of each of its groups; None
    for a side of filler words only."""
    words = [w for w in side.remaining_words if w not in QUESTION_FILLER]
    must = (
        [{"match": {"all_text": {"query": " ".join(words), "operator": "and"}}}]
        if words
        else []
    )
    for group in side.groups:
        one_group = QueryExpansion(
            groups=(group,),
            remaining_words=(),
            abbreviations=tuple(a for a in side.abbreviations if a in group),
        )
        should = synonym_clauses(
            expansion=one_group,
            boosts={"all_text": 1.0},
            unstemmed_boosts={"all_text.exact": 1.0},
        )
        must.append({"bool": {"should": should, "minimum_should_match": 1}})
    return {"bool": {"must": must}} if must else None


def favour_all_sides(*, clauses: list[dict], expansion: QueryExpansion) -> list[dict]:
    """For a comparison, the article clauses as one score, multiplied for the
    articles that cover every side; other queries' clauses as they are."""
    sides = list(filter(None, (side_clause(side=s) for s in expansion.sides)))
    if len(sides) < 2:
        return clauses
    return [
        {
            "function_score": {
                "query": {"bool": {"should": clauses, "minimum_should_match": 1}},
                "functions": [
                    {"filter": {"bool": {"filter": sides}}, "weight": ALL_SIDES_FACTOR}
                ],
                "boost_mode": "multiply",
            }
        }
    ]


def article_clauses(
    *, shape: QueryShape, expansion: QueryExpansion, topics: list[str]
) -> list[dict]:
    """The article's own score: title, summary and all of its text combined,
    a bonus for being filed under a topic the query names, and for keywords
    typo tolerance and phrase proximity on the title and summary."""
    weights = weights_for(shape)
    clauses = [
        words_clause(
            shape=shape,
            fields=[f"title^{weights.title}", f"summary^{weights.summary}", "all_text"],
            typo_fields=["title.plain"],
        ),
        *synonym_clauses(
            expansion=expansion,
            boosts={"title": weights.title, "summary": weights.summary},
            unstemmed_boosts={"title.plain": weights.title},
        ),
    ]
    clauses += abbreviation_clauses(
        shape=shape,
        fields=[f"title.plain^{weights.title}", "all_text.exact"],
    )
    if topics:
        clauses.append({"terms": {"topic_slugs": topics, "boost": TOPIC_BONUS}})
    if not shape.is_question:
        clauses.append(
            {
                "multi_match": {
                    "query": shape.text,
                    "fields": ["title", "summary"],
                    "type": "phrase",
                    "slop": 2,
                }
            }
        )
    return favour_all_sides(clauses=clauses, expansion=expansion)
