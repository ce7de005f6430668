"""Recording a reader's search and the result they opened.

A search is stored as its normalised query (lowercase words, at most
MAX_QUERY_LENGTH characters) and a day's counters; no address, user id or raw
text. A query that looks like a contact detail (an e-mail address, a long
number) is not stored at all.

The write happens after the response has been sent (a closer of the response,
which the WSGI server calls once the body is out), so the reader never waits
for it, and a failing database only loses the count, logged.
"""

from __future__ import annotations

import datetime
import logging
import re
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from search.abbreviations import normalise
from search.conf import get_search_settings
from search.terms.models import SearchTermDay

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
PRIVATE_TEXT = re.compile(r"\S@\S|\d[\d ()+./-]{5,}\d")


def is_recording() -> bool:
    return bool(get_search_settings()["RECORD_SEARCH_TERMS"])


def retention_days() -> int:
    days = get_search_settings()["SEARCH_TERMS_RETENTION_DAYS"]
    if not isinstance(days, int) or days < 1:
        raise ValueError(
            'RELIEF_SEARCH["SEARCH_TERMS_RETENTION_DAYS"] must be a whole number '
            f"of days, 1 or more; it is {days!r}."
        )
    return days


def normalised_query(query: str) -> str:
    """The form a search is stored and reported under; "" for one that must
    not be stored (nothing left, or what looks like a contact detail)."""
    if PRIVATE_TEXT.search(query):
        return ""
    return normalise(query)[:MAX_QUERY_LENGTH].strip()


def count_search(*, query: str, total: int, day: datetime.date) -> None:
    """Add one search finding `total` results to the day's row of the query."""
    rows = SearchTermDay.objects.filter(query=query, date=day, is_demo=False)
    changes = {
        "searches": F("searches") + 1,
        "hits": F("hits") + total,
        "zero_results": F("zero_results") + int(total == 0),
    }
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            SearchTermDay.objects.create(
                query=query,
                date=day,
                searches=1,
                hits=total,
                zero_results=int(total == 0),
            )
    except IntegrityError:
        # Another process created the row first.
        rows.update(**changes)


def count_click(*, query: str, position: int, day: datetime.date) -> bool:
    """Count a click on the result at `position` for a query searched that
    day; never more clicks than searches. Whether it was counted."""
    return bool(
        SearchTermDay.objects.filter(
            query=query, date=day, is_demo=False, clicks__lt=F("searches")
        ).update(
            clicks=F("clicks") + 1,
            click_positions=F("click_positions") + position,
        )
    )


def record_after_response(response: HttpResponse, *, query: str, total: int) -> None:
    """Count the search once the response has been sent."""
    if not is_recording():
        return
    normalised = normalised_query(query)
    if not normalised:
        return
    day = timezone.localdate()

    def record() -> None:
        try:
            count_search(query=normalised, total=total, day=day)
        except Exception:
            logger.exception("A search was not counted in the search terms")

    # Django's responses run these closers from close(), which the WSGI server
    # (and the test client) calls after the body is sent.
    response._resource_closers.append(record)


def record_search(response: HttpResponse, *, params, results, promoted=()) -> None:
    """Count the reader's search: a query's first page without filters (paging
    and ticking filters refine a search; they are not new ones). A promoted
    result is something found: a search it answers is no zero-result search."""
    if params.query and params.page == 1 and not (params.topics or params.therapies):
        total = results.total + len(promoted)
        record_after_response(response, query=params.query, total=total)


def click_beacon(*, query: str) -> str:
    """The beacon URL a result link pings, less the position at its end; ""
    when nothing is recorded for this query."""
    normalised = normalised_query(query) if is_recording() else ""
    if not normalised:
        return ""
    return f"{reverse('search_click')}?{urlencode({'q': normalised})}&position="


def purge_search_terms(*, today: datetime.date | None = None) -> int:
    """Delete the days older than the retention; how many rows went."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=retention_days())
    deleted, _ = SearchTermDay.objects.filter(date__lt=cutoff).delete()
    return deleted
