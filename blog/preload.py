"""What article bodies read, loaded in bulk instead of once per block.

A body's images and the Therapy types its comparisons pick are read by the
blocks' ``bulk_to_python``; these keep that to one query per body, or, around
work that reads many bodies (an index rebuild), one query in all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model


def prefetch_renditions(*, images: list, specs: list[str]) -> None:
    """Load the given renditions of many images in one query, so rendering N
    images costs the same number of queries as rendering one. Images already
    carrying prefetched renditions are left alone."""
    pending = [
        image
        for image in images
        if image is not None and not hasattr(image, "prefetched_renditions")
    ]
    if not pending:
        return
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    )
    prefetch_related_objects(
        pending,
        Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions"),
    )


# Therapy types by primary key while preloaded_therapy_types() is active.
_preloaded_therapy_types: ContextVar[dict | None] = ContextVar(
    "preloaded_therapy_types", default=None
)


@contextmanager
def preloaded_therapy_types() -> Iterator[None]:
    """Around work that reads many article bodies (an index rebuild): therapy
    comparisons take their Therapy types from one query instead of one per
    column of every article. The taxonomy is small; the rows are read when the
    block is entered, so an edit made before it applies."""
    from blog.models import TherapyType

    token = _preloaded_therapy_types.set(TherapyType.objects.in_bulk())
    try:
        yield
    finally:
        _preloaded_therapy_types.reset(token)


def preloaded_therapy_types_by_pk() -> dict | None:
    """Therapy types by primary key inside preloaded_therapy_types(), else None."""
    return _preloaded_therapy_types.get()
