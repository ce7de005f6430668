"""JSON endpoints of the read side: search, autocomplete, related articles.

They keep the rules of the whole of /api/v2/ (docs/api.md): an unknown or
malformed parameter is a 400, every error is ``{"message": ...}`` answered here
(not left to the site's handlers, which answer HTML while DEBUG is on), only
GET and HEAD are served (OPTIONS says so).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from blog.api_errors import api_error
from blog.listing import readable_articles
from search.openapi import (
    AUTOCOMPLETE_PARAMETERS,
    RELATED_PARAMETERS,
    SEARCH_PARAMETERS,
    build_openapi_document,
    query_parameter_names,
)
from search.params import (
    DEFAULT_RELATED,
    MAX_AUTOCOMPLETE_QUERY,
    MAX_RELATED,
    InvalidSearch,
    SearchParams,
    check_no_null_characters,
    read_positive_int,
)
from search.related import RelatedArticle, related_articles
from search.results import SearchResults, SectionMatch
from search.suggest import autocomplete
from search.terms.promotions import Promotion, search_with_promotions
from search.terms.recording import click_beacon, record_search
from search.throttle import throttled

READ_METHODS = ("GET", "HEAD")


def check_parameters(*, request: HttpRequest, known: tuple[str, ...]) -> None:
    for name in request.GET:
        if name not in known:
            takes = ", ".join(known) or "no parameters"
            raise InvalidSearch(
                f"Unknown parameter “{name}”; this endpoint takes {takes}."
            )
    check_no_null_characters(request.GET)


def api_endpoint(*, parameters: list[dict]) -> Callable:
    """A read-only JSON view taking exactly the query parameters its OpenAPI
    description lists; InvalidSearch is the client's 400."""
    known = query_parameter_names(parameters)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        # Nothing here changes state, so nothing needs CSRF's protection; without
        # this, any write method got CSRF's HTML 403 instead of the 405 below.
        @csrf_exempt
        @functools.wraps(view)
        def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in READ_METHODS:
                response = (
                    JsonResponse({})
                    if request.method == "OPTIONS"
                    else api_error(message="This API is read-only.", status=405)
                )
                response["Allow"] = ", ".join((*READ_METHODS, "OPTIONS"))
                return response
            try:
                check_parameters(request=request, known=known)
                return view(request, *args, **kwargs)
            except InvalidSearch as exc:
                return api_error(message=str(exc), status=400)

        return answer

    return decorate


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
        "corrected_query": results.corrected_query,
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


def serialize_promotion(promotion: Promotion) -> dict:
    return {
        "id": promotion.page_id,
        "title": promotion.title,
        "url": promotion.url,
        "description": promotion.description,
        "promoted": True,
    }


def with_reader_extras(
    data: dict, *, params: SearchParams, promoted: list[Promotion]
) -> dict:
    """Editors' promoted results, first, and each hit's click beacon."""
    beacon = click_beacon(query=params.query)
    first = (params.page - 1) * params.per_page + 1
    for position, hit in enumerate(data["results"], start=first):
        hit["click_beacon"] = f"{beacon}{position}" if beacon else None
    return {"promoted": [serialize_promotion(p) for p in promoted], **data}


@api_endpoint(parameters=SEARCH_PARAMETERS)
@throttled("search")
def search(request: HttpRequest) -> JsonResponse:
    params = SearchParams.from_query_dict(request.GET, allow_per_page=True).cleaned()
    results, promoted = search_with_promotions(params=params)
    data = with_reader_extras(
        serialize_results(results), params=params, promoted=promoted
    )
    response = JsonResponse(data)
    record_search(response, params=params, results=results, promoted=promoted)
    return response


@api_endpoint(parameters=AUTOCOMPLETE_PARAMETERS)
@throttled("autocomplete")
def autocomplete_view(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")
    if len(query) > MAX_AUTOCOMPLETE_QUERY:
        raise InvalidSearch(
            f"q is limited to {MAX_AUTOCOMPLETE_QUERY} characters for autocomplete."
        )
    return JsonResponse({"query": query, "results": autocomplete(query=query)})


def serialize_related(item: RelatedArticle) -> dict:
    return {
        "id": item.page.pk,
        "title": item.page.title,
        "url": item.page.get_url(),
        "summary": item.page.summary,
        "reason": item.reason,
        "shared_topics": item.shared_topics,
        "shared_therapies": item.shared_therapies,
        "shared_terms": item.shared_terms,
    }


@api_endpoint(parameters=RELATED_PARAMETERS)
@throttled("related")
def related(request: HttpRequest, page_id: int) -> JsonResponse:
    limit = read_positive_int(request.GET, name="limit", default=DEFAULT_RELATED)
    if limit > MAX_RELATED:
        raise InvalidSearch(f"limit must be between 1 and {MAX_RELATED}.")
    try:
        page = readable_articles().filter(pk=page_id).first()
    except (OverflowError, DataError):
        # An id too large for the column cannot name an article.
        page = None
    if page is None:
        return api_error(message="No published article has that id.", status=404)
    items = related_articles(page=page, limit=limit)
    return JsonResponse(
        {"id": page.pk, "results": [serialize_related(i) for i in items]}
    )


@api_endpoint(parameters=[])
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(build_openapi_document())
