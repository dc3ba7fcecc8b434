from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from mbc_journal.ui import errors
from mbc_journal.ui.checkin import CheckInScreen
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.settings_screen import SettingsScreen


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the user would read in error dialogs (instead of blocking on them)."""
    shown: list[str] = []
    monkeypatch.setattr(errors, "_present", lambda _parent, _title, text: shown.append(text))
    # Never block on "save your changes?" in a test unless the test says what to answer.
    monkeypatch.setattr(
        CheckInScreen, "ask_unsaved", lambda _self: QMessageBox.StandardButton.Discard
    )
    monkeypatch.setattr(
        SettingsScreen, "ask_unsaved", lambda _self: QMessageBox.StandardButton.Discard
    )
    return shown


@pytest.fixture
def window(qtbot: QtBot, journal_path: Path, dialogs: list[str]) -> Iterator[MainWindow]:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_journal(journal_path)
    yield win
    if win.journal is not None:
        win.journal.close()
