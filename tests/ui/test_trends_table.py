"""Issue 17: Trends a screen reader can read — the same data as a table (Ctrl+T), and
the chart's accessible description says what changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mbc_journal.journal import Journal
from mbc_journal.ui.main_window import MainWindow
from tests.conftest import day_offset


def log(journal: Journal, values: list[int]) -> None:
    for n, value in enumerate(values):  # oldest first, ending today
        journal.add_entry(journal.draft("fatigue", value), day=day_offset(len(values) - 1 - n))


def test_ctrl_t_shows_the_same_days_and_items_as_a_table(qtbot: QtBot, window: MainWindow) -> None:
    log(window.journal, [2, 2, 3, 6, 7, 7])
    window.journal.add_entry(window.journal.draft("headache", 4), day=day_offset(2))
    window.show_screen("Trends")
    trends = window.trends
    trends.set_site("general")
    trends.set_range("7 days")
    qtbot.keyClick(trends, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert trends.table_button.isChecked()
    assert trends.view.currentWidget() is trends.table
    # the keyboard goes into the table, on its first cell, so a screen reader reads it
    assert trends.table.hasFocus() and trends.table.currentIndex().row() == 0
    model = trends.table_model
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert labels[0] == "Day"
    assert labels[1:] == [i.label for i in trends.chosen_items()]
    assert model.rowCount() == 6  # the days logged in the period, newest first
    fatigue = labels.index("Tiredness (fatigue)")
    assert model.data(model.index(0, fatigue)) == "7 (severe)"
    assert model.data(model.index(5, fatigue)) == "2 (mild)"
    other = next(c for c in range(1, len(labels)) if c != fatigue)
    spoken = Qt.ItemDataRole.AccessibleTextRole
    assert model.data(model.index(0, other), spoken) == "not logged"
    # A shorter period: the table follows it as the chart does.
    trends.set_range("Custom")
    trends.custom_from.setDate(trends.custom_to.date().addDays(-1))
    assert model.rowCount() == 2
    qtbot.keyClick(trends, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert trends.view.currentWidget() is trends.canvas


def test_the_chart_says_what_changed(window: MainWindow) -> None:
    log(window.journal, [2, 2, 3, 6, 7, 7])
    window.show_screen("Trends")
    trends = window.trends
    trends.set_site("general")
    trends.only_items({"fatigue"})
    text = trends.canvas.accessibleDescription()
    assert "Tiredness (fatigue): 6 days logged, up (average 2.0 at first, 7.0 lately)" in text
    assert "highest 7 (severe)" in text and "latest 7 (severe)" in text


def test_tab_reaches_the_chart_and_its_words(qtbot: QtBot, window: MainWindow) -> None:
    """A tester found the chart no Tab stop: a screen reader never reached its words."""
    from PySide6.QtWidgets import QApplication

    log(window.journal, [2, 2, 3, 6, 7, 7])
    window.show_screen("Trends")
    trends = window.trends
    trends.set_site("general")
    trends.save_button.setFocus()
    qtbot.waitUntil(trends.save_button.hasFocus, timeout=1000)
    for _ in range(12):  # on through the controls, as a keyboard user goes
        if QApplication.focusWidget() is trends.canvas:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is trends.canvas
    assert "days logged" in trends.canvas.accessibleDescription()
