from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mbc_journal.journal import Journal
from tests.cli.test_cli import run


def test_care_plan_commands(journal_path: Path) -> None:
    db = str(journal_path)
    start = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    code, out, _ = run(
        "treatment",
        "add",
        "chemotherapy",
        "Chemo tablets",
        "--start",
        start,
        "--details",
        "2 weeks on",
        "--db",
        db,
    )
    assert code == 0 and "Added treatment 1" in out
    assert run("treatment", "end", "1", "--db", db)[0] == 0
    code, out, _ = run("treatment", "list", "--db", db)
    assert "Chemo tablets" in out and dt.date.today().isoformat() in out
    soon = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    code, out, _ = run(
        "appointment", "add", soon, "--time", "10:30", "--with", "Dr Lee", "--db", db
    )
    assert code == 0 and "Follow-up with Dr Lee" in out
    assert run("question", "add", "Can I travel?", "--for", "1", "--db", db)[0] == 0
    assert run("question", "answer", "1", "Yes", "--db", db)[0] == 0
    code, out, _ = run("question", "list", "--db", db)
    assert "answered" in out and "Yes" in out
    code, out, _ = run(
        "result",
        "add",
        "Calcium",
        "2.8",
        "--unit",
        "mmol/L",
        "--low",
        "2.2",
        "--high",
        "2.6",
        "--db",
        db,
    )
    assert code == 0 and "high" in out
    assert run("result", "add", "CT chest", "--summary", "Stable", "--db", db)[0] == 0
    code, out, _ = run("result", "list", "--db", db)
    assert "CT chest" in out and "Stable" in out


BAD = [
    (["treatment", "add", "magic", "X"], "not a known treatment kind"),
    (
        ["treatment", "add", "chemotherapy", "X", "--start", "2026-01-10", "--end", "2026-01-01"],
        "before it starts",
    ),
    (["treatment", "end", "99"], "no treatment number 99"),
    (["appointment", "add", "tomorrowish"], "YYYY-MM-DD"),
    (["appointment", "add", "2026-01-01", "--kind", "party"], "not a known appointment kind"),
    (["question", "add", "  "], "empty question"),
    (["question", "add", "Why?", "--for", "42"], "no appointment number 42"),
    (["result", "add", "CA 15-3", "40"], "unit"),
    (["result", "add", "CA 15-3", "forty", "--unit", "U/mL"], "not a number"),
    (["result", "add", "CA 15-3"], "a summary"),
    (["treatment"], "required"),
]


@pytest.mark.parametrize("argv, message", BAD)
def test_bad_care_plan_input(journal_path: Path, argv: list[str], message: str) -> None:
    code, out, err = run(*argv, "--db", str(journal_path))
    assert code == 2 and message in err and "Traceback" not in err
    with Journal.open(journal_path) as journal:
        assert journal.treatments() == [] and journal.questions() == [] == journal.results()
