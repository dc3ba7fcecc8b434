"""Edges a hostile tester found after the first round of issue 15 (stop 24): outputs
over another journal, a backup used as a journal, expected levels on events, leftovers
of a killed backup, a full disk that SQLite calls an I/O error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mbc_journal import errors, operations
from mbc_journal.db import backup
from mbc_journal.errors import DiskFullError, ValidationError
from mbc_journal.journal import Journal
from tests.cli.test_cli import run
from tests.db.test_backup import seeded
from tests.helpers import digest


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", ".lock"])
@pytest.mark.parametrize(
    "command",
    [["export", "--format", "json", "-o"], ["report", "-o"], ["backup", "-o"]],
)
def test_an_output_never_goes_over_another_journal_or_its_working_files(
    tmp_path: Path, command: list[str], suffix: str
) -> None:
    mine, theirs = tmp_path / "mine.sqlite3", tmp_path / "theirs.sqlite3"
    seeded(mine, 2).close()
    seeded(theirs, 3).close()
    for working in ("-wal", "-shm", ".lock"):
        Path(f"{theirs}{working}").write_bytes(b"in use")
    target = Path(f"{theirs}{suffix}")
    before = digest(target)
    code, _out, err = run(*command, str(target), "--db", str(mine))
    assert code == 2 and "never written over" in err and "Traceback" not in err
    assert digest(target) == before


def test_a_backup_is_never_used_as_a_journal_by_a_writer(journal_path: Path) -> None:
    seeded(journal_path, 2).close()
    kept = backup.make_backup(journal_path, "manual")
    before = digest(kept.path)
    code, _out, err = run("log", "fatigue", "9", "--db", str(kept.path))
    assert code == 2 and "is a backup" in err and "restore it" in err
    assert digest(kept.path) == before
    assert not Path(f"{kept.path}.lock").exists()
    code, out, _ = run("list", "--db", str(kept.path))  # reading it is fine
    assert code == 0 and "2 entries" in out


def test_an_expected_level_is_only_ever_for_a_rating(journal: Journal) -> None:
    for item in ("fall", "vomiting_episodes", "temperature"):
        with pytest.raises(ValidationError, match="never quieted"):
            journal.check_settings({"expected_levels": {item: 10}})
    assert journal.check_settings({"expected_levels": {"fatigue": 5}}) == {
        "expected_levels": {"fatigue": 5.0}
    }


def test_a_killed_backups_part_file_goes_at_the_next_backup(journal_path: Path) -> None:
    seeded(journal_path, 1).close()
    folder = backup.folder_for(journal_path)
    fresh = folder / "20261202-181443-manual.sqlite3.part"  # a backup killed a moment ago
    fresh.write_bytes(b"half a backup")
    Path(f"{fresh}-journal").write_bytes(b"its rollback journal")
    assert run("backup", "--db", str(journal_path))[0] == 0
    assert not fresh.exists() and not Path(f"{fresh}-journal").exists()


def test_a_full_disk_that_sqlite_calls_an_io_error_is_said_to_be_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    io_error = sqlite3.OperationalError("disk I/O error")
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage._replace(free=4096))
    assert isinstance(errors.storage_error(io_error, tmp_path / "j.sqlite3"), DiskFullError)
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage._replace(free=10**9))
    said = errors.storage_error(io_error, tmp_path / "j.sqlite3")
    assert not isinstance(said, DiskFullError) and "input/output" in str(said)


def test_restore_over_an_unreadable_file_says_where_it_was_kept(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes, not a journal")
    source = tmp_path / "good.sqlite3"
    seeded(source, 3).close()
    code, out, _ = run("restore", str(source), "--db", str(notes))
    assert code == 0
    (kept,) = tmp_path.glob("notes.txt.damaged-*")
    assert kept.read_text() == "my own notes, not a journal"
    assert f"it is kept as {kept}" in out


def test_the_report_says_1_entry(journal: Journal, tmp_path: Path) -> None:
    from mbc_journal import report
    from mbc_journal.model import Person, Role

    journal.add_entry(journal.draft("cough", 2), person=Person("Sam", Role.CAREGIVER))
    start, end, why = report.default_period(journal)
    data = report.collect(journal, report.ReportOptions(start, end), why)
    page = " ".join(b.text for b in report.page_one(data))
    assert "1 entry by Sam" in page and "1 entries" not in page


def test_outputs_check_is_the_one_door(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.sqlite3"
    seeded(theirs, 1).close()
    with pytest.raises(ValidationError, match="never written over"):
        operations.check_output(tmp_path / "mine.sqlite3", theirs, "x.json")


@pytest.mark.parametrize(
    ("part", "words"),
    [
        (
            {
                "custom_items": [
                    {
                        "id": "custom_x",
                        "label": "X",
                        "kind": "rating",
                        "site_id": "general",
                        "unit": "kg",
                        "created_at": "2026-01-01T00:00:00",
                    }
                ]
            },
            "no unit",
        ),
        (
            {
                "care_plan": {
                    "results": [
                        {
                            "kind": "lab",
                            "name": "CA 15-3",
                            "day": "2026-01-01",
                            "value": 40,
                            "unit": "U/mL",
                            "created_at": "2999-01-01T00:00:00",
                            "updated_at": "2026-01-01T00:00:00",
                        }
                    ]
                }
            },
            "impossible",
        ),
        (
            {"signal_acks": [{"key": "x" * 5000, "acknowledged_at": "2026-01-01T00:00:00"}]},
            "not a seen signal",
        ),
        (
            {
                "signal_acks": [
                    {"key": "red_flag:seizure:2026-01-01", "acknowledged_at": "0001-01-01T00:00:00"}
                ]
            },
            "impossible",
        ),
        ({"settings": {"reminder_time": False}}, "must be text"),
    ],
)
def test_an_import_the_app_could_never_have_written_is_refused(
    journal: Journal, tmp_path: Path, part: dict[str, object], words: str
) -> None:
    import json

    from mbc_journal import exchange

    file = tmp_path / "bad.json"
    file.write_text(json.dumps({"format": "mbc-journal", "version": 2, **part}))
    with pytest.raises(ValidationError, match=words) as caught:
        exchange.import_file(journal, file)
    assert "Nothing was imported." in str(caught.value)
    assert journal.results() == [] and journal.acknowledged() == {}


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("2026-01-01,fatigue,4,kg,,,", "not recorded in 'kg'"),
        ("2026-01-01,fatigue,4,,current,2026-01-02T00:00:00,zzz", "only an earlier version"),
    ],
)
def test_a_csv_row_the_app_could_never_have_written_is_refused(
    journal: Journal, tmp_path: Path, line: str, words: str
) -> None:
    from mbc_journal import exchange

    file = tmp_path / "bad.csv"
    file.write_text(f"date,item_id,value,unit,version,replaced_utc,change\r\n{line}\r\n")
    with pytest.raises(ValidationError, match=words):
        exchange.import_file(journal, file)
    assert journal.entries() == []
