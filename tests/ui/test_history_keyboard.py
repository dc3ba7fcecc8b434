"""Issue 17: History by keyboard and screen reader — blank cells speak, Delete deletes
(Ctrl+Z undoes), entries group by day."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mbc_journal.ui import history as history_module
from mbc_journal.ui.main_window import MainWindow
from tests.conftest import day_offset


def seed(window: MainWindow) -> None:
    j = window.journal
    j.add_entry(j.draft("bone_pain", 4), day=day_offset(3))
    j.add_entry(j.draft("fatigue", 5), day=day_offset(3))
    j.add_entry(j.draft("cough", 2, note="dry"), day=day_offset(2))
    j.add_entry(j.draft("headache", 1), day=day_offset(1))
    j.add_entry(j.draft("nausea", 3), day=day_offset(1))
    window.history.refresh()


def test_blank_cells_have_a_spoken_name(window: MainWindow) -> None:
    seed(window)
    model = window.history.model
    spoken = Qt.ItemDataRole.AccessibleTextRole
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            assert model.data(model.index(row, column), spoken), (row, column)
    row = next(r for r, e in enumerate(model.entries) if e.item_id == "bone_pain")
    assert model.data(model.index(row, 8), spoken) == "no note"
    assert model.data(model.index(row, 1), spoken) == "no time"
    assert model.data(model.index(row, 6), spoken) == "no signal"


def test_days_are_grouped(window: MainWindow) -> None:
    seed(window)
    model = window.history.model
    shown = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    # The day is written on its first row only; a screen reader hears it on every row.
    assert [bool(text) for text in shown] == [True, False, True, True, False]
    assert model.data(model.index(1, 0), Qt.ItemDataRole.AccessibleTextRole) == shown[0]
    assert model.day_starts() == [0, 2, 3]
    shades = [model.data(model.index(r, 2), Qt.ItemDataRole.BackgroundRole) for r in range(5)]
    assert shades[0] == shades[1] and shades[1] != shades[2] and shades[2] != shades[3]


def test_ctrl_down_and_up_move_by_day(qtbot: QtBot, window: MainWindow) -> None:
    seed(window)
    window.show_screen("History")
    table = window.history.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == 3
    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == 2


def test_delete_key_deletes_and_ctrl_z_brings_it_back(qtbot: QtBot, window: MainWindow) -> None:
    history = history_in_hand(qtbot, window)
    table = history.table
    first = history.model.entries[0]
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert first.id not in {e.id for e in window.journal.entries()}
    assert history.model.rowCount() == 4
    assert "Deleted 1 entry" in history.status.text()
    assert table.currentIndex().row() == 0  # the keyboard stays in the list
    qtbot.keyClick(table, Qt.Key.Key_Backspace)
    assert history.model.rowCount() == 3
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert history.model.rowCount() == 5
    assert first.id in {e.id for e in window.journal.entries()}


def history_in_hand(qtbot: QtBot, window: MainWindow) -> history_module.HistoryScreen:
    """History on a seeded journal, the keyboard in its table on the first row."""
    seed(window)
    window.show_screen("History")
    history = window.history
    history.table.setFocus()
    qtbot.waitUntil(history.table.hasFocus, timeout=1000)
    history.table.selectRow(0)
    return history


def _selected_rows(window: MainWindow) -> list[int]:
    table = window.history.table
    return sorted({i.row() for i in table.selectionModel().selectedRows()})


def test_moving_by_day_selects_only_the_row_it_lands_on(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tester's Down, Ctrl+Down ×3, Ctrl+Up, Delete deleted three entries of three days;
    Ctrl+Z then lost the cursor and the status still said "Deleted"."""
    said: list[str] = []
    monkeypatch.setattr(history_module, "announce", lambda _widget, text: said.append(text))
    history = history_in_hand(qtbot, window)
    table = history.table
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert (table.currentIndex().row(), _selected_rows(window)) == (1, [1])
    for expected in (2, 3, 3):
        qtbot.keyClick(table, Qt.Key.Key_Down, ctrl)
        assert (table.currentIndex().row(), _selected_rows(window)) == (expected, [expected])
    qtbot.keyClick(table, Qt.Key.Key_Up, ctrl)
    assert (table.currentIndex().row(), _selected_rows(window)) == (2, [2])
    cough = history.model.entries[2]
    assert cough.item_id == "cough"
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    left = {e.id for e in window.journal.entries()}
    assert cough.id not in left and len(left) == 4  # the one under the cursor, only
    assert "Deleted 1 entry" in history.status.text() and "Cough" in history.status.text()
    assert said and said[-1] == history.status.text()
    qtbot.keyClick(window, Qt.Key.Key_Z, ctrl)
    assert cough.id in {e.id for e in window.journal.entries()}
    row = next(r for r, e in enumerate(history.model.entries) if e.id == cough.id)
    assert (table.currentIndex().row(), _selected_rows(window)) == (row, [row])
    status = history.status.text()
    assert "Deleted" not in status and "Brought back 1 entry" in status and "Cough" in status
    assert said[-1] == status
    # Ctrl+Shift+Z does it again, and says so.
    qtbot.keyClick(window, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert cough.id not in {e.id for e in window.journal.entries()}
    assert "Deleted 1 entry" in history.status.text() and said[-1] == history.status.text()
