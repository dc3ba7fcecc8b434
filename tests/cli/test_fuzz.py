"""Fuzzing what a user can type or hand to the app: every input ends in a result or one
sentence (exit 2) with nothing changed — never a traceback.

A few hundred examples run in CI; ``HYPOTHESIS_PROFILE=nightly`` runs many more.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbc_journal import exchange
from mbc_journal.errors import JournalError
from mbc_journal.journal import Journal
from tests.cli.test_cli import run

# What people (and files) put where a word or number goes.
NASTY = [
    "", " ", "0", "-1", "10", "11", "1e999", "-1e999", "Infinity", "NaN", "nan", "inf",
    "9" * 400, str(2**63), str(2**64), "-" + str(2**63), "0x10", "1_000", "3,5", "١٢",
    "\udcff\udcfe", "\ud800", "\x00", "a\nb", "\r", "=cmd|' /C calc'!A0", "$\\alpha_$",
    "today", "yesterday", "2999-01-01", "0001-01-01", "9999-12-31", "2025-02-30",
    "25:61", "12:00 PM", "fatigue", "temperature", "seizure", "38.5", "100.4F", "70kg",
    "%s%n", "../../etc/passwd", "💥" * 50, "x" * 5000,
]  # fmt: skip
# A few hundred examples in every run (CI too); the nightly profile's 1,000 if larger.
FUZZ = settings(max_examples=max(200, settings.default.max_examples))
words = st.one_of(st.sampled_from(NASTY), st.text(max_size=30))

COMMANDS = [
    lambda w: ["log", w[0], w[1]],
    lambda w: ["log", "fatigue", w[0], "--note", w[1]],
    lambda w: ["log", "temperature", w[0], "--time", w[1]],
    lambda w: ["log", w[0], "3", "--date", w[1], "--by", w[2]],
    lambda w: ["list", "--from", w[0], "--to", w[1], "--site", w[2]],
    lambda w: ["list", "--symptom", w[0], "--by", w[1]],
    lambda w: ["signals", "--from", w[0]],
    lambda w: ["treatment", "add", w[0], w[1], "--start", w[2]],
    lambda w: ["treatment", "add", "chemotherapy", w[0], "--start", "2025-01-01", "--end", w[1]],
    lambda w: ["treatment", "end", w[0], "--date", w[1]],
    lambda w: ["appointment", "add", w[0], "--time", w[1], "--with", w[2]],
    lambda w: ["appointment", "add", "2025-01-01", "--kind", w[0], "--notes", w[1]],
    lambda w: ["question", "add", w[0], "--for", w[1]],
    lambda w: ["question", "answer", w[0], w[1]],
    lambda w: ["result", "add", w[0], w[1], "--unit", w[2]],
    lambda w: ["result", "add", "CA 15-3", "30", "--unit", "U/mL", "--low", w[0], "--high", w[1]],
    lambda w: ["result", "add", w[0], "--summary", w[1], "--date", w[2]],
    lambda w: ["report", "--from", w[0], "--sections", w[1], "--sites", w[2], "-o", "r.pdf"],
    lambda w: ["export", "--format", "json", "--from", w[0], "--to", w[1], "-o", "e.json"],
    lambda w: ["demo", "--days", w[0]],
    lambda w: ["import", w[0]],
    lambda w: ["restore", w[0]],
    lambda w: ["backup", "-o", w[0]],
]


def state(path: Path) -> object:
    with Journal.open(path) as journal:
        return (
            exchange.json_bundle(journal)["entries"],
            [t.name for t in journal.treatments()],
            [r.name for r in journal.results()],
            [q.text for q in journal.questions()],
            [a.day for a in journal.appointments()],
        )


@pytest.fixture
def seeded_path(tmp_path: Path) -> Path:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        journal.add_entry(journal.draft("fatigue", 4))
        journal.add_treatment("chemotherapy", "Paclitaxel", dt.date(2025, 1, 1))
        journal.add_appointment(dt.date(2025, 2, 1))
    return path


@FUZZ
@given(
    command=st.sampled_from(COMMANDS),
    w=st.lists(words, min_size=3, max_size=3),
)
def test_the_command_line_never_tracebacks(
    seeded_path: Path, command: object, w: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(seeded_path.parent)
    argv = [*command(w), "--db", str(seeded_path)]  # type: ignore[operator]
    before = state(seeded_path)
    code, out, err = run(*argv)  # an exception here is the failure
    assert code in (0, 2), (argv, code, err)
    assert "Traceback" not in err + out
    if code == 2:
        assert err.startswith("mbc-journal: ") and err.count("\n") == 1, (argv, err)
        if argv[0] not in ("demo",):
            assert state(seeded_path) == before, argv


# --- import files ------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(NASTY), st.text(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)  # fmt: skip
ENTRY_KEYS = ["uid", "item_id", "local_date", "time", "value", "unit", "note", "entered_by",
              "role", "created_at", "updated_at", "deleted_at"]  # fmt: skip
SECTIONS = ["entries", "day_notes", "custom_items", "settings", "signal_acks", "care_plan"]
PLAN = ["treatments", "appointments", "questions", "results"]


def _good_entry() -> dict[str, object]:
    return {
        "uid": "5b0f8f5e-0000-4000-8000-000000000001", "item_id": "fatigue",
        "local_date": "2025-01-02", "time": None, "value": 5, "unit": None, "note": "",
        "entered_by": "", "role": "patient", "created_at": "2025-01-02T09:00:00",
        "updated_at": "2025-01-02T09:00:00", "deleted_at": None,
    }  # fmt: skip


@st.composite
def bundles(draw: st.DrawFn) -> object:
    """An export with one part bent out of shape."""
    bundle: dict[str, object] = {"format": "mbc-journal", "version": 1, "entries": [_good_entry()]}
    where = draw(st.sampled_from(["entry", "section", "plan", "settings"]))
    if where == "entry":
        entry = _good_entry()
        entry[draw(st.sampled_from(ENTRY_KEYS))] = draw(json_values)
        bundle["entries"] = [entry]
    elif where == "section":
        bundle[draw(st.sampled_from(SECTIONS))] = draw(json_values)
    elif where == "plan":
        record = draw(st.dictionaries(st.sampled_from(
            ["id", "kind", "name", "start_date", "end_date", "day", "time", "value", "unit",
             "ref_low", "ref_high", "summary", "text", "status", "answer", "appointment_id",
             "created_at", "updated_at", "deleted_at", "details", "notes", "with_whom"]),
            json_values, max_size=6))  # fmt: skip
        bundle["care_plan"] = {draw(st.sampled_from(PLAN)): [record]}
    else:
        key = draw(st.sampled_from(["profile_name", "caregivers", "care_team", "my_sites",
                                    "hidden_items", "thresholds", "on_chemotherapy",
                                    "reminder_time"]))  # fmt: skip
        bundle["settings"] = {key: draw(json_values)}
    return bundle


def _import_changes_nothing_or_works(path: Path, file: Path) -> None:
    before = state(path)
    code, out, err = run("import", str(file), "--db", str(path))
    assert code in (0, 2) and "Traceback" not in err, err
    if code == 2:
        assert state(path) == before
    else:  # what was imported can be shown, reported and exported again
        assert run("list", "--db", str(path))[0] == 0
        assert run("treatment", "list", "--db", str(path))[0] == 0
        assert run("result", "list", "--db", str(path))[0] == 0
        assert run("export", "--format", "fhir", "-o", str(file.with_suffix(".fhir")),
                   "--db", str(path))[0] == 0  # fmt: skip
        with Journal.open(path) as journal:
            journal.signals(dt.date(2000, 1, 1), None)


@FUZZ
@given(bundle=bundles())
def test_json_imports_never_traceback_or_half_import(seeded_path: Path, bundle: object) -> None:
    file = seeded_path.with_name("in.json")
    file.write_text(json.dumps(bundle, allow_nan=True), encoding="utf-8", errors="surrogatepass")
    _import_changes_nothing_or_works(seeded_path, file)


CSV_HEADER = "date,time,item_id,value,unit_as_entered,note,entered_by,role,uid\r\n"


@FUZZ
@given(
    cells=st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)), min_size=9,
                   max_size=9),
    line_end=st.sampled_from(["\r\n", "\n", "\r"]),
)  # fmt: skip
def test_csv_imports_never_traceback_or_half_import(
    seeded_path: Path, cells: list[str], line_end: str
) -> None:
    file = seeded_path.with_name("in.csv")
    line = ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    text = CSV_HEADER.replace("\r\n", line_end) + line + line_end
    file.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    _import_changes_nothing_or_works(seeded_path, file)


def test_deep_nesting_and_odd_numbers_are_one_sentence(seeded_path: Path) -> None:
    file = seeded_path.with_name("deep.json")
    for text in ('{"format": "mbc-journal", "version": 1, "entries": ' + "[" * 100_000,
                 '{"format": "mbc-journal", "version": 1, "x": ' + "[" * 5000 + "]" * 5000 + "}",
                 '{"format": "mbc-journal", "version": 1, "entries": [{"value": NaN}]}',
                 '{"format": "mbc-journal", "version": 1, "entries": [{"value": 1e999}]}',
                 '{"format": "mbc-journal", "version": 1, "entries": [{"value": ' + "9" * 5000
                 + "}]}"):  # fmt: skip
        file.write_text(text)
        _import_changes_nothing_or_works(seeded_path, file)


def test_the_checks_are_journal_errors(seeded_path: Path) -> None:
    """The one sentence is a JournalError the GUI shows in its dialog, too."""
    file = seeded_path.with_name("bad.json")
    result = '{"name": "CA 15-3", "day": "2025-01-01", "value": 1e999, "unit": "U"}'
    file.write_text(
        '{"format": "mbc-journal", "version": 1, "care_plan": {"results": [' + result + "]}}"
    )
    with Journal.open(seeded_path) as journal, pytest.raises(JournalError, match="Nothing was"):
        exchange.check_import(journal, file)


def test_a_bug_is_still_one_sentence_and_a_distinct_status(
    seeded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mbc_journal import cli

    def broken(_args: object, _out: object) -> int:
        raise RuntimeError("note text that must not be printed")

    monkeypatch.setattr(cli, "cmd_list", broken)
    code, _out, err = run("list", "--db", str(seeded_path))
    assert code == cli.EXIT_INTERNAL_ERROR
    assert err.count("\n") == 1 and "RuntimeError" in err and "Please report it" in err
    assert "note text" not in err


@pytest.mark.parametrize("arg", ["caf\udce9", "a\x00b"])
def test_arguments_that_are_not_text_are_one_sentence(seeded_path: Path, arg: str) -> None:
    before = state(seeded_path)
    for argv in (["log", "fatigue", "3", "--note", arg], ["import", arg], ["restore", arg]):
        code, _out, err = run(*argv, "--db", str(seeded_path))
        assert code == 2 and err.count("\n") == 1 and "Argument" in err, (argv, err)
    assert state(seeded_path) == before
