import ast
import re
from pathlib import Path

import pytest
import yaml

from terbuka.core.errors import DomainError
from terbuka.procedures.definition import (
    FORMAT,
    DefinitionError,
    DefinitionInvalid,
    LaneKind,
    SopDate,
    Symbol,
    TimeKind,
    check_sop_text,
    load_library,
    load_sop,
    load_sop_text,
)

ROOT = Path(__file__).resolve().parents[3]
SOPS = ROOT / "sops"
BATANG = SOPS / "batang-dpmptsp-si.yaml"
TEBING = SOPS / "tebingtinggi-dpmptsp-pdi.yaml"
DEFINITION_PACKAGE = ROOT / "terbuka" / "procedures" / "definition"

MINIMAL = """\
format: terbuka-sop/1
id: contoh
name: Contoh
agency: {pemda: Pemerintah Kota Contoh, opd: Dinas Contoh}
lanes:
  - {id: staf, label: Staf, kind: internal, role: staf}
steps:
  - {no: 1, id: s1, activity: Menerima, lane: staf, symbol: start, next: s2}
  - {no: 2, id: s2, activity: Mengarsipkan, lane: staf, symbol: end}
"""


def errors_of(text: str) -> list[DefinitionError]:
    definition, errors = check_sop_text(text, "x.yaml")
    assert definition is None
    return errors


# -- the library ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        (
            BATANG,
            {
                "Staf Pengolah Data Sekretariat",
                "Staf IT & Pengelolaan Data",
                "Kasi Sistem Informasi dan Pengelolaan Data",
                "Kabid SI dan Pel. Pengaduan",
                "Sekretaris",
                "Kepala Dinas",
                "PPID",
            },
        ),
        (
            TEBING,
            {"Kepala Dinas", "Sekretaris", "Kasubag Program", "Staf/Jabatan Fungsional Umum"},
        ),
    ],
)
def test_library_files_load_with_eight_steps_and_their_lanes(path, labels):
    sop = load_sop(path)

    assert sop.id == path.stem
    assert sop.format == FORMAT
    assert len(sop.steps) == 8
    assert [step.no for step in sop.steps] == list(range(1, 9))
    assert {lane.label for lane in sop.lanes} == labels
    assert all(lane.kind is LaneKind.INTERNAL for lane in sop.lanes)
    assert sop.start is sop.steps[0]
    assert sop.ends == (sop.steps[-1],)
    assert all(step.standard.kind is TimeKind.DURATION for step in sop.steps)


def test_load_library_keys_by_id():
    library = load_library(SOPS)

    assert {"batang-dpmptsp-si", "tebingtinggi-dpmptsp-pdi"} <= set(library)


def test_batang_is_linear_with_inferred_lanes():
    sop = load_sop(BATANG)

    assert all(step.symbol is not Symbol.DECISION for step in sop.steps)
    assert all(lane.inferred for lane in sop.lanes)
    assert all(step.lane_inferred for step in sop.steps)
    assert sop.number is None
    assert sop.dates.made is None
    assert sop.recording == ("Disimpan sebagai data manual",)
    assert len(sop.legal_basis) == 8
    assert sop.step("olah_data").standard.as_duration() == ("office_minutes", 120)
    assert sop.step("persetujuan").standard.as_duration() == ("working_days", 10)


def test_tebing_tinggi_approval_loops_back_for_correction():
    sop = load_sop(TEBING)
    decision = sop.step("periksa_data")

    assert decision.symbol is Symbol.DECISION
    assert decision.lane == "kadis"
    assert [(b.label, b.to) for b in decision.branches] == [
        ("sudah benar", "terbitkan_publikasi"),
        ("belum benar", "olah_data"),
    ]
    assert [s.id for s in sop.successors("periksa_data")] == ["terbitkan_publikasi", "olah_data"]
    assert sop.steps.index(sop.step("olah_data")) < sop.steps.index(decision)
    assert sop.dates.made == SopDate(2024, 3)
    assert str(sop.dates.effective) == "2024-03"
    assert sop.approved_by is not None
    assert sop.approved_by.nip == "196910071998021002"
    assert sop.lanes_by_id["kasubag_program"].role == "kepala_subbagian"
    # Steps 7 and 8 are read from the sheet's layout, the others inferred.
    assert [s.lane_inferred for s in sop.steps] == [True] * 6 + [False] * 2


def test_step_lookup_of_unknown_id_raises_key_error():
    with pytest.raises(KeyError):
        load_sop(TEBING).step("nope")


# -- canonical form and hash --------------------------------------------------------------------


@pytest.mark.parametrize("path", [BATANG, TEBING])
def test_canonical_form_loads_back_equal(path):
    sop = load_sop(path)
    text = yaml.safe_dump(sop.canonical(), allow_unicode=True, sort_keys=True)

    again = load_sop_text(text, "canonical.yaml")

    assert again == sop
    assert again.definition_hash() == sop.definition_hash()


def test_hash_ignores_layout_but_not_content():
    sop = load_sop_text(MINIMAL)
    reformatted = "# a comment\n" + MINIMAL.replace("{no: 1, id: s1,", "{id: s1, no: 1,")
    changed = MINIMAL.replace("activity: Menerima", "activity: Menerima berkas")

    assert load_sop_text(reformatted).definition_hash() == sop.definition_hash()
    assert load_sop_text(changed).definition_hash() != sop.definition_hash()
    assert re.fullmatch(r"[0-9a-f]{64}", sop.definition_hash())


def test_definitions_are_frozen():
    sop = load_sop_text(MINIMAL)

    with pytest.raises(AttributeError):
        sop.name = "Lain"  # type: ignore[misc]


# -- values ---------------------------------------------------------------------------------------


def test_dates_accept_day_month_and_year_precision():
    text = MINIMAL + "dates: {made: 2024-03-04, revised: 2024-03, effective: '2024'}\n"

    dates = load_sop_text(text).dates

    assert (dates.made, dates.revised, dates.effective) == (
        SopDate(2024, 3, 4),
        SopDate(2024, 3),
        SopDate(2024),
    )


def test_warning_and_recording_accept_text_or_list():
    sop = load_sop_text(MINIMAL + "warning: Hati-hati\nrecording: [Arsip, Softcopy]\n")

    assert sop.warning == ("Hati-hati",)
    assert sop.recording == ("Arsip", "Softcopy")


def test_number_written_as_a_bare_number_asks_for_quotes():
    text = MINIMAL + "approved_by: {position: Kepala Dinas, nip: 196910071998021002}\n"

    [error] = errors_of(text)

    assert error.field == "approved_by.nip"
    assert error.line == 10
    assert "put it in quotes" in error.message


def test_optional_keys_may_be_null():
    sop = load_sop_text(MINIMAL + "number:\nlegal_basis:\nfields:\n")

    assert sop.number is None
    assert sop.legal_basis == ()
    assert sop.fields == ()


# -- errors ---------------------------------------------------------------------------------------


def test_error_renders_file_line_field_and_message():
    error = DefinitionError("sops/x.yaml", 42, "steps[3].lane", "unknown lane 'kasi'")

    assert str(error) == "sops/x.yaml:42: steps[3].lane: unknown lane 'kasi'"
    assert str(DefinitionError("x.yaml", None, "", "cannot read")) == "x.yaml: cannot read"


def test_load_sop_raises_with_every_error_as_a_domain_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        MINIMAL.replace("lane: staf, symbol: end", "lane: kasi, symbol: end").replace(
            "name: Contoh\n", "name: Contoh\ncolour: red\n"
        ),
        encoding="utf-8",
    )

    with pytest.raises(DefinitionInvalid) as caught:
        load_sop(path)

    assert isinstance(caught.value, DomainError)
    assert [(e.file, e.line, e.field) for e in caught.value.errors] == [
        (str(path), 4, "colour"),
        (str(path), 10, "steps[1].lane"),
    ]
    assert "2 problems in SOP definition" in str(caught.value)
    assert f"{path}:10: steps[1].lane: unknown lane 'kasi'" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "the file is empty"),
        ("- just\n- a list\n", 1, "expected a mapping"),
        ("format: terbuka-sop/1\nid: [unclosed\n", 3, "not valid YAML"),
        ("a: 1\n---\nb: 2\n", 2, "not valid YAML"),
    ],
)
def test_file_level_problems_have_a_line(text, line, words):
    [error] = errors_of(text)

    assert error.line == line
    assert words in error.message


def test_missing_file_is_a_definition_error(tmp_path):
    with pytest.raises(DefinitionInvalid, match="cannot read the file"):
        load_sop(tmp_path / "missing.yaml")


def test_wrong_format_version_is_refused():
    [error] = errors_of(MINIMAL.replace("terbuka-sop/1", "terbuka-sop/2"))

    assert (error.line, error.field) == (1, "format")
    assert "expected 'terbuka-sop/1'" in error.message


def test_duplicate_yaml_key_is_refused():
    [error] = errors_of(MINIMAL + "name: Lagi\n")

    assert (error.line, error.field) == (10, "name")
    assert "duplicate key 'name' (first at line 3)" in error.message


def test_library_file_must_be_named_after_its_id(tmp_path):
    (tmp_path / "lain.yaml").write_text(MINIMAL, encoding="utf-8")

    with pytest.raises(DefinitionInvalid) as caught:
        load_library(tmp_path)

    [error] = caught.value.errors
    assert (error.line, error.field) == (2, "id")
    assert "match the file name 'lain'" in error.message


# -- the documentation's example and the layer's purity -------------------------------------------


def test_example_in_the_format_documentation_loads():
    doc = (ROOT / "docs" / "sop-format.md").read_text(encoding="utf-8")
    example = re.search(r"## A short example\n\n```yaml\n(.*?)```", doc, re.DOTALL)
    assert example is not None

    sop = load_sop_text(example.group(1), "docs/sop-format.md")

    assert sop.step("periksa").standard.as_duration() == ("office_minutes", 60)
    assert sop.lanes_by_id["pemohon"].kind is LaneKind.EXTERNAL


def test_definition_layer_imports_no_django_models_or_orm():
    for module in DEFINITION_PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith("django.db"), module.name
                assert not name.endswith("models"), module.name
