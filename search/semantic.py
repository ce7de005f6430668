"""Semantic search, read side: the reader's query embedded once, sent with the
keyword query, and fused with it by the engine in the same request.

BM25 judges words and the embedding judges meaning, so an article that says
"statins" for a query about "cholesterol-lowering drugs" moves up among the
hits. Candidates are the keyword matches and the query's nearest neighbours
by meaning (a `knn` clause), so an article that shares no word with the query
can still be found. Every candidate is scored in the engine as

    (1 - SEMANTIC_WEIGHT) x BM25 / (BM25 + saturation) + SEMANTIC_WEIGHT x (1 + cosine)

(the cosine shifted by one, since an engine score may not be negative). The
keyword score is saturated rather than divided by the best hit's score, which
only a second request could know. A neighbour that matches no keyword must be
at least MIN_NEIGHBOUR_COSINE close, so a query about nothing on the site finds
nothing. An article without a vector yet (indexed before its vector was
filled) counts as meaning as much as its keywords say: it never sinks below
its keyword rank. The sections each hit brings back are scored the same way
inside the same request, so the section a hit links to is the one that
answers.

Vectors live in the index (search.vectors writes them); nothing here reads the
database. Switched off with RELIEF_SEARCH["SEMANTIC_RERANK"] = False: no
query is embedded and BM25's order stands.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from search import embeddings
from search.documents import SECTION_VECTOR_FIELD, VECTOR_FIELD
from search.engine import Engine

# Share of meaning in the fused score. On NFCorpus train (2,590 queries)
# weights 0.3 / 0.5 / 0.7 / 0.8 / 0.9 gave nDCG@10 0.327 / 0.335 / 0.339 /
# 0.339 / 0.333 (0.316 without meaning), and LiveQA DEV peaked at 0.7 too
# (bench/results/history.jsonl).
SEMANTIC_WEIGHT = 0.7
# The BM25 score at which an article's keyword share is one half; sections,
# scored on their own text alone, score lower.
ARTICLE_SATURATION = 10.0
SECTION_SATURATION = 5.0
# Nearest neighbours by meaning added to the keyword candidates.
NEIGHBOURS = 100
# How close a neighbour that matches no keyword must be to count at all.
MIN_NEIGHBOUR_COSINE = 0.5
# Fused scores are at least this for every candidate that counts: a keyword
# match scores above 0, a neighbour below the cosine floor exactly 0.
MIN_SCORE = 1e-6


@dataclass(frozen=True)
class QueryMeaning:
    vector: list[float]
    # The best keyword score among the candidates, which the fusion divides
    # by; 0: saturate instead (ARTICLE_SATURATION).
    best_keyword_score: float = 0.0


def is_enabled() -> bool:
    return bool(settings.RELIEF_SEARCH.get("SEMANTIC_RERANK", True))


def embed_query(*, query: str) -> list[float]:
    return embeddings.encoder().encode([query])[0].tolist()


def fused_script(
    *, engine: Engine, field: str, saturation: float, meaning: QueryMeaning
) -> dict:
    """Painless for the fused score of a candidate whose keyword score is
    `_score`; a candidate with no keyword score is a neighbour, counted only
    above the cosine floor."""
    has_vector = engine.has_vector_expression(field=field)
    cosine = engine.cosine_expression(field=field, vector_param="vector")
    return {
        "source": (
            "double share = params.best > 0 ? Math.min(1.0, _score / params.best)"
            " : _score / (_score + params.saturation);"
            f"if (!({has_vector})) {{ return share + params.weight; }}"
            f"double cosine = {cosine};"
            "if (_score == 0 && cosine < params.floor) { return 0; }"
            "return (1 - params.weight) * share + params.weight * (1 + cosine);"
        ),
        "params": {
            "vector": meaning.vector,
            "best": meaning.best_keyword_score if field == VECTOR_FIELD else 0.0,
            "saturation": saturation,
            "weight": SEMANTIC_WEIGHT,
            "floor": MIN_NEIGHBOUR_COSINE,
        },
    }


def fused_query(*, engine: Engine, keyword_query: dict, meaning: QueryMeaning) -> dict:
    """The keyword query and the query's nearest neighbours, each candidate
    scored by words and meaning together. The neighbours' own clause scores
    nothing: it only adds candidates."""
    candidates = {
        "bool": {
            "should": [
                keyword_query,
                {
                    "bool": {
                        "should": [
                            engine.knn_query(
                                field=VECTOR_FIELD, vector=meaning.vector, k=NEIGHBOURS
                            )
                        ],
                        "boost": 0,
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }
    return {
        "script_score": {
            "query": candidates,
            "script": fused_script(
                engine=engine,
                field=VECTOR_FIELD,
                saturation=ARTICLE_SATURATION,
                meaning=meaning,
            ),
        }
    }


def fused_section_query(
    *, engine: Engine, section_query: dict, meaning: QueryMeaning
) -> dict:
    """A section's keyword query scored with its meaning, so the inner hits a
    hit brings back come best first."""
    return {
        "script_score": {
            "query": section_query,
            "script": fused_script(
                engine=engine,
                field=SECTION_VECTOR_FIELD,
                saturation=SECTION_SATURATION,
                meaning=meaning,
            ),
        }
    }
