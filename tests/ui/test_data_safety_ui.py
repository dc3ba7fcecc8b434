"""Data safety in the app: one window per journal, damaged journals, restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from mbc_journal.db import backup
from mbc_journal.journal import Journal
from mbc_journal.ui.main_window import MainWindow


def test_a_second_window_on_the_same_journal_is_refused(
    qtbot: QtBot, window: MainWindow, journal_path: Path, dialogs: list[str]
) -> None:
    raised = []
    window._lock.raise_requested.connect(lambda: raised.append(True))  # type: ignore[union-attr]
    second = MainWindow()
    qtbot.addWidget(second)
    assert not second.open_journal(journal_path)
    assert "already open" in dialogs[-1]
    qtbot.waitUntil(lambda: bool(raised), timeout=3000)  # the first window was asked to show
    assert second.journal is None


def test_a_stale_lock_from_a_crash_is_recovered(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    Journal.open(journal_path).close()
    # A lock file left by a process that no longer exists.
    Path(str(journal_path) + ".lock").write_text("999999\nmbc-journal\nnosuchhost\n")
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_journal(journal_path), dialogs
    win.close()


def test_the_window_makes_an_automatic_backup(
    qtbot: QtBot, window: MainWindow, journal_path: Path
) -> None:
    """One backup at open (off the GUI thread), one more when the journal changed. The
    test waits for the first: on a busy machine it could finish before or after the
    save, and a backup name's second decides how two backups sort."""
    qtbot.waitUntil(lambda: window.backup_task is None, timeout=10_000)
    window.checkin.row("fatigue").input.set_value(4)
    assert window.checkin.save()
    window.backup_now()
    assert sorted(b.entries for b in backup.list_backups(journal_path)) == [0, 1]


def test_a_damaged_journal_offers_the_newest_backup(
    qtbot: QtBot, journal_path: Path, dialogs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal.open(journal_path) as journal:
        for n in range(30):
            journal.add_entry(journal.draft("seizure", 1, note=f"n{n}"))
    backup.make_backup(journal_path, "manual")
    with sqlite3.connect(journal_path) as raw:
        root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name='entries'").fetchone()[0]
        size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(journal_path.read_bytes())
    data[(root - 1) * size : (root - 1) * size + 64] = b"\xff" * 64
    journal_path.write_bytes(bytes(data))
    asked: list[str] = []
    monkeypatch.setattr(MainWindow, "ask_restore", lambda _s, text: asked.append(text) or True)
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_journal(journal_path)
    assert "damaged" in asked[0] and "kept aside" in asked[0]
    assert win.journal is not None and win.journal.count_entries() == 30
    win.close()


def test_restore_from_settings(window: MainWindow, journal_path: Path) -> None:
    journal = window.journal
    journal.add_entry(journal.draft("fatigue", 2))
    saved = backup.make_backup(journal_path, "manual")
    journal.add_entry(journal.draft("cough", 5))
    window.settings.fill_backups()
    assert window.settings.backups.count() >= 1
    assert window.restore_backup(saved.path)
    assert [e.item_id for e in window.journal.entries()] == ["fatigue"]
    # The journal as it was before the restore is itself kept.
    assert any(
        b.reason == "before-restore" and b.entries == 2 for b in backup.list_backups(journal_path)
    )


def test_the_backup_at_opening_runs_off_the_gui_thread(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    with Journal.open(journal_path) as journal:
        journal.add_entry(journal.draft("fatigue", 4))
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_journal(journal_path)
    task = win.backup_task
    assert task is not None  # started, and open_journal did not wait for it
    qtbot.waitUntil(lambda: win.backup_task is None, timeout=30_000)
    assert [b.entries for b in backup.list_backups(journal_path)] == [1]
    win.backup_in_background()  # nothing changed since: no second copy
    qtbot.waitUntil(lambda: win.backup_task is None, timeout=30_000)
    assert len(backup.list_backups(journal_path)) == 1
    win.close()


def test_a_journal_in_a_missing_folder_is_created_not_refused_as_open(
    qtbot: QtBot, tmp_path: Path, dialogs: list[str]
) -> None:
    # First contact: the lock used to be taken before the folder existed, and the
    # failure was read as "already open in another window".
    path = tmp_path / "not" / "yet" / "journal.sqlite3"
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_journal(path), dialogs
    assert path.is_file() and not win.refused_as_second
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    win.close()


def test_a_folder_that_cannot_hold_a_journal_gets_its_own_sentence(
    qtbot: QtBot, tmp_path: Path, dialogs: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    win = MainWindow()
    qtbot.addWidget(win)
    assert not win.open_journal(blocker / "journal.sqlite3")
    assert "cannot write in the folder" in dialogs[-1]
    assert "already open" not in dialogs[-1]
    assert not win.refused_as_second
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize(
    ("errno_", "words"),
    [(28, "is full"), (30, "read-only disk"), (13, "no permission")],
)
def test_full_or_read_only_disk_is_said_so(
    qtbot: QtBot,
    tmp_path: Path,
    dialogs: list[str],
    monkeypatch: pytest.MonkeyPatch,
    errno_: int,
    words: str,
) -> None:
    # As root on a roomy disk, the real failures cannot be made: the folder probe's
    # file creation fails with the error the system would give.
    import os
    import tempfile

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise OSError(errno_, os.strerror(errno_))

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    path = tmp_path / "journal.sqlite3"
    win = MainWindow()
    qtbot.addWidget(win)
    assert not win.open_journal(path)
    assert words in dialogs[-1] and "already open" not in dialogs[-1]
    assert not path.exists()
