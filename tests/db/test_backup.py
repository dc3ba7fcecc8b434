"""Backups, restore, integrity at open, and faults that must lose nothing."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from mbc_journal.db import backup
from mbc_journal.errors import (
    CorruptJournalError,
    JournalLockedError,
    NewerVersionError,
    ReadOnlyJournalError,
)
from mbc_journal.journal import Journal
from tests.cli.test_cli import run


def seeded(path: Path, n: int = 5) -> Journal:
    journal = Journal.open(path)
    for i in range(n):
        journal.add_entry(
            journal.draft("fatigue", i % 10), day=dt.date.today() - dt.timedelta(days=i)
        )
    return journal


def test_backup_is_verified_private_and_complete(journal_path: Path) -> None:
    with seeded(journal_path) as journal:
        info = backup.make_backup(journal.path, "manual")
    assert info.entries == 5
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(info.path.parent.stat().st_mode) == 0o700
    backup.verify(info.path)


def test_automatic_backup_only_when_changed(journal_path: Path) -> None:
    with seeded(journal_path) as journal:
        assert backup.backup_if_changed(journal_path) is not None
        assert backup.backup_if_changed(journal_path) is None
        journal.add_entry(journal.draft("cough", 2))
        assert backup.backup_if_changed(journal_path) is not None
    assert len(backup.list_backups(journal_path)) == 2


def test_rotation_keeps_today_7_daily_and_8_weekly(journal_path: Path) -> None:
    seeded(journal_path).close()
    folder = backup.folder_for(journal_path)
    now = dt.datetime(2026, 6, 30, 12, 0)
    for days_ago in range(0, 120):
        for hour in (9, 18):
            when = now - dt.timedelta(days=days_ago, hours=12 - hour)
            backup.make_backup(journal_path, "automatic", folder=folder, now=when)
    backup.rotate(folder, now=now)
    kept = backup.list_backups_in(folder)
    days = {b.created.date() for b in kept}
    assert sum(1 for b in kept if b.created.date() == now.date()) == 2  # all of today
    for d in range(7):
        assert (now - dt.timedelta(days=d)).date() in days
    weeks = {b.created.isocalendar()[:2] for b in kept}
    assert len(weeks) >= 8
    assert len(kept) <= 2 + 7 + 8
    assert min(b.created for b in kept) > now - dt.timedelta(weeks=9)


def test_a_corrupt_backup_never_counts(journal_path: Path) -> None:
    seeded(journal_path).close()
    folder = backup.folder_for(journal_path)
    good = backup.make_backup(journal_path, "automatic", now=dt.datetime(2026, 1, 1))
    bad = folder / "20260102-000000-automatic.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    assert backup.newest_good(journal_path).path == good.path  # type: ignore[union-attr]


def test_restore_keeps_a_copy_of_the_current_journal(journal_path: Path) -> None:
    with seeded(journal_path, 3) as journal:
        saved = backup.make_backup(journal_path, "manual")
        journal.add_entry(journal.draft("cough", 4))
    safety = backup.restore(journal_path, saved.path)
    with Journal.open(journal_path) as journal:
        assert journal.count_entries() == 3
    assert safety is not None and safety.entries == 4


def test_restore_refuses_bad_files_and_changes_nothing(journal_path: Path, tmp_path: Path) -> None:
    seeded(journal_path, 3).close()
    before = journal_path.read_bytes()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a journal" * 100)
    with pytest.raises(CorruptJournalError):
        backup.restore(journal_path, bad)
    newer = tmp_path / "newer.sqlite3"
    seeded(newer, 1).close()
    with sqlite3.connect(newer) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    with pytest.raises(NewerVersionError):
        backup.restore(journal_path, newer)
    assert journal_path.read_bytes() == before


def test_a_damaged_journal_is_refused_and_the_backup_offered(journal_path: Path) -> None:
    seeded(journal_path, 50).close()
    backup.make_backup(journal_path, "manual")
    with sqlite3.connect(journal_path) as raw:
        root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()[
            0
        ]
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(journal_path.read_bytes())
    # Damage the entries table's b-tree page (not the file header).
    start = (root - 1) * page_size
    for offset in range(start, start + 64):
        data[offset] = 0xFF
    journal_path.write_bytes(bytes(data))
    damaged = journal_path.read_bytes()
    with pytest.raises(CorruptJournalError, match="damaged.*newest good backup"):
        Journal.open(journal_path)
    assert journal_path.read_bytes() == damaged
    # Restoring puts the damaged file aside and brings the entries back.
    good = backup.newest_good(journal_path)
    assert good is not None
    backup.restore(journal_path, good.path)
    with Journal.open(journal_path) as journal:
        assert journal.count_entries() == 50
    assert list(journal_path.parent.glob("*.damaged-*"))


def test_read_only_journal_is_refused_clearly(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded(journal_path, 2).close()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real(p, mode))
    with pytest.raises(ReadOnlyJournalError, match="read-only"):
        Journal.open(journal_path)


def test_a_journal_locked_by_another_process(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mbc_journal.db import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    journal = seeded(journal_path, 1)
    journal._engine.dispose()
    holder = sqlite3.connect(journal_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(JournalLockedError, match="busy in another program"):
            journal.add_entry(journal.draft("cough", 3))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert journal.count_entries() == 1
    journal.close()


def test_cli_backup_restore_and_list(journal_path: Path, tmp_path: Path) -> None:
    db = str(journal_path)
    seeded(journal_path, 4).close()
    target = tmp_path / "copy.sqlite3"
    code, out, _ = run("backup", "--db", db, "-o", str(target))
    assert code == 0 and target.exists()
    run("log", "cough", "5", "--db", db)
    code, out, _ = run("restore", str(target), "--db", db)
    assert code == 0 and "Restored 4 entries" in out and "kept in" in out
    code, out, _ = run("backups", "--db", db)
    assert "before-restore" in out and "manual" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["restore", "/nonexistent/b.sqlite3"], "no file at /nonexistent/b.sqlite3"),
        (["backup", "-o", "/nonexistent/dir/b.sqlite3"], "does not exist"),
    ],
)
def test_cli_backup_bad_input(journal_path: Path, args: list[str], message: str) -> None:
    seeded(journal_path, 1).close()
    code, _, err = run(*args, "--db", str(journal_path))
    assert code == 2 and message in err


def test_backups_from_two_threads_at_once_are_both_good(journal_path: Path) -> None:
    """The app backs up in the background while closing makes one of its own."""
    import threading

    with Journal.open(journal_path) as journal:
        journal.add_entry(journal.draft("fatigue", 4))
    now = dt.datetime(2026, 11, 30, 12, 0, 0)  # the same second: the same file name
    made: list[backup.BackupInfo] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            made.append(backup.make_backup(journal_path, "automatic", now=now))
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len({b.path for b in made}) == 4
    for info in made:
        backup.verify(info.path)
        assert info.entries == 1
