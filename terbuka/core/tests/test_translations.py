"""English is complete for every string in the source, and the compiled catalogue is current."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

PO = Path(settings.BASE_DIR) / "terbuka/locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


Key = tuple[str | None, str]


def catalogue(entries: Iterable[polib.POEntry | polib.MOEntry]) -> dict[Key, object]:
    """(context, msgid) → translation (a plural entry's forms as a dict)."""
    return {(entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr for entry in entries}


def test_every_english_string_is_translated() -> None:
    po = polib.pofile(str(PO))
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    translated = polib.pofile(str(PO)).translated_entries()
    assert catalogue(polib.mofile(str(MO))) == catalogue(translated)


def test_po_file_holds_every_string_of_the_source(
    settings: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extracting the strings again finds nothing the committed catalogue lacks or keeps extra."""
    source = tmp_path / "src"
    shutil.copytree(
        Path(settings.BASE_DIR) / "terbuka",  # type: ignore[attr-defined]
        source / "terbuka",
        ignore=shutil.ignore_patterns("locale", "static", "tests", "__pycache__", "conftest.py"),
    )
    (source / "locale").mkdir()
    settings.LOCALE_PATHS = [source / "locale"]  # type: ignore[attr-defined]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["en"], verbosity=0)
    extracted = set(catalogue(polib.pofile(str(source / "locale/en/LC_MESSAGES/django.po"))))
    committed = set(catalogue(polib.pofile(str(PO))))
    assert sorted(extracted - committed) == []
    assert sorted(committed - extracted) == []


def test_one_indonesian_word_in_two_senses_has_two_english_translations() -> None:
    """ "Diajukan" is an objection's status (filed) and the date an OPD submitted its DIP
    entries (submitted): the DIP's uses carry a context."""
    from django.template import Context, Template
    from django.utils import translation

    from terbuka.information_requests.models import ObjectionStatus

    with translation.override("en"):
        assert str(ObjectionStatus.FILED.label) == "Filed"
        rendered = Template(
            '{% load i18n %}{% translate "Diajukan" context "pengajuan DIP oleh OPD" %}'
        ).render(Context())
        assert rendered == "Submitted"
