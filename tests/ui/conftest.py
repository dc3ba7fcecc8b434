from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from mbc_journal.ui import errors
from mbc_journal.ui.checkin import CheckInScreen
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.settings_screen import SettingsScreen


@pytest.fixture(autouse=True)
def windows_freed_on_the_gui_thread(qtbot: QtBot) -> Iterator[None]:
    """After each test, the windows it closed are freed here, on the GUI thread: left
    to Python's cyclic collector they could be freed later by a worker thread of
    another test, where Qt objects must not die (see ui/worker.run_in_background)."""
    yield
    gc.collect()


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
