"""One SearchParams for every reader search: the HTML page, the JSON API, the
database fallback and the relevance evaluation all read and validate the same."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from django.http import QueryDict

MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100  # as WAGTAILAPI_LIMIT_MAX
DEFAULT_PER_PAGE = 10
# Elasticsearch refuses from + size beyond index.max_result_window.
MAX_RESULT_WINDOW = 10_000
MAX_AUTOCOMPLETE_QUERY = 100
MAX_RELATED = 12
DEFAULT_RELATED = 4


class InvalidSearch(ValueError):
    """Input a reader can fix; the message is shown to them as is."""


@dataclasses.dataclass(frozen=True)
class SearchParams:
    query: str = ""
    topics: tuple[str, ...] = ()
    therapies: tuple[str, ...] = ()
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # The query exactly as typed, never replaced by a spelling correction.
    verbatim: bool = False
    # Pages shown above the hits already (editors' promoted results): moved to
    # the top, not repeated, so the hits and their total leave them out.
    exclude_pages: tuple[int, ...] = ()

    @classmethod
    def from_query_dict(
        cls, data: QueryDict, *, allow_per_page: bool = False
    ) -> SearchParams:
        """Parameters from a query string (?q=&topic=&therapy=&page=&per_page=);
        only the API lets a client choose per_page."""
        check_no_null_characters(data)
        return cls(
            query=data.get("q", ""),
            topics=tuple(s for s in data.getlist("topic") if s),
            therapies=tuple(s for s in data.getlist("therapy") if s),
            page=read_positive_int(data, name="page", default=1),
            per_page=(
                read_positive_int(data, name="per_page", default=DEFAULT_PER_PAGE)
                if allow_per_page
                else DEFAULT_PER_PAGE
            ),
            verbatim=read_flag(data, name="verbatim"),
        )

    def replace(self, **changes) -> SearchParams:
        return dataclasses.replace(self, **changes)

    def cleaned(self) -> SearchParams:
        """The same search with tidy input, or InvalidSearch saying what to fix.
        An unknown topic or therapy slug is no error: it matches nothing, as on
        every listing, so a stale link shows an empty list."""
        params = self.replace(
            query=clean_query(self.query),
            topics=tuple(dict.fromkeys(self.topics)),
            therapies=tuple(dict.fromkeys(self.therapies)),
        )
        check_paging(page=params.page, per_page=params.per_page)
        return params

    @property
    def hit_window(self) -> tuple[int, int]:
        """(start, size) of this page's hits. A page past what a server will
        page through asks for no hits, like any page past the last result."""
        start = (self.page - 1) * self.per_page
        if start + self.per_page > MAX_RESULT_WINDOW:
            return 0, 0
        return start, self.per_page

    @property
    def is_empty(self) -> bool:
        """Nothing typed and nothing ticked: the search page shows only its form."""
        return not (self.query.strip() or self.topics or self.therapies)


def read_positive_int(data: Mapping, *, name: str, default: int) -> int:
    value = data.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidSearch(f"{name} must be a whole number.") from None
    if number < 1:
        raise InvalidSearch(f"{name} must be 1 or more.")
    return number


def read_flag(data: Mapping, *, name: str) -> bool:
    value = data.get(name)
    if value in (None, ""):
        return False
    if value != "1":
        raise InvalidSearch(f"{name} must be 1 or left out.")
    return True


def check_no_null_characters(data: QueryDict) -> None:
    """No database stores a null character, so no value with one matches: the
    reader hears so from the page and the API alike."""
    for name, values in data.lists():
        if any("\x00" in value for value in values):
            raise InvalidSearch(f"{name} must not contain null characters.")


def tidy_query(query: str) -> str:
    """Whitespace collapsed and control characters dropped."""
    return " ".join("".join(c for c in query if c.isprintable()).split())


def clean_query(query: str) -> str:
    """The tidy query; InvalidSearch when it is too long."""
    cleaned = tidy_query(query)
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise InvalidSearch(
            f"Search terms are limited to {MAX_QUERY_LENGTH} characters; "
            "try a shorter question."
        )
    return cleaned


def check_paging(*, page: int, per_page: int) -> None:
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidSearch(f"per_page must be between 1 and {MAX_PER_PAGE}.")
    if page < 1:
        raise InvalidSearch("page must be 1 or more.")
