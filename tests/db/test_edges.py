"""The edges where entries used to be lost or misdirected: restore on a journal it
could not judge, outputs written over the journal, paths read as URLs, the one-writer
lock, and the housekeeping around backups."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from mbc_journal import operations
from mbc_journal.db import backup, version
from mbc_journal.errors import (
    DiskFullError,
    JournalInUseError,
    NotAJournalError,
    ValidationError,
)
from mbc_journal.journal import Journal
from tests.cli.test_cli import run
from tests.db.test_backup import seeded
from tests.helpers import digest, other_programs_file


def count(path: Path) -> int:
    with Journal.open(path) as journal:
        return journal.count_entries()


# --- restore never discards ---------------------------------------------------------


def test_restore_that_cannot_check_the_journal_keeps_it_and_its_wal(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while checking the journal is not "damaged": nothing is set aside,
    and entries that live only in -wal are still there afterwards."""
    seeded(journal_path, 3).close()
    good = backup.make_backup(journal_path, "manual")
    live = seeded(journal_path, 0)
    for n in range(4):  # in -wal only: this connection stays open, nothing checkpoints
        live.add_entry(live.draft("cough", 2), day=dt.date.today() - dt.timedelta(days=n))
    wal = Path(f"{journal_path}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    before = (digest(journal_path), digest(wal))
    real = version.read_only_connection

    def full_disk(path: Path) -> sqlite3.Connection:
        if path.resolve() == journal_path.resolve():
            raise sqlite3.OperationalError("database or disk is full")
        return real(path)

    monkeypatch.setattr(version, "read_only_connection", full_disk)
    with pytest.raises(DiskFullError, match="disk is full"):
        backup.restore(journal_path, good.path)
    monkeypatch.undo()
    assert (digest(journal_path), digest(wal)) == before
    assert not list(journal_path.parent.glob("*.damaged-*"))
    live.close()
    assert count(journal_path) == 7


def test_restore_stops_when_the_disk_fills_while_copying(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded(journal_path, 3).close()
    good = backup.make_backup(journal_path, "manual")
    seeded(journal_path, 0).close()
    before = digest(journal_path)

    def no_space(_source: Path, dest: Path, *_key: object) -> None:
        dest.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "copy_verified", no_space)
    with pytest.raises(DiskFullError):
        backup.restore(journal_path, good.path)
    monkeypatch.undo()
    assert digest(journal_path) == before and count(journal_path) == 3
    assert not list(journal_path.parent.glob("*.restoring"))


def test_restore_refuses_to_replace_another_programs_file(tmp_path: Path) -> None:
    seeded(tmp_path / "mine.sqlite3", 2).close()
    good = backup.make_backup(tmp_path / "mine.sqlite3", "manual")
    other = other_programs_file(tmp_path / "photos.sqlite3")
    before = digest(other)
    with pytest.raises(NotAJournalError, match="another program"):
        backup.restore(other, good.path)
    assert digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.sqlite3", "photos.sqlite3"]


def test_a_damaged_journal_is_set_aside_whole_with_its_wal(journal_path: Path) -> None:
    seeded(journal_path, 5).close()
    good = backup.make_backup(journal_path, "manual")
    journal_path.write_bytes(b"\xff" * 8192)  # damaged beyond reading
    Path(f"{journal_path}-wal").write_bytes(b"wal content that may matter")
    backup.restore(journal_path, good.path)
    assert count(journal_path) == 5
    (aside,) = journal_path.parent.glob("*.damaged-*[0-9]")
    assert aside.read_bytes() == b"\xff" * 8192
    assert Path(f"{aside}-wal").read_bytes() == b"wal content that may matter"


# --- outputs never overwrite inputs -----------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "json", "-o"],
        ["export", "--format", "csv", "-o"],
        ["report", "-o"],
        ["backup", "-o"],
    ],
)
def test_outputs_refuse_the_journal_and_its_files(
    journal_path: Path, command: list[str], suffix: str
) -> None:
    journal = seeded(journal_path, 3)
    target = Path(f"{journal_path}{suffix}")
    if suffix:  # a live journal has these beside it while it is open
        journal.add_entry(journal.draft("cough", 1))
        target.touch(exist_ok=True)
    journal.close()
    before = digest(journal_path)
    code, _out, err = run(*command, str(target), "--db", str(journal_path))
    assert code == 2 and "journal itself" in err and "Traceback" not in err
    assert digest(journal_path) == before and count(journal_path) == 4 if suffix else 3


def test_outputs_refuse_the_backups_folder(journal_path: Path) -> None:
    seeded(journal_path, 2).close()
    folder = backup.folder_for(journal_path)
    with pytest.raises(ValidationError, match="holds the journal's backups"):
        operations.check_output(journal_path, folder / "x.json", "export.json")
    code, _out, err = run("export", "--format", "json", "-o", str(folder / "x.json"),
                          "--db", str(journal_path))  # fmt: skip
    assert code == 2 and "backups" in err


@pytest.mark.parametrize("folder", ["a%20b", "why?x=1", "50%", "a b#c"])
def test_a_path_is_a_path_not_a_url(tmp_path: Path, folder: str) -> None:
    path = tmp_path / folder / "journal.sqlite3"
    with Journal.open(path) as journal:
        journal.add_entry(journal.draft("fatigue", 4))
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]
    assert count(path) == 1
    code, out, _ = run("list", "--db", str(path))
    assert code == 0 and "Tiredness" in out


# --- one writer at a time ------------------------------------------------------------------


def test_commands_that_write_refuse_a_journal_open_in_the_app(
    journal_path: Path, tmp_path: Path
) -> None:
    seeded(journal_path, 2).close()
    good = backup.make_backup(journal_path, "manual")
    app = operations.JournalLock(journal_path, operations.APP)
    app.acquire()
    try:
        before = digest(journal_path)
        for argv in (["log", "fatigue", "3"], ["restore", str(good.path)],
                     ["treatment", "add", "chemotherapy", "Paclitaxel"]):  # fmt: skip
            code, _out, err = run(*argv, "--db", str(journal_path))
            assert code == 2 and "open in the MBC Journal app" in err, argv
        assert digest(journal_path) == before
        # Reading beside the app is fine.
        code, out, _ = run("list", "--db", str(journal_path))
        assert code == 0 and "Tiredness" in out
    finally:
        app.release()
    assert run("log", "fatigue", "3", "--db", str(journal_path))[0] == 0


def test_the_lock_file_is_private_and_names_its_holder(journal_path: Path) -> None:
    lock = operations.JournalLock(journal_path, operations.APP)
    lock.acquire()
    try:
        assert stat.S_IMODE(lock.path.stat().st_mode) == 0o600
        assert lock.owner()[0] == os.getpid() and lock.held_by_app()
        with pytest.raises(JournalInUseError):
            operations.JournalLock(journal_path).acquire(timeout=0.2)
    finally:
        lock.release()


# --- housekeeping ----------------------------------------------------------------------------


def test_no_wal_or_shm_left_after_a_command(journal_path: Path) -> None:
    db = str(journal_path)
    for argv in (["log", "fatigue", "3"], ["list"], ["export", "--format", "csv", "-o",
                 str(journal_path.with_name("e.csv"))], ["check"], ["backup"]):  # fmt: skip
        assert run(*argv, "--db", db)[0] == 0, argv
        left = sorted(p.name for p in journal_path.parent.iterdir() if "-wal" in p.name
                      or "-shm" in p.name)  # fmt: skip
        assert left == [], (argv, left)


def test_stale_part_files_are_cleaned_at_the_next_backup(journal_path: Path) -> None:
    seeded(journal_path, 1).close()
    folder = backup.folder_for(journal_path)
    stale = folder / "20260101-000000-automatic.sqlite3.part"
    stale.write_bytes(b"half a backup")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert run("backup", "--db", str(journal_path))[0] == 0
    assert not stale.exists()


def test_backups_made_by_the_command_line_are_rotated(journal_path: Path) -> None:
    seeded(journal_path, 1).close()
    folder = backup.folder_for(journal_path)
    first = backup.make_backup(journal_path, "automatic")
    now = dt.datetime.now()
    for days in range(1, 40):  # one automatic backup a day for 39 days
        when = now - dt.timedelta(days=days)
        (folder / f"{when:%Y%m%d-%H%M%S}-automatic.sqlite3").write_bytes(first.path.read_bytes())
    assert run("backup", "--db", str(journal_path))[0] == 0
    automatic = [b for b in backup.list_backups(journal_path) if b.reason == "automatic"]
    assert len(automatic) <= backup.KEEP_DAILY + backup.KEEP_WEEKLY


def test_a_refused_import_makes_no_backup_and_changes_nothing(
    journal_path: Path, tmp_path: Path
) -> None:
    seeded(journal_path, 2).close()
    before = (digest(journal_path), len(backup.list_backups(journal_path)))
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "mbc-journal", "version": 1, "settings": {"hidden_items": ["seizure"]}}'
    )
    code, _out, err = run("import", str(bad), "--db", str(journal_path))
    assert code == 2 and "warning sign" in err and err.count("Settings:") == 1
    assert (digest(journal_path), len(backup.list_backups(journal_path))) == before


@pytest.mark.parametrize(
    "plan, message",
    [
        ({"results": [{"name": "CA 15-3", "day": "2025-01-01", "value": float("nan"),
                       "unit": "U/mL", "kind": "lab"}]}, "not a number"),
        ({"appointments": [{"day": "0001-01-01", "kind": "follow_up"}]}, "plausible"),
        ({"treatments": [{"kind": "chemotherapy", "name": "Paclitaxel",
                          "start_date": "2025-03-01", "end_date": "2025-01-01"}]},
         "before it starts"),
    ],
)  # fmt: skip
def test_import_refuses_what_the_forms_refuse(
    journal_path: Path, tmp_path: Path, plan: dict[str, object], message: str
) -> None:
    import json

    seeded(journal_path, 1).close()
    before = digest(journal_path)
    bad = tmp_path / "bad.json"
    stamp = {"created_at": "2025-01-01T09:00:00", "updated_at": "2025-01-01T09:00:00"}
    for records in plan.values():
        for record in records:  # type: ignore[attr-defined]
            record.update(stamp)
    bad.write_text(json.dumps({"format": "mbc-journal", "version": 1, "care_plan": plan}))
    code, _out, err = run("import", str(bad), "--db", str(journal_path))
    assert code == 2 and message in err, err
    assert digest(journal_path) == before
    for argv in (["report", "-o", str(tmp_path / "r.pdf")], ["result", "list"]):
        assert run(*argv, "--db", str(journal_path))[0] == 0


def test_a_symlink_to_the_journal_gets_its_lock_and_backups(journal_path: Path) -> None:
    seeded(journal_path, 2).close()
    link = journal_path.with_name("link.sqlite3")
    link.symlink_to(journal_path)
    folder = backup.folder_for(journal_path)
    code, _out, err = run("export", "--format", "json", "-o", str(folder / "x.json"),
                          "--db", str(link))  # fmt: skip
    assert code == 2 and "backups" in err
    app = operations.JournalLock(journal_path, operations.APP)
    app.acquire()
    try:
        code, _out, err = run("log", "fatigue", "3", "--db", str(link))
        assert code == 2 and "open in the MBC Journal app" in err
    finally:
        app.release()


def test_a_measurement_of_hundreds_of_digits_is_one_sentence(journal_path: Path) -> None:
    code, _out, err = run("log", "temperature", "9" * 400, "--db", str(journal_path))
    assert code == 2 and "plausible" in err


def test_a_header_only_csv_makes_no_backup_and_says_nothing_was_imported(
    journal_path: Path, tmp_path: Path
) -> None:
    seeded(journal_path, 2).close()
    before = (digest(journal_path), len(backup.list_backups(journal_path)))
    empty = tmp_path / "empty.csv"
    empty.write_text("date,time,item_id,value,unit_as_entered,note,entered_by,role,uid\r\n")
    code, out, err = run("import", str(empty), "--db", str(journal_path))
    assert code == 2 and out == "" and "nothing was imported" in err, err
    assert (digest(journal_path), len(backup.list_backups(journal_path))) == before


# --- found by a tester's try (issue 15, second round) ----------------------------------


def test_a_hard_link_to_the_journal_gets_no_lock_or_backups_folder_of_its_own(
    journal_path: Path,
) -> None:
    """A hard link is a second name for the same file: it would get a lock and a backups
    folder of its own, so writers refuse it and no output goes into any backups folder."""
    seeded(journal_path, 2).close()
    app = operations.JournalLock(journal_path, operations.APP)
    app.acquire()  # the app has it open by its first name
    link = journal_path.with_name("other-name.sqlite3")
    os.link(journal_path, link)
    before = digest(journal_path)
    try:
        code, _out, err = run("log", "fatigue", "3", "--db", str(link))
        assert code == 2 and "hard links" in err and err.count("\n") == 1, err
    finally:
        app.release()
    assert digest(journal_path) == before
    with pytest.raises(JournalInUseError, match="hard links"):
        operations.JournalLock(journal_path, operations.APP).acquire()
    folder = backup.folder_for(journal_path)
    code, _out, err = run("export", "--format", "json", "-o", str(folder / "x.json"),
                          "--db", str(link))  # fmt: skip
    assert code == 2 and "backups" in err, err
    assert not (folder / "x.json").exists()


def test_a_refused_command_makes_no_lock_file_beside_another_programs_file(
    tmp_path: Path,
) -> None:
    other = other_programs_file(tmp_path / "photos.sqlite3")
    before = digest(other)
    for argv in (["log", "fatigue", "3"], ["treatment", "add", "chemotherapy", "X"]):
        code, _out, err = run(*argv, "--db", str(other))
        assert code == 2 and "another program" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos.sqlite3"]
    assert digest(other) == before


def test_listing_backups_tidies_a_crashs_wal_and_shm(journal_path: Path) -> None:
    live = seeded(journal_path, 0)  # open: a crash would leave -wal and -shm as they are
    live.add_entry(live.draft("cough", 2))
    wal, shm = Path(f"{journal_path}-wal"), Path(f"{journal_path}-shm")
    import shutil

    crashed = journal_path.with_name("crashed.sqlite3")
    shutil.copy(journal_path, crashed)  # the state a kill -9 leaves: file, -wal and -shm
    shutil.copy(wal, f"{crashed}-wal")
    shutil.copy(shm, f"{crashed}-shm")
    live.close()
    code, _out, _err = run("backups", "--db", str(crashed))
    assert code == 0
    assert sorted(p.name for p in crashed.parent.iterdir() if "crashed" in p.name) == [
        "crashed.sqlite3"
    ]
    assert count(crashed) == 1  # what -wal held is in the journal now


def test_demo_on_a_full_disk_leaves_no_partial_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mbc_journal import demo

    path = tmp_path / "demo.sqlite3"
    real = demo.generate

    def fills_up(journal: Journal, **kwargs: object) -> object:
        journal.add_entry(journal.draft("fatigue", 3))  # some of it was written
        raise DiskFullError("The disk is full, so this was not done; nothing was changed.")

    monkeypatch.setattr(demo, "generate", fills_up)
    code, out, err = run("demo", "--days", "30", "--db", str(path))
    assert code == 2 and out == "" and "disk is full" in err
    # No journal, no half-made one beside it (the lock file stays, as it always does).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite3.lock"]
    monkeypatch.setattr(demo, "generate", real)
    assert run("demo", "--days", "30", "--db", str(path))[0] == 0
    assert count(path) > 100


def _read_only_commands(path: Path, tmp_path: Path) -> None:
    db = str(path)
    code, out, err = run("list", "--db", db)
    assert code == 0 and "Tiredness" in out, err
    for argv in (["export", "--format", "json", "-o", str(tmp_path / "e.json")],
                 ["report", "-o", str(tmp_path / "r.pdf")], ["check"], ["signals"],
                 ["treatment", "list"]):  # fmt: skip
        code, _out, err = run(*argv, "--db", db)
        assert code == 0, (argv, err)
    code, _out, err = run("log", "fatigue", "3", "--db", db)
    assert code == 2 and "cannot write in the folder" in err and err.count("\n") == 1, err


def test_a_journal_in_a_read_only_folder_can_be_read_and_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root writes anywhere (tests run as root), so the folder is made read-only for the
    app by os.access, the check the app makes; that nothing at all is created or changed
    in the folder shows the commands would work where writing really fails (the next
    test checks that on a real read-only mount, where the system allows one)."""
    folder = tmp_path / "ro"
    path = folder / "journal.sqlite3"
    seeded(path, 3).close()
    for lock in folder.glob("*.lock"):
        lock.unlink()
    before = {p.name: digest(p) for p in folder.iterdir()}
    real_access = os.access

    def read_only(target: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and str(target).startswith(str(folder)):
            return False
        return real_access(target, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", read_only)
    out = tmp_path / "out"
    out.mkdir()
    _read_only_commands(path, out)
    assert {p.name: digest(p) for p in folder.iterdir()} == before


def test_a_journal_on_a_read_only_mount_can_be_read_and_exported(tmp_path: Path) -> None:
    import subprocess

    source, mount = tmp_path / "source", tmp_path / "mount"
    source.mkdir()
    mount.mkdir()
    seeded(source / "journal.sqlite3", 3).close()
    for lock in source.glob("*.lock"):
        lock.unlink()
    bind = subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(mount)],
                          capture_output=True)  # fmt: skip
    if bind.returncode != 0:
        pytest.skip("this machine allows no read-only bind mount")
    try:
        out = tmp_path / "out"
        out.mkdir()
        _read_only_commands(mount / "journal.sqlite3", out)
        assert sorted(p.name for p in mount.iterdir()) == ["journal.sqlite3"]
    finally:
        subprocess.run(["umount", str(mount)], check=True)
