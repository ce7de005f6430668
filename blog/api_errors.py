"""One error shape for everything under /api/v2/: a JSON body
``{"message": "..."}`` with the HTTP status, whichever view or handler answers;
a 500 adds the ``request_id`` its log line carries.

Wagtail's pages, images and documents endpoints, the catch-all for unknown API
addresses and the site's 404/500 handlers all answer through `api_error`; other
API views (search, autocomplete, related) use it, or `APIErrorShapeMixin` on a
DRF view, to keep the same shape.
"""

from __future__ import annotations

from django.http import HttpResponseServerError, JsonResponse
from django.template import TemplateDoesNotExist, loader
from django.views import defaults

API_PREFIX = "/api/v2/"
NOT_FOUND_MESSAGE = "Nothing here: see the API documentation for its addresses."
SERVER_ERROR_MESSAGE = "The server failed to answer; try again later."


def api_error(*, message: str, status: int) -> JsonResponse:
    return JsonResponse({"message": message}, status=status)


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Any /api/v2/ address no endpoint serves."""
    return api_error(message=NOT_FOUND_MESSAGE, status=404)


def page_not_found(request, exception=None):
    """The site's 404 handler: JSON under /api/v2/, the reader's page elsewhere."""
    if is_api_request(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The site's 500 handler: JSON under /api/v2/, never the error's details;
    both answers carry the request's id (set by the site's request-id
    middleware), which its log line carries too, for a reader to quote."""
    request_id = getattr(request, "request_id", "")
    if is_api_request(request):
        body = {"message": SERVER_ERROR_MESSAGE}
        if request_id:
            body["request_id"] = request_id
        return JsonResponse(body, status=500)
    try:
        template = loader.get_template(defaults.ERROR_500_TEMPLATE_NAME)
    except TemplateDoesNotExist:
        return defaults.server_error(request)
    # No RequestContext: its context processors may be what failed.
    return HttpResponseServerError(template.render({"request_id": request_id}))


class APIErrorShapeMixin:
    """For DRF views: DRF's own errors (405, 406, throttling, ...) come as
    ``{"detail": ...}``; this answers them as ``{"message": ...}``."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        data = getattr(response, "data", None)
        if isinstance(data, dict) and set(data) == {"detail"}:
            response.data = {"message": str(data["detail"])}
        return response
