"""A therapy comparison's data: its columns, the values derived from them, the
rules a saved comparison follows, and its stored value built from plain data.

The form that edits it is `TherapyComparisonBlock` in blog.blocks; what lives
here needs no form, so validation, templates, the API and imports share it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.text import slugify
from wagtail import blocks

THERAPY_COLUMNS = ("first", "second", "third", "fourth")
REQUIRED_COLUMNS = 2
COLUMN_LABELS = {
    "first": "First therapy",
    "second": "Second therapy",
    "third": "Third therapy (optional)",
    "fourth": "Fourth therapy (optional)",
}


def column_name(column) -> str:
    therapy = column.get("therapy")
    return therapy.name if therapy else (column.get("other_name") or "").strip()


def column_key(column) -> str:
    therapy = column.get("therapy")
    return therapy.slug if therapy else slugify(column.get("other_name") or "")


class TherapyComparisonValue(blocks.StructValue):
    @cached_property
    def columns(self) -> list[tuple[str, str, str]]:
        """(slot, key, name) of each chosen therapy, in column order."""
        therapies = self.get("therapies") or {}
        return [
            (slot, column_key(therapies[slot]), column_name(therapies[slot]))
            for slot in THERAPY_COLUMNS
            if slot in therapies and column_name(therapies[slot])
        ]

    @cached_property
    def therapy_names(self) -> list[str]:
        return [name for _, _, name in self.columns]

    @cached_property
    def therapy_keys(self) -> list[str]:
        return [key for _, key, _ in self.columns]

    @cached_property
    def table_rows(self) -> list[dict]:
        """Rows with their cells paired to therapy names, for templates."""
        return [
            {
                "dimension": row["dimension"],
                "cells": [
                    (name, row["cells"].get(slot) or "")
                    for slot, _, name in self.columns
                ],
            }
            for row in self.get("rows", [])
        ]


def therapy_column_errors(*, therapies) -> dict:
    """Per-column messages: the first two columns are required, each column is
    a taxonomy pick or a name the taxonomy lacks, and no therapy appears twice."""
    from blog.models import TherapyType

    errors = {}
    seen: set[str] = set()
    for position, slot in enumerate(THERAPY_COLUMNS):
        column = therapies[slot]
        other = (column.get("other_name") or "").strip()
        if column.get("therapy") and other:
            errors[slot] = ValidationError(
                "Pick a therapy type or type a name, not both."
            )
        elif other and (
            known := TherapyType.objects.filter(name__iexact=other).first()
        ):
            errors[slot] = ValidationError(
                f'"{known.name}" is in Therapy types: pick it from the list.'
            )
        elif not column_name(column):
            if position < REQUIRED_COLUMNS:
                errors[slot] = ValidationError(
                    "Choose a therapy: a comparison needs at least two."
                )
        elif column_key(column) in seen:
            errors[slot] = ValidationError(
                f'"{column_name(column)}" is already compared in another column.'
            )
        seen.add(column_key(column))
    return errors


def comparison_row_errors(*, value) -> dict:
    """Per-row messages for cells left empty under a chosen therapy, or filled
    under a column that has none."""
    chosen = {slot for slot, _, _ in value.columns}
    errors = {}
    for index, row in enumerate(value.get("rows", [])):
        cell_errors = {}
        for slot in THERAPY_COLUMNS:
            filled = bool((row["cells"].get(slot) or "").strip())
            if slot in chosen and not filled:
                cell_errors[slot] = ValidationError(
                    "Fill in this cell for the therapy above."
                )
            elif slot not in chosen and filled:
                cell_errors[slot] = ValidationError(
                    "This column has no therapy: choose one or empty the cell."
                )
        if cell_errors:
            errors[index] = blocks.StructBlockValidationError(
                block_errors={
                    "cells": blocks.StructBlockValidationError(block_errors=cell_errors)
                }
            )
    return errors


def comparison_data(
    *,
    caption: str,
    therapies: list,
    rows: list[tuple[str, list[str]]],
    summary: str = "",
) -> dict:
    """A comparison's stored value from therapies in column order (TherapyType
    objects, or names: looked up in Therapy types, else kept as free text) and
    (dimension, cells) rows. For demo content, imports and tests."""
    from blog.models import TherapyType

    columns = {}
    for slot, therapy in zip(THERAPY_COLUMNS, therapies, strict=False):
        if isinstance(therapy, str):
            therapy = (
                TherapyType.objects.filter(name__iexact=therapy).first() or therapy
            )
        if isinstance(therapy, str):
            columns[slot] = {"therapy": None, "other_name": therapy}
        else:
            columns[slot] = {"therapy": therapy.pk, "other_name": ""}
    return {
        "caption": caption,
        "therapies": columns,
        "rows": [
            {
                "dimension": dimension,
                "cells": dict(zip(THERAPY_COLUMNS, cells, strict=False)),
            }
            for dimension, cells in rows
        ],
        "summary": summary,
    }
