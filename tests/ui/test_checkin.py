"""The daily check-in, driven like a user would: keys and clicks on real widgets."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from PySide6.QtCore import Qt, QTime
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
from mbc_journal.model import EntryFilter, Person, Role
from mbc_journal.ui.checkin import CheckInScreen, ItemRow
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.widgets.entry_inputs import EventInput, MeasurementInput
from mbc_journal.ui.widgets.rating import RatingInput
from tests.conftest import day_offset


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=1000)


def tab_to(qtbot: QtBot, window: MainWindow, kind: type, limit: int = 120) -> QWidget:
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
    number = tab_to(qtbot, window, MeasurementInput, limit=90)  # issue 17: fewer stops
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


# Several readings a day (issue 21) ------------------------------------------------


def set_time(row: ItemRow, text: str) -> None:
    assert row.time_edit is not None
    row.time_edit.setTime(QTime.fromString(text, "HH:mm"))


def test_three_temperatures_in_a_fever_are_all_kept(qtbot: QtBot, window: MainWindow) -> None:
    """Typed, added with Enter or the Add button, or just typed before Ctrl+S: each
    temperature is a reading of its own, with its time, and the row lists them all."""
    window.journal.set_profile_name("Alex")
    screen = window.checkin
    row = screen.row("temperature")
    assert isinstance(row.input, MeasurementInput)
    focus(qtbot, row.input.number)
    qtbot.keyClicks(row.input.number, "37.2")
    set_time(row, "07:10")
    qtbot.keyClick(row.input.number, Qt.Key.Key_Return)  # Enter adds it
    assert row.input.number.text() == "" and QApplication.focusWidget() is row.input.number
    assert screen.dirty and screen.pending_count() == 1
    assert "Added 07:10  37.2 °C" in screen.status.text()
    qtbot.keyClicks(row.input.number, "38.4")
    set_time(row, "12:30")
    assert row.add_button is not None and row.add_button.isEnabled()
    qtbot.mouseClick(row.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(row.input.number, "38.9")
    set_time(row, "18:05")
    assert row.readings is not None
    assert "07:10  37.2 °C" in row.readings.text() and "12:30  38.4 °C" in row.readings.text()
    assert window.journal.entries_on(dt.date.today()) == []  # nothing saved before the save
    qtbot.keyClick(row.input.number, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not screen.dirty and "3 new readings" in screen.status.text()
    kept = [(e.time, e.value) for e in window.journal.entries_on(dt.date.today())]
    assert kept == [(dt.time(7, 10), 37.2), (dt.time(12, 30), 38.4), (dt.time(18, 5), 38.9)]
    # The row now lists the three saved readings with who took them; its input is empty.
    text = row.readings.text()
    for reading in ("07:10  37.2 °C — Alex", "12:30  38.4 °C — Alex", "18:05  38.9 °C — Alex"):
        assert reading in text
    assert "not saved" not in text and row.input.number.text() == ""
    # A caregiver's reading joins them, marked as theirs; the patient's stay.
    screen.add_caregiver("Sam")
    assert screen.current_person().name == "Sam"
    row.input.number.setText("39.0")
    assert screen.save()
    assert len(window.journal.entries_on(dt.date.today())) == 4
    assert "39.0 °C — Sam (caregiver)" in row.readings.text()
    assert "07:10  37.2 °C — Alex" in row.readings.text()
    path = window.journal.path
    window.close()
    with Journal.open(path) as journal:  # after a restart, all four are there
        assert len(journal.entries_on(dt.date.today())) == 4


def test_a_new_readings_time_is_now_on_today_and_editable(window: MainWindow) -> None:
    screen = window.checkin
    row = screen.row("weight")
    before = dt.datetime.now().replace(second=0, microsecond=0).time()
    assert isinstance(row.input, MeasurementInput)
    row.input.number.setText("61.5")
    when = row.reading_time()
    after = dt.datetime.now().time()
    assert when is not None and before <= when <= after
    set_time(row, "06:45")  # the user's time is kept
    row.input.number.setText("61.4")
    assert row.reading_time() == dt.time(6, 45)
    assert screen.add_reading(row)
    assert screen.pending_readings()[0].time == dt.time(6, 45)
    # A past day's page does not pretend it is now: midday, to be set.
    assert screen.save()
    screen.set_day(day_offset(2))
    assert row.reading_time() == dt.time(12, 0)


def test_readings_not_saved_count_as_unsaved(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    screen = window.checkin
    row = screen.row("temperature")
    assert isinstance(row.input, MeasurementInput)
    row.input.number.setText("38.3")
    assert screen.add_reading(row)
    assert screen.dirty and window.isWindowModified()
    asked: list[str] = []
    monkeypatch.setattr(
        screen, "ask_unsaved", lambda: asked.append("?") or QMessageBox.StandardButton.Cancel
    )
    screen.set_day(day_offset(1))
    assert asked and screen.day() == dt.date.today() and screen.pending_count() == 1
    # Reloading the same day (an edit made in History) keeps the reading added.
    screen.load_day(screen.day())
    assert screen.pending_count() == 1 and screen.dirty
    assert "38.3 °C" in (row.readings.text() if row.readings else "")
    # Leaving the journal asks too; Discard drops it, and nothing was saved.
    monkeypatch.setattr(screen, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard)
    assert window.confirm_leave()
    assert screen.pending_count() == 0 and not screen.dirty
    assert window.journal.entries_on(dt.date.today()) == []
    # Save (the default answer) saves it.
    row.input.number.setText("38.6")
    assert screen.add_reading(row)
    monkeypatch.setattr(screen, "ask_unsaved", lambda: QMessageBox.StandardButton.Save)
    screen.set_day(day_offset(1))
    assert [e.value for e in window.journal.entries_on(dt.date.today())] == [38.6]


def test_the_question_names_the_readings_not_saved(window: MainWindow) -> None:
    screen = window.checkin
    row = screen.row("temperature")
    assert isinstance(row.input, MeasurementInput)
    for text in ("38.1", "38.5"):
        row.input.number.setText(text)
        assert screen.add_reading(row)
    assert "2 readings you added are not saved yet" in screen.unsaved_question()


def test_a_bad_reading_is_refused_when_added_and_kept_to_correct(
    window: MainWindow, dialogs: list[str]
) -> None:
    screen = window.checkin
    row = screen.row("temperature")
    assert isinstance(row.input, MeasurementInput)
    row.input.number.setText("48")
    assert not screen.add_reading(row)
    assert "Temperature" in dialogs[0] and "plausible range" in dialogs[0]
    assert row.input.number.text() == "48" and screen.pending_count() == 0
    row.input.number.setText("100.4")
    row.input.unit.setCurrentText("°F")
    assert screen.add_reading(row)
    assert row.readings is not None and "100.4 °F" in row.readings.text()
    assert screen.save()
    [entry] = window.journal.entries_on(dt.date.today())
    assert round(entry.value, 1) == 38.0 and entry.unit == "°F"


def test_an_unsaved_reading_can_be_taken_back(window: MainWindow) -> None:
    screen = window.checkin
    row = screen.row("pain_relief_doses")
    assert isinstance(row.input, MeasurementInput) and row.readings is not None
    for text in ("1", "2"):
        row.input.number.setText(text)
        assert screen.add_reading(row)
    assert len(row.readings.remove_buttons) == 2
    name = row.readings.remove_buttons[0].accessibleName()
    assert "remove the unsaved reading" in name and "1 dose" in name
    row.readings.remove_buttons[0].click()
    assert [d.value.number for d in screen.pending_readings()] == [2]
    assert screen.save()
    assert [e.value for e in window.journal.entries_on(dt.date.today())] == [2]


def test_episodes_of_an_event_each_with_their_time(window: MainWindow) -> None:
    screen = window.checkin
    row = screen.row("fall")
    event = row.input
    assert isinstance(event, EventInput) and row.add_button is not None
    assert not row.add_button.isEnabled()  # nothing to add: no extra Tab stop
    event.happened.setChecked(True)
    assert row.add_button.isEnabled()
    set_time(row, "07:15")
    row.add_button.click()
    assert not event.happened.isChecked()  # ready for the next episode
    event.happened.setChecked(True)
    event.count.setValue(2)
    set_time(row, "21:40")
    assert screen.save()
    kept = [(e.time, e.value) for e in window.journal.entries_on(dt.date.today())]
    assert kept == [(dt.time(7, 15), 1), (dt.time(21, 40), 2)]
    assert row.readings is not None
    assert "07:15  happened" in row.readings.text() and "21:40  2 times" in row.readings.text()


def test_a_failed_save_keeps_the_readings_added_and_saves_nothing(
    window: MainWindow, dialogs: list[str]
) -> None:
    screen = window.checkin
    row = screen.row("temperature")
    assert isinstance(row.input, MeasurementInput)
    row.input.number.setText("38.2")
    assert screen.add_reading(row)
    screen.row("fatigue").input.set_value(6)
    screen.row("cough").note.setText("only at night")  # a note without a value: refused
    assert not screen.save()
    assert "no value" in dialogs[0]
    assert screen.pending_count() == 1 and screen.dirty
    assert window.journal.entries_on(dt.date.today()) == []  # one transaction: nothing
    screen.row("cough").note.clear()
    assert screen.save()
    assert sorted(e.item_id for e in window.journal.entries_on(dt.date.today())) == [
        "fatigue",
        "temperature",
    ]


def test_a_caregivers_rating_is_shown_beside_the_patients(window: MainWindow) -> None:
    journal = window.journal
    journal.set_profile_name("Alex")
    screen = window.checkin
    screen.row("fatigue").input.set_value(5)
    assert screen.save()
    journal.save_checkin(
        dt.date.today(),
        {"fatigue": journal.draft("fatigue", 8)},
        person=Person("Sam", Role.CAREGIVER),
    )
    screen.load_day(dt.date.today())
    row = screen.row("fatigue")
    assert row.input.value() == 5
    assert row.beside.isVisibleTo(screen) and row.beside.text() == "Sam (caregiver): 8"
    assert "Sam (caregiver) rated it 8 (severe)" in row.beside.accessibleName()
    assert not screen.row("cough").beside.isVisibleTo(screen)
    # As Sam: Sam's own 8 in the row, the patient's 5 beside it.
    screen.add_caregiver("Sam")
    assert row.input.value() == 8 and row.beside.text() == "Alex: 5"
    # Every section showing the item shows it beside.
    assert all(r.beside.text() == "Alex: 5" for r in screen.rows("fatigue"))


def test_same_as_yesterday_never_copies_a_reading(window: MainWindow) -> None:
    journal = window.journal
    journal.save_checkin(
        day_offset(1),
        {"fatigue": journal.draft("fatigue", 4)},
        readings=[journal.draft("weight", 62.0, time=dt.time(8, 0))],
    )
    screen = window.checkin
    screen.fill_same_as_yesterday()
    assert screen.row("fatigue").input.value() == 4
    assert screen.row("weight").input.value() is None  # a weight is measured, not copied


def test_a_change_in_history_never_throws_away_a_typed_check_in(window: MainWindow) -> None:
    """A rating typed but not saved survives an edit made in History (it used to be
    reloaded away); the check-in says why it does not show the change yet."""
    journal = window.journal
    other = journal.add_entry(journal.draft("nausea", 2), day=dt.date.today() - dt.timedelta(3))
    screen = window.checkin
    screen.row("headache").input.set_value(6)
    assert screen.dirty
    journal.delete_entry(other.id)
    window.history.entries_changed.emit()
    assert screen.row("headache").input.value() == 6 and screen.dirty
    assert "unsaved check-in is kept" in screen.status.text()
    assert screen.save()
    assert [e.value for e in journal.entries_on(dt.date.today())] == [6.0]


@pytest.mark.parametrize("answer", ["Save", "Cancel"])
def test_switching_person_never_saves_one_persons_typing_as_anothers(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """Found by a tester: the patient's unsaved ratings were saved as the caregiver's."""
    screen = window.checkin
    screen.add_caregiver("Sam")
    me = next(i for i in range(screen.person.count())
              if (p := screen.person.itemData(i)) and not p.is_caregiver)  # fmt: skip
    screen.person.setCurrentIndex(me)
    screen.person.activated.emit(me)
    screen.row("cough").input.set_value(3)
    assert screen.dirty
    monkeypatch.setattr(screen, "ask_unsaved", lambda: getattr(QMessageBox.StandardButton, answer))
    sam = next(i for i in range(screen.person.count())
               if (p := screen.person.itemData(i)) and p.is_caregiver)  # fmt: skip
    screen.person.setCurrentIndex(sam)  # what the user's pick does, then "activated"
    screen.person.activated.emit(sam)
    saved = window.journal.entries_on(dt.date.today())
    if answer == "Save":  # saved as the patient who typed it; then Sam's own (empty) form
        assert [(e.item_id, e.person.role.value) for e in saved] == [("cough", "patient")]
        assert screen.current_person().is_caregiver and screen.row("cough").input.value() is None
    else:  # still the patient, typing kept, nothing saved
        assert saved == [] and not screen.current_person().is_caregiver
        assert screen.row("cough").input.value() == 3 and screen.dirty


def test_the_saved_status_counts_what_it_lists(qtbot: QtBot, window: MainWindow) -> None:
    """It said "2 entries … :" and listed one: the earlier reading was counted, not listed."""
    journal = window.journal
    journal.add_entry(journal.draft("temperature", 37.0, time=dt.time(8, 0)))
    screen = window.checkin
    screen.load_day(dt.date.today())
    rating = next(r for r in screen.rows("fatigue") if r.isVisible()).input
    rating.setFocus()
    qtbot.keyClick(rating, Qt.Key.Key_5)
    qtbot.keyClick(rating, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    status = screen.status.text()
    assert "Saved" in status, status
    head, listed = status.split(": ", 1)
    assert "1 entry" in head and "tiredness (fatigue) 5 (moderate)" in listed, status
    # The earlier reading is counted where it is named.
    assert "1 earlier reading" in listed and "temperature 37.0 °C at 08:00" in listed, status
