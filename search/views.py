"""The reader search page: /search/?q=&topic=&therapy=&page="""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from search.queries import InvalidSearch, search_articles


@dataclass(frozen=True)
class SearchParams:
    query: str
    topics: tuple[str, ...]
    therapies: tuple[str, ...]
    page: int
    per_page: int = 10


def positive_int(value: str | None, *, default: int, name: str) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidSearch(f"{name} must be a whole number.") from None
    if number < 1:
        raise InvalidSearch(f"{name} must be 1 or more.")
    return number


def read_search_params(
    params: QueryDict, *, allow_per_page: bool = False
) -> SearchParams:
    """Parameters from a query string; the HTML page and the API read the same."""
    return SearchParams(
        query=params.get("q", ""),
        topics=tuple(s for s in params.getlist("topic") if s),
        therapies=tuple(s for s in params.getlist("therapy") if s),
        page=positive_int(params.get("page"), default=1, name="page"),
        per_page=(
            positive_int(params.get("per_page"), default=10, name="per_page")
            if allow_per_page
            else 10
        ),
    )


def url_with(params: QueryDict, **changes) -> str:
    """This search's query string with some parameters replaced (None drops one)."""
    updated = params.copy()
    for key, value in changes.items():
        if value is None:
            updated.pop(key, None)
        else:
            updated[key] = value
    return f"?{updated.urlencode()}"


def search(request: HttpRequest) -> HttpResponse:
    context: dict = {"query": request.GET.get("q", "")[:600], "results": None}
    status = 200
    try:
        params = read_search_params(request.GET)
        context["query"] = params.query
        if params.query.strip() or params.topics or params.therapies:
            context["results"] = search_articles(
                query=params.query,
                topics=params.topics,
                therapies=params.therapies,
                page=params.page,
            )
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
            context["suggestion_url"] = url_with(
                request.GET, q=results.suggestion, page=None
            )
    return render(request, "search/search.html", context, status=status)
