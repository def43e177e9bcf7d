"""Identity validators and masks (RULES.md "Information requests", "Personal data")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from terbuka.core import clock
from terbuka.information_requests.identity import (
    MASK,
    PROVINCE_CODES,
    NikValidator,
    mask_address,
    mask_email,
    mask_nik,
    mask_phone,
    validate_kemenkumham_number,
    validate_nik,
    validate_phone,
)

TODAY = dt.date(2025, 6, 1)


def error_of(call: object, *args: object, **kwargs: object) -> ValidationError:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- NIK -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        # man, 15 Jan 1990, Kab. Batang (Jawa Tengah)
        ("3325011501900001", "3325011501900001"),
        # woman (day 15 + 40), 15 Aug 1990, Kota Semarang
        ("3374055508900002", "3374055508900002"),
        # man, 2 Mar 2005, Jakarta Pusat
        ("3171010203050003", "3171010203050003"),
        # woman (day 21 + 40), 21 Dec 2001, Papua Selatan (province 93)
        ("9301016112010004", "9301016112010004"),
        # woman born 29 Feb 2000 (1900 was no leap year: only 2000 fits)
        ("3201016902000005", "3201016902000005"),
        # man, 31 Dec 1999, Kepulauan Riau (province 21)
        ("2171013112990006", "2171013112990006"),
        # woman, 1 Jan 1960 (day 41), Papua Barat Daya (province 96)
        ("9601014101600007", "9601014101600007"),
        # women's highest day: 31 + 40 = 71
        ("5171017105800008", "5171017105800008"),
        # spaces and dots are dropped
        ("33.25.01 150190 0001", "3325011501900001"),
        (" 3325 0115 0190 0001 ", "3325011501900001"),
    ],
)
def test_valid_nik_is_returned_normalised(raw: str, normalised: str) -> None:
    assert validate_nik(raw, today=TODAY) == normalised


def test_every_kemendagri_province_code_is_known() -> None:
    expected = [
        *range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66),
        *range(71, 77), 81, 82, *range(91, 97),
    ]  # fmt: skip
    assert sorted(int(code) for code in PROVINCE_CODES) == expected
    for code in PROVINCE_CODES:
        assert validate_nik(f"{code}01011501900001", today=TODAY).startswith(code)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # not 16 ASCII digits
        ("", "nik_format"),
        ("332501150190001", "nik_format"),  # 15 digits
        ("33250115019000011", "nik_format"),  # 17 digits
        ("3325O11501900001", "nik_format"),  # letter O
        ("3325-0115-0190-0001", "nik_format"),  # dashes are not separators
        ("٣٣٢٥٠١١٥٠١٩٠٠٠٠١", "nik_format"),  # Arabic-Indic digits
        ("3325011501900001\n1", "nik_format"),
        # province
        ("0025011501900001", "nik_province"),
        ("1025011501900001", "nik_province"),
        ("2025011501900001", "nik_province"),
        ("2225011501900001", "nik_province"),
        ("3725011501900001", "nik_province"),
        ("5425011501900001", "nik_province"),
        ("8325011501900001", "nik_province"),
        ("9725011501900001", "nik_province"),
        # regency/city
        ("3300011501900001", "nik_regency"),
        # date of birth that does not exist
        ("3325010001900001", "nik_birth_date"),  # day 00
        ("3325013201900001", "nik_birth_date"),  # day 32
        ("3325014001900001", "nik_birth_date"),  # day 40 (woman's 0)
        ("3325017201900001", "nik_birth_date"),  # day 72 (woman's 32)
        ("3325019901900001", "nik_birth_date"),  # day 99
        ("3325011500900001", "nik_birth_date"),  # month 00
        ("3325011513900001", "nik_birth_date"),  # month 13
        ("3325013104900001", "nik_birth_date"),  # 31 April
        ("3325017104900001", "nik_birth_date"),  # woman, 31 April
        ("3325012902010001", "nik_birth_date"),  # 29 Feb 1901/2001
        ("3325013002000001", "nik_birth_date"),  # 30 Feb
        # serial
        ("3325011501900000", "nik_serial"),
    ],
)
def test_invalid_nik_is_refused_with_the_rule_broken(raw: str, code: str) -> None:
    assert error_of(validate_nik, raw, today=TODAY).code == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("nik_format", "NIK harus 16 digit angka."),
        ("nik_province", "Dua digit pertama NIK bukan kode provinsi yang dikenal."),
        ("nik_birth_date", "Tanggal lahir dalam NIK tidak valid."),
    ],
)
def test_nik_messages_are_indonesian(code: str, message: str) -> None:
    raw = {
        "nik_format": "123",
        "nik_province": "0025011501900001",
        "nik_birth_date": "3325013201900001",
    }[code]
    error = error_of(validate_nik, raw, today=TODAY)
    assert (error.code, str(error.message)) == (code, message)


def test_nik_errors_do_not_repeat_the_nik() -> None:
    for raw in ["3325011501900000", "3325013201900001", "332501150190001"]:
        error = error_of(validate_nik, raw, today=TODAY)
        assert raw not in " ".join(error.messages)
        assert not error.params


def test_rules_are_checked_in_order() -> None:
    # bad province, regency, date and serial at once: the province is reported
    assert error_of(validate_nik, "0000003201000000", today=TODAY).code == "nik_province"
    assert error_of(validate_nik, "3300003201000000", today=TODAY).code == "nik_regency"
    assert error_of(validate_nik, "3301003201000000", today=TODAY).code == "nik_birth_date"


@pytest.mark.parametrize(
    ("raw", "today", "code"),
    [
        # 29 Feb 2000 is the only reading; on 1 Feb 2000 it lies in the future
        ("3201016902000005", dt.date(2000, 2, 1), "nik_birth_date_range"),
        # 1995 and 2095 both lie after 1 Jan 1990
        ("3201011501950001", dt.date(1990, 1, 1), "nik_birth_date_range"),
        # 29 Feb 2000 seen from 2121: 121 years old
        ("3201012902000001", dt.date(2121, 3, 1), "nik_birth_date_range"),
    ],
)
def test_birth_date_must_be_past_and_at_most_120_years_ago(
    raw: str, today: dt.date, code: str
) -> None:
    assert error_of(validate_nik, raw, today=today).code == code


@pytest.mark.parametrize(
    ("raw", "today"),
    [
        ("3201016902000005", dt.date(2000, 2, 29)),  # born today
        ("3201012902000001", dt.date(2120, 2, 29)),  # exactly 120
        ("3201012902000001", dt.date(2121, 2, 28)),  # still 120
        # 2 Jun 2025 lies in the future, but 2 Jun 1925 fits (aged 99)
        ("3325010206250001", TODAY),
        # 15 Jan 1905 (aged 120) fits, 2005 too
        ("3325011501050001", TODAY),
    ],
)
def test_birth_date_boundaries(raw: str, today: dt.date) -> None:
    assert validate_nik(raw, today=today) == raw


def test_nik_validator_uses_today_in_jakarta() -> None:
    born_29_feb_2000 = "3201016902000005"
    validator = NikValidator()
    # 28 Feb 2000 17:30 UTC is already 29 Feb 00:30 WIB
    with clock.frozen(dt.datetime(2000, 2, 28, 17, 30, tzinfo=dt.UTC)):
        validator(born_29_feb_2000)  # does not raise
    # 16:30 UTC is 23:30 WIB on 28 Feb: the birth date lies in the future
    with clock.frozen(dt.datetime(2000, 2, 28, 16, 30, tzinfo=dt.UTC)):
        assert error_of(validator, born_29_feb_2000).code == "nik_birth_date_range"
    with clock.frozen(dt.datetime(2025, 6, 1, tzinfo=dt.UTC)):
        assert error_of(validator, "3325011501900000").code == "nik_serial"


def test_nik_validator_can_be_used_in_migrations() -> None:
    path, args, kwargs = NikValidator().deconstruct()  # type: ignore[attr-defined]
    assert (path, args, kwargs) == ("terbuka.information_requests.identity.NikValidator", (), {})
    assert NikValidator() == NikValidator()
    assert hash(NikValidator()) == hash(NikValidator())


# --- Kemenkumham approval number -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("AHU-0012345.AH.01.01.Tahun 2020", "AHU-0012345.AH.01.01.Tahun 2020"),
        ("AHU-12345.AH.01.04.Tahun 2019", "AHU-12345.AH.01.04.Tahun 2019"),
        ("AHU-0001234-AH.01.04.Tahun 2021", "AHU-0001234-AH.01.04.Tahun 2021"),
        ("ahu-0012345.ah.01.01.tahun 2020", "AHU-0012345.AH.01.01.Tahun 2020"),
        ("AHU-0012345.AH.01.01.TAHUN 2020", "AHU-0012345.AH.01.01.Tahun 2020"),
        ("  AHU - 0001234 - AH.01.04.Tahun  2021 ", "AHU-0001234-AH.01.04.Tahun 2021"),
        ("AHU-0012345.AH.01.01.Tahun2020", "AHU-0012345.AH.01.01.Tahun 2020"),
        ("AHU-7.AH.01.07.Tahun 2009", "AHU-7.AH.01.07.Tahun 2009"),
    ],
)
def test_valid_kemenkumham_number_is_returned_normalised(raw: str, normalised: str) -> None:
    assert validate_kemenkumham_number(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0012345",
        "AHU-0012345",
        "AHU-0012345.AH.01.01",  # no year
        "0012345.AH.01.01.Tahun 2020",  # no AHU-
        "AHU0012345.AH.01.01.Tahun 2020",  # no dash after AHU
        "AHU-.AH.01.01.Tahun 2020",  # no serial
        "AHU-0000000.AH.01.01.Tahun 2020",  # serial zero
        "AHU-12345678901.AH.01.01.Tahun 2020",  # serial too long
        "AHU-0012345/AH.01.01.Tahun 2020",
        "AHU-0012345.AH.1.01.Tahun 2020",
        "AHU-0012345.AH.01.001.Tahun 2020",
        "AHU-0012345.AH.01.01.Tahun 20",
        "AHU-0012345.AH.01.01.Tahun 1999",
        "AHU-0012345.AH.01.01.Tahun 20200",
        "AHU-0012345.AH.01.01.2020",  # no "Tahun"
        "AHU-AH.01.03-0012345",  # notification receipt, not an approval
        "C-12345 HT.01.01.TH.2004",
        "AHU-0012345.AH.01.01.Tahun 2020 tambahan",
    ],
)
def test_invalid_kemenkumham_number_is_refused(raw: str) -> None:
    error = error_of(validate_kemenkumham_number, raw)
    assert error.code == "ahu_format"
    assert str(error.message).startswith("Nomor SK Kemenkumham tidak dikenali.")


# --- Phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("021-1234567", "+62211234567"),  # landline, 9 digits
        ("08123456789012", "+628123456789012"),  # 13 digits after 0
        ("+62 21 2345 6789", "+622123456789"),
    ],
)
def test_valid_phone_is_returned_as_plus_62(raw: str, normalised: str) -> None:
    assert validate_phone(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "08123456",  # 7 digits after 0
        "021123456",  # 8 digits after 0
        "081234567890123",  # 14 digits after 0
        "+6208123456789",  # 0 after +62
        "0081234567890",  # international prefix
        "+6581234567",  # Singapore
        "+1 202 555 0100",
        "812345678901",  # no prefix
        "0812.3456.7890",  # dots are not separators
        "0812-3456-789O",  # letter O
        "(0812) 3456 7890",
        "۰۸۱۲۳۴۵۶۷۸۹۰",  # Persian digits
    ],
)
def test_invalid_phone_is_refused(raw: str) -> None:
    error = error_of(validate_phone, raw)
    assert error.code == "phone_format"
    assert str(error.message).startswith("Nomor telepon harus diawali +62, 62, atau 0")


# --- Masks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("3325011501900001", "3325••••••••0001"),
        ("33.25.01 150190 0001", "3325••••••••0001"),
        ("3374055508900002", "3374••••••••0002"),
        ("33250115019", MASK),  # not a NIK: nothing of it shows
        ("3325-0115-0190-0001", MASK),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_mask_nik(raw: str | None, masked: str) -> None:
    assert mask_nik(raw) == masked


@pytest.mark.parametrize(
    "nik", ["3325011501900001", "3374055508900002", "9301016112010004", "1101019876543219"]
)
def test_mask_nik_never_shows_the_middle_digits(nik: str) -> None:
    masked = mask_nik(nik)
    assert len(masked) == 16
    assert masked[4:12] == "•" * 8
    assert re.sub(r"\D", "", masked) == nik[:4] + nik[12:]


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("+6281234567890", "+62••••••••890"),
        ("0812-3456-7890", "+62••••••••890"),
        ("021 1234567", "+62••••••567"),
        ("12345", MASK),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(raw: str | None, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_mask_phone_shows_only_country_code_and_last_three_digits() -> None:
    masked = mask_phone("0812 3456 7890")
    assert re.sub(r"\D", "", masked) == "62" + "890"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("budi.santoso@example.go.id", "b•••@example.go.id"),
        ("  Siti@Contoh.id ", "S•••@Contoh.id"),
        ("x@example.go.id", "•••@example.go.id"),  # one-character local part
        ('"a@b"@example.go.id', '"•••@example.go.id'),
        ("bukan-email", MASK),
        ("@example.go.id", MASK),
        ("budi@", MASK),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_email(raw: str | None, masked: str) -> None:
    assert mask_email(raw) == masked


def test_mask_email_hides_the_length_of_the_local_part() -> None:
    assert mask_email("ab@example.go.id") == mask_email("abcdefghij@example.go.id")


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("Jl. Pemuda No. 12, RT 003/RW 005, Kel. Sekayu, Semarang", MASK),
        ("Dusun Krajan", MASK),
        ("", ""),
        ("  ", ""),
        (None, ""),
    ],
)
def test_mask_address_hides_the_whole_address(raw: str | None, masked: str) -> None:
    assert mask_address(raw) == masked
