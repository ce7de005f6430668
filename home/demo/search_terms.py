"""A plausible week of readers' searches for the demo site, so the search-term
reports show something on a fresh `make run`. Every row is generated, marked
`is_demo`, and the reports say so; rows already there are kept, so running
the demo again adds only the days missing."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from search.terms.models import SearchTermDay

DAYS = 7
# (query, searches a day, share finding nothing, share opening a result,
# typical position opened). Zero-result and never-opened queries are there on
# purpose: they are what the reports are for.
DEMO_SEARCHES = (
    ("back pain", 40, 0.0, 0.6, 1.6),
    ("sciatica", 22, 0.0, 0.55, 1.3),
    ("physical therapy", 18, 0.0, 0.5, 1.4),
    ("fibromyalgia", 15, 0.0, 0.45, 1.8),
    ("migraine acupuncture", 12, 0.0, 0.5, 1.2),
    ("neck pain", 11, 0.0, 0.35, 2.2),
    ("cbt for pain", 9, 0.0, 0.4, 1.5),
    ("heat or ice", 8, 0.0, 0.0, 0.0),
    ("pain diary", 6, 0.0, 0.0, 0.0),
    ("knee replacement recovery", 7, 1.0, 0.0, 0.0),
    ("tens machine", 6, 1.0, 0.0, 0.0),
    ("endometriosis pain", 5, 1.0, 0.0, 0.0),
    ("sleep with back pain", 5, 1.0, 0.0, 0.0),
)


def demo_day(*, query: str, day: datetime.date, plan: list) -> SearchTermDay:
    base, zero_share, click_share, position = plan
    chance = random.Random(f"{query}|{day.isoformat()}")  # noqa: S311 - demo data
    # Weekends are quieter.
    searches = max(
        1, round(base * chance.uniform(0.7, 1.3) * (0.6 if day.weekday() >= 5 else 1))
    )
    zero = round(searches * zero_share)
    clicks = round((searches - zero) * click_share * chance.uniform(0.8, 1.1))
    return SearchTermDay(
        query=query,
        date=day,
        searches=searches,
        hits=(searches - zero) * chance.randint(2, 6),
        zero_results=zero,
        clicks=clicks,
        click_positions=round(clicks * position),
        is_demo=True,
    )


def fill_demo_search_terms(*, today: datetime.date | None = None) -> int:
    """Add the demo week's missing days; how many rows were added."""
    today = today or timezone.localdate()
    days = [today - datetime.timedelta(n) for n in range(DAYS)]
    there = set(
        SearchTermDay.objects.filter(is_demo=True, date__in=days).values_list(
            "query", "date"
        )
    )
    rows = [
        demo_day(query=query, day=day, plan=plan)
        for query, *plan in DEMO_SEARCHES
        for day in days
        if (query, day) not in there
    ]
    SearchTermDay.objects.bulk_create(rows)
    return len(rows)
