"""JSON endpoints of the read side: search, autocomplete, related articles."""

from __future__ import annotations

from django.db import DataError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from blog.listing import readable_articles
from search.params import InvalidSearch, SearchParams
from search.query import search_articles
from search.related import RelatedArticle, related_articles
from search.results import SearchResults, SectionMatch
from search.suggest import autocomplete

MAX_RELATED = 12


def error_response(message: str, *, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": {"status": status, "message": message}}, status=status
    )


def serialize_section(section: SectionMatch) -> dict:
    return {"heading": section.heading, "anchor": section.anchor, "url": section.url}


def serialize_results(results: SearchResults) -> dict:
    return {
        "query": results.query,
        "backend": results.backend,
        "notice": results.notice,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "num_pages": results.num_pages,
        "suggestion": results.suggestion,
        "results": [
            {
                "id": hit.page_id,
                "title": hit.title,
                "url": hit.url,
                "title_html": str(hit.title_html),
                "snippet_html": str(hit.snippet_html),
                "section": serialize_section(hit.section) if hit.section else None,
                # Every matching section, best first, with the score that ranks it.
                "sections": [
                    {**serialize_section(s), "score": s.score} for s in hit.sections
                ],
                "topics": hit.topics,
                "published_date": hit.published_date,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [
                {
                    "slug": f.slug,
                    "name": f.name,
                    "count": f.count,
                    "selected": f.selected,
                }
                for f in facets
            ]
            for name, facets in results.facets.items()
        },
    }


@require_GET
def search(request: HttpRequest) -> JsonResponse:
    try:
        params = SearchParams.from_query_dict(request.GET, allow_per_page=True)
        results = search_articles(params=params)
    except InvalidSearch as exc:
        return error_response(str(exc))
    return JsonResponse(serialize_results(results))


@require_GET
def autocomplete_view(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")
    return JsonResponse({"query": query[:100], "results": autocomplete(query=query)})


def serialize_related(item: RelatedArticle) -> dict:
    return {
        "id": item.page.pk,
        "title": item.page.title,
        "url": item.page.get_url(),
        "summary": item.page.summary,
        "reason": item.reason,
        "shared_topics": item.shared_topics,
        "shared_terms": item.shared_terms,
    }


@require_GET
def related(request: HttpRequest, page_id: int) -> JsonResponse:
    try:
        page = readable_articles().filter(pk=page_id).first()
    except (OverflowError, DataError):
        # An id too large for the column cannot name an article.
        page = None
    if page is None:
        raise Http404("No published article with that id.")
    try:
        limit = int(request.GET.get("limit", 4))
    except ValueError:
        return error_response("limit must be a whole number.")
    if not 1 <= limit <= MAX_RELATED:
        return error_response(f"limit must be between 1 and {MAX_RELATED}.")
    items = related_articles(page=page, limit=limit)
    return JsonResponse(
        {"id": page.pk, "results": [serialize_related(i) for i in items]}
    )
