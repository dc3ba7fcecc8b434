"""Only the check-in is built when a journal opens; the others when first shown (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QMessageBox

from mbc_journal.ui.main_window import SCREENS, MainWindow
from mbc_journal.ui.settings_screen import SettingsScreen


def test_only_the_checkin_is_built_at_opening(window: MainWindow) -> None:
    assert list(window._built) == ["Today"]
    assert list(window.screens) == list(SCREENS)  # all can be reached
    window.show_screen("History")
    assert window.current_screen() == "History"
    assert set(window._built) == {"Today", "History"}


def test_a_screen_built_later_sees_what_was_saved_before(window: MainWindow) -> None:
    assert window.journal is not None
    window.journal.add_entry(window.journal.draft("fatigue", 6))
    window.checkin.load_day(dt.date.today())
    window.show_screen("History")
    assert window.history.model.rowCount() >= 1


def test_history_changes_reach_a_rebuilt_checkin(window: MainWindow) -> None:
    assert window.journal is not None
    history = window.history
    window._on_settings_saved()  # the check-in is made anew
    window.journal.add_entry(window.journal.draft("fatigue", 4))
    history.entries_changed.emit()
    assert any(row.input.value() == 4 for rows in window.checkin._rows.values() for row in rows)


def test_unsaved_settings_still_stop_closing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_screen("Settings")
    asked: list[bool] = []

    def ask(_self: SettingsScreen) -> QMessageBox.StandardButton:
        asked.append(True)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(SettingsScreen, "ask_unsaved", ask)
    monkeypatch.setattr(SettingsScreen, "dirty", property(lambda _self: True))
    assert not window.confirm_leave()
    assert asked


def test_settings_never_opened_do_not_hold_closing(window: MainWindow) -> None:
    assert window.confirm_leave()
    assert "Settings" not in window._built
