"""Reader search routes. Included at the site root before the Wagtail API router
and the page catch-all, so /api/v2/search/ is not taken for a page lookup."""

from django.urls import path

from search import api, views
from search.terms import views as terms_views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/click/", terms_views.click, name="search_click"),
    path("api/v2/search/", api.search, name="search_api"),
    path("api/v2/search/openapi.json", api.openapi, name="search_openapi"),
    path(
        "api/v2/search/autocomplete/",
        api.autocomplete_view,
        name="search_autocomplete",
    ),
    path(
        "api/v2/pages/<int:page_id>/related/",
        api.related,
        name="related_articles_api",
    ),
]
