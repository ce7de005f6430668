"""The blog app's settings: ``RELIEF_BLOG = {...}`` in the site's settings,
merged over these defaults and read when used, never at import time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS: dict[str, Any] = {
    # Days from an article's last medical review to its next, when the editor
    # sets no date of their own (NHS pages are reviewed every three years;
    # Relief's pain-care advice moves faster).
    "REVIEW_INTERVAL_DAYS": 365,
    # The Flesch-Kincaid grades an article should read at, lowest and highest:
    # MedlinePlus writes for grades 5 to 8.
    "READING_GRADE_TARGET": (5, 8),
    # Seconds a headless preview token stays good: long enough to open the
    # front end and look, short enough that a forwarded link soon dies.
    "PREVIEW_TOKEN_MAX_AGE": 3600,
    # The front end's preview address; the admin's headless preview links to
    # it with ?content_type=...&token=... (as wagtail-headless-preview does).
    "HEADLESS_PREVIEW_CLIENT_URL": "",
}


def blog_setting(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "RELIEF_BLOG", {})}[name]


def whole_number_setting(name: str, *, unit: str) -> int:
    value = blog_setting(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(
            f'RELIEF_BLOG["{name}"] must be a whole number of {unit}, '
            f"at least 1; it is {value!r}."
        )
    return value


def review_interval_days() -> int:
    return whole_number_setting("REVIEW_INTERVAL_DAYS", unit="days")


def reading_grade_target() -> tuple[float, float]:
    target = blog_setting("READING_GRADE_TARGET")
    try:
        low, high = (float(grade) for grade in target)
    except (TypeError, ValueError):
        low = high = None
    if low is None or low > high:
        raise ImproperlyConfigured(
            f'RELIEF_BLOG["READING_GRADE_TARGET"] must be two grades, lowest first '
            f"(e.g. (5, 8)); it is {target!r}."
        )
    return low, high


def preview_token_max_age() -> int:
    return whole_number_setting("PREVIEW_TOKEN_MAX_AGE", unit="seconds")
