"""The welcome on first use: short, skippable, saved together, reachable from Settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mbc_journal.journal import Journal
from mbc_journal.ui.main_window import MainWindow


def _open(qtbot: QtBot, path: Path) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_journal(path)
    return win


def test_a_new_journal_welcomes_without_blocking_the_check_in(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    win = _open(qtbot, journal_path)
    assert win.welcome is not None and win.welcome.isVisible()
    assert win.current_screen() == "Today"
    assert win.checkin.save_button.isEnabled()  # the check-in works under it
    assert not win.checkin.same_as_yesterday.isVisible()  # there is no yesterday
    panel = win.welcome
    panel.name.setText("Ana")
    panel.as_caregiver.setChecked(True)
    panel.caregiver_name.setText("Sam")
    panel.site_boxes["bone"].setChecked(True)
    panel.team_name.setText("Oncology line")
    panel.team_phone.setText("0800 123 456")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert win.welcome is None
    assert win.checkin.current_person().name == "Sam"
    assert win.checkin.sections["bone"].isVisible()
    assert win.settings.profile_name.text() == "Ana"
    win.close()
    with Journal.open(journal_path) as journal:
        assert journal.care_team()[0].phone == "0800 123 456"
        assert journal.my_sites() == ["bone"]
        assert not journal.welcome_needed()
    again = _open(qtbot, journal_path)
    assert again.welcome is None  # shown once
    again.close()


def test_skip_then_reopen_from_settings(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    win = _open(qtbot, journal_path)
    assert win.welcome is not None
    qtbot.mouseClick(win.welcome.skip_button, Qt.MouseButton.LeftButton)
    assert win.welcome is None
    win.show_screen("Settings")
    qtbot.mouseClick(win.settings.welcome_button, Qt.MouseButton.LeftButton)
    assert win.welcome is not None and win.welcome.isVisible()
    assert win.current_screen() == "Today"
    win.close()


def test_same_as_yesterday_is_offered_once_there_is_a_day_before(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    import datetime as dt

    with Journal.open(journal_path) as journal:
        journal.add_entry(
            journal.draft_from_text("fatigue", "4"), day=dt.date.today() - dt.timedelta(days=1)
        )
    win = _open(qtbot, journal_path)
    assert win.welcome is None  # a journal in use is not welcomed
    assert win.checkin.same_as_yesterday.isVisible()
    win.close()


def test_the_welcome_takes_the_fever_temperature_from_the_alert_card(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    """Cards say 37.5 or 38.0 °C; with 37.5 chosen, 37.6 °C on treatment is urgent."""
    win = _open(qtbot, journal_path)
    panel = win.welcome
    assert panel is not None
    shown = [panel.fever.itemText(n) for n in range(panel.fever.count())]
    assert any("37.5 °C (99.5 °F)" in text for text in shown)
    assert any("38.0 °C (100.4 °F)" in text for text in shown)
    assert panel.fever.celsius() == 38.0  # the default until chosen
    panel.name.setText("Ana")
    panel.fever.set_celsius(37.5)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert win.welcome is None
    assert win.journal is not None and win.journal.thresholds().fever_celsius == 37.5
    assert win.settings.fever.celsius() == 37.5
    win.settings.on_chemo.setChecked(True)
    assert win.settings.save()
    win.checkin.row("temperature").input.number.setText("37.6")
    assert win.checkin.save()
    assert win.banner.isVisibleTo(win)
    assert "37.6 °C (99.7 °F)" in win.banner.details.text()
    win.close()


def test_the_keyboard_starts_in_the_welcome_then_on_the_first_rating(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    """A screen-reader user started on the first rating, under the welcome, and never
    heard it."""
    from PySide6.QtWidgets import QApplication

    from mbc_journal.ui.widgets.rating import RatingInput

    win = _open(qtbot, journal_path)
    panel = win.welcome
    assert panel is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.name, timeout=2000)
    qtbot.wait(50)  # the check-in's own first focus does not take it back
    assert QApplication.focusWidget() is panel.name
    assert "Welcome" in panel.name.accessibleDescription()
    panel.skip_button.setFocus()
    qtbot.keyClick(panel.skip_button, Qt.Key.Key_Space)
    assert win.welcome is None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.checkin.first_stop(), timeout=2000)
    assert isinstance(QApplication.focusWidget(), RatingInput)
    win.close()
