"""Safety signals in the app: the banner, Today's list, History marks, settings."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PySide6.QtWidgets import QLabel

from mbc_journal.journal import CareContact
from mbc_journal.signals import Level
from mbc_journal.ui.main_window import MainWindow
from tests.conftest import day_offset


def test_fever_on_chemotherapy_shows_the_banner_with_numbers(window: MainWindow) -> None:
    journal = window.journal
    journal.set_care_team([CareContact("Triage line", "24 h", "0800 123 456")])
    journal.set_on_chemotherapy(True)
    assert window.banner.isHidden()
    window.checkin.row("temperature").input.number.setText("38.2")
    assert window.checkin.save()
    assert window.banner.isVisibleTo(window)
    assert "Contact your 24-hour line now" in window.banner.title.text()
    assert "38.2 °C" in window.banner.details.text()
    assert "0800 123 456" in window.banner.phones.text().replace("\u00a0", " ")
    # Shown once: in the banner with the numbers, not again in Today's list.
    assert not window.checkin.signals_list.rows
    window.banner.ack_button.click()
    assert window.banner.isHidden()
    assert len(journal.acknowledged()) == 1
    assert journal.signals(dt.date.today(), dt.date.today())  # never deleted


def test_37_9_on_chemotherapy_shows_no_banner(window: MainWindow) -> None:
    window.journal.set_on_chemotherapy(True)
    window.checkin.row("temperature").input.number.setText("37.9")
    assert window.checkin.save()
    assert window.banner.isHidden()


def test_history_marks_entries_that_raised_a_signal(window: MainWindow) -> None:
    journal = window.journal
    seizure = journal.add_entry(journal.draft("seizure", 1), day=day_offset(1))
    calm = journal.add_entry(journal.draft("fatigue", 1), day=day_offset(1))
    window.history.refresh()
    flags = window.history.model.signal_levels
    assert flags.get(seizure.id) == "emergency" and calm.id not in flags
    row = [e.id for e in window.history.model.entries].index(seizure.id)
    from PySide6.QtCore import Qt

    cell = window.history.model.index(row, 6)
    assert window.history.model.data(cell) == f"⚠ {Level.EMERGENCY.short}"
    # The heading's own words, in full on hover, as every other screen says them.
    assert Level.EMERGENCY.short.lower() in Level.EMERGENCY.heading.lower()
    assert window.history.model.data(cell, Qt.ItemDataRole.ToolTipRole) == (Level.EMERGENCY.heading)


def test_thresholds_are_saved_from_settings(window: MainWindow) -> None:
    screen = window.settings
    screen.fever.set_celsius(37.5)
    screen.on_chemo.setChecked(True)
    assert screen.save()
    assert window.journal.thresholds().fever_celsius == 37.5
    window.checkin.row("temperature").input.number.setText("37.6")
    assert window.checkin.save()
    assert window.banner.isVisibleTo(window)


def test_urgent_signals_are_shown_once_and_both_areas_stay_short(window: MainWindow) -> None:
    journal = window.journal
    for item in ("seizure", "jaundice", "bleeding_bruising", "extreme_thirst", "fall"):
        journal.add_entry(journal.draft(item, 1), day=day_offset(1))
    for item in ("fatigue", "anxiety", "sleep_problems", "hot_flushes"):
        journal.add_entry(journal.draft(item, 8), day=day_offset(2))
    window.checkin.refresh_signals()
    window.refresh_banner()
    rows = window.checkin.signals_list.rows
    assert rows and len(rows) <= 3
    assert not any(signal.level.is_urgent for signal, _ in rows)
    texts = [w.text() for w in window.checkin.signals_list.findChildren(QLabel)]
    assert any("more" in t for t in texts)
    # The banner: the newest in full, two more by title, then a count.
    lines = window.banner.details.text().splitlines()
    assert len(lines) == 4 and "more" in lines[-1]
    # The list folds away, and stays folded for the next check-in.
    window.checkin.signals_list.toggle.click()
    assert window.checkin.signals_list.folded
    assert not rows[0][1].isVisibleTo(window)
    window.checkin.refresh_signals()
    assert window.checkin.signals_list.folded


def test_the_banner_names_what_was_logged(window: MainWindow) -> None:
    window.checkin.row("leg_numbness_weakness").input.set_value(3)
    assert window.checkin.save()
    details = window.banner.details.text()
    assert "Numbness or weakness in the legs" in details and "spinal cord" in details


def test_cli_today_history_and_report_give_one_level_for_one_day(
    window: MainWindow, tmp_path: Path
) -> None:
    """Issue 16: the same day, the same level, in the same words, everywhere."""
    from mbc_journal import report
    from mbc_journal.cli import main
    from mbc_journal.signals import Level

    journal = window.journal
    for offset in range(1, 36):
        journal.add_entry(journal.draft("fatigue", 3), day=day_offset(offset))
    cough = journal.add_entry(journal.draft("cough", 5), day=day_offset(1))  # new, moderate
    walk = journal.add_entry(journal.draft("pain_worse_lying", 1), day=day_offset(1))
    window.history.refresh()
    # Each entry is marked with the most urgent level it is part of: together, urgent.
    marks = window.history.model.signal_levels
    assert (marks.get(cough.id), marks.get(walk.id)) == ("urgent", "urgent")
    window.checkin.refresh_signals()
    window.refresh_banner()
    assert window.banner.title.text() == Level.URGENT.heading  # two within 24 h: urgent
    today = {s.item_id: s.level for s, _ in window.checkin.signals_list.rows}
    assert today == {"cough": Level.WITHIN_24H, "pain_worse_lying": Level.WITHIN_24H}
    out = io.StringIO()
    assert main(["signals", "--db", str(journal.path)], out=out) == 0
    for heading in (Level.WITHIN_24H.heading, Level.URGENT.heading.upper()):
        assert heading in out.getvalue()
    data = report.collect(journal, report.ReportOptions(day_offset(10), dt.date.today()))
    page = " ".join(f"{b.lead} {b.text}" for b in report.page_one(data))
    # Page 1 says how soon in the clinician's words, not the patient's advice.
    assert "Urgent (24-hour line) — " in page and "Within 24 hours — " in page


def test_seen_never_hides_the_same_item_becoming_urgent(window: MainWindow) -> None:
    """Found by a tester: 'Seen' on 2 episodes (within 24 h) hid the 6th (urgent)."""
    journal = window.journal
    today = dt.date.today()
    for hour in (8, 9):
        draft = journal.draft("vomiting_episodes", 1, time=dt.time(hour))
        journal.add_entry(draft, day=today)
    window.checkin.refresh_signals()
    [(signal, _row)] = window.checkin.signals_list.rows
    journal.acknowledge(signal)
    for hour in (10, 11, 12, 13):
        journal.add_entry(journal.draft("vomiting_episodes", 1, time=dt.time(hour)), day=today)
    window.refresh_banner()
    assert window.banner.isVisibleTo(window) and "6 times" in window.banner.details.text()


def test_i_have_seen_this_is_only_for_what_the_banner_shows(window: MainWindow) -> None:
    journal = window.journal
    for n, item in enumerate(("seizure", "jaundice", "bleeding_bruising", "extreme_thirst",
                              "coughing_blood", "new_drowsiness")):  # fmt: skip
        journal.add_entry(journal.draft(item, 1), day=day_offset(n % 3))
    window.refresh_banner()
    shown = len(window.banner.shown)
    assert 0 < shown < len(window.banner.signals)
    window.banner.ack_button.click()
    assert len(journal.acknowledged()) == shown
    window.refresh_banner()
    assert window.banner.isVisibleTo(window)  # the ones not shown yet are shown now


def test_each_part_of_an_urgent_day_says_it_is_urgent_together(
    window: MainWindow, tmp_path: Path
) -> None:
    """Found by a tester: Today listed a 'several' day's parts as within 24 hours with no
    word of the urgent whole, while History marked them urgent."""
    from mbc_journal import report
    from mbc_journal.cli import main
    from mbc_journal.signals import TOGETHER

    journal = window.journal
    for offset in range(1, 36):
        journal.add_entry(journal.draft("fatigue", 3), day=day_offset(offset))
    journal.add_entry(journal.draft("cough", 5), day=day_offset(1))
    journal.add_entry(journal.draft("pain_worse_lying", 1), day=day_offset(1))
    window.checkin.refresh_signals()
    texts = [label.text() for label in window.checkin.signals_list.findChildren(QLabel)]
    assert sum(TOGETHER in t for t in texts) == 2
    out = io.StringIO()
    assert main(["signals", "--db", str(journal.path)], out=out) == 0
    assert out.getvalue().count("needs your care team now") >= 2
    data = report.collect(journal, report.ReportOptions(day_offset(10), dt.date.today()))
    page = " ".join(f"{b.lead} {b.text}" for b in report.page_one(data))
    assert TOGETHER not in page  # the doctor's page names the day once, without advice


def test_the_banner_is_an_alert_that_a_screen_reader_hears_once(window: MainWindow) -> None:
    from PySide6.QtGui import QAccessible

    journal = window.journal
    journal.add_entry(journal.draft("seizure", 1), day=day_offset(0))
    journal.add_entry(journal.draft("jaundice", 1), day=day_offset(1))
    window.refresh_banner()
    banner = window.banner
    assert banner.isVisibleTo(window)
    face = QAccessible.queryAccessibleInterface(banner)
    assert face is not None and face.role() == QAccessible.Role.AlertMessage
    assert "Call your emergency number now" in face.text(QAccessible.Text.Name)
    assert len(banner.announced) == 1
    assert "Seizure" in banner.announced[0] and "Yellowing" in banner.announced[0]
    # The urgent one under the emergency heading says its own level.
    assert "(Contact your 24-hour line now)" in banner.details.text()
    window.refresh_banner()
    assert len(banner.announced) == 1  # heard once, not at every refresh
    journal.add_entry(journal.draft("coughing_blood", 1), day=day_offset(0))
    window.refresh_banner()
    assert len(banner.announced) == 2 and "Coughing up blood" in banner.announced[1]
    assert "Seizure" not in banner.announced[1]


def test_the_low_temperature_shows_fahrenheit_and_takes_typing(window: MainWindow) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.show_screen("Settings")
    low = window.settings.low
    assert low.text() == "36.0 °C (96.8 °F)"
    low.setFocus()
    low.lineEdit().selectAll()
    QTest.keyClicks(low, "35.5")
    QTest.keyClick(low, Qt.Key.Key_Tab)
    assert low.value() == 35.5 and low.text() == "35.5 °C (95.9 °F)"
    assert window.settings.save()
    assert window.journal.thresholds().low_celsius == 35.5


def test_history_columns_grow_with_the_window_so_words_are_not_cut(
    window: MainWindow,
) -> None:
    """At 1280 px a signal's words and 'Sam (caregiver)' were cut; 960 px still fits."""
    from mbc_journal.model import Person, Role

    journal = window.journal
    journal.add_entry(journal.draft("seizure", 1), person=Person("Sam", Role.CAREGIVER))
    window.resize(1280, 720)
    window.show_screen("History")
    window.history.refresh()
    screen = window.history
    metrics = screen.table.fontMetrics()
    padding = 2 * metrics.horizontalAdvance("M")
    for column, text in ((5, "Sam (caregiver)"), (6, f"⚠ {Level.EMERGENCY.short}")):
        assert screen.table.columnWidth(column) >= metrics.horizontalAdvance(text) + padding // 2
    narrow = screen.table.columnWidth(6)
    window.resize(960, 540)
    window.show_screen("History")
    assert screen.table.columnWidth(6) < narrow  # back to the widths that fit 960 px
