"""The Report screen: preview, choices, PDF made off the GUI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from mbc_journal import demo, report
from mbc_journal.ui.main_window import MainWindow


def test_preview_and_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    demo.generate(window.journal, days=120)
    window.show_screen("Report")
    screen = window.report
    screen.use_default_period()
    assert "since the follow-up" in screen.period_note.text()
    preview = screen.preview.toPlainText()
    assert "Needs attention" in preview and "38.4 °C" in preview
    screen.site_boxes["brain"].setChecked(False)
    target = tmp_path / "visit.pdf"
    task = screen.make_report(target)
    with qtbot.waitSignal(task.succeeded, timeout=60_000):
        pass
    assert screen.last_path == target and screen.open_button.isEnabled()
    # The next report is suggested in the same folder.
    assert screen.suggested_path().parent == tmp_path
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Symptom summary" in text and "Bone pain" in text


def test_empty_period_cannot_be_saved(
    qtbot: QtBot, window: MainWindow, dialogs: list[str], tmp_path: Path
) -> None:
    screen = window.report
    screen.update_preview()
    assert not screen.save_button.isEnabled()
    assert "Nothing was logged" in screen.preview.toPlainText()
    # Even if asked (the button can still be on while a new preview waits): no PDF.
    # Wait on what the user sees: the task can fail before a waitSignal would connect.
    screen.make_report(tmp_path / "empty.pdf")
    qtbot.waitUntil(lambda: any("Nothing was logged" in d for d in dialogs), timeout=30_000)
    assert not (tmp_path / "empty.pdf").exists()


def test_period_from_after_to(qtbot: QtBot, window: MainWindow) -> None:
    window.journal.add_entry(window.journal.draft("fatigue", 3))
    screen = window.report
    screen.date_from.setDate(QDate.currentDate())
    screen.date_to.setDate(QDate.currentDate().addDays(-3))
    qtbot.waitUntil(lambda: "after it ends" in screen.preview.toPlainText(), timeout=5_000)
    assert not screen.save_button.isEnabled()


def test_quick_edits_make_one_preview(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.generate(window.journal, days=60)
    screen = window.report
    screen._preview_timer.setInterval(1500)  # room for a slow machine between the edits
    made: list[report.ReportOptions] = []
    collect = report.collect
    monkeypatch.setattr(
        report, "collect", lambda j, o, why="": made.append(o) or collect(j, o, why)
    )
    for days in range(1, 6):  # stepping the start date back five times
        screen.date_from.setDate(QDate.currentDate().addDays(-days))
    screen.site_boxes["brain"].setChecked(False)
    qtbot.waitUntil(lambda: len(made) == 1, timeout=10_000)
    qtbot.wait(2_000)
    assert len(made) == 1 and "brain" not in (made[0].sites or ())
    assert made[0].date_from == dt.date.today() - dt.timedelta(days=5)
    assert "charts" not in made[0].sections  # page 1 needs no chart data
    assert "Symptom summary" in screen.preview.toPlainText()


def test_unwritable_target_is_one_clear_dialog(
    qtbot: QtBot, window: MainWindow, dialogs: list[str], tmp_path: Path
) -> None:
    window.journal.add_entry(window.journal.draft("fatigue", 3), day=dt.date.today())
    screen = window.report
    screen.update_preview()
    task = screen.make_report(tmp_path / "missing-folder" / "r.pdf")
    with qtbot.waitSignal(task.failed, timeout=30_000):
        pass
    assert dialogs and "does not exist" in dialogs[-1]
    assert screen.save_button.isEnabled()


def test_preview_shows_user_text_as_typed(window: MainWindow) -> None:
    journal = window.journal
    journal.add_entry(journal.draft("fatigue", 3))
    typed = "<b>not bold</b> & <i>Ärzt</i> שלום"
    journal.add_question(typed)
    screen = window.report
    screen.update_preview()
    assert typed in screen.preview.toPlainText()


def test_no_pdf_viewer_says_where_the_report_is(
    window: MainWindow, dialogs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    screen = window.report
    screen.last_path = tmp_path / "visit.pdf"
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    assert not screen.open_report()
    assert dialogs and str(tmp_path / "visit.pdf") in dialogs[-1]


def test_a_report_or_export_over_the_journal_is_refused(
    qtbot: QtBot, window: MainWindow, dialogs: list[str], journal_path: Path
) -> None:
    """Choosing the journal's own file in the save dialog must not replace the journal."""
    window.journal.add_entry(window.journal.draft("fatigue", 3))
    window.show_screen("Report")
    window.report.use_default_period()
    window.report.make_report(journal_path)
    qtbot.waitUntil(lambda: any("journal itself" in d for d in dialogs), timeout=30_000)
    window.export_to(journal_path, "json")
    qtbot.waitUntil(lambda: sum("journal itself" in d for d in dialogs) == 2, timeout=30_000)
    assert journal_path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert window.journal.count_entries() == 1


def test_opening_the_report_screen_warms_the_first_report(qtbot: QtBot, window: MainWindow) -> None:
    """Fonts and imports are paid off the GUI thread once the screen opens (issue 18)."""
    import sys

    from mbc_journal import report_pdf

    assert window.report.warming is None  # nothing paid at start-up
    window.show_screen("Report")
    task = window.report.warming
    assert task is not None
    from mbc_journal.ui import worker

    qtbot.waitUntil(lambda: task not in worker._running, timeout=30_000)
    assert window.report.warm  # done, without an error
    assert report_pdf._Fonts._registered and "reportlab.platypus" in sys.modules
    window.show_screen("Today")
    window.show_screen("Report")
    assert window.report.warming is task  # once
