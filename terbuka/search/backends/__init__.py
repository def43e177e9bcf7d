"""The full-text engine behind the search app, chosen by the database in use."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from terbuka.search.backends.base import Backend, Scope
from terbuka.search.backends.postgresql import PostgresBackend
from terbuka.search.backends.sqlite import SqliteBackend

__all__ = ["Backend", "Scope", "backend"]

_BACKENDS: dict[str, Backend] = {"sqlite": SqliteBackend(), "postgresql": PostgresBackend()}


def backend() -> Backend:
    """The backend for the default database: SQLite FTS5 or PostgreSQL full text."""
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None
