"""Registration numbers: gapless per body (PPID Utama or an OPD's PPID Pelaksana) and year."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from terbuka.core.errors import DomainError
from terbuka.information_requests.models import RegistrationCounter
from terbuka.organizations.models import Pemda

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
BAD_FORMAT = _("Format nomor pendaftaran tidak dapat dipakai: %(error)s")


def format_number(pattern: str, *, sequence: int, body: str, on: dt.date) -> str:
    """Fill the Pemda's number pattern, e.g. ``0007/PPID/DISKOMINFO/III/2026``."""
    try:
        return pattern.format(
            nomor=sequence,
            badan=body.upper(),
            bulan=on.month,
            bulan_romawi=ROMAN_MONTHS[on.month - 1],
            tahun=on.year,
        )
    except (KeyError, IndexError, ValueError) as error:
        raise DomainError(BAD_FORMAT, error=str(error)) from error


def next_sequence(*, pemda: Pemda, body_code: str, year: int) -> int:
    """Take the next number. Call inside the transaction that saves the request: the counter
    row stays locked until it commits, so concurrent submissions queue and none is lost."""
    counter, _created = RegistrationCounter.objects.select_for_update().get_or_create(
        pemda=pemda, body_code=body_code, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
