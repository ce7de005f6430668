"""The public, read-only content API (Wagtail API v2), mounted at /api/v2/."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from blog.api import ReliefPagesAPIViewSet, StrictQueryMixin, with_reader_text_search
from blog.preview import PagePreviewAPIViewSet


class ReliefImagesAPIViewSet(StrictQueryMixin, ImagesAPIViewSet):
    """Images outside view-restricted collections (Wagtail excludes those)."""

    filter_backends = with_reader_text_search(ImagesAPIViewSet.filter_backends)


class ReliefDocumentsAPIViewSet(StrictQueryMixin, DocumentsAPIViewSet):
    """Documents outside view-restricted collections (Wagtail excludes those)."""

    filter_backends = with_reader_text_search(DocumentsAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
# Before page_preview: a page's detail_url is the endpoint first registered for it.
api_router.register_endpoint("pages", ReliefPagesAPIViewSet)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
api_router.register_endpoint("images", ReliefImagesAPIViewSet)
api_router.register_endpoint("documents", ReliefDocumentsAPIViewSet)
