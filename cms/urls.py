from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from blog.api_errors import api_not_found
from cms.api import api_router

handler404 = "blog.api_errors.page_not_found"
handler500 = "blog.api_errors.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Reader search and its API; before any api/v2/ router and the page catch-all.
    path("", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Editors work in Wagtail's admin; Django's raw model admin is for
    # developers only, never a second login page on the public site.
    urlpatterns += [path("django-admin/", admin.site.urls)]
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("api/v2/", api_router.urls),
    # Whatever else asks under api/v2/ gets a JSON 404, not a reader's page.
    re_path(r"^api/v2/", api_not_found),
]

# Reader pages served by Django views (authors, topics, feed, sitemap). The
# api/v2/ and search/ routes join here too; Wagtail's catch-all stays last.
urlpatterns += [path("", include("blog.urls"))]

urlpatterns += [path("", include(wagtail_urls))]
