"""Rankings from the project's own search function, the code path behind
/api/v2/search/, deep enough for Recall@100."""

from __future__ import annotations

from dataclasses import dataclass

DEPTH = 100
# search_articles caps per_page; the largest size it accepts is found once.
PAGE_SIZES = (100, 50, 20, 10)
MAX_QUERY_CHARS = 500


@dataclass(frozen=True)
class RankedHit:
    page_id: int
    anchor: str


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
            self.backends.add(getattr(results, "backend", "elasticsearch"))
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
    section = getattr(hit, "section", None)
    anchor = getattr(section, "anchor", "") if section is not None else ""
    return RankedHit(page_id=int(hit.page_id), anchor=anchor or "")
