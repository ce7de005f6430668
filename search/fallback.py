"""The reader's search answered from the database when the index cannot:
Wagtail's database search backend, with the same filters and facets. Simpler
and slower, but never empty-handed. (Autocomplete and related articles keep
their database versions beside them, in suggest.py and related.py.)"""

from __future__ import annotations

from collections import Counter

from django.utils.html import escape

from blog.listing import readable_articles
from blog.models import TOPIC_LINEAGE, ArticlePage
from search.params import SearchParams
from search.results import SearchHit, SearchResults, build_facets
from search.synonyms import expand_query, normalise

# The database backend ranks in Python; beyond this many matches it is too slow
# for a page request, and a reader never pages that far.
MAX_DATABASE_MATCHES = 500


def matching_pages(*, query: str) -> list:
    """Pages matching the query or any synonym of a phrase in it, best first."""
    related = (TOPIC_LINEAGE, "therapy_types")
    if not query:
        browse = readable_articles().prefetch_related(*related)
        return list(browse.order_by("-published_date", "-pk")[:MAX_DATABASE_MATCHES])
    # Wagtail's database search matches on live public pages; which of them a
    # reader may see (not expired) is decided once, by readable_articles().
    candidates = ArticlePage.objects.live().public()
    expansion = expand_query(query=query)
    phrases = [query, *(phrase for group in expansion.groups for phrase in group)]
    # Words only: quotes, brackets and operators are the reader's text, never
    # the database's full-text syntax (SQLite and PostgreSQL parse them).
    queries = dict.fromkeys(filter(None, map(normalise, phrases)))
    ranked: dict[int, None] = {}
    for text in queries:
        for page in candidates.search(text, operator="and")[:MAX_DATABASE_MATCHES]:
            ranked.setdefault(page.pk)
    readable = readable_articles().filter(pk__in=ranked).prefetch_related(*related)
    by_id = {page.pk: page for page in readable}
    return [by_id[pk] for pk in ranked if pk in by_id]


def search_database(*, params: SearchParams) -> SearchResults:
    """Same filters and facet semantics as the index search, computed in Python."""
    query, topics, therapies = params.query, params.topics, params.therapies
    page, per_page = params.page, params.per_page
    rows = []
    for article in matching_pages(query=query):
        tree = {s for t in article.topics.all() for s in t.lineage_slugs}
        therapy_slugs = {t.slug for t in article.therapy_types.all()}
        rows.append((article, tree, therapy_slugs))

    def passes(tree, therapy_slugs, *, skip: str = "") -> bool:
        return (skip == "topics" or not topics or bool(tree & set(topics))) and (
            skip == "therapies" or not therapies or bool(therapy_slugs & set(therapies))
        )

    counts = {"topics": Counter(), "therapies": Counter()}
    for _, tree, therapy_slugs in rows:
        if passes(tree, therapy_slugs, skip="topics"):
            counts["topics"].update(tree)
        if passes(tree, therapy_slugs, skip="therapies"):
            counts["therapies"].update(therapy_slugs)
    matched = [
        article
        for article, tree, ts in rows
        if passes(tree, ts) and article.pk not in params.exclude_pages
    ]
    start = (page - 1) * per_page
    return SearchResults(
        query=query,
        hits=[hit_from_page(article) for article in matched[start : start + per_page]],
        total=len(matched),
        page=page,
        per_page=per_page,
        facets=build_facets(counts=counts, topics=topics, therapies=therapies),
        backend="database",
    )


def hit_from_page(article) -> SearchHit:
    return SearchHit(
        page_id=article.pk,
        title=article.title,
        url=article.get_url(),
        title_html=escape(article.title),
        snippet_html=escape(article.summary),
        topics=[{"slug": t.slug, "name": t.name} for t in article.topics.all()],
        published_date=(
            article.published_date.isoformat() if article.published_date else None
        ),
    )
