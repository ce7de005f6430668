"""Tables built from editor-managed rows (the abbreviation list, the synonym
sets) that every search reads. Each is built again only when its rows changed:
one aggregate query per search tells whether any row was added, edited,
switched off or deleted since the table was built, in any process, so an
editor's change applies to the next search without each search reading every
row."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.db.models import Count, Max

T = TypeVar("T")

_tables: dict[str, tuple[tuple, object]] = {}


def rows_stamp(model: type[models.Model]) -> tuple:
    """Changes with any insert, update (the rows' updated_at) or delete."""
    return tuple(
        model.objects.aggregate(Count("pk"), Max("pk"), Max("updated_at")).values()
    )


def table_of_rows(*, model: type[models.Model], build: Callable[[], T]) -> T:
    """The table `build` makes from the model's rows, kept until they change."""
    key = model._meta.label
    stamp = rows_stamp(model)
    cached = _tables.get(key)
    if cached is None or cached[0] != stamp:
        cached = _tables[key] = (stamp, build())
    return cached[1]


class BuiltFrom:
    """Values built from tables, kept while the same table objects are in use:
    table_of_rows hands out the same object until its rows change, so a key
    may name tables by id. Each entry keeps the objects its key names alive,
    so no later object can take their ids while it is kept. At most `size`
    entries (one per vocabulary in use); a new one past that starts afresh."""

    def __init__(self, *, size: int = 1):
        self.size = size
        self.entries: dict[tuple, tuple[tuple, object]] = {}

    def get(self, *, key: tuple, keep: tuple, build: Callable[[], T]) -> T:
        entry = self.entries.get(key)
        if entry is None:
            if len(self.entries) >= self.size:
                self.entries.clear()
            entry = self.entries[key] = (keep, build())
        return entry[1]
