"""History: find, edit, delete, undo, redo, bring back."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mbc_journal.model import EntryFilter, Person, Role
from mbc_journal.ui.history import EditEntryDialog, HistoryScreen
from mbc_journal.ui.main_window import MainWindow
from tests.conftest import day_offset


def seed(window: MainWindow) -> None:
    j = window.journal
    j.add_entry(j.draft("bone_pain", 4), day=day_offset(3))
    j.add_entry(j.draft("cough", 2, note="dry"), day=day_offset(2))
    j.add_entry(j.draft("confusion", 3), day=day_offset(1), person=Person("Sam", Role.CAREGIVER))
    window.history.refresh()


def ctrl(qtbot: QtBot, window: MainWindow, key: Qt.Key, shift: bool = False) -> None:
    mods = Qt.KeyboardModifier.ControlModifier
    if shift:
        mods |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, key, mods)


def test_checkin_then_history_delete_undo_redo_by_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.checkin.row("fatigue").input.set_value(6)
    qtbot.keyClick(window.checkin.date_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    ctrl(qtbot, window, Qt.Key.Key_2)
    assert window.current_screen() == "History"
    history = window.history
    assert history.model.rowCount() == 1
    history.table.setFocus()
    history.table.selectRow(0)
    history.delete_button.click()
    assert history.model.rowCount() == 0
    assert window.journal.entries() == []
    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert [e.value for e in window.journal.entries()] == [6]
    assert history.model.rowCount() == 1
    ctrl(qtbot, window, Qt.Key.Key_Z, shift=True)
    assert window.journal.entries() == []
    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert window.journal.entries()[0].value == 6
    # The check-in screen shows the restored value again.
    assert window.checkin.row("fatigue").input.value() == 6


def test_filters(window: MainWindow) -> None:
    seed(window)
    history = window.history
    assert history.model.rowCount() == 3
    history.site.setCurrentIndex(history.site.findData("bone"))
    assert [e.item_id for e in history.model.entries] == ["bone_pain"]
    history.site.setCurrentIndex(0)
    history.who.setCurrentIndex(history.who.findText("Sam (caregiver)"))
    assert [e.item_id for e in history.model.entries] == ["confusion"]
    history.who.setCurrentIndex(0)
    history.item.setCurrentIndex(history.item.findData("cough"))
    assert [e.note for e in history.model.entries] == ["dry"]
    history.item.setCurrentIndex(0)
    history.date_from.setDate(history.date_from.date().currentDate().addDays(-1))
    assert [e.item_id for e in history.model.entries] == ["confusion"]


def test_deleted_entries_can_be_brought_back(window: MainWindow) -> None:
    seed(window)
    history = window.history
    history.table.selectAll()
    history.delete_button.click()
    assert window.journal.entries() == []
    history.show_deleted.setChecked(True)
    assert history.model.rowCount() == 3
    assert "(deleted)" in history.model.data(history.model.index(0, 0))
    history.table.selectRow(0)
    history.restore_button.click()
    assert len(window.journal.entries()) == 1
    # One undo step undoes one whole action, even for several entries.
    window.undo_stack.undo()
    assert window.journal.entries() == []
    window.undo_stack.undo()
    assert len(window.journal.entries()) == 3


def test_edit_with_validation_and_undo(window: MainWindow, dialogs: list[str]) -> None:
    seed(window)
    history = window.history
    entry = next(e for e in history.model.entries if e.item_id == "cough")
    answers = iter(["11", "5"])

    def run_dialog(dialog: EditEntryDialog) -> bool:
        dialog.value.setText(next(answers))
        dialog.note.setText("worse at night")
        return True

    history.edit_entry(entry, run_dialog)
    assert "0 (none) to 10" in dialogs[0]  # first try refused, the dialog stayed open
    edited = window.journal.entry(entry.id)
    assert edited.value == 5 and edited.note == "worse at night"
    window.undo_stack.undo()
    back = window.journal.entry(entry.id)
    assert back.value == 2 and back.note == "dry"


def test_large_journal_stays_responsive(qtbot: QtBot, journal_path, dialogs) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QUndoStack

    from mbc_journal import demo
    from mbc_journal.journal import Journal

    with Journal.open(journal_path) as journal:
        demo.generate(journal, days=3 * 365)
        screen = HistoryScreen(journal, QUndoStack())
        qtbot.addWidget(screen)
        screen.show_all_dates()
        total = journal.count_entries()
        assert screen.model.rowCount() == total > 9000
        assert screen.model.entries[0].local_date == dt.date.today()
        assert EntryFilter  # filter type used by the screen


def test_edit_an_events_time(window: MainWindow) -> None:
    j = window.journal
    entry = j.add_entry(j.draft("seizure", 1, time=dt.time(3, 10)), day=day_offset(1))
    window.history.refresh()

    def run_dialog(dialog: EditEntryDialog) -> bool:
        assert dialog.has_time.isChecked() and dialog.time.time().hour() == 3
        dialog.time.setTime(dialog.time.time().fromString("04:45", "HH:mm"))
        return True

    window.history.edit_entry(window.journal.entry(entry.id), run_dialog)
    assert window.journal.entry(entry.id).time == dt.time(4, 45)
    window.undo_stack.undo()
    assert window.journal.entry(entry.id).time == dt.time(3, 10)


def test_cut_off_cells_show_their_whole_text_on_hover(window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    journal = window.journal
    journal.add_entry(journal.draft("nausea", 3), person=Person("Samantha", Role.CAREGIVER))
    window.history.refresh()
    model = window.history.model
    tips = [model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole) for column in (2, 3, 5)]
    assert tips == ["Feeling sick (nausea)", "Brain, Liver, General", "Samantha (caregiver)"]


# Every observation kept (issue 21) ------------------------------------------------


def test_each_reading_is_its_own_row_with_its_time_and_who(window: MainWindow) -> None:
    j = window.journal
    j.set_profile_name("Alex")
    today = dt.date.today()
    j.save_checkin(
        today,
        {},
        readings=[
            j.draft("temperature", 37.2, time=dt.time(7, 10)),
            j.draft("temperature", 38.9, time=dt.time(18, 5)),
        ],
    )
    j.save_checkin(
        today,
        {},
        person=Person("Sam", Role.CAREGIVER),
        readings=[j.draft("temperature", 38.4, time=dt.time(12, 30))],
    )
    window.history.refresh()
    model = window.history.model
    rows = [
        tuple(model.data(model.index(r, c)) for c in (1, 4, 5)) for r in range(model.rowCount())
    ]
    assert sorted(rows) == [
        ("07:10", "37.2 °C", "Alex"),
        ("12:30", "38.4 °C", "Sam (caregiver)"),
        ("18:05", "38.9 °C", "Alex"),
    ]


def edited_twice(window: MainWindow) -> int:
    j = window.journal
    entry = j.add_entry(j.draft("fatigue", 5, note="morning"), day=day_offset(1))
    j.update_entry(entry.id, value=j.draft("fatigue", 7).value, note="after the walk")
    j.update_entry(entry.id, value=j.draft("fatigue", 4).value, note="evening")
    window.history.refresh()
    return entry.id


def test_an_entry_with_earlier_versions_is_marked(window: MainWindow) -> None:
    entry_id = edited_twice(window)
    j = window.journal
    j.add_entry(j.draft("cough", 2))
    history = window.history
    history.refresh()
    model = history.model
    row = [e.id for e in model.entries].index(entry_id)
    other = 1 - row
    assert model.headerData(7, Qt.Orientation.Horizontal) == "Versions"
    assert model.data(model.index(row, 7)) == "2 earlier"
    assert model.data(model.index(row, 7), Qt.ItemDataRole.AccessibleTextRole) == (
        "2 earlier versions"
    )
    assert model.data(model.index(other, 7)) == ""
    history.table.selectRow(other)
    assert not history.versions_button.isEnabled()
    history.table.clearSelection()
    history.table.selectRow(row)
    assert history.versions_button.isEnabled()
    assert history.versions_button.accessibleName()


def test_versions_dialog_lists_each_and_brings_one_back(
    qtbot: QtBot, window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from mbc_journal.ui.versions import VersionsDialog

    window.journal.set_profile_name("Alex")
    entry_id = edited_twice(window)
    history = window.history
    assert history.select_entry(entry_id)
    opened: list[VersionsDialog] = []
    monkeypatch.setattr(history, "open_versions_dialog", opened.append)
    history.setFocus()
    qtbot.keyClick(history.versions_button, Qt.Key.Key_Space)  # keyboard reachable
    [dialog] = opened
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 3  # now, and two earlier, newest first
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(3)]
    assert [c[1] for c in cells] == ["4 (moderate)", "7 (severe)", "5 (moderate)"]
    assert [c[4] for c in cells] == ["evening", "after the walk", "morning"]
    assert all(c[3] == "Alex" for c in cells)
    assert cells[0][6] == "still current" and cells[1][6].startswith("changed, ")
    assert cells[2][5]  # when it was saved
    # The earliest version, brought back by keyboard.
    assert dialog.select_version(dialog.versions[-1].id)
    assert dialog.bring_back_button.isEnabled()
    qtbot.keyClick(dialog.bring_back_button, Qt.Key.Key_Space)
    back = window.journal.entry(entry_id)
    assert (back.value, back.note) == (5, "morning")
    # Nothing lost: what it replaced is a version now, and the dialog shows it.
    assert table.rowCount() == 4 and table.item(0, 1).text() == "5 (moderate)"
    assert table.item(1, 1).text() == "4 (moderate)"
    assert "replaced by an earlier version" in table.item(1, 6).text()
    assert "Brought back 5 (moderate)" in dialog.message.text()
    # History refreshed, says so, and the mark counts three earlier versions.
    model = history.model
    row = [e.id for e in model.entries].index(entry_id)
    assert model.data(model.index(row, 4)) == "5 (moderate)"
    assert model.data(model.index(row, 7)) == "3 earlier"
    assert history.status.isVisibleTo(history) and "Brought back" in history.status.text()
    assert history.selected_entries()[0].id == entry_id
    # The check-in shows it too; one undo step puts the 4 back.
    window.checkin.set_day(day_offset(1))
    assert window.checkin.row("fatigue").input.value() == 5
    window.undo_stack.undo()
    assert window.journal.entry(entry_id).value == 4


def test_a_deleted_entry_shows_its_versions_and_comes_back(window: MainWindow) -> None:
    j = window.journal
    entry = j.add_entry(j.draft("cough", 3, note="dry"))
    j.delete_entry(entry.id)
    history = window.history
    history.show_deleted.setChecked(True)
    assert history.select_entry(entry.id)
    dialog = history.versions_dialog(history.selected_entries()[0])
    assert dialog.table.item(0, 1).text() == "3 (mild)  (deleted)"
    assert dialog.table.item(1, 6).text().startswith("deleted, ")
    assert dialog.bring_back_selected()
    assert not j.entry(entry.id).deleted
    dialog.close()
