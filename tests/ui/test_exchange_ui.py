from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from mbc_journal import exchange, operations
from mbc_journal.journal import Journal
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.qsettings import last_folder


def test_export_and_import_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, dialogs: list[str]
) -> None:
    window.journal.add_entry(window.journal.draft("fatigue", 5))
    target = tmp_path / "e.json"
    task = window.export_to(target, "json")
    with qtbot.waitSignal(task.succeeded, timeout=30_000):  # type: ignore[union-attr]
        pass
    assert target.exists()
    assert last_folder("export") == tmp_path  # the next export or import starts there
    other = tmp_path / "other.sqlite3"
    with Journal.open(other) as journal:
        journal.add_entry(journal.draft("cough", 2))
        exchange.export(journal, "json", tmp_path / "other.json")
    task = window.import_from(tmp_path / "other.json")
    with qtbot.waitSignal(task.succeeded, timeout=30_000):  # type: ignore[union-attr]
        pass
    assert "Imported 1 entry." in dialogs[-1]
    assert sorted(e.item_id for e in window.journal.entries()) == ["cough", "fatigue"]
    assert window.checkin.row("cough").input.value() == 2


def test_a_broken_import_is_one_dialog_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, dialogs: list[str]
) -> None:
    window.journal.add_entry(window.journal.draft("fatigue", 5))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "mbc-journal", "version": 1, "entries": [{"uid": 1}]}')

    def before_import() -> list[object]:  # the app's own backup at opening may land any time
        return [b for b in operations.list_backups(window.journal.path) if "import" in b.reason]

    backups_before = before_import()
    assert window.import_from(bad) is not None
    # The check can fail before a signal could be connected: wait for what the user sees.
    qtbot.waitUntil(lambda: bool(dialogs), timeout=30_000)
    assert "Nothing was imported" in dialogs[-1]
    assert [e.item_id for e in window.journal.entries()] == ["fatigue"]
    # A refused import makes no "before-import" backup.
    assert before_import() == backups_before
