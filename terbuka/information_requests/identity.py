"""Identity numbers of requesters: pure validators and masking helpers.

Who may request public information (docs/RULES.md, "Information requests"): Indonesian
citizens, identified by the NIK on their KTP, and Indonesian legal entities, identified by
the number of their Kemenkumham approval decree (SK pengesahan, "nomor AHU"); either may act
through a proxy. Contact details are recorded at intake.

All of it is personal data (docs/RULES.md, "Personal data", UU 27/2022): staff lists and
exports for roles that may not see personal data show only the masks produced here, which
never reveal the middle of a NIK, the bulk of a phone number or of an e-mail's local part, or
any part of an address.

The validators raise :class:`~django.core.exceptions.ValidationError` with one Indonesian
message and one ``code`` per rule; the messages never repeat the value checked.
Apart from :class:`NikValidator`, nothing here reads the clock: callers pass ``today``.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy

from terbuka.core.clock import today_in

__all__ = [
    "MASK",
    "MAX_AGE_YEARS",
    "PROVINCE_CODES",
    "NikValidator",
    "mask_address",
    "mask_email",
    "mask_nik",
    "mask_phone",
    "validate_kemenkumham_number",
    "validate_nik",
    "validate_phone",
]

#: The masking character, and what a value masked in full looks like.
BULLET = "•"
MASK = BULLET * 3

#: Oldest plausible requester; an older date of birth in a NIK is refused.
MAX_AGE_YEARS = 120

#: Province codes of Kemendagri (Permendagri on kode dan data wilayah administrasi
#: pemerintahan), including the Papua provinces formed in 2022: 93 Papua Selatan,
#: 94 Papua Tengah, 95 Papua Pegunungan, 96 Papua Barat Daya.
PROVINCE_CODES: frozenset[str] = frozenset(
    str(code)
    for codes in (
        range(11, 20),  # Aceh … Kepulauan Bangka Belitung
        [21],  # Kepulauan Riau
        range(31, 37),  # DKI Jakarta … Banten
        range(51, 54),  # Bali, NTB, NTT
        range(61, 66),  # Kalimantan
        range(71, 77),  # Sulawesi
        [81, 82],  # Maluku, Maluku Utara
        range(91, 97),  # Papua Barat, Papua, and 93–96
    )
    for code in codes
)

#: Women add 40 to the day of birth in their NIK.
_WOMAN_DAY_OFFSET = 40

NIK_FORMAT = gettext_lazy("NIK harus 16 digit angka.")
NIK_PROVINCE = gettext_lazy("Dua digit pertama NIK bukan kode provinsi yang dikenal.")
NIK_REGENCY = gettext_lazy("Digit ke-3 dan ke-4 NIK (kode kabupaten/kota) tidak boleh 00.")
NIK_BIRTH_DATE = gettext_lazy("Tanggal lahir dalam NIK tidak valid.")
NIK_BIRTH_DATE_RANGE = gettext_lazy(
    "Tanggal lahir dalam NIK tidak mungkin: di masa depan atau lebih dari 120 tahun lalu."
)
NIK_SERIAL = gettext_lazy("Empat digit terakhir NIK (nomor urut) tidak boleh 0000.")
AHU_FORMAT = gettext_lazy(
    "Nomor SK Kemenkumham tidak dikenali. Tulis seperti pada SK, misalnya "
    "AHU-0012345.AH.01.01.Tahun 2020."
)
PHONE_FORMAT = gettext_lazy(
    "Nomor telepon harus diawali +62, 62, atau 0, diikuti 9–13 digit angka "
    "(contoh: 0812-3456-7890)."
)

_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")
_NIK_SEPARATORS = re.compile(r"[\s.]+")


def _normalise_nik(value: str) -> str:
    return _NIK_SEPARATORS.sub("", value)


def _age_on(today: dt.date, born: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def validate_nik(value: str, *, today: dt.date) -> str:
    """Check a NIK (Nomor Induk Kependudukan) and return it without spaces and dots.

    Layout, 16 digits: ``PP KK CC DDMMYY SSSS`` —

    * ``PP`` a Kemendagri province code (:data:`PROVINCE_CODES`), code ``nik_province``;
    * ``KK`` the regency/city code, not ``00``, code ``nik_regency``;
    * ``CC`` the district (kecamatan) code, not checked;
    * ``DDMMYY`` the date of birth, women adding 40 to the day (``DD`` 01–31 or 41–71).
      The century is not written: the date is accepted if, read as 19YY or as 20YY, it is a
      real date (code ``nik_birth_date`` otherwise) that is not after ``today`` and at most
      :data:`MAX_AGE_YEARS` years before it (code ``nik_birth_date_range`` otherwise);
    * ``SSSS`` a serial number, not ``0000``, code ``nik_serial``.

    Anything but 16 ASCII digits once spaces and dots are removed fails with ``nik_format``.
    The rules are checked in that order and the first failure is raised.
    """
    nik = _normalise_nik(value) if isinstance(value, str) else ""
    if not _SIXTEEN_DIGITS.fullmatch(nik):
        raise ValidationError(NIK_FORMAT, code="nik_format")
    if nik[0:2] not in PROVINCE_CODES:
        raise ValidationError(NIK_PROVINCE, code="nik_province")
    if nik[2:4] == "00":
        raise ValidationError(NIK_REGENCY, code="nik_regency")

    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > _WOMAN_DAY_OFFSET:
        day -= _WOMAN_DAY_OFFSET
    real_dates = []
    for century in (1900, 2000):
        try:
            real_dates.append(dt.date(century + year, month, day))
        except ValueError:
            continue
    if not real_dates:
        raise ValidationError(NIK_BIRTH_DATE, code="nik_birth_date")
    if not any(born <= today and _age_on(today, born) <= MAX_AGE_YEARS for born in real_dates):
        raise ValidationError(NIK_BIRTH_DATE_RANGE, code="nik_birth_date_range")

    if nik[12:16] == "0000":
        raise ValidationError(NIK_SERIAL, code="nik_serial")
    return nik


@deconstructible
class NikValidator:
    """:func:`validate_nik` as a Django field validator, "today" being today in WIB."""

    time_zone = ZoneInfo("Asia/Jakarta")

    def __call__(self, value: str) -> None:
        validate_nik(value, today=today_in(self.time_zone))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NikValidator)

    def __hash__(self) -> int:
        return hash(NikValidator)


# The number of an SK pengesahan of the Minister of Law (AHU = Administrasi Hukum Umum):
#
#   AHU-0012345.AH.01.01.Tahun 2020    PT (older form, dot before "AH")
#   AHU-12345.AH.01.04.Tahun 2019      yayasan/perkumpulan, number without leading zeros
#   AHU-0001234-AH.01.04.Tahun 2021    newer form, dash before "AH"
#
# i.e. "AHU-", a serial of 1–10 digits, "." or "-", "AH." and two two-digit groups (the
# kind of decree, e.g. 01.01 founding of a PT), ".Tahun " and the four-digit year 20YY.
# Letters may be in any case; spaces around the separators and in "Tahun 2020" are
# tolerated. Other AHU documents (e.g. "AHU-AH.01.03-0012345", a receipt of notification
# of amended articles) are not approval numbers and are refused.
_AHU_NUMBER = re.compile(
    r"""
    AHU \s* - \s*
    (?P<serial>[0-9]{1,10})
    \s* (?P<separator>[.-]) \s*
    AH \s* \. \s* (?P<group>[0-9]{2}) \s* \. \s* (?P<kind>[0-9]{2})
    \s* \. \s*
    TAHUN \s* (?P<year>20[0-9]{2})
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)


def validate_kemenkumham_number(value: str) -> str:
    """Check a Kemenkumham approval number; return it in the spelling used on the SK.

    ``"ahu-0001234 - ah.01.04.tahun  2021"`` → ``"AHU-0001234-AH.01.04.Tahun 2021"``.
    Raises ``ValidationError`` with code ``ahu_format`` otherwise (see ``_AHU_NUMBER``).
    """
    match = _AHU_NUMBER.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or not match["serial"].strip("0"):
        raise ValidationError(AHU_FORMAT, code="ahu_format")
    return (
        f"AHU-{match['serial']}{match['separator']}AH.{match['group']}.{match['kind']}"
        f".Tahun {match['year']}"
    )


_PHONE_SEPARATORS = re.compile(r"[\s-]+")
# After the prefix: 9–13 digits, the first not 0 (a "0" after +62 is a mistyped trunk prefix).
_PHONE = re.compile(r"(?:\+62|62|0)(?P<national>[1-9][0-9]{8,12})")


def _parse_phone(value: str) -> str | None:
    match = _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", value))
    return None if match is None else match["national"]


def validate_phone(value: str) -> str:
    """Check an Indonesian phone number; return it as ``+62`` and the national digits.

    Accepts the prefixes ``+62``, ``62`` and ``0`` followed by 9–13 digits, the first of them
    not 0; spaces and dashes anywhere are ignored. ``"0812-3456-7890"`` → ``"+6281234567890"``.
    Raises ``ValidationError`` with code ``phone_format`` otherwise.
    """
    national = _parse_phone(value) if isinstance(value, str) else None
    if national is None:
        raise ValidationError(PHONE_FORMAT, code="phone_format")
    return f"+62{national}"


# Masks. Empty or missing values give "" (nothing to hide); a value that cannot be parsed is
# masked in full as MASK, never shown partly.


def mask_nik(value: str | None) -> str:
    """Keep the province and regency code and the serial: ``3325••••••••0001``.

    The district code and the date of birth (digits 5–12) never appear.
    """
    if not value or not value.strip():
        return ""
    nik = _normalise_nik(value)
    if not _SIXTEEN_DIGITS.fullmatch(nik):
        return MASK
    return nik[:4] + BULLET * 8 + nik[12:]


def mask_phone(value: str | None) -> str:
    """Keep the country code and the last three digits: ``+62••••••••890``.

    One bullet per hidden digit, so the length of the number shows.
    """
    if not value or not value.strip():
        return ""
    national = _parse_phone(value)
    if national is None:
        return MASK
    return "+62" + BULLET * (len(national) - 3) + national[-3:]


def mask_email(value: str | None) -> str:
    """Keep the first character of the local part and the domain: ``b•••@example.go.id``.

    Always three bullets, so the length of the local part does not show; a local part of
    one character is hidden entirely.
    """
    if not value or not value.strip():
        return ""
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or not domain:
        return MASK
    shown = local[0] if len(local) > 1 else ""
    return f"{shown}{MASK}@{domain}"


def mask_address(value: str | None) -> str:
    """Hide an address entirely: ``•••`` (or ``""`` when none was recorded).

    Not even the first word is kept: it is either uninformative ("Jl.", "RT") or, for a
    named house, housing estate or hamlet, enough to find a person in a small village.
    """
    if not value or not value.strip():
        return ""
    return MASK
