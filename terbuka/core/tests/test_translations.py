"""English is complete for every string in the source, and the compiled catalogue is current."""

from __future__ import annotations

import ast
import gettext
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

PO = Path(settings.BASE_DIR) / "terbuka/locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def read_po(path: Path, *, allow_fuzzy: bool = False) -> dict[str, str]:
    """msgid → msgstr of a .po file (header excluded)."""
    entries: list[dict[str, str]] = []
    flags = ""
    key = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgid "):
            entries.append({"msgid": "", "msgstr": "", "flags": flags})
            flags = ""
        if line.startswith(("msgid ", "msgstr ")):
            key, _, literal = line.partition(" ")
            entries[-1][key] = ast.literal_eval(literal)
        elif line.startswith('"') and key:
            entries[-1][key] += ast.literal_eval(line)
        elif not line.startswith('"'):
            key = ""
    real = [entry for entry in entries if entry["msgid"]]
    fuzzy = [entry["msgid"] for entry in real if "fuzzy" in entry["flags"]]
    assert allow_fuzzy or not fuzzy, f"fuzzy translations: {fuzzy}"
    return {entry["msgid"]: entry["msgstr"] for entry in real}


def test_every_english_string_is_translated() -> None:
    missing = [msgid for msgid, msgstr in read_po(PO).items() if not msgstr.strip()]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    compiled = {k: v for k, v in catalogue.items() if k}
    assert compiled == read_po(PO)


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
    extracted = set(read_po(source / "locale/en/LC_MESSAGES/django.po"))
    committed = set(read_po(PO))
    assert sorted(extracted - committed) == []
    assert sorted(committed - extracted) == []
