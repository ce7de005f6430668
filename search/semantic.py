"""Semantic re-ranking: the index's best RERANK_DEPTH hits, re-ordered by their
BM25 score and the cosine similarity of the query's and the article's sentence
embeddings together.

BM25 finds the candidates and judges words; the embedding judges meaning, so an
article that says "statins" for a query about "cholesterol-lowering drugs" moves
up among hits that already match. Article embeddings are computed on the write
side when a document is indexed and kept in the database (ArticleEmbedding);
the read side embeds only the query (about 5 ms on one core).

A short query says little, so its embedding is moved towards those of the best
few candidates before they are scored again (pseudo-relevance feedback, Rocchio
in embedding space): "vitamin d" then also means what the articles it finds
first are about. A long question already says what it means; feedback would
pull it towards whatever its first hits stress, so it is left as it is.

Switched off with RELIEF_SEARCH["SEMANTIC_RERANK"] = False: no embeddings are
computed and the index's order stands.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
from django.conf import settings

from search import embeddings
from search.models import ArticleEmbedding
from search.relevance import meaningful_words

# Hits re-ranked: a page of results beyond them keeps the index's order.
RERANK_DEPTH = 100
# Share of the cosine in the fused score. On NFCorpus train (2,590 queries)
# weights 0.3 / 0.5 / 0.7 / 0.8 / 0.9 gave nDCG@10 0.327 / 0.335 / 0.339 /
# 0.339 / 0.333 (0.316 without re-ranking), and LiveQA DEV peaked at 0.7 too
# (bench/results/history.jsonl).
SEMANTIC_WEIGHT = 0.7
# Queries of up to this many meaningful words get feedback from the best
# FEEDBACK_ARTICLES candidates, whose mean embedding is added to the query's at
# FEEDBACK_WEIGHT. With keyword title weight 2 (search.relevance), NFCorpus
# train nDCG@10 rose from 0.339 to 0.347 (p 0.0001). Up to 5, 8 or 12 words
# did alike; for every query it cost LiveQA DEV's long questions 0.01 to 0.05.
# At weight 1 the demo's "knee pain", whose best hits are back-pain articles,
# drifted to them (bench/README.md, bench/results/history.jsonl).
FEEDBACK_MAX_WORDS = 8
FEEDBACK_ARTICLES = 3
FEEDBACK_WEIGHT = 0.5


def is_enabled() -> bool:
    return bool(settings.RELIEF_SEARCH.get("SEMANTIC_RERANK", True))


def embedding_text(document: dict) -> str:
    """What an article's embedding is computed from: its title, summary and
    text as indexed; the encoder reads the first MAX_TOKENS of it."""
    return document["all_text"]


def digest_of(text: str) -> str:
    """Of the model, the length it reads and the text: a change to any of them
    makes every embedding stale."""
    model = f"{embeddings.MODEL_NAME}:{embeddings.MAX_TOKENS}"
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


def store_embeddings(*, documents: Iterable[dict]) -> int:
    """Compute and keep the embedding of each document whose text changed since
    its embedding was computed; returns how many were computed. One batch, so
    a rebuild's chunk of articles is encoded together."""
    if not is_enabled():
        return 0
    texts = {document["page_id"]: embedding_text(document) for document in documents}
    digests = {page_id: digest_of(text) for page_id, text in texts.items()}
    current = dict(
        ArticleEmbedding.objects.filter(page_id__in=digests).values_list(
            "page_id", "digest"
        )
    )
    stale = [
        page_id for page_id, digest in digests.items() if current.get(page_id) != digest
    ]
    if not stale:
        return 0
    vectors = embeddings.encoder().encode([texts[page_id] for page_id in stale])
    # One statement for the whole batch, new rows and replaced ones alike.
    ArticleEmbedding.objects.bulk_create(
        [
            ArticleEmbedding(
                page_id=page_id,
                digest=digests[page_id],
                vector=vector.astype("<f4").tobytes(),
            )
            for page_id, vector in zip(stale, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["digest", "vector"],
    )
    return len(stale)


def article_vectors(*, page_ids: list[int]) -> dict[int, np.ndarray]:
    return {
        page_id: np.frombuffer(bytes(vector), dtype="<f4")
        for page_id, vector in ArticleEmbedding.objects.filter(
            page_id__in=page_ids
        ).values_list("page_id", "vector")
    }


def rerank(*, query: str, candidates: list[tuple[int, float]]) -> list[int]:
    """Page ids of the candidates ((page_id, BM25 score), best first) in fused
    order. An article without an embedding yet (indexed before re-ranking was
    switched on) counts as the least similar candidate; with none, the order
    stands."""
    page_ids = [page_id for page_id, _ in candidates]
    vectors = article_vectors(page_ids=page_ids) if len(page_ids) > 1 else {}
    if not vectors:
        return page_ids
    # BM25 as a share of the best candidate's score; the cosine as it is, so a
    # handful of candidates that all mean much the same stay in the index's order.
    bm25 = np.array([score for _, score in candidates], dtype=float)
    lexical = (1 - SEMANTIC_WEIGHT) * bm25 / bm25.max()
    known = [page_id for page_id in page_ids if page_id in vectors]
    matrix = np.stack([vectors[page_id] for page_id in known])

    def fused_order(query_vector: np.ndarray) -> list[int]:
        similarity = dict(zip(known, (matrix @ query_vector).tolist(), strict=True))
        least = min(similarity.values())
        cosines = np.array([similarity.get(page_id, least) for page_id in page_ids])
        fused = lexical + SEMANTIC_WEIGHT * cosines
        # A stable sort keeps the index's order between equal fused scores.
        return [page_ids[i] for i in np.argsort(-fused, kind="stable")]

    query_vector = embeddings.encoder().encode([query])[0]
    order = fused_order(query_vector)
    # Feedback needs candidates beyond those it learns from, and a query short
    # enough to need it.
    if (
        len(known) <= FEEDBACK_ARTICLES
        or len(meaningful_words(query=query)) > FEEDBACK_MAX_WORDS
    ):
        return order
    best = [vectors[page_id] for page_id in order if page_id in vectors]
    feedback = query_vector + FEEDBACK_WEIGHT * np.mean(
        best[:FEEDBACK_ARTICLES], axis=0
    )
    return fused_order(feedback / np.linalg.norm(feedback))
