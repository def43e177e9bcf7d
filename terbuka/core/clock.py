"""The one seam through which Terbuka reads the current time.

Everything that needs "now" calls :func:`now`; tests move time with :func:`frozen`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    if _frozen is not None:
        return _frozen
    return timezone.now()


def today_in(tz: dt.tzinfo) -> dt.date:
    """Today's date on the wall clock of ``tz`` (a Pemda's WIB/WITA/WIT zone)."""
    return now().astimezone(tz).date()


@contextlib.contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Hold :func:`now` at ``moment`` (aware) for the duration of the block."""
    global _frozen
    if timezone.is_naive(moment):
        raise ValueError("frozen() needs an aware datetime")
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
