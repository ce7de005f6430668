"""The click beacon: a result link's `ping` (sent by the browser when the reader
opens the result, no JavaScript needed) or an API client's POST, counting the
position opened for a query searched today."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from blog.api_errors import api_error
from search.params import InvalidSearch, read_positive_int
from search.terms.recording import MAX_QUERY_LENGTH, count_click, is_recording

MAX_POSITION = 10_000


@csrf_exempt
@require_POST
def click(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    try:
        position = read_positive_int(request.GET, name="position", default=0)
        if not query or len(query) > MAX_QUERY_LENGTH:
            raise InvalidSearch("q must be the normalised query of a search.")
        if not 1 <= position <= MAX_POSITION:
            raise InvalidSearch(f"position must be between 1 and {MAX_POSITION}.")
    except InvalidSearch as exc:
        return api_error(message=str(exc), status=400)
    if is_recording() and not count_click(
        query=query, position=position, day=timezone.localdate()
    ):
        return api_error(message="No search for that query today.", status=404)
    return HttpResponse(status=204)
