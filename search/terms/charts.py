"""A day-by-day trend as an inline SVG bar chart, drawn on the server: no
script, no CDN, and it prints and exports as the page does."""

from __future__ import annotations

import datetime

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, GAP = 720, 90, 2


def trend_svg(*, counts: dict[datetime.date, int], label: str) -> SafeString:
    """Bars for every day from the first to the last in `counts` (a missing
    day is a zero), the tallest at full height."""
    if not counts:
        return SafeString("")
    first, last = min(counts), max(counts)
    days = [first + datetime.timedelta(n) for n in range((last - first).days + 1)]
    tallest = max(counts.values()) or 1
    width = WIDTH / len(days)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                f"{n * width:.1f}",
                f"{HEIGHT - counts.get(day, 0) / tallest * HEIGHT:.1f}",
                f"{max(width - GAP, 1):.1f}",
                f"{counts.get(day, 0) / tallest * HEIGHT:.1f}",
                day.isoformat(),
                counts.get(day, 0),
            )
            for n, day in enumerate(days)
        ),
    )
    return format_html(
        '<figure class="search-terms-trend"><svg role="img" viewBox="0 0 {} {}" '
        'width="100%" height="{}" fill="currentColor" aria-label="{}">{}</svg>'
        "<figcaption>{}: {} to {}, most {} a day</figcaption></figure>",
        WIDTH,
        HEIGHT,
        HEIGHT,
        label,
        bars,
        label,
        first.isoformat(),
        last.isoformat(),
        tallest,
    )
