"""An existing article close in meaning to a query that found nothing, for the
zero-result report: the query's nearest article by its embedding, asked of
the engine."""

from __future__ import annotations

import logging

from search import embeddings, semantic
from search.documents import VECTOR_FIELD
from search.engine import SearchUnavailable
from search.server import current_engine, run_search

logger = logging.getLogger(__name__)

# How close (cosine) an article must be to count as an answer to suggest.
MIN_COSINE = 0.4


def closest_article(*, query: str) -> dict | None:
    """{"title", "url"} of the nearest article by meaning, or None (none close
    enough, semantic search off, or the engine not answering)."""
    if not embeddings.is_enabled():
        return None
    try:
        knn = current_engine().knn_query(
            field=VECTOR_FIELD,
            vector=semantic.embed_query(query=query),
            k=1,
            min_cosine=MIN_COSINE,
        )
        body = {"size": 1, "_source": ["title", "url"], "query": knn}
        hits = run_search(body=body)["hits"]["hits"]
    except SearchUnavailable as exc:
        logger.info("No suggestion for a zero-result query: %s", exc)
        return None
    return hits[0]["_source"] if hits else None
