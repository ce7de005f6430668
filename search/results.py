"""What a reader search returns, whichever backend answered it (the index or the
database fallback): hits, facets and paging."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from blog.models import PainTopic, TherapyType


@dataclass
class Facet:
    slug: str
    name: str
    count: int
    selected: bool


@dataclass
class SectionMatch:
    heading: str
    anchor: str
    url: str
    score: float | None = None


@dataclass
class SearchHit:
    page_id: int
    title: str
    url: str
    title_html: SafeString
    snippet_html: SafeString
    # The sections that matched, best first (the index ranks each on its own).
    sections: list[SectionMatch] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    published_date: str | None = None
    # The section the snippet was taken from; None when it comes from the
    # article's opening text or summary, which the article's own URL shows.
    section: SectionMatch | None = None

    @property
    def other_sections(self) -> list[SectionMatch]:
        return [s for s in self.sections if s != self.section]


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[Facet]]
    suggestion: str | None = None
    # A spelling the backend proposes for words no article holds, not yet
    # checked to find anything (search_articles checks it, then offers it).
    spelling: str | None = None
    # The spelling whose results are shown instead of the typed query's.
    corrected_query: str | None = None
    backend: str = "elasticsearch"
    notice: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def build_facets(
    *, counts: dict[str, dict[str, int]], topics: tuple, therapies: tuple
) -> dict[str, list[Facet]]:
    """Facets named from the database, ordered by count; a selected value stays
    listed even at zero so the reader can untick it."""
    facets = {}
    for facet, model, selected in (
        ("topics", PainTopic, topics),
        ("therapies", TherapyType, therapies),
    ):
        wanted = set(counts[facet]) | set(selected)
        names = dict(model.objects.filter(slug__in=wanted).values_list("slug", "name"))
        values = [
            Facet(
                slug=slug,
                name=names[slug],
                count=counts[facet].get(slug, 0),
                selected=slug in selected,
            )
            for slug in wanted
            if slug in names
        ]
        facets[facet] = sorted(values, key=lambda f: (-f.count, f.name))
    return facets
