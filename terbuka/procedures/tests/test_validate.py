from dataclasses import replace
from pathlib import Path

import pytest

from terbuka.procedures.definition import (
    Branch,
    DefinitionInvalid,
    Symbol,
    load_sop,
    load_sop_text,
    validate,
)

BROKEN = Path(__file__).parent / "broken"

LOOP = """\
format: terbuka-sop/1
id: loop
name: Loop
agency: {pemda: Pemerintah Kota Contoh, opd: Dinas Contoh}
lanes:
  - {id: kadis, label: Kepala Dinas, kind: internal, role: kepala}
  - {id: staf, label: Staf, kind: internal, role: staf}
steps:
  - {no: 1, id: s1, activity: Menyiapkan, lane: staf, symbol: start, next: s2}
  - {no: 2, id: s2, activity: Mengajukan, lane: staf, symbol: process, next: s3}
  - no: 3
    id: s3
    activity: Memeriksa
    lane: kadis
    symbol: decision
    branches:
      - {label: sudah benar, to: s4}
      - {label: belum benar, to: s1}
  - {no: 4, id: s4, activity: Menerbitkan, lane: staf, symbol: end}
"""


def problems(name: str) -> list[tuple[int | None, str, str]]:
    path = BROKEN / name
    with pytest.raises(DefinitionInvalid) as caught:
        load_sop(path)
    assert {error.file for error in caught.value.errors} == {str(path)}
    return [(e.line, e.field, e.message) for e in caught.value.errors]


@pytest.mark.parametrize(
    ("fixture", "line", "field", "words"),
    [
        ("missing_lane.yaml", 20, "steps[1].lane", "unknown lane 'kasi' (declared lanes: kabid,"),
        ("unreachable_step.yaml", 21, "steps[2].id", "step 's3' cannot be reached from the start"),
        ("decision_one_branch.yaml", 21, "steps[1].branches", "expected at least 2 branches"),
        ("unknown_time_unit.yaml", 14, "steps[0].time", "unknown time unit 'purnama' in"),
        ("dangling_next.yaml", 14, "steps[0].next", "unknown step 'arsipkan'"),
        ("duplicate_id.yaml", 27, "steps[3].id", "duplicate step id 's2'"),
        ("unknown_key.yaml", 17, "steps[1].activty", "did you mean 'activity'?"),
        ("no_way_out.yaml", 19, "steps[2].id", "no end step can be reached from step 's3'"),
        ("two_starts.yaml", 10, "steps[1].symbol", "a second start step 's2'"),
        ("unused_lane.yaml", 8, "lanes[1].id", "lane 'ppid' is declared but no step uses it"),
        ("not_yaml.yaml", 6, "", "not valid YAML"),
    ],
)
def test_broken_definition_names_file_line_and_field(fixture, line, field, words):
    found = problems(fixture)

    assert any(
        (found_line, found_field) == (line, field) and words in message
        for found_line, found_field, message in found
    ), found


@pytest.mark.parametrize(
    "fixture",
    [
        "missing_lane.yaml",
        "unreachable_step.yaml",
        "decision_one_branch.yaml",
        "unknown_time_unit.yaml",
        "dangling_next.yaml",
        "duplicate_id.yaml",
        "no_way_out.yaml",
        "two_starts.yaml",
        "unused_lane.yaml",
        "not_yaml.yaml",
    ],
)
def test_single_fault_fixtures_report_exactly_one_problem(fixture):
    assert len(problems(fixture)) == 1


def test_every_problem_in_a_file_is_reported_at_once():
    found = {(line, field) for line, field, _ in problems("many_errors.yaml")}

    assert found == {
        (5, "agency.opd"),
        (6, "dates.made"),
        (8, "lanes[0].role"),
        (9, "lanes[1].actor"),
        (9, "lanes[1].role"),
        (9, "lanes[1].id"),
        (16, "steps[0].time"),
        (17, "steps[0].records[1]"),
        (19, "steps[1].no"),
        (24, "steps[1].next"),
        (26, "fields[0].choices"),
    }


def test_many_errors_messages_say_what_was_expected():
    messages = {field: message for _, field, message in problems("many_errors.yaml")}

    assert "did you mean 'staf'?" in messages["lanes[0].role"]
    assert "needed when kind is 'external'" in messages["lanes[1].actor"]
    assert "no 'role' is allowed when kind is 'external'" in messages["lanes[1].role"]
    assert "did you mean 'menit'?" in messages["steps[0].time"]
    assert "unknown record 'photo'" in messages["steps[0].records[1]"]
    assert "duplicate step number 1" in messages["steps[1].no"]
    assert "no 'next' is allowed when symbol is 'end'" in messages["steps[1].next"]
    assert "needed when type is 'choice'" in messages["fields[0].choices"]
    assert "2024-03" in messages["dates.made"]


def test_loop_back_to_an_earlier_step_is_allowed():
    sop = load_sop_text(LOOP)

    assert [s.id for s in sop.successors("s3")] == ["s4", "s1"]


def test_decision_without_branches_is_refused():
    branches = (
        "    branches:\n"
        "      - {label: sudah benar, to: s4}\n"
        "      - {label: belum benar, to: s1}\n"
    )
    assert branches in LOOP
    text = LOOP.replace(branches, "    next: s4\n")

    with pytest.raises(DefinitionInvalid) as caught:
        load_sop_text(text, "x.yaml")

    assert {(e.line, e.field) for e in caught.value.errors} == {
        (11, "steps[2].branches"),
        (16, "steps[2].next"),
    }


def test_branch_labels_must_differ_and_not_be_blank():
    text = LOOP.replace("label: belum benar", "label: Sudah Benar").replace(
        "label: sudah benar", "label: ' '"
    )

    with pytest.raises(DefinitionInvalid) as caught:
        load_sop_text(text, "x.yaml")

    [error] = caught.value.errors
    assert (error.line, error.field) == (17, "steps[2].branches[0].label")
    assert "expected non-empty text" in error.message


def test_duplicate_branch_label_is_refused():
    text = LOOP.replace("label: belum benar", "label: Sudah Benar")

    with pytest.raises(DefinitionInvalid) as caught:
        load_sop_text(text, "x.yaml")

    [error] = caught.value.errors
    assert (error.line, error.field) == (18, "steps[2].branches[1].label")


def test_missing_start_and_end_are_reported():
    text = LOOP.replace("symbol: start", "symbol: process").replace(
        "symbol: end}", "symbol: process, next: s1}"
    )

    with pytest.raises(DefinitionInvalid) as caught:
        load_sop_text(text, "x.yaml")

    messages = [(e.line, e.field, e.message) for e in caught.value.errors]
    assert (8, "steps", "no start step; expected exactly one step with symbol 'start'") in messages
    assert (8, "steps", "no end step; expected at least one step with symbol 'end'") in messages


def test_validate_works_on_definitions_built_in_code():
    sop = load_sop_text(LOOP)
    decision = sop.step("s3")
    broken = replace(
        sop,
        steps=(*sop.steps[:2], replace(decision, branches=(Branch("ya", "s9"),)), sop.steps[3]),
    )

    [error] = validate(broken)

    assert (error.file, error.line) == ("<definition>", None)
    assert error.field == "steps[2].branches[0].to"
    assert "unknown step 's9'" in error.message
    assert decision.symbol is Symbol.DECISION


def test_library_files_pass_validation_directly():
    for path in (Path(__file__).resolve().parents[3] / "sops").glob("*.yaml"):
        assert validate(load_sop(path)) == []
