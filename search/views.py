"""The reader search page: /search/?q=&topic=&therapy=&page="""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from blog.listing import published_articles
from search.params import InvalidSearch, SearchParams, tidy_query
from search.terms.promotions import search_with_promotions
from search.terms.recording import click_beacon, record_search
from search.throttle import throttled

NEWEST_ARTICLES = 3


def url_with(params: QueryDict, **changes) -> str:
    """This search's query string with some parameters replaced (None drops one)."""
    updated = params.copy()
    for key, value in changes.items():
        if value is None:
            updated.pop(key, None)
        else:
            updated[key] = value
    return f"?{updated.urlencode()}"


@throttled("search", as_json=False)
def search(request: HttpRequest) -> HttpResponse:
    # What the reader typed stays in the box, even when it cannot be searched.
    context: dict = {
        "query": tidy_query(request.GET.get("q", ""))[:600],
        "results": None,
        "promoted": [],
    }
    status = 200
    try:
        params = SearchParams.from_query_dict(request.GET).cleaned()
        context["query"] = params.query
        context["verbatim"] = params.verbatim
        if not params.is_empty:
            context["results"], context["promoted"] = search_with_promotions(
                params=params
            )
            context["click_beacon"] = click_beacon(query=params.query)
    except InvalidSearch as exc:
        context["error"] = str(exc)
        status = 400
    # base.html's header search box shows the current query.
    context["search_query"] = context["query"]
    results = context["results"]
    if results is not None:
        context["start_index"] = (results.page - 1) * results.per_page + 1
        context["previous_url"] = (
            url_with(request.GET, page=str(results.page - 1))
            if results.has_previous
            else None
        )
        context["next_url"] = (
            url_with(request.GET, page=str(results.page + 1))
            if results.has_next
            else None
        )
        context["first_page_url"] = url_with(request.GET, page=None)
        if results.suggestion:
            # A spelling the reader picks is a new search, which may be corrected.
            context["suggestion_url"] = url_with(
                request.GET, q=results.suggestion, page=None, verbatim=None
            )
        if results.corrected_query:
            context["corrected_url"] = url_with(
                request.GET, q=results.corrected_query, page=None
            )
            context["verbatim_url"] = url_with(request.GET, verbatim="1", page=None)
        if not results.total:
            # Somewhere to go from a dead end: the template adds the topics.
            context["newest_articles"] = published_articles()[:NEWEST_ARTICLES]
    response = render(request, "search/search.html", context, status=status)
    if results is not None:
        record_search(
            response, params=params, results=results, promoted=context["promoted"]
        )
    return response
