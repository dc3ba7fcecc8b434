"""The daily check-in, driven like a user would: keys and clicks on real widgets."""

from __future__ import annotations

import datetime as dt
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QMessageBox,
    QScrollArea,
    QScrollBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mbc_journal.journal import Journal
from mbc_journal.model import EntryFilter, Role
from mbc_journal.ui.checkin import CheckInScreen
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.widgets.entry_inputs import EventInput, MeasurementInput
from mbc_journal.ui.widgets.rating import RatingInput
from tests.conftest import day_offset


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=1000)


def tab_to(qtbot: QtBot, window: MainWindow, kind: type, limit: int = 40) -> QWidget:
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if isinstance(widget, kind) or isinstance(widget.parent(), kind):
            return widget
    raise AssertionError(f"Tab never reached a {kind.__name__}")


def test_full_checkin_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    screen = window.checkin
    focus(qtbot, screen.date_edit)
    typed = []
    for digit in (Qt.Key.Key_3, Qt.Key.Key_0, Qt.Key.Key_7):
        rating = tab_to(qtbot, window, RatingInput)
        qtbot.keyClick(rating, digit)
        typed.append((rating, digit - Qt.Key.Key_0))
    # "1" then "0" quickly is 10.
    ten = tab_to(qtbot, window, RatingInput)
    qtbot.keyClicks(ten, "10")
    number = tab_to(qtbot, window, MeasurementInput)
    qtbot.keyClicks(number, "38.2")
    qtbot.keyClick(screen.date_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not screen.dirty
    assert "Saved" in screen.status.text()
    stored = {e.item_id: e.value for e in window.journal.entries_on(dt.date.today())}
    rows = {row.input: item_id for item_id, rs in screen._rows.items() for row in rs}
    for rating, value in typed:
        assert stored[rows[rating]] == value
    assert stored[rows[ten]] == 10
    assert stored["temperature"] == 38.2
    assert len(stored) == 5


def test_every_interactive_widget_has_an_accessible_name(window: MainWindow) -> None:
    for screen in window.screens.values():
        unnamed = [
            w
            for w in screen.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not isinstance(w, QScrollArea | QScrollBar | QAbstractItemView)
            and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)  # their inner editors
            and not w.accessibleName()
        ]
        assert unnamed == [], [
            f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}" for w in unnamed
        ]


def test_reopening_a_day_shows_and_edits_what_was_saved(window: MainWindow, qtbot: QtBot) -> None:
    screen = window.checkin
    screen.row("headache").input.set_value(4)
    screen.row("headache").note.setText("behind the eyes")
    screen.day_note.setPlainText("Long day")
    assert screen.save()
    screen.set_day(day_offset(1))
    assert screen.row("headache").input.value() is None
    screen.set_day(dt.date.today())
    assert screen.row("headache").input.value() == 4
    assert screen.row("headache").note.text() == "behind the eyes"
    assert screen.day_note.toPlainText() == "Long day"
    screen.row("headache").input.set_value(None)
    assert screen.save()
    assert window.journal.entries_on(dt.date.today()) == []
    # Cleared, not lost: it is recoverable.
    assert window.journal.entries(EntryFilter(include_deleted=True))[0].value == 4


def test_shared_items_stay_in_step_across_sites(window: MainWindow) -> None:
    screen = window.checkin
    brain, liver, general = screen.rows("nausea")
    brain.input.set_value(5)
    assert liver.input.value() == 5 and general.input.value() == 5
    assert screen.save()
    assert [e.item_id for e in window.journal.entries_on(dt.date.today())] == ["nausea"]


def test_bad_measurement_shows_a_dialog_and_keeps_the_form(
    window: MainWindow, dialogs: list[str]
) -> None:
    screen = window.checkin
    screen.row("fatigue").input.set_value(6)
    screen.row("temperature").input.number.setText("48")
    assert not screen.save()
    assert len(dialogs) == 1 and "Temperature" in dialogs[0] and "plausible range" in dialogs[0]
    assert screen.row("temperature").input.number.text() == "48"
    assert screen.row("fatigue").input.value() == 6
    assert screen.dirty
    assert window.journal.count_entries() == 0


def test_a_note_without_a_value_is_not_silently_dropped(
    window: MainWindow, dialogs: list[str]
) -> None:
    screen = window.checkin
    screen.row("cough").note.setText("only at night")
    assert not screen.save()
    assert "no value" in dialogs[0]


def test_same_as_yesterday_fills_empty_rows(window: MainWindow) -> None:
    journal = window.journal
    journal.save_checkin(
        day_offset(2),
        {"fatigue": journal.draft("fatigue", 5), "seizure": journal.draft("seizure", 1)},
    )
    screen = window.checkin
    screen.row("headache").input.set_value(2)
    screen.fill_same_as_yesterday()
    assert screen.row("fatigue").input.value() == 5
    assert screen.row("seizure").input.value() is None  # events are not copied
    assert screen.row("headache").input.value() == 2
    assert screen.save()
    assert {e.item_id for e in journal.entries_on(dt.date.today())} == {"fatigue", "headache"}


def test_caregiver_entries_are_marked(window: MainWindow) -> None:
    screen = window.checkin
    screen.add_caregiver("Sam")
    index = screen.person.findText("Sam (caregiver)")
    assert index >= 0
    screen.person.setCurrentIndex(index)
    screen.row("confusion").input.set_value(3)
    assert screen.save()
    [entry] = window.journal.entries_on(dt.date.today())
    assert entry.person.role is Role.CAREGIVER and entry.person.name == "Sam"


def test_event_with_time(window: MainWindow) -> None:
    event = window.checkin.row("fall").input
    assert isinstance(event, EventInput)
    event.happened.setChecked(True)
    event.time.setTime(event.time.time().fromString("07:15", "HH:mm"))
    assert window.checkin.save()
    [entry] = window.journal.entries_on(dt.date.today())
    assert entry.item_id == "fall" and entry.time == dt.time(7, 15)


def test_changing_day_with_unsaved_changes_asks(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    screen = window.checkin
    screen.row("fatigue").input.set_value(3)
    monkeypatch.setattr(screen, "ask_unsaved", lambda: QMessageBox.StandardButton.Cancel)
    screen.set_day(day_offset(1))
    assert screen.day() == dt.date.today() and screen.row("fatigue").input.value() == 3
    monkeypatch.setattr(screen, "ask_unsaved", lambda: QMessageBox.StandardButton.Save)
    screen.set_day(day_offset(1))
    assert screen.day() == day_offset(1)
    assert [e.value for e in window.journal.entries_on(dt.date.today())] == [3]


def test_future_days_cannot_be_chosen(window: MainWindow) -> None:
    screen = window.checkin
    screen.set_day(dt.date.today() + dt.timedelta(days=3))
    assert screen.day() == dt.date.today()


def test_disk_full_keeps_the_form(window: MainWindow, dialogs: list[str], journal_path) -> None:  # type: ignore[no-untyped-def]
    journal = window.journal
    with sqlite3.connect(journal_path) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.close()
    from sqlalchemy import event

    def limit(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(journal._engine, "connect", limit)
    journal._engine.dispose()
    screen = window.checkin
    screen.day_note.setPlainText("z" * 19_000)
    screen.row("cough").input.set_value(2)
    screen.row("cough").note.setText("w" * 19_000)
    assert not screen.save()
    assert "disk is full" in dialogs[0]
    assert screen.day_note.toPlainText() == "z" * 19_000
    assert screen.row("cough").input.value() == 2
    event.remove(journal._engine, "connect", limit)
    journal._engine.dispose()
    assert screen.save()
    assert window.journal.entries_on(dt.date.today())[0].item_id == "cough"


def test_my_sites_come_first_and_open(qtbot: QtBot, journal_path) -> None:  # type: ignore[no-untyped-def]
    with Journal.open(journal_path) as journal:
        journal.set_my_sites(["liver"])
        screen = CheckInScreen(journal)
        qtbot.addWidget(screen)
        order = list(screen.sections)
        assert order[0] == "liver" and screen.sections["liver"].expanded
        assert screen.sections["lungs"].expanded  # always offered
        assert not screen.sections["brain"].expanded


def test_saving_keeps_the_scroll_position(window: MainWindow) -> None:
    window.resize(960, 540)
    window.show_screen("Today")
    checkin = window.checkin
    QApplication.processEvents()
    bar = checkin.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0, "the check-in should scroll at 960x540"
    bar.setValue(bar.maximum() // 2)
    where = bar.value()
    checkin.row("fatigue").input.set_value(4)
    assert checkin.save()
    QApplication.processEvents()
    assert bar.value() == where


def test_a_note_gets_the_rows_width_even_on_a_small_screen(window: MainWindow) -> None:
    window.resize(960, 540)
    window.show_screen("Today")
    row = window.checkin.row("fatigue")
    row.note_button.click()
    QApplication.processEvents()
    assert row.note.isVisible()
    # Measured: squeezed beside the rating buttons it was about a tenth of the row.
    assert row.note.width() >= 0.8 * row.width()


def test_a_caregivers_rating_sits_beside_the_patients(window: MainWindow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The patient rates tiredness 5; the caregiver then enters 8: both are kept."""
    screen = window.checkin
    screen.row("fatigue").input.set_value(5)
    assert screen.save()
    screen.add_caregiver("Sam")
    sam = screen.person.findText("Sam (caregiver)")
    screen.person.setCurrentIndex(sam)
    screen.person.activated.emit(sam)  # as a user's choice
    # Sam's own check-in: empty, and it says the patient's entries are there.
    assert screen.row("fatigue").input.value() is None
    assert "Also entered this day by" in screen.status.text()
    screen.row("fatigue").input.set_value(8)
    assert screen.save()
    values = sorted(
        (e.value, e.person.role.value) for e in window.journal.entries_on(dt.date.today())
    )
    assert values == [(5, "patient"), (8, "caregiver")]
    # Back to the patient: the patient's own 5 is shown, and saving again keeps Sam's 8.
    me = screen.person.findText(screen.person.itemText(0))
    screen.person.setCurrentIndex(me)
    screen.person.activated.emit(me)
    assert screen.row("fatigue").input.value() == 5
    screen.row("fatigue").input.set_value(6)
    assert screen.save()
    path = window.journal.path
    window.close()
    with Journal.open(path) as journal:
        kept = sorted(
            (e.value, e.person.role.value, e.person.name if e.person.is_caregiver else "")
            for e in journal.entries_on(dt.date.today())
        )
        assert kept == [(6, "patient", ""), (8, "caregiver", "Sam")]
        from mbc_journal import exchange

        exported = tmp_path / "both.json"
        exchange.export(journal, "json", exported)
    with Journal.open(tmp_path / "other.sqlite3") as other:
        exchange.import_file(other, exported)
        assert sorted(e.value for e in other.entries_on(dt.date.today())) == [6, 8]
