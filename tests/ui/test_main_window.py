from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from mbc_journal.journal import Journal
from mbc_journal.ui.main_window import MainWindow


def test_window_opens_the_journal(qtbot: QtBot, journal_path: Path) -> None:
    with Journal.open(journal_path) as journal:
        journal.add_entry(journal.draft("fatigue", 3))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_journal(journal_path)
    assert journal_path.name in window.windowTitle()
