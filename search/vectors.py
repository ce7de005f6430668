"""Semantic search, write side: the vectors of an article and of its sections,
carried in its index document.

Embedding is kept off the path that makes an article searchable. A document is
written with the vectors the cache (TextEmbedding) already has, and without
the others; the pages lacking some are then handed to a background task that
embeds their texts in batches on every core, keeps the vectors in the cache
and writes the documents again, now whole. Until then an article is found by
its keywords and keeps its keyword rank (search.semantic).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from search import embeddings
from search.documents import SECTION_VECTOR_KEY, VECTOR_FIELD
from search.models import TextEmbedding


def text_key(text: str) -> str:
    """Of the model (its file, tokenizer and length read) and the text: a
    change to any of them is a new entry."""
    return hashlib.sha256(f"{embeddings.model_digest()}\n{text}".encode()).hexdigest()


def texts_of(document: dict) -> list[str]:
    """What the article's and each section's vectors are computed from: the
    article's title, summary and text as indexed (the encoder reads its first
    MAX_TOKENS), and each section's heading and text."""
    return [document["all_text"], *(s["all_text"] for s in document["sections"])]


def cached_vectors(*, keys: Iterable[str]) -> dict[str, list[float]]:
    keys = set(keys)
    return {
        key: np.frombuffer(bytes(vector), dtype="<f4").tolist()
        for key, vector in TextEmbedding.objects.filter(key__in=keys).values_list(
            "key", "vector"
        )
    }


def attach_vectors(*, documents: list[dict]) -> set[int]:
    """Put the cached vectors into the documents; the page ids of those that
    lack one or more."""
    if not embeddings.is_enabled() or not documents:
        return set()
    keys = {id(doc): [text_key(text) for text in texts_of(doc)] for doc in documents}
    cached = cached_vectors(keys=(key for ks in keys.values() for key in ks))
    incomplete = set()
    for document in documents:
        article_key, *section_keys = keys[id(document)]
        if article_key in cached:
            document[VECTOR_FIELD] = cached[article_key]
        for section, key in zip(document["sections"], section_keys, strict=True):
            if key in cached:
                section[SECTION_VECTOR_KEY] = cached[key]
        if any(key not in cached for key in keys[id(document)]):
            incomplete.add(document["page_id"])
    return incomplete


def embed_missing(*, documents: list[dict]) -> int:
    """Embed the documents' texts the cache lacks, in one batch on every core,
    and keep them; returns how many were embedded."""
    texts = {text_key(text): text for doc in documents for text in texts_of(doc)}
    known = set(
        TextEmbedding.objects.filter(key__in=texts).values_list("key", flat=True)
    )
    missing = [key for key in texts if key not in known]
    if not missing:
        return 0
    matrix = embeddings.batch_encoder().encode([texts[key] for key in missing])
    TextEmbedding.objects.bulk_create(
        [
            TextEmbedding(key=key, vector=row.astype("<f4").tobytes())
            for key, row in zip(missing, matrix, strict=True)
        ],
        ignore_conflicts=True,
    )
    return len(missing)
