"""Semantic re-ranking: the index's best RERANK_DEPTH hits, re-ordered by their
BM25 score and the cosine similarity of the query's and the article's sentence
embeddings together.

BM25 finds the candidates and judges words; the embedding judges meaning, so an
article that says "statins" for a query about "cholesterol-lowering drugs" moves
up among hits that already match. The sections each hit brings back are
re-scored the same way, so the section a hit links to is the one that answers.
Article and section embeddings are computed on the write side when a document is
indexed and kept in the database (ArticleEmbedding, SectionEmbedding); the read
side embeds only the query (about 5 ms on one core).

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
from search.models import ArticleEmbedding, SectionEmbedding
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
    """Compute and keep the embeddings of each document and of its sections
    whose text changed since they were computed; returns how many were
    computed. A rebuild's chunk of articles is encoded in one batch."""
    if not is_enabled():
        return 0
    documents = list(documents)
    articles = {document["page_id"]: embedding_text(document) for document in documents}
    sections = {
        (document["page_id"], section["anchor"]): section["all_text"]
        for document in documents
        for section in document["sections"]
    }
    article_digests = stale_digests(
        texts=articles,
        current=dict(
            ArticleEmbedding.objects.filter(page_id__in=articles).values_list(
                "page_id", "digest"
            )
        ),
    )
    section_digests = stale_digests(
        texts=sections,
        current=current_section_digests(page_ids=set(articles), sections=sections),
    )
    texts = [articles[key] for key in article_digests]
    texts += [sections[key] for key in section_digests]
    if not texts:
        return 0
    vectors = [v.astype("<f4").tobytes() for v in embeddings.encoder().encode(texts)]
    # One statement per model for the whole batch, new rows and replaced alike.
    ArticleEmbedding.objects.bulk_create(
        [
            ArticleEmbedding(page_id=page_id, digest=digest, vector=vector)
            for (page_id, digest), vector in zip(
                article_digests.items(), vectors[: len(article_digests)], strict=True
            )
        ],
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["digest", "vector"],
    )
    SectionEmbedding.objects.bulk_create(
        [
            SectionEmbedding(
                page_id=page_id, anchor=anchor, digest=digest, vector=vector
            )
            for ((page_id, anchor), digest), vector in zip(
                section_digests.items(), vectors[len(article_digests) :], strict=True
            )
        ],
        update_conflicts=True,
        unique_fields=["page", "anchor"],
        update_fields=["digest", "vector"],
    )
    return len(texts)


def stale_digests(*, texts: dict, current: dict) -> dict:
    """{key: digest} of the texts whose digest differs from the one kept."""
    digests = {key: digest_of(text) for key, text in texts.items()}
    return {key: d for key, d in digests.items() if current.get(key) != d}


def current_section_digests(*, page_ids: set[int], sections: dict) -> dict:
    """{(page_id, anchor): digest} of the articles' kept section embeddings;
    those of sections the articles no longer have are deleted."""
    kept = list(
        SectionEmbedding.objects.filter(page_id__in=page_ids).values_list(
            "pk", "page_id", "anchor", "digest"
        )
    )
    gone = [pk for pk, page_id, anchor, _ in kept if (page_id, anchor) not in sections]
    if gone:
        SectionEmbedding.objects.filter(pk__in=gone).delete()
    return {(page_id, anchor): d for _, page_id, anchor, d in kept}


def as_vector(data) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4")


def article_vectors(*, page_ids: list[int]) -> dict[int, np.ndarray]:
    return {
        page_id: as_vector(vector)
        for page_id, vector in ArticleEmbedding.objects.filter(
            page_id__in=page_ids
        ).values_list("page_id", "vector")
    }


def section_vectors(*, keys: set[tuple[int, str]]) -> dict[tuple[int, str], np.ndarray]:
    return {
        (page_id, anchor): as_vector(vector)
        for page_id, anchor, vector in SectionEmbedding.objects.filter(
            page_id__in={page_id for page_id, _ in keys}
        ).values_list("page_id", "anchor", "vector")
        if (page_id, anchor) in keys
    }


def embed_query(*, query: str) -> np.ndarray:
    return embeddings.encoder().encode([query])[0]


def fused_scores(*, scores: list[float], cosines: list[float | None]) -> np.ndarray:
    """(1 - SEMANTIC_WEIGHT) x each BM25 score as a share of the best one +
    SEMANTIC_WEIGHT x its cosine with the query. A candidate without an
    embedding (None) counts as the least similar; the cosine is taken as it is,
    so candidates that all mean much the same stay in BM25's order."""
    least = min(cosine for cosine in cosines if cosine is not None)
    bm25 = np.array(scores, dtype=float)
    similarity = np.array([least if c is None else c for c in cosines], dtype=float)
    return (1 - SEMANTIC_WEIGHT) * bm25 / (bm25.max() or 1.0) + (
        SEMANTIC_WEIGHT * similarity
    )


def rerank(
    *, query: str, query_vector: np.ndarray, candidates: list[tuple[int, float]]
) -> list[int]:
    """Page ids of the candidates ((page_id, BM25 score), best first) in fused
    order. An article without an embedding yet (indexed before re-ranking was
    switched on) counts as the least similar candidate; with none, the order
    stands."""
    page_ids = [page_id for page_id, _ in candidates]
    vectors = article_vectors(page_ids=page_ids) if len(page_ids) > 1 else {}
    if not vectors:
        return page_ids
    scores = [score for _, score in candidates]
    known = [page_id for page_id in page_ids if page_id in vectors]
    matrix = np.stack([vectors[page_id] for page_id in known])

    def fused_order(query_vector: np.ndarray) -> list[int]:
        similarity = dict(zip(known, (matrix @ query_vector).tolist(), strict=True))
        fused = fused_scores(
            scores=scores, cosines=[similarity.get(page_id) for page_id in page_ids]
        )
        # A stable sort keeps the index's order between equal fused scores.
        return [page_ids[i] for i in np.argsort(-fused, kind="stable")]

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


def section_scores(
    *, query_vector: np.ndarray, sections: list[tuple[int, str, float]]
) -> list[float]:
    """Fused scores of sections ((page_id, anchor, BM25 score)), as for
    articles, so they compare across the sections given together. With no
    section embedding, the scores stand."""
    vectors = section_vectors(
        keys={(page_id, anchor) for page_id, anchor, _ in sections}
    )
    if not vectors:
        return [score for _, _, score in sections]
    return fused_scores(
        scores=[score for _, _, score in sections],
        cosines=[
            float(vector @ query_vector)
            if (vector := vectors.get((page_id, anchor))) is not None
            else None
            for page_id, anchor, _ in sections
        ],
    ).tolist()
