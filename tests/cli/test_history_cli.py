"""The command line keeps every observation (issue 21): readings are added and counted,
`list` shows each with who and its id, `history` shows versions and brings one back."""

from __future__ import annotations

from pathlib import Path

import pytest

from mbc_journal.journal import Journal
from tests.cli.test_cli import run


def test_log_adds_each_temperature_as_a_reading_and_says_so(journal_path: Path) -> None:
    db = str(journal_path)
    outs = [
        run("log", "temperature", value, "--time", time, "--db", db, *by)
        for value, time, by in [
            ("37.2", "07:10", []),
            ("38.4", "13:40", []),
            ("101.2F", "21:05", ["--by", "Sam"]),
        ]
    ]
    assert [code for code, _, _ in outs] == [0, 0, 0]
    assert "Added a reading of Temperature: 37.2 °C at 07:10" in outs[0][1]
    assert "(1 reading that day)" in outs[0][1] and "(2 readings that day)" in outs[1][1]
    assert "(3 readings that day; entered by Sam)" in outs[2][1]
    code, out, _ = run("list", "--db", db)
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert any("07:10 measurements Temperature 37.2 °C patient" in line for line in lines)
    assert any("21:05 measurements Temperature 101.2 °F Sam (caregiver)" in line for line in lines)
    assert "3 entries." in out


def test_history_shows_the_earlier_value_and_brings_it_back(journal_path: Path) -> None:
    db = str(journal_path)
    run("log", "fatigue", "5", "--note", "after the walk", "--db", db)
    run("log", "fatigue", "8", "--by", "Sam", "--db", db)
    code, out, _ = run("log", "fatigue", "6", "--db", db)
    assert "Updated" in out and "(was 5" in out
    code, out, _ = run("list", "--db", db)
    assert "1 earlier version" in out and "mbc-journal history ID" in out
    with Journal.open(journal_path) as journal:
        (mine,) = [e for e in journal.entries() if not e.person.is_caregiver]
    code, out, _ = run("history", str(mine.id), "--db", db)
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert any(line.startswith("1 5 (moderate)") and "changed" in line for line in lines)
    assert any(line.startswith("now 6 (moderate)") for line in lines)
    code, out, _ = run("history", str(mine.id), "--bring-back", "1", "--db", db)
    assert code == 0 and "Brought back version 1" in out
    with Journal.open(journal_path) as journal:
        assert journal.entry(mine.id).value == 5.0
        assert [v.value for v in journal.entry_versions(mine.id)] == [5.0, 6.0]  # 6 kept too
        assert len(journal.entries()) == 2  # the caregiver's 8 untouched


def test_history_of_what_is_not_there_is_one_sentence(journal_path: Path) -> None:
    db = str(journal_path)
    run("log", "fatigue", "5", "--db", db)
    for argv, words in [
        (["history", "77"], "no entry number 77"),
        (["history", "1", "--bring-back", "9"], "has no earlier version 9"),
        (["history", "one"], "ENTRY"),
    ]:
        code, out, err = run(*argv, "--db", db)
        assert code == 2 and words in err and "Traceback" not in err, (argv, err)
        assert len(err.strip().splitlines()) == 1
    with Journal.open(journal_path) as journal:
        assert [e.value for e in journal.entries()] == [5.0]


def test_log_of_a_reading_later_than_now_is_one_sentence(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from mbc_journal import model

    monkeypatch.setattr(model, "clock", lambda: dt.datetime.combine(dt.date.today(), dt.time(8)))
    code, out, err = run("log", "temperature", "38.1", "--time", "21:00", "--db", str(journal_path))
    assert code == 2 and "later than now" in err and len(err.strip().splitlines()) == 1
    assert out == "" and "Traceback" not in err
