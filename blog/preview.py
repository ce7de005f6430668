"""Headless preview: a page's latest draft through the pages API, for a front
end to render before anything is published.

wagtail-headless-preview does this for Wagtail 7 but declares no support for
Wagtail 8, so Relief keeps its client contract instead:
``GET /api/v2/page_preview/?content_type=<app_label.model>&token=<token>``
(a detail address such as ``/api/v2/page_preview/1/`` answers the same, its id
ignored). The token is signed, salted and expiring, and names the page and the
revision it shows, so nothing is stored per preview and a draft saved later
needs a new token. The answer is what ``/api/v2/pages/<id>/`` gives for the
published page, made by the same viewset and serializer, and is never cached.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Page, Revision

from blog.api import ReliefPagesAPIViewSet
from blog.conf import blog_setting, preview_token_max_age

PREVIEW_TOKEN_SALT = "relief_blog.headless_preview"
PREVIEW_PARAMETERS = ("content_type", "token")
# The demo's router namespace and endpoint name (cms/api.py); a site that
# registers the endpoint under other names still gets the token to hand on.
PREVIEW_ENDPOINT_URL_NAME = "wagtailapi:page_preview:listing"


def content_type_label(model: type[Page]) -> str:
    """``relief_blog.articlepage``: the form wagtail-headless-preview's clients send."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def create_preview_token(*, revision: Revision) -> str:
    return signing.dumps(
        {"page": int(revision.object_id), "revision": revision.pk},
        salt=PREVIEW_TOKEN_SALT,
    )


def read_preview_token(*, token: str) -> dict:
    try:
        return signing.loads(
            token, salt=PREVIEW_TOKEN_SALT, max_age=preview_token_max_age()
        )
    except signing.SignatureExpired:
        raise BadRequestError(
            "token has expired; preview the page again from the admin"
        ) from None
    except signing.BadSignature:
        raise BadRequestError("token is not a valid preview token") from None


def preview_page(*, token: str, content_type: str) -> Page:
    """The page as its previewed revision has it."""
    claim = read_preview_token(token=token)
    revision = (
        Revision.page_revisions.filter(
            pk=claim["revision"], object_id=str(claim["page"])
        )
        .select_related("content_type")
        .first()
    )
    if revision is None or revision.content_object is None:
        raise Http404("The previewed page or its draft no longer exists.")
    page = revision.as_object()
    if content_type_label(type(page)) != content_type.lower():
        raise Http404("No preview of that content type has this token.")
    return page


class PagePreviewAPIViewSet(ReliefPagesAPIViewSet):
    """The pages endpoint's detail answer for the draft a token names."""

    known_query_parameters = ReliefPagesAPIViewSet.known_query_parameters.union(
        PREVIEW_PARAMETERS
    )

    @classmethod
    def get_urlpatterns(cls):
        # No find/: a preview is reached by its token only.
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name != "find"
        ]

    def listing_view(self, request):
        # One answer for both addresses, so its shape is the detail view's.
        self.action = "detail_view"
        return self.detail_view(request, pk=None)

    def get_object(self):
        if not hasattr(self, "_api_object"):
            params = self.request.GET
            if not all(params.get(name) for name in PREVIEW_PARAMETERS):
                raise BadRequestError("content_type and token are required")
            self._api_object = preview_page(
                token=params["token"], content_type=params["content_type"]
            )
        return self._api_object

    def finalize_response(self, request, response, *args, **kwargs):
        # A draft is for whoever holds the token: no shared cache may keep it.
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


def preview_query(*, page: Page, token: str) -> str:
    return urlencode({"content_type": content_type_label(type(page)), "token": token})


def preview_api_url(*, request, query: str) -> str | None:
    try:
        path = reverse(PREVIEW_ENDPOINT_URL_NAME)
    except NoReverseMatch:
        return None
    return request.build_absolute_uri(f"{path}?{query}")


def headless_preview_view(request, page_id: int):
    """The admin's "Headless preview": a token for the page's latest saved
    draft, with the API address that answers it and the front end's preview
    address when the site names one."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    revision = page.latest_revision
    if revision is None:
        raise Http404("This page has no saved draft to preview.")
    token = create_preview_token(revision=revision)
    query = preview_query(page=page, token=token)
    client_url = blog_setting("HEADLESS_PREVIEW_CLIENT_URL")
    return TemplateResponse(
        request,
        "relief_blog/admin/headless_preview.html",
        {
            "page": page,
            "revision": revision,
            "token": token,
            "max_age_minutes": preview_token_max_age() // 60,
            "api_url": preview_api_url(request=request, query=query),
            "client_url": f"{client_url}?{query}" if client_url else None,
        },
    )
