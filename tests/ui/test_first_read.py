"""Start-up shows the check-in read with plain sqlite3 and opens the journal just after
its rows are painted (issue 17): what is typed in between is never lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from mbc_journal.journal import Journal
from mbc_journal.model import Person, Role
from mbc_journal.ui.checkin import CheckInScreen
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.qsettings import ui_settings


@pytest.fixture
def kept(journal_path: Path, today: dt.date) -> Path:
    with Journal.open(journal_path) as journal:
        journal.set_profile_name("Maria")
        journal.save_checkin(today, {"bone_pain": journal.draft("bone_pain", 6)}, day_note="Tired")
        journal.save_checkin(
            today, {"fatigue": journal.draft("fatigue", 8)}, person=Person("Sam", Role.CAREGIVER)
        )
        journal.add_question("Is it the bone?")
    return journal_path


@pytest.fixture
def seen() -> list[str]:
    return []


@pytest.fixture
def starting(qtbot: QtBot, kept: Path, dialogs: list[str], seen: list[str]) -> Iterator[MainWindow]:
    """A window opening ``kept`` as the app starts: the check-in first, the journal after."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.checkin_painted.connect(
        lambda: seen.append("painted, not open" if win.journal is None else "painted")
    )
    win.journal_opened.connect(lambda _j: seen.append("opened"))
    assert win.open_journal(kept, rows_first=True)
    assert win.journal is None  # it opens once the rows are painted
    yield win
    if win.journal is not None:
        win.journal.close()


def saved_values(path: Path, day: dt.date) -> dict[str, float]:
    with Journal.open(path) as journal:
        return {
            e.item_id: e.value for e in journal.entries_on(day) if e.person.role is Role.PATIENT
        }


def test_the_rows_show_the_day_before_the_journal_opens(qtbot: QtBot, starting: MainWindow) -> None:
    checkin = starting.checkin
    assert checkin.journal is None
    assert checkin.row("bone_pain").input.value() == 6
    assert checkin.row("fatigue").beside.text() == "Sam (caregiver): 8"
    assert checkin.day_note.toPlainText() == "Tired"
    assert "Is it the bone?" in checkin.plan_summary.text()
    assert not checkin.date_edit.isEnabled()  # another day waits for the journal
    with qtbot.waitSignal(starting.journal_opened):
        pass
    assert starting.journal is not None and checkin.journal is starting.journal
    assert checkin.date_edit.isEnabled()
    assert checkin is starting.checkin  # handed over, not rebuilt
    assert checkin.row("bone_pain").input.value() == 6


def test_the_rows_are_painted_before_the_journal_opens(
    qtbot: QtBot, starting: MainWindow, seen: list[str]
) -> None:
    with qtbot.waitSignal(starting.journal_opened):
        pass
    assert seen == ["painted, not open", "opened"]


def test_a_rating_saved_before_the_journal_opens_lands_in_it(
    qtbot: QtBot, starting: MainWindow, kept: Path, today: dt.date
) -> None:
    checkin = starting.checkin
    rating = checkin.row("nausea").input
    rating.setFocus()
    qtbot.keyClick(rating, Qt.Key.Key_4)
    assert checkin.dirty
    qtbot.keyClick(checkin, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    checkin.save()  # as the Save button does
    assert starting.journal is None
    assert "as soon as the journal is open" in checkin.status.text()
    with qtbot.waitSignal(starting.journal_opened):
        pass
    assert not checkin.dirty
    assert saved_values(kept, today) == {"bone_pain": 6, "nausea": 4}


def test_a_rating_typed_before_the_journal_opens_stays_to_be_saved(
    qtbot: QtBot, starting: MainWindow, kept: Path, today: dt.date
) -> None:
    checkin = starting.checkin
    checkin.row("bone_pain").input.set_value(3)
    with qtbot.waitSignal(starting.journal_opened):
        pass
    assert checkin.dirty and checkin.row("bone_pain").input.value() == 3  # kept, not reloaded
    assert checkin.save()
    assert saved_values(kept, today)["bone_pain"] == 3


def test_closing_before_the_journal_opens_still_saves(
    starting: MainWindow, kept: Path, today: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CheckInScreen, "ask_unsaved", lambda _s: QMessageBox.StandardButton.Save)
    starting.checkin.row("nausea").input.set_value(2)
    assert starting.journal is None
    assert starting.close()
    assert saved_values(kept, today)["nausea"] == 2


def test_a_screen_asked_for_meanwhile_shows_once_open(qtbot: QtBot, starting: MainWindow) -> None:
    starting.show_screen("History")
    assert starting.current_screen() == "Today"
    with qtbot.waitSignal(starting.journal_opened):
        pass
    assert starting.current_screen() == "History"


def test_signals_fill_in_once_the_journal_is_open(
    qtbot: QtBot, qapp: object, journal_path: Path, today: dt.date, dialogs: list[str]
) -> None:
    """The safety logic runs only in the journal: the banner waits for it."""
    with Journal.open(journal_path) as journal:
        journal.save_checkin(
            today, {"leg_numbness_weakness": journal.draft("leg_numbness_weakness", 3)}
        )
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_journal(journal_path, rows_first=True)
    assert win.journal is None and not win.banner.shown
    with qtbot.waitSignal(win.journal_opened):
        pass
    assert win.banner.shown
    assert win.journal is not None
    win.journal.close()


def test_journals_the_first_read_leaves_to_the_full_way(
    qtbot: QtBot, journal_path: Path, kept: Path, dialogs: list[str]
) -> None:
    """Another screen to come back to; a new journal (nothing to read)."""
    ui_settings().setValue("window/screen", "History")
    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    assert other.open_journal(kept, rows_first=True)
    assert other.journal is not None and other.current_screen() == "History"
    other.close()
    new = MainWindow()
    qtbot.addWidget(new)
    new.show()
    fresh = journal_path.with_name("new.sqlite3")
    assert new.open_journal(fresh, rows_first=True)  # made now
    assert new.journal is not None
    new.close()
