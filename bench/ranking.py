"""Rankings from the project's own search function, the code path behind
/api/v2/search/, deep enough for Recall@100, and the plain BM25 rankings
of the same index they are compared with."""

from __future__ import annotations

from dataclasses import dataclass

DEPTH = 100
# search_articles caps per_page; the largest size it accepts is found once.
PAGE_SIZES = (100, 50, 20, 10)
MAX_QUERY_CHARS = 500


@dataclass(frozen=True)
class RankedHit:
    """An article hit, the section it links to, and every section it brought
    back with that section's own score (best first)."""

    page_id: int
    anchor: str
    sections: tuple[tuple[str, float], ...] = ()


def reader_query(text: str, *, limit: int = MAX_QUERY_CHARS) -> tuple[str, bool]:
    """The text as a reader could send it: the search API refuses queries over
    its length limit, so longer ones are cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    return text[:limit].rsplit(" ", 1)[0], True


class Ranker:
    def __init__(self) -> None:
        from search.params import SearchParams
        from search.query import search_articles

        self.search_articles = search_articles
        self.params = SearchParams
        self.per_page: int | None = None
        self.backends: set[str] = set()

    def rank(self, *, query: str, depth: int = DEPTH) -> list[RankedHit]:
        hits: list[RankedHit] = []
        page = 1
        while len(hits) < depth:
            results = self.fetch(query=query, page=page)
            self.backends.add(results.backend)
            hits.extend(ranked_hit(hit) for hit in results.hits)
            if not results.hits or not getattr(results, "has_next", False):
                break
            page += 1
        return hits[:depth]

    def search(self, *, query: str, page: int, per_page: int):
        params = self.params(query=query, page=page, per_page=per_page)
        return self.search_articles(params=params)

    def fetch(self, *, query: str, page: int):
        if self.per_page is not None:
            return self.search(query=query, page=page, per_page=self.per_page)
        from search.params import InvalidSearch

        for size in PAGE_SIZES:
            try:
                results = self.search(query=query, page=page, per_page=size)
            except (InvalidSearch, ValueError):
                continue
            self.per_page = size
            return results
        raise RuntimeError("search_articles accepted none of the page sizes tried.")


def ranked_hit(hit) -> RankedHit:
    sections = tuple(
        (section.anchor, section.score)
        for section in getattr(hit, "sections", [])
        if section.score is not None
    )
    section = getattr(hit, "section", None)
    anchor = getattr(section, "anchor", "") if section is not None else ""
    return RankedHit(page_id=int(hit.page_id), anchor=anchor or "", sections=sections)


def sections_by_own_score(hits: list[RankedHit]) -> list[RankedHit]:
    """The sections of all article hits in one ranking by their own scores."""
    scored = [
        (score, hit.page_id, anchor) for hit in hits for anchor, score in hit.sections
    ]
    scored.sort(key=lambda s: -s[0])
    return [RankedHit(page_id=page_id, anchor=anchor) for _, page_id, anchor in scored]


# The same-engine BM25 baseline ---------------------------------------------------

# Inner hits per article: enough for every section of the longest article to reach
# the merged section ranking (the index's default max_inner_result_window).
SECTIONS_PER_ARTICLE = 100


def bm25_articles(*, query: str, depth: int = DEPTH) -> list[RankedHit]:
    """Plain BM25 (one `match`, the engine's defaults) over each article's
    all_text, on the index Relief searches."""
    body = {
        "size": depth,
        "_source": ["page_id"],
        "query": {"match": {"all_text": query}},
    }
    hits = search_raw(body=body)["hits"]["hits"]
    return [RankedHit(page_id=int(h["_source"]["page_id"]), anchor="") for h in hits]


def bm25_sections(*, query: str, depth: int = DEPTH) -> list[RankedHit]:
    """Plain BM25 over each section's heading and text, every section ranked on
    its own score. Any section in the top `depth` belongs to an article whose
    best section is at least as good, so the top `depth` articles hold them all."""
    body = {
        "size": depth,
        "_source": ["page_id", "sections.anchor"],
        "query": {
            "nested": {
                "path": "sections",
                "score_mode": "max",
                "query": {"match": {"sections.all_text": query}},
                "inner_hits": {"size": SECTIONS_PER_ARTICLE, "_source": False},
            }
        },
    }
    return merged_sections(response=search_raw(body=body), name="sections")[:depth]


def merged_sections(*, response: dict, name: str) -> list[RankedHit]:
    """Every inner-hit section of every article hit, by its own score (the
    section's anchor is read from the article at the inner hit's offset)."""
    hits = [
        RankedHit(
            page_id=int(hit["_source"]["page_id"]),
            anchor="",
            sections=tuple(
                (
                    hit["_source"]["sections"][inner["_nested"]["offset"]]["anchor"],
                    inner["_score"],
                )
                for inner in hit["inner_hits"][name]["hits"]["hits"]
            ),
        )
        for hit in response["hits"]["hits"]
    ]
    return sections_by_own_score(hits)


def search_raw(*, body: dict) -> dict:
    from search.documents import alias_name
    from search.engine import get_engine

    return get_engine().search(index=alias_name(), body=body)
