from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from mbc_journal.journal import CareContact, Journal
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.settings_screen import SettingsScreen


def test_settings_save_and_rebuild_the_checkin(window: MainWindow) -> None:
    screen = window.settings
    screen.profile_name.setText("Ada")
    screen.site_boxes["liver"].setChecked(True)
    screen._add_contact_row(CareContact("Nurse Jo", "Breast care nurse", "+44 1234 567890"))
    for i in range(screen.items.count()):
        row = screen.items.item(i)
        if row.data(Qt.ItemDataRole.UserRole) == "hot_flushes":
            row.setCheckState(Qt.CheckState.Unchecked)
    assert screen.save()
    journal = window.journal
    assert journal.profile_name() == "Ada"
    assert journal.my_sites() == ["liver"]
    assert journal.care_team() == [CareContact("Nurse Jo", "Breast care nurse", "+44 1234 567890")]
    assert journal.hidden_items() == ["hot_flushes"]
    checkin = window.checkin
    assert next(iter(checkin.sections)) == "liver"
    assert "hot_flushes" not in checkin._rows
    assert checkin.person.itemText(0) == "Ada (patient)"


def test_bad_settings_change_nothing(window: MainWindow, dialogs: list[str]) -> None:
    screen = window.settings
    screen.profile_name.setText("Ada")
    screen._add_contact_row(CareContact("Nurse Jo", "", "call me"))
    assert not screen.save()
    assert "phone number" in dialogs[0]
    assert window.journal.profile_name() == ""


def test_own_items_join_the_checkin(window: MainWindow, dialogs: list[str]) -> None:
    screen = window.settings
    screen.own_label.setText("Dry eyes")
    screen.own_site.setCurrentIndex(screen.own_site.findData("general"))
    screen.add_own.click()
    item = window.journal.catalogue.find("Dry eyes")
    assert item.custom and item.id in window.checkin._rows
    screen.own_label.setText("")
    screen.add_own.click()
    assert "name" in dialogs[0]


def test_warning_signs_cannot_be_hidden(window: MainWindow) -> None:
    from mbc_journal.errors import ValidationError

    try:
        window.journal.set_hidden_items(["seizure"])
    except ValidationError as error:
        assert "warning sign" in str(error)
    else:
        raise AssertionError("a warning sign was hidden")


def test_daily_reminder(window: MainWindow) -> None:
    import datetime as dt

    screen = window.settings
    screen.reminder_on.setChecked(True)
    screen.reminder_time.setTime(screen.reminder_time.time().fromString("19:00", "HH:mm"))
    assert screen.save()
    assert window.journal.reminder() == dt.time(19, 0)
    today = dt.date.today()
    assert not window.check_reminder(dt.datetime.combine(today, dt.time(18, 59)))
    assert window.check_reminder(dt.datetime.combine(today, dt.time(19, 5)))
    assert "check-in" in window.statusBar().currentMessage()
    assert not window.check_reminder(dt.datetime.combine(today, dt.time(20, 0)))  # once a day
    window._reminded_on = None
    window.journal.add_entry(window.journal.draft("fatigue", 2))
    assert not window.check_reminder(dt.datetime.combine(today, dt.time(20, 0)))  # done today
    screen.reminder_on.setChecked(False)
    assert screen.save()
    assert window.journal.reminder() is None


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[int]:
    asked: list[int] = []

    def ask(_self: SettingsScreen) -> QMessageBox.StandardButton:
        asked.append(1)
        return button

    monkeypatch.setattr(SettingsScreen, "ask_unsaved", ask)
    return asked


def test_leaving_settings_with_changes_asks_and_cancel_stays(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_screen("Settings")
    window.settings.profile_name.setText("Ana")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    window.nav.setCurrentRow(0)  # Today
    assert asked and window.current_screen() == "Settings"
    assert window.settings.profile_name.text() == "Ana"
    assert window.journal is not None and window.journal.profile_name() == ""


def test_leaving_settings_can_save(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.show_screen("Settings")
    window.settings.profile_name.setText("Ana")
    _answer(monkeypatch, QMessageBox.StandardButton.Save)
    window.nav.setCurrentRow(0)
    assert window.current_screen() == "Today"
    assert window.journal is not None and window.journal.profile_name() == "Ana"


def test_quitting_with_unsaved_settings_asks(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_screen("Settings")
    window.settings.fever.set_celsius(37.5)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not window.close()  # the window stays open
    assert asked
    asked.clear()
    window.settings.fever.set_celsius(window.journal.thresholds().fever_celsius)  # type: ignore[union-attr]
    assert not window.settings.dirty  # back as saved: nothing to ask
    assert window.confirm_leave() and not asked


def test_text_size_applies_at_once_and_is_kept(window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    from mbc_journal.ui.qsettings import apply_text_scale, text_scale

    before = QApplication.font().pointSizeF()
    try:
        window.show_screen("Settings")
        box = window.settings.text_size
        box.setCurrentIndex(box.findData(150))
        assert QApplication.font().pointSizeF() == pytest.approx(before * 1.5)
        QApplication.processEvents()
        assert window.checkin.status.font().pointSizeF() == pytest.approx(before * 1.5)
        assert window.history.table.font().pointSizeF() == pytest.approx(before * 1.5)
        assert text_scale() == 1.5  # kept for the next start
        journal = window.journal
        assert journal is not None
        journal.add_entry(journal.draft_from_text("fatigue", "4"))
        window.show_screen("Trends")
        window.trends.set_site("general")
        window.trends.mark_stale()
        QApplication.processEvents()
        assert window.trends.figure.dpi == pytest.approx(150)  # the chart's text follows
    finally:
        apply_text_scale(100)
    assert QApplication.font().pointSizeF() == pytest.approx(before)


def test_chemotherapy_in_the_care_plan_is_not_saved_as_ticked(
    qtbot: QtBot, journal: Journal
) -> None:
    """The box is the patient's own setting; the care plan's chemotherapy is told beside it."""
    started = dt.date.today() - dt.timedelta(days=20)
    chemo = journal.add_treatment("chemotherapy", "Capecitabine", started)
    journal.add_treatment("hormone", "Letrozole", started)
    screen = SettingsScreen(journal)
    qtbot.addWidget(screen)
    screen.profile_name.setText("Ada")  # something else changed: Save writes everything
    assert screen.save()
    ended = dt.date.today() - dt.timedelta(days=3)
    journal.end_treatment(chemo.id, ended)
    assert not journal.on_chemotherapy(ended + dt.timedelta(days=1))
    assert not screen.on_chemo.isChecked()  # never ticked, so shown unticked
    note = screen.chemo_note.text()
    assert "Capecitabine" in note and f"{started:%d %b %Y}" in note and "fever" in note
    assert "Letrozole" not in note


def test_the_chemotherapy_note_follows_the_care_plan(qtbot: QtBot, window: MainWindow) -> None:
    journal = window.journal
    assert journal is not None
    window.show_screen("Today")
    screen = window.settings
    assert screen.chemo_note.isHidden()  # no chemotherapy in the care plan
    chemo = journal.add_treatment(
        "chemotherapy", "Paclitaxel", dt.date.today() - dt.timedelta(days=2)
    )
    window.show_screen("Settings")
    assert not screen.chemo_note.isHidden() and "Paclitaxel" in screen.chemo_note.text()
    assert not screen.on_chemo.isChecked() and not screen.dirty
    window.show_screen("Today")
    journal.end_treatment(chemo.id, dt.date.today() - dt.timedelta(days=1))
    window.show_screen("Settings")
    assert screen.chemo_note.isHidden()
    screen.on_chemo.setChecked(True)  # the patient's own tick is kept as ticked
    assert screen.save() and journal.chemotherapy_ticked()
    reopened = SettingsScreen(journal)
    qtbot.addWidget(reopened)
    assert reopened.on_chemo.isChecked()


def test_settings_add_the_app_to_the_menu_and_take_it_out_again(
    window: MainWindow, dialogs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For people who never open a terminal: install-desktop from a button."""
    data = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    screen = window.settings  # built now, so it reads this XDG_DATA_HOME
    entry = data / "applications" / "mbc-journal.desktop"
    assert screen.menu_button.text() == "Add to the applications menu"
    screen.menu_button.click()
    assert dialogs == []
    assert "Exec=" in entry.read_text() and "Icon=mbc-journal" in entry.read_text()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / "mbc-journal.png").is_file()
    assert screen.menu_status.text() == "MBC Journal is in your applications menu, with its icon."
    assert screen.menu_button.text() == "Remove from the menu"
    screen.menu_button.click()
    assert not entry.exists() and [p for p in data.rglob("*") if p.is_file()] == []
    assert screen.menu_button.text() == "Add to the applications menu"
    assert "journal is kept" in screen.status.text()


def test_a_menu_entry_that_cannot_be_written_is_one_sentence(
    window: MainWindow, dialogs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    screen = window.settings
    screen.menu_button.click()
    assert len(dialogs) == 1 and "is a file, not a folder" in dialogs[0]
    assert "Nothing was changed" in dialogs[0]
    assert blocker.read_text() == ""
    assert screen.menu_button.text() == "Add to the applications menu"


def test_units_are_chosen_in_settings(window: MainWindow) -> None:
    screen = window.settings
    weight = screen.unit_boxes["weight"]
    assert weight.currentText() == "kg" and weight.accessibleName() == "Weight: unit"
    assert not screen.dirty
    weight.setCurrentIndex(weight.findData("lb"))
    assert screen.dirty
    assert screen.save()
    assert window.journal.preferred_units() == {"temperature": "°C", "weight": "lb"}


def test_the_checkin_offers_the_chosen_unit_first(window: MainWindow) -> None:
    """Someone who reads °F types °F without changing the unit every time."""
    screen = window.settings
    temperature = screen.unit_boxes["temperature"]
    temperature.setCurrentIndex(temperature.findData("°F"))
    assert screen.save()
    row = window.checkin.row("temperature")
    assert row.input.unit.currentText() == "°F"
    assert row.input.hint is not None and row.input.hint.text() == "93.2–109.4 °F"
    row.input.unit.setCurrentText("°C")  # the range follows the unit shown
    assert row.input.hint.text() == "34.0–43.0 °C"
