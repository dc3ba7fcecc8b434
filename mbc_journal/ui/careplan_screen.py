"""Care plan: treatments, appointments, questions for the doctor, results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from mbc_journal.careplan import AppointmentKind, QuestionStatus, TreatmentKind
from mbc_journal.errors import JournalError, ValidationError
from mbc_journal.journal import Journal
from mbc_journal.ui import dates, errors
from mbc_journal.ui.widgets.checkbox import ReadableCheckBox


def to_date(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def date_edit(name: str, *, future: bool = True) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(dates.QT_FORMAT)
    edit.setAccessibleName(name)
    if not future:
        edit.setMaximumDate(QDate.currentDate())
    return edit


class RecordTable(QTableWidget):
    """A read-only table of records; each row remembers its record's id."""

    def __init__(self, headers: Sequence[str], name: str) -> None:
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(list(headers))
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        # Columns sized to their text once per fill, each at most 16 em, so a long
        # name never pushes the table sideways on a small screen; cut-off cells show
        # their whole text on hover.
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.ids: list[int] = []

    def fill(self, rows: Sequence[tuple[int, Sequence[str]]]) -> None:
        self.setRowCount(0)
        self.ids = []
        for record_id, cells in rows:
            row = self.rowCount()
            self.insertRow(row)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(row, column, item)
            self.ids.append(record_id)
        self.resizeColumnsToContents()
        widest = 16 * self.fontMetrics().horizontalAdvance("M")
        for column in range(self.columnCount() - 1):
            self.setColumnWidth(column, min(self.columnWidth(column), widest))

    def selected_id(self) -> int | None:
        rows = {i.row() for i in self.selectedIndexes()}
        return self.ids[rows.pop()] if len(rows) == 1 else None

    def select_id(self, record_id: int) -> None:
        if record_id in self.ids:
            self.selectRow(self.ids.index(record_id))


def button(text: str, name: str) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(name)
    return b


def line(placeholder: str, name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setAccessibleName(name)
    return edit


class CarePlanScreen(QWidget):
    """Signals: care_plan_changed() — something in the care plan was added or changed."""

    care_plan_changed = Signal()

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Care plan sections")
        self.tabs.tabBar().setAccessibleName("Care plan sections")
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._treatments_tab(), "Treatments")
        self.tabs.addTab(self._appointments_tab(), "Appointments")
        self.tabs.addTab(self._questions_tab(), "Questions for the doctor")
        self.tabs.addTab(self._results_tab(), "Results")
        self.refresh()

    # running a change --------------------------------------------------------------

    def _do(self, op: Callable[[], Any], *clear: QLineEdit) -> bool:
        try:
            op()
        except JournalError as error:
            errors.show_error(self, error)
            return False
        for edit in clear:
            edit.clear()
        self.refresh()
        self.care_plan_changed.emit()
        return True

    def _selected(self, table: RecordTable, what: str) -> int | None:
        record_id = table.selected_id()
        if record_id is None:
            errors.show_message(self, f"First choose the {what} in the list.")
        return record_id

    # treatments ------------------------------------------------------------------

    def _treatments_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.treatment_table = RecordTable(
            ["Kind", "Name", "Details", "Start", "End"], "Treatments"
        )
        layout.addWidget(self.treatment_table)
        form = QHBoxLayout()
        self.treatment_kind = QComboBox()
        self.treatment_kind.setAccessibleName("Kind of treatment")
        for kind in TreatmentKind:
            self.treatment_kind.addItem(kind.label, kind.value)
        self.treatment_name = line("Name, e.g. Chemotherapy tablets", "Treatment name")
        self.treatment_details = line("Dose or schedule", "Treatment dose or schedule")
        self.treatment_start = date_edit("Treatment start date")
        self.treatment_add = button("Add", "Add treatment")
        for w in (
            self.treatment_kind,
            self.treatment_name,
            self.treatment_details,
            QLabel("from"),
            self.treatment_start,
            self.treatment_add,
        ):
            form.addWidget(w)
        layout.addLayout(form)
        actions = QHBoxLayout()
        self.treatment_end_date = date_edit("Treatment end date")
        self.treatment_end = button("Mark ended on", "Mark the selected treatment as ended")
        self.treatment_delete = button("Delete", "Delete the selected treatment")
        actions.addStretch(1)
        for w in (self.treatment_end, self.treatment_end_date, self.treatment_delete):
            actions.addWidget(w)
        layout.addLayout(actions)
        self.treatment_add.clicked.connect(self.add_treatment)
        self.treatment_end.clicked.connect(self.end_treatment)
        self.treatment_delete.clicked.connect(self.delete_treatment)
        return tab

    def add_treatment(self) -> bool:
        return self._do(
            lambda: self.journal.add_treatment(
                self.treatment_kind.currentData(),
                self.treatment_name.text(),
                to_date(self.treatment_start),
                details=self.treatment_details.text(),
            ),
            self.treatment_name,
            self.treatment_details,
        )

    def end_treatment(self) -> bool:
        record_id = self._selected(self.treatment_table, "treatment")
        return record_id is not None and self._do(
            lambda: self.journal.end_treatment(record_id, to_date(self.treatment_end_date))
        )

    def delete_treatment(self) -> bool:
        record_id = self._selected(self.treatment_table, "treatment")
        return record_id is not None and self._do(lambda: self.journal.delete_treatment(record_id))

    # appointments ------------------------------------------------------------------

    def _appointments_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.appointment_table = RecordTable(
            ["Date", "Time", "Kind", "With", "Notes"], "Appointments"
        )
        layout.addWidget(self.appointment_table)
        form = QHBoxLayout()
        self.appointment_date = date_edit("Appointment date")
        self.appointment_has_time = ReadableCheckBox("at")
        self.appointment_has_time.setAccessibleName("The appointment has a time")
        self.appointment_time = QTimeEdit(QTime(10, 0))
        self.appointment_time.setDisplayFormat("HH:mm")
        self.appointment_time.setAccessibleName("Appointment time")
        self.appointment_kind = QComboBox()
        self.appointment_kind.setAccessibleName("Kind of appointment")
        for kind in AppointmentKind:
            self.appointment_kind.addItem(kind.label, kind.value)
        self.appointment_with = line("With whom", "Appointment with whom")
        self.appointment_add = button("Add", "Add appointment")
        for w in (
            self.appointment_date,
            self.appointment_has_time,
            self.appointment_time,
            self.appointment_kind,
            self.appointment_with,
            self.appointment_add,
        ):
            form.addWidget(w)
        layout.addLayout(form)
        notes = QHBoxLayout()
        self.appointment_notes = line("Notes after the visit", "Notes after the visit")
        self.appointment_save_notes = button(
            "Save notes", "Save notes for the selected appointment"
        )
        self.appointment_delete = button("Delete", "Delete the selected appointment")
        for w in (self.appointment_notes, self.appointment_save_notes, self.appointment_delete):
            notes.addWidget(w)
        layout.addLayout(notes)
        self.appointment_add.clicked.connect(self.add_appointment)
        self.appointment_save_notes.clicked.connect(self.save_appointment_notes)
        self.appointment_delete.clicked.connect(self.delete_appointment)
        return tab

    def add_appointment(self) -> bool:
        t = self.appointment_time.time()
        when = dt.time(t.hour(), t.minute()) if self.appointment_has_time.isChecked() else None
        return self._do(
            lambda: self.journal.add_appointment(
                to_date(self.appointment_date),
                self.appointment_kind.currentData(),
                time=when,
                with_whom=self.appointment_with.text(),
            ),
            self.appointment_with,
        )

    def save_appointment_notes(self) -> bool:
        record_id = self._selected(self.appointment_table, "appointment")
        return record_id is not None and self._do(
            lambda: self.journal.update_appointment(record_id, notes=self.appointment_notes.text()),
            self.appointment_notes,
        )

    def delete_appointment(self) -> bool:
        record_id = self._selected(self.appointment_table, "appointment")
        return record_id is not None and self._do(
            lambda: self.journal.delete_appointment(record_id)
        )

    # questions -----------------------------------------------------------------------

    def _questions_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.question_table = RecordTable(
            ["Question", "To ask at", "Status", "Answer"], "Questions for the doctor"
        )
        layout.addWidget(self.question_table)
        form = QHBoxLayout()
        self.question_text = line("A question to ask at the next visit", "New question")
        self.question_for = QComboBox()
        self.question_for.setAccessibleName("Appointment to ask it at")
        self.question_add = button("Add", "Add question")
        for w in (self.question_text, self.question_for, self.question_add):
            form.addWidget(w)
        layout.addLayout(form)
        actions = QHBoxLayout()
        self.question_asked = button("Mark asked", "Mark the selected question as asked")
        self.question_answer = button(
            "Write the answer…", "Write the answer to the selected question"
        )
        self.question_reopen = button("Reopen", "Reopen the selected question")
        self.question_delete = button("Delete", "Delete the selected question")
        actions.addStretch(1)
        for w in (
            self.question_asked,
            self.question_answer,
            self.question_reopen,
            self.question_delete,
        ):
            actions.addWidget(w)
        layout.addLayout(actions)
        self.question_add.clicked.connect(self.add_question)
        self.question_text.returnPressed.connect(self.add_question)
        self.question_asked.clicked.connect(
            lambda: self._question_op(lambda i: self.journal.answer_question(i, asked_only=True))
        )
        self.question_answer.clicked.connect(self._on_question_answer_clicked)
        self.question_reopen.clicked.connect(
            lambda: self._question_op(self.journal.reopen_question)
        )
        self.question_delete.clicked.connect(
            lambda: self._question_op(self.journal.delete_question)
        )
        return tab

    def add_question(self) -> bool:
        return self._do(
            lambda: self.journal.add_question(
                self.question_text.text(), appointment_id=self.question_for.currentData()
            ),
            self.question_text,
        )

    def _question_op(self, op: Callable[[int], Any]) -> bool:
        record_id = self._selected(self.question_table, "question")
        return record_id is not None and self._do(lambda: op(record_id))

    def _on_question_answer_clicked(self) -> None:
        if self.question_table.selected_id() is None:
            self._selected(self.question_table, "question")
            return
        text, ok = QInputDialog.getMultiLineText(self, "Answer", "What did the care team say?")
        if ok:
            self.answer_selected(text)

    def answer_selected(self, text: str) -> bool:
        return self._question_op(lambda i: self.journal.answer_question(i, text))

    # results ---------------------------------------------------------------------------

    def _results_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.result_table = RecordTable(["Date", "Name", "Result"], "Results")
        layout.addWidget(self.result_table)
        form = QHBoxLayout()
        self.result_name = line("Name, e.g. Calcium", "Result name")
        self.result_value = line("Value", "Result value")
        self.result_unit = line("Unit", "Result unit")
        self.result_low = line("Range from", "Reference range lower limit")
        self.result_high = line("to", "Reference range upper limit")
        self.result_date = date_edit("Result date", future=False)
        self.result_add = button("Add", "Add result")
        for w in (
            self.result_name,
            self.result_value,
            self.result_unit,
            self.result_low,
            self.result_high,
            self.result_date,
            self.result_add,
        ):
            form.addWidget(w)
        layout.addLayout(form)
        scan = QHBoxLayout()
        self.result_summary = line(
            "Or a scan summary, in your words or the report's", "Scan summary"
        )
        self.result_delete = button("Delete", "Delete the selected result")
        scan.addWidget(self.result_summary, 1)
        scan.addWidget(self.result_delete)
        layout.addLayout(scan)
        self.result_add.clicked.connect(self.add_result)
        self.result_delete.clicked.connect(self.delete_result)
        return tab

    def add_result(self) -> bool:
        def number(edit: QLineEdit, what: str) -> float | None:
            text = edit.text().strip().replace(",", ".")
            if not text:
                return None
            try:
                return float(text)
            except ValueError:
                raise ValidationError(f"{what} '{edit.text()}' is not a number.") from None

        return self._do(
            lambda: self.journal.add_result(
                self.result_name.text(),
                to_date(self.result_date),
                value=number(self.result_value, "The value"),
                unit=self.result_unit.text(),
                ref_low=number(self.result_low, "The range's lower limit"),
                ref_high=number(self.result_high, "The range's upper limit"),
                summary=self.result_summary.text(),
            ),
            self.result_name,
            self.result_value,
            self.result_unit,
            self.result_low,
            self.result_high,
            self.result_summary,
        )

    def delete_result(self) -> bool:
        record_id = self._selected(self.result_table, "result")
        return record_id is not None and self._do(lambda: self.journal.delete_result(record_id))

    # showing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            treatments = self.journal.treatments()
            appointments = self.journal.appointments()
            questions = self.journal.questions()
            results = self.journal.results()
        except JournalError as error:
            errors.show_error(self, error)
            return
        self.treatment_table.fill(
            [
                (
                    t.id,
                    [
                        t.kind.label,
                        t.name,
                        t.details,
                        dates.show(t.start),
                        dates.show(t.end) if t.end else "ongoing",
                    ],
                )
                for t in reversed(treatments)
            ]
        )
        self.appointment_table.fill(
            [
                (
                    a.id,
                    [
                        dates.show(a.day),
                        a.time.strftime("%H:%M") if a.time else "",
                        a.kind.label,
                        a.with_whom,
                        a.notes,
                    ],
                )
                for a in reversed(appointments)
            ]
        )
        by_id = {a.id: a for a in appointments}
        status_words = {
            QuestionStatus.OPEN: "to ask",
            QuestionStatus.ASKED: "asked",
            QuestionStatus.ANSWERED: "answered",
        }
        self.question_table.fill(
            [
                (
                    q.id,
                    [
                        q.text,
                        by_id[q.appointment_id].label if q.appointment_id in by_id else "",
                        status_words[q.status],
                        q.answer,
                    ],
                )
                for q in questions
            ]
        )
        self.result_table.fill(
            [(r.id, [dates.show(r.day), r.name, r.display]) for r in reversed(results)]
        )
        self.question_for.clear()
        self.question_for.addItem("The next appointment", None)
        for a in appointments:
            if a.day >= dt.date.today():
                self.question_for.addItem(a.label, a.id)
