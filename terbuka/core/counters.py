"""Counters kept in a row of their own: add one, creating the row on first use."""

from __future__ import annotations

from django.db.models import F, Model, QuerySet


def add_one(rows: QuerySet[Model], field: str, new: Model) -> None:
    """Add one to ``field`` of the row ``rows`` selects; if there is none yet, create ``new``
    (its counter at zero) and add one to that.

    Safe with concurrent callers in their own transactions: one that finds no row inserts
    with ``ignore_conflicts``, so a racing insert waits on the new row's key and is then
    ignored; both callers' additions land on the one row. One query, three the first time.
    """
    if rows.update(**{field: F(field) + 1}):
        return
    type(new)._default_manager.bulk_create([new], ignore_conflicts=True)
    rows.update(**{field: F(field) + 1})
