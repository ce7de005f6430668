"""Semantic search, read side: the reader's query embedded once, sent with the
keyword query, and fused with it by the engine in the same request.

BM25 judges words and the embedding judges meaning, so an article that says
"statins" for a query about "cholesterol-lowering drugs" moves up among the
hits. The candidates are BM25's best RERANK_DEPTH and the query's NEIGHBOURS
nearest articles by meaning (a `knn` clause, each at least MIN_NEIGHBOUR_COSINE
close), so an article that shares no word with the query can be found, and a
query about nothing on the site finds nothing. The engine rescores that window
of candidates, and only it, as

    (1 - SEMANTIC_WEIGHT) x BM25 / best BM25 + SEMANTIC_WEIGHT x (1 + cosine)

(the cosine shifted by one, since an engine score may not be negative): the
fusion tuned when it ran in Python. The best keyword score is asked of the
engine while the query is embedded. Past the window, hits keep BM25's order.
An article without a vector yet counts as meaning as much as its keywords say,
so it never sinks below its keyword rank.

Each hit's best sections come back with their cosine (a script field on the
inner hits, so only the page's sections are compared) and are put in fused
order here, so the section a hit links to is the one that answers.

Vectors live in the index (search.vectors writes them); nothing here reads the
database. Switched off with RELIEF_SEARCH["SEMANTIC_RERANK"] = False: no
query is embedded and BM25's order stands.
"""

from __future__ import annotations

from dataclasses import dataclass

from search import embeddings
from search.documents import SECTION_VECTOR_FIELD, VECTOR_FIELD
from search.engine import Engine

# Share of meaning in the fused score. On NFCorpus train (2,590 queries)
# weights 0.3 / 0.5 / 0.7 / 0.8 / 0.9 gave nDCG@10 0.327 / 0.335 / 0.339 /
# 0.339 / 0.333 (0.316 without meaning), and LiveQA DEV peaked at 0.7 too
# (bench/results/history.jsonl).
SEMANTIC_WEIGHT = 0.7
# BM25's best hits fused with their meaning; a page of results past the window
# (these and the neighbours) keeps BM25's order.
RERANK_DEPTH = 100
# Nearest neighbours by meaning added to the keyword candidates, and how close
# one that matches no keyword must be to count at all.
NEIGHBOURS = 100
MIN_NEIGHBOUR_COSINE = 0.5
FUSED_WINDOW = RERANK_DEPTH + NEIGHBOURS
# Name of the inner hits' script field holding a section's cosine.
SECTION_COSINE = "cosine"


@dataclass(frozen=True)
class QueryMeaning:
    vector: list[float]
    # The best keyword score, which the fusion divides by (0: nothing matched).
    best_keyword_score: float = 0.0


def embed_query(*, query: str) -> list[float]:
    return embeddings.encoder().encode([query])[0].tolist()


def fused_script(*, engine: Engine, meaning: QueryMeaning) -> dict:
    """Painless for the fused score of a candidate whose keyword score is
    `_score`."""
    has_vector = engine.has_vector_expression(field=VECTOR_FIELD)
    cosine = engine.cosine_expression(field=VECTOR_FIELD, vector_param="vector")
    return {
        "source": (
            "double share = params.best > 0 ? Math.min(1.0, _score / params.best)"
            " : 0;"
            f"if (!({has_vector})) {{ return share + params.weight; }}"
            "return (1 - params.weight) * share"
            f" + params.weight * (1 + {cosine});"
        ),
        "params": {
            "vector": meaning.vector,
            "best": meaning.best_keyword_score,
            "weight": SEMANTIC_WEIGHT,
        },
    }


def with_neighbours(
    *, engine: Engine, keyword_query: dict, meaning: QueryMeaning
) -> dict:
    """The keyword matches and the query's nearest neighbours. A neighbour
    scores above every keyword match, so each one is in the fused window."""
    neighbours = engine.knn_query(
        field=VECTOR_FIELD,
        vector=meaning.vector,
        k=NEIGHBOURS,
        min_cosine=MIN_NEIGHBOUR_COSINE,
    )
    # A k-NN score is at least 0.5 ((1 + cos) / 2 with cos >= 0).
    lift = 2 * max(meaning.best_keyword_score, 1.0)
    return {
        "bool": {
            "should": [
                keyword_query,
                {"bool": {"should": [neighbours], "boost": lift}},
            ],
            "minimum_should_match": 1,
        }
    }


def fused_rescore(
    *, engine: Engine, keyword_query: dict, meaning: QueryMeaning
) -> dict:
    """The window of candidates scored by words and meaning: the keyword query
    again (only on the window's documents) gives each its BM25 score, zero for
    a neighbour that matches no keyword."""
    scored = {
        "bool": {
            "should": [keyword_query, {"match_all": {"boost": 0}}],
            "minimum_should_match": 1,
        }
    }
    return {
        "window_size": FUSED_WINDOW,
        "query": {
            "rescore_query": {
                "script_score": {
                    "query": scored,
                    "script": fused_script(engine=engine, meaning=meaning),
                }
            },
            "query_weight": 0,
            "rescore_query_weight": 1,
        },
    }


def section_cosine_field(*, engine: Engine, meaning: QueryMeaning) -> dict:
    """A script field of each inner hit: its section's cosine with the query,
    null for a section without a vector yet. A dot product: both are unit
    vectors."""
    field = SECTION_VECTOR_FIELD
    has_vector = engine.has_vector_expression(field=field)
    value = engine.vector_value_expression(field=field)
    return {
        SECTION_COSINE: {
            "script": {
                "source": (
                    f"if (!({has_vector})) {{ return null; }}"
                    f"def section = {value}; double dot = 0;"
                    "for (int i = 0; i < section.length; i++) {"
                    " dot += section[i] * params.vector[i]; }"
                    "return dot;"
                ),
                "params": {"vector": meaning.vector},
            }
        }
    }


def fused_section_scores(
    *, scores: list[float], cosines: list[float | None]
) -> list[float]:
    """(1 - SEMANTIC_WEIGHT) x each section's BM25 score as a share of the best
    one given + SEMANTIC_WEIGHT x its cosine. A section without a vector counts
    as the least similar; with no cosine at all the scores stand."""
    known = [cosine for cosine in cosines if cosine is not None]
    if not known:
        return scores
    best = max(scores) or 1.0
    least = min(known)
    return [
        (1 - SEMANTIC_WEIGHT) * score / best
        + SEMANTIC_WEIGHT * (least if cosine is None else cosine)
        for score, cosine in zip(scores, cosines, strict=True)
    ]
