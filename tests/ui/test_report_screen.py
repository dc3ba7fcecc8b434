"""The Report screen: preview, choices, PDF made off the GUI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from mbc_journal import demo
from mbc_journal.ui.main_window import MainWindow


def test_preview_and_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    demo.generate(window.journal, days=120)
    window.show_screen("Report")
    screen = window.report
    screen.use_default_period()
    assert "since the follow-up" in screen.period_note.text()
    preview = screen.preview.toPlainText()
    assert "Warning signs" in preview and "38.4 °C" in preview
    screen.site_boxes["brain"].setChecked(False)
    target = tmp_path / "visit.pdf"
    task = screen.make_report(target)
    with qtbot.waitSignal(task.succeeded, timeout=60_000):
        pass
    assert screen.last_path == target and screen.open_button.isEnabled()
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Symptom summary" in text and "Bone pain" in text


def test_empty_period_cannot_be_saved(window: MainWindow) -> None:
    screen = window.report
    screen.update_preview()
    assert not screen.save_button.isEnabled()
    assert "Nothing was logged" in screen.preview.toPlainText()


def test_period_from_after_to(window: MainWindow) -> None:
    window.journal.add_entry(window.journal.draft("fatigue", 3))
    screen = window.report
    screen.date_from.setDate(QDate.currentDate())
    screen.date_to.setDate(QDate.currentDate().addDays(-3))
    assert "after it ends" in screen.preview.toPlainText()
    assert not screen.save_button.isEnabled()


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
