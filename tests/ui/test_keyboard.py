"""Issue 17: the check-in by keyboard alone, key presses counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from mbc_journal.journal import Journal
from mbc_journal.ui.checkin import ItemRow
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.widgets.entry_inputs import EventInput, MeasurementInput
from mbc_journal.ui.widgets.rating import RatingInput

BUDGET = 25  # a 10-rating check-in plus save


@pytest.fixture(autouse=True)
def welcome_done(journal_path: Path) -> None:
    """A journal in daily use: the first-use welcome (where the keyboard would start)
    was saved or skipped."""
    with Journal.open(journal_path) as journal:
        journal.skip_welcome()


class Keys:
    """Presses keys on whatever has the focus, as a user would, and counts them."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.count = qtbot, 0

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard"
        self.qtbot.keyClick(widget, key, modifier)
        self.count += 1

    def type(self, text: str) -> None:
        for char in text:
            self.press(Qt.Key(ord(char.upper())))


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def item_of(widget: QWidget) -> str:
    parent = widget
    while parent is not None and not isinstance(parent, ItemRow):
        parent = parent.parentWidget()
    assert isinstance(parent, ItemRow), widget
    return parent.item.id


def test_ten_ratings_and_save_in_at_most_25_key_presses(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1280, 720)
    window.show_screen("Today")
    # The keyboard starts on the first row when the check-in first shows.
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), RatingInput), timeout=2000)
    keys = Keys(qtbot)
    wanted = [3, 0, 7, 10, 5, 6, 2, 4, 8, 1]
    rated: dict[str, int] = {}
    for value in wanted:
        while not isinstance(focused(), RatingInput):  # past tick boxes and headers
            keys.press(Qt.Key.Key_Down)
        rating = focused()
        keys.type(str(value))  # "10" is "1" then "0"
        rated[item_of(rating)] = value
        if len(rated) < len(wanted):
            keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(rated) == 10
    print("key presses:", keys.count)
    assert keys.count <= BUDGET, keys.count
    assert not window.checkin.dirty
    stored = {e.item_id: e.value for e in window.journal.entries_on(dt.date.today())}
    assert stored == rated
    # What was saved is in the status line a screen reader reads, in words.
    status = window.checkin.status.text()
    assert "Saved" in status and "10 entries" in status
    assert "tiredness (fatigue) 5 (moderate)" in status.lower(), status


def test_up_goes_back_and_a_note_opens_with_n(qtbot: QtBot, window: MainWindow) -> None:
    window.show_screen("Today")
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), RatingInput), timeout=2000)
    first = focused()
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_Down)
    assert focused() is not first and isinstance(focused(), RatingInput)
    keys.press(Qt.Key.Key_Up)
    assert focused() is first
    keys.press(Qt.Key.Key_6)
    keys.press(Qt.Key.Key_N)  # the note, with no Tab stop of its own
    row = window.checkin.row(item_of(first))
    assert focused() is row.note and row.note.isVisible()
    qtbot.keyClicks(row.note, "after the walk")
    keys.press(Qt.Key.Key_Return)  # back to the rating
    assert focused() is first
    keys.press(Qt.Key.Key_Down)  # Down from the note's row goes on to the next row
    assert focused() is not first
    keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = {e.item_id: e for e in window.journal.entries_on(dt.date.today())}
    assert saved[row.item.id].value == 6 and saved[row.item.id].note == "after the walk"


def test_a_rating_by_keys_alone(qtbot: QtBot) -> None:
    rating = RatingInput("Bone pain")
    qtbot.addWidget(rating)
    for key, expected in (
        (Qt.Key.Key_4, 4),
        (Qt.Key.Key_Right, 5),
        (Qt.Key.Key_Left, 4),
        (Qt.Key.Key_End, 10),
        (Qt.Key.Key_Home, 0),
        (Qt.Key.Key_Delete, None),
        (Qt.Key.Key_Left, None),  # nothing to step down from: still not logged
        (Qt.Key.Key_Right, 0),
        (Qt.Key.Key_Backspace, None),
    ):
        qtbot.keyClick(rating, key)
        assert rating.value() == expected, key


def test_a_rating_by_mouse_click_drag_and_click_again(qtbot: QtBot) -> None:
    rating = RatingInput("Bone pain")
    qtbot.addWidget(rating)
    rating.resize(rating.sizeHint())
    seen: list[object] = []
    rating.value_changed.connect(seen.append)
    seven = rating.segment_rect(7).center()
    qtbot.mouseClick(rating, Qt.MouseButton.LeftButton, pos=seven)
    assert rating.value() == 7
    qtbot.mousePress(rating, Qt.MouseButton.LeftButton, pos=rating.segment_rect(2).center())
    qtbot.mouseMove(rating, rating.segment_rect(3).center())
    qtbot.mouseRelease(rating, Qt.MouseButton.LeftButton, pos=rating.segment_rect(3).center())
    assert rating.value() == 3
    qtbot.mouseClick(rating, Qt.MouseButton.LeftButton, pos=rating.segment_rect(3).center())
    assert rating.value() is None  # the chosen number clicked again clears it
    assert seen == [7, 2, 3, None]


def test_a_double_click_sets_the_number_and_never_clears(qtbot: QtBot) -> None:
    """A tester double-clicked 7 on a rating at 3 and lost the rating: the second click
    counted as "the chosen number again", which clears."""
    rating = RatingInput("Bone pain")
    qtbot.addWidget(rating)
    rating.resize(rating.sizeHint())
    rating.set_value(3)
    seven = rating.segment_rect(7).center()
    # What a double click delivers: press, release, double-click, release.
    qtbot.mousePress(rating, Qt.MouseButton.LeftButton, pos=seven)
    qtbot.mouseRelease(rating, Qt.MouseButton.LeftButton, pos=seven)
    qtbot.mouseDClick(rating, Qt.MouseButton.LeftButton, pos=seven)
    qtbot.mouseRelease(rating, Qt.MouseButton.LeftButton, pos=seven)
    assert rating.value() == 7


def test_the_date_is_one_tab_stop(qtbot: QtBot, window: MainWindow) -> None:
    screen = window.checkin
    screen.date_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.date_edit, timeout=1000)
    qtbot.keyClick(screen.date_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not screen.date_edit


def test_no_stop_the_user_cannot_see(window: MainWindow) -> None:
    screen = window.checkin
    assert not screen.scroll_area.focusPolicy() & Qt.FocusPolicy.TabFocus
    for row in (r for rows in screen._rows.values() for r in rows):
        assert not row.note_button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert "N" in row.note_button.text()  # the key is shown on screen


def _shown_row(window: MainWindow, item_id: str) -> ItemRow:
    """The item's row in an open section (an item can be in two sections)."""
    rows = window.checkin.rows(item_id)
    shown = [r for r in rows if r.isVisible()]
    if not shown:  # its site's section is closed on a new journal: open it
        section = next(s for s in window.checkin.sections.values() if s.isAncestorOf(rows[0]))
        section.header.setChecked(True)
    return next(r for r in rows if r.isVisible())


def _stop_after(window: MainWindow, widget: QWidget, step: int = 1) -> QWidget:
    stops = window.checkin.stops()
    return stops[stops.index(widget) + step]


def test_down_from_a_ticked_event_goes_to_the_next_row_not_into_its_time(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A tester ticked "Broken bone", pressed Down and landed in its time field; more
    Down presses changed the time (saved at 00:54 instead of 02:54)."""
    window.show_screen("Today")
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), RatingInput), timeout=2000)
    row = _shown_row(window, "fracture")
    assert isinstance(row.input, EventInput)
    box = row.input.happened
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=1000)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    time_before = row.input.time.time()
    following = _stop_after(window, box)
    for _ in range(3):
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
        qtbot.keyClick(focused(), Qt.Key.Key_Up)
        assert focused() is box
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert focused() is following
    qtbot.keyClick(focused(), Qt.Key.Key_Up)
    qtbot.keyClick(focused(), Qt.Key.Key_Up)
    assert focused() is _stop_after(window, box, -1)
    assert row.input.time.time() == time_before and row.input.value() == 1


def test_down_from_a_measurement_goes_to_the_next_row(qtbot: QtBot, window: MainWindow) -> None:
    window.show_screen("Today")
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), RatingInput), timeout=2000)
    row = _shown_row(window, "temperature")
    assert isinstance(row.input, MeasurementInput)
    number = row.input.number
    number.setFocus()
    qtbot.waitUntil(number.hasFocus, timeout=1000)
    qtbot.keyClicks(number, "37.5")
    qtbot.keyClick(number, Qt.Key.Key_Down)
    assert focused() is _stop_after(window, number)
    qtbot.keyClick(focused(), Qt.Key.Key_Up)
    assert focused() is number and number.text() == "37.5"


@pytest.mark.parametrize("item_id", ["temperature", "fracture", "fatigue"])
def test_alt_n_opens_the_note_from_every_kind_of_row(
    qtbot: QtBot, window: MainWindow, item_id: str
) -> None:
    """Alt+N in a temperature's number field typed "n" (then "n °C" was refused)."""
    window.show_screen("Today")
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), RatingInput), timeout=2000)
    row = _shown_row(window, item_id)
    target = row.focus_target()
    target.setFocus()
    qtbot.waitUntil(target.hasFocus, timeout=1000)
    qtbot.keyClick(target, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert focused() is row.note and row.note.isVisible()
    assert row.state().value is None  # nothing typed into the row
    assert row.note.text() == ""
    # What the button says is what works.
    assert "Alt+N" in row.note_button.text() and "Alt+N" in row.note_button.toolTip()


def test_tab_from_a_note_goes_on_to_the_next_row(window: MainWindow, qtbot: QtBot) -> None:
    """A row's note field is made when first opened; Tab from it still goes to the next
    row, as from any row, not to the end of the window."""
    screen = window.checkin
    rows = [r for r in screen.findChildren(ItemRow) if r.isVisibleTo(screen)]
    first, second = rows[0], rows[1]
    first.focus_input()
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert focused() is first.note
    keys.type("worse")
    keys.press(Qt.Key.Key_Tab)
    assert focused() is second.focus_target()
    assert first.note_text() == "worse"
