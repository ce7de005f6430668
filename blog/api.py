"""The pages endpoint of the public API.

Only live pages outside any view restriction are served (Wagtail's public
queryset does that part). On top of Wagtail's endpoint this adds the article
filters ``?topic=``, ``?author=`` and ``?therapy=``, turns every malformed query
into a 400 instead of a 500, and loads an article's relations and renditions
up front so a long article costs as many queries as a short one.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Prefetch, QuerySet
from rest_framework.filters import BaseFilterBackend
from rest_framework.throttling import BaseThrottle
from wagtail import hooks
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.fields import StreamField
from wagtail.images import get_image_model

from blog.api_errors import APIErrorShapeMixin
from blog.listing import exclude_expired
from blog.models import ArticlePage, ArticlePageAuthor, PainTopic
from blog.serializers import AVATAR_RENDITION, HERO_RENDITIONS

TOPIC_PARAMETER = "topic"
AUTHOR_PARAMETER = "author"
THERAPY_PARAMETER = "therapy"
# Far beyond any real listing, and within every database's integer range.
MAX_OFFSET = 2**31 - 1
# The reader search's limit (search/params.py). Wagtail's database backend
# builds one nested expression per word, and past ~480 words it exhausts
# Python's recursion limit.
MAX_SEARCH_LENGTH = 500
# Wagtail parses ?fields= one nested call per bracket; no serializer nests
# anywhere near this deep.
MAX_FIELDS_DEPTH = 10
WORD_RE = re.compile(r"\w+")
# The seam another app fills with a throttle for ?search= on the pages API (the
# search app charges it to the reader search's budget): each function registered
# for this Wagtail hook receives the request and returns how many seconds its
# client must wait before searching again, 0 to go ahead.
PAGES_SEARCH_THROTTLE_HOOK = "relief_pages_search_throttle"


def bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    return deepest


def _is_filterable(model, field_name: str) -> bool:
    """Relations to many and stream bodies cannot be compared with one query
    value; offering them as ``?field=`` filters or ``?order=`` keys only leads
    to database errors or duplicated rows."""
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return True
    return not (
        field.many_to_many or field.one_to_many or isinstance(field, StreamField)
    )


class BoundedPagination(WagtailPagination):
    """Wagtail's limit/offset paging, refusing offsets the database cannot
    even parse (SQLite fails such a query with a datatype error)."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view=view)


class StrictQueryMixin(APIErrorShapeMixin):
    """Bad query values answer 400 with a JSON message, never 500.

    Wagtail already rejects unknown parameters and non-integer limits; this
    catches the values that only fail once a field converts them (a date that
    is not a date, an id too large for the column) and non-integer ``find`` ids.
    A database error is never the reader's fault: it stays a 500 and is logged.
    """

    pagination_class = BoundedPagination

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        fields = super().get_available_fields(model, db_fields_only=db_fields_only)
        if db_fields_only:
            fields = [name for name in fields if _is_filterable(model, name)]
        return fields

    def initial(self, request, *args, **kwargs):
        # No database stores a null character in text (PostgreSQL refuses it,
        # SQLite's full-text query parser chokes on it), so no value with one
        # can match anything.
        for name, values in request.GET.lists():
            if any("\x00" in value for value in values):
                raise BadRequestError(f"{name} must not contain null characters")
        if bracket_depth(request.GET.get("fields", "")) > MAX_FIELDS_DEPTH:
            raise BadRequestError(
                f"fields can nest at most {MAX_FIELDS_DEPTH} brackets deep"
            )
        super().initial(request, *args, **kwargs)

    def find_object(self, queryset, request):
        if "id" in request.GET and not request.GET["id"].isdigit():
            raise BadRequestError("id must be a positive integer")
        return super().find_object(queryset, request)

    def handle_exception(self, exc):
        # A read-only endpoint raises these only for values taken from the query.
        if isinstance(exc, ValidationError | OverflowError):
            exc = BadRequestError("a query parameter has a value of the wrong type")
        return super().handle_exception(exc)


class ReaderTextSearchFilter(SearchFilter):
    """``?search=`` takes the reader's words, never query syntax: quotes,
    brackets and operators reach SQLite's full-text engine as syntax errors
    otherwise. The index tokenizer drops punctuation anyway."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        words = " ".join(WORD_RE.findall(request.GET["search"]))
        if len(words) > MAX_SEARCH_LENGTH:
            raise BadRequestError(
                f"search is limited to {MAX_SEARCH_LENGTH} characters; "
                "try a shorter question."
            )
        if not words:
            return queryset.none()
        params = request.GET.copy()
        params["search"] = words
        return super().filter_queryset(SimpleNamespace(GET=params), queryset, view)


class PagesSearchThrottle(BaseThrottle):
    """Only a ?search= is throttled: listings and page reads cost no budget."""

    def allow_request(self, request, view) -> bool:
        self.seconds = 0
        if "search" in request.GET:
            waits = (
                fn(request=request)
                for fn in hooks.get_hooks(PAGES_SEARCH_THROTTLE_HOOK)
            )
            self.seconds = max(waits, default=0)
        return not self.seconds

    def wait(self) -> int:
        return self.seconds


def with_reader_text_search(backends: list) -> list:
    """An endpoint's filter backends with Wagtail's search taking words only."""
    return [ReaderTextSearchFilter if b is SearchFilter else b for b in backends]


def articles_matching(*, parameter: str, slug: str) -> QuerySet:
    if parameter == TOPIC_PARAMETER:
        return ArticlePage.objects.filter(
            topics__in=PainTopic.objects.filter(slug=slug).with_descendant_ids()
        )
    if parameter == AUTHOR_PARAMETER:
        return ArticlePage.objects.filter(article_authors__author__slug=slug)
    return ArticlePage.objects.filter(therapy_types__slug=slug)


class ArticleTaxonomyFilter(BaseFilterBackend):
    """``?topic=<slug>``, ``?author=<slug>``, ``?therapy=<slug>``; combined, an
    article must match all of them. An unknown slug matches nothing rather than
    being an error, so a stale link shows an empty list, not a failure."""

    parameters = (TOPIC_PARAMETER, AUTHOR_PARAMETER, THERAPY_PARAMETER)

    def filter_queryset(self, request, queryset, view):
        for parameter in self.parameters:
            slug = request.GET.get(parameter)
            if slug is None:
                continue
            matching = articles_matching(parameter=parameter, slug=slug)
            queryset = queryset.filter(pk__in=matching.values("pk"))
        return queryset


def with_article_relations(queryset: QuerySet) -> QuerySet:
    """Everything the article serializers read, in a fixed number of queries
    whatever the number of authors, topics or therapy types."""
    renditions = get_image_model().get_rendition_model().objects
    avatar_renditions = renditions.filter(filter_spec=AVATAR_RENDITION)
    return queryset.select_related(
        "hero_image", "medical_reviewer__avatar"
    ).prefetch_related(
        Prefetch(
            "article_authors",
            queryset=ArticlePageAuthor.objects.select_related("author__avatar"),
        ),
        Prefetch(
            "article_authors__author__avatar__renditions",
            queryset=avatar_renditions,
            to_attr="prefetched_renditions",
        ),
        Prefetch(
            "medical_reviewer__avatar__renditions",
            queryset=avatar_renditions,
            to_attr="prefetched_renditions",
        ),
        Prefetch(
            "hero_image__renditions",
            queryset=renditions.filter(filter_spec__in=HERO_RENDITIONS.values()),
            to_attr="prefetched_renditions",
        ),
        Prefetch("topics", queryset=PainTopic.objects.select_related("parent")),
        "therapy_types",
    )


class ReliefPagesAPIViewSet(StrictQueryMixin, PagesAPIViewSet):
    throttle_classes = [PagesSearchThrottle]
    filter_backends = [
        FieldsFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        ArticleTaxonomyFilter,
        # Last: search results cannot be filtered any further.
        ReaderTextSearchFilter,
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        ArticleTaxonomyFilter.parameters
    )

    def get_base_queryset(self):
        # Listings, details and the child_of/descendant_of parents all start here.
        return exclude_expired(pages=super().get_base_queryset())

    def get_queryset(self):
        queryset = super().get_queryset()
        # Default listing fields are all on the page row; only a ?fields= list
        # can ask for the article's relations.
        if queryset.model is ArticlePage and "fields" in self.request.GET:
            queryset = with_article_relations(queryset)
        return queryset

    def get_object(self):
        if not hasattr(self, "_api_object"):
            # BaseAPIViewSet.get_object: the page, or 404 unless live and public.
            page = super(PagesAPIViewSet, self).get_object()
            if page.specific_class is ArticlePage:
                self._api_object = with_article_relations(ArticlePage.objects).get(
                    pk=page.pk
                )
            else:
                self._api_object = page.specific
        return self._api_object
