"""Report: choose period, sections and sites; preview page 1; save the PDF
(made off the GUI thread) and open it in the system viewer to print."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mbc_journal import report
from mbc_journal.errors import JournalError, ValidationError
from mbc_journal.journal import Journal
from mbc_journal.ui import dates, errors
from mbc_journal.ui.qsettings import last_folder, remember_folder
from mbc_journal.ui.widgets.checkbox import ReadableCheckBox
from mbc_journal.ui.worker import Task, run_in_background

PREVIEW_DELAY_MS = 250
EMPTY_PERIOD = (
    "Nothing was logged in this period, so there is no report to make. Choose another period."
)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


class ReportScreen(QWidget):
    """Signals: report_saved(object) — the Path of a finished report."""

    report_saved = Signal(object)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.last_path: Path | None = None
        self._why = ""
        layout = QHBoxLayout(self)
        # The choices scroll up and down on a small screen; the preview and its
        # buttons stay in view.
        choices = QWidget()
        left = QVBoxLayout(choices)
        left.setContentsMargins(0, 0, 0, 0)
        self.choices_scroll = QScrollArea()
        self.choices_scroll.setWidgetResizable(True)
        self.choices_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.choices_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.choices_scroll, 2)

        period = QGroupBox("Period")
        form = QFormLayout(period)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit, name in ((self.date_from, "Report from"), (self.date_to, "Report to")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(dates.QT_FORMAT)
            edit.setMaximumDate(QDate.currentDate())
            edit.setAccessibleName(name)
        self.period_note = QLabel()
        self.reset_period = QPushButton("Since the last appointment")
        self.reset_period.setAccessibleName("Set the period to since the last appointment")
        form.addRow("From", self.date_from)
        form.addRow("To", self.date_to)
        form.addRow(self.period_note)
        form.addRow(self.reset_period)
        left.addWidget(period)

        sections = QGroupBox("Include (page 1 is always included)")
        sections_layout = QVBoxLayout(sections)
        self.section_boxes: dict[str, QCheckBox] = {}
        for key in report.SECTIONS:
            box = ReadableCheckBox(report.SECTION_LABELS[key])
            box.setChecked(True)
            box.setAccessibleName(f"Include {report.SECTION_LABELS[key].lower()}")
            sections_layout.addWidget(box)
            self.section_boxes[key] = box
        left.addWidget(sections)

        sites = QGroupBox("Organ sites")
        sites_layout = QVBoxLayout(sites)
        self.site_boxes: dict[str, QCheckBox] = {}
        for site in journal.catalogue.sites:
            if site.id == "measurements":
                continue
            box = ReadableCheckBox(site.label)
            box.setChecked(True)
            box.setAccessibleName(f"Include {site.label}")
            sites_layout.addWidget(box)
            self.site_boxes[site.id] = box
        left.addWidget(sites)

        page = QHBoxLayout()
        self.page_size = QComboBox()
        self.page_size.addItems(list(report.PAGE_SIZES))
        self.page_size.setAccessibleName("Page size")
        page.addWidget(QLabel("Page size"))
        page.addWidget(self.page_size)
        page.addStretch(1)
        left.addLayout(page)
        left.addStretch(1)
        self.choices_scroll.setWidget(choices)
        bar = self.choices_scroll.verticalScrollBar().sizeHint().width()
        self.choices_scroll.setMinimumWidth(choices.minimumSizeHint().width() + bar)

        right = QVBoxLayout()
        layout.addLayout(right, 3)
        right.addWidget(QLabel("<b>Page 1 preview</b> — what the doctor reads first"))
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setAccessibleName("Preview of page 1")
        right.addWidget(self.preview, 1)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Report progress")
        self.progress.setVisible(False)
        right.addWidget(self.progress)
        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save PDF…")
        self.save_button.setAccessibleName("Save the report as a PDF")
        self.open_button = QPushButton("Open to print")
        self.open_button.setAccessibleName("Open the saved report in the system viewer")
        self.open_button.setEnabled(False)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.open_button)
        right.addLayout(buttons)

        # Typing a date or ticking boxes quickly makes one preview, not one per step.
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.reset_period.clicked.connect(lambda: self.use_default_period())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._on_period_edited)
        for check in (*self.section_boxes.values(), *self.site_boxes.values()):
            check.toggled.connect(lambda _c: self._preview_timer.start())
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.open_button.clicked.connect(self.open_report)
        self.use_default_period(preview=False)  # the preview is made when the screen is shown
        self._warmed = False
        self.warming: Task | None = None
        self.warm = False  # the report's fonts and imports are loaded

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """The first time the screen opens, fonts and imports warm up off the GUI thread
        while the person chooses the period: the first report is then as quick as the
        next (issue 18)."""
        super().showEvent(event)
        if not self._warmed:
            self._warmed = True

            def warm(_progress: report.Progress) -> None:
                from mbc_journal import report_pdf

                report_pdf.warm_up()

            # A failure here is told by the report itself, if it happens again there.
            self.warming = run_in_background(
                self, warm, success=self._on_warm, failure=lambda _e: None
            )

    def _on_warm(self, _result: object) -> None:
        self.warm = True

    # options ----------------------------------------------------------------

    def use_default_period(self, *, preview: bool = True) -> None:
        try:
            start, end, why = report.default_period(self.journal)
        except JournalError as error:
            errors.show_error(self, error)
            return
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(qdate(day))
            edit.blockSignals(False)
        self._why = why
        self.period_note.setText(f"Default: {why}.")
        if preview:
            self.update_preview()

    def _on_period_edited(self) -> None:
        self._why = ""
        self.period_note.setText("A period you chose.")
        self._preview_timer.start()

    def options(self) -> report.ReportOptions:
        return report.ReportOptions(
            pydate(self.date_from),
            pydate(self.date_to),
            frozenset(k for k, box in self.section_boxes.items() if box.isChecked()),
            tuple(k for k, box in self.site_boxes.items() if box.isChecked()) + ("measurements",),
            self.page_size.currentText(),
        )

    def update_preview(self) -> None:
        self._preview_timer.stop()
        try:
            # Page 1 needs no charts: the preview skips reading their series.
            options = self.options()
            options = dataclasses.replace(options, sections=options.sections - {"charts"})
            data = report.collect(self.journal, options, self._why)
        except JournalError as error:
            self.preview.setPlainText(str(error))
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(data.has_entries)
        if not data.has_entries:
            self.preview.setPlainText(EMPTY_PERIOD)
            return
        dark = self.preview.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self.preview.setHtml(report.summary_html(data, dark=dark))

    # making the PDF -----------------------------------------------------------

    def _on_save_button_clicked(self) -> None:
        from mbc_journal.ui.privacy import confirm_plain_file

        if not confirm_plain_file(self, self.journal.path, "report (a PDF)"):
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save report", str(self.suggested_path()), "PDF (*.pdf)"
        )
        if name:
            self.make_report(Path(name if name.lower().endswith(".pdf") else name + ".pdf"))

    def suggested_path(self) -> Path:
        """Today's report, in the folder the last one went to (else the home folder)."""
        return last_folder("report") / f"mbc-journal-report-{dt.date.today().isoformat()}.pdf"

    def make_report(self, path: Path) -> Task:
        """Collect and write the report off the GUI thread, with progress."""
        from mbc_journal import operations

        options, why, journal = self.options(), self._why, self.journal

        def op(progress: report.Progress) -> Path:
            progress(0.02, "Reading the journal")
            data = report.collect(journal, options, why)
            if not data.has_entries:  # the button may still be on while the preview waits
                raise ValidationError(EMPTY_PERIOD)
            operations.write_report(journal.path, data, path, progress)
            return path

        self.save_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.status.setText("Making the report…")
        return run_in_background(
            self,
            op,
            success=self._on_report_done,
            failure=self._on_report_failed,
            progress=self._on_progress,
            doing="making the report",
        )

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.status.setText(f"Making the report… {text}")

    def _on_report_done(self, path: object) -> None:
        assert isinstance(path, Path)
        self.last_path = path
        remember_folder("report", path)
        self.progress.setVisible(False)
        self.save_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.status.setText(f"✓ Saved {path.name}. Open it to print, or bring it to the visit.")
        self.report_saved.emit(path)

    def _on_report_failed(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        self.save_button.setEnabled(True)
        self.status.setText("The report was not made.")
        if isinstance(error, OSError) and not isinstance(error, JournalError):
            errors.show_message(self, f"The report could not be written ({error.strerror}).")
        else:
            errors.show_error(self, error, "making the report")

    def open_report(self) -> bool:
        """Open the saved PDF in the system viewer (to print); say where it is if none can."""
        if self.last_path is None:
            return False
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path))):
            return True
        errors.show_message(
            self,
            f"No program on this computer opened the PDF. The report is saved at "
            f"{self.last_path}; open it with a PDF viewer to print it.",
        )
        return False
