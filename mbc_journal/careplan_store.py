"""The care plan's storage: ``CarePlanMixin`` gives ``Journal`` its care-plan methods
(one service object, each method one transaction), and each record is checked once
here for the forms, the command line and import."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select

from mbc_journal.careplan import (
    Appointment,
    AppointmentKind,
    Question,
    QuestionStatus,
    Result,
    ResultKind,
    Treatment,
    TreatmentKind,
    check_plausible,
    check_span,
    enum_value,
    finite,
)
from mbc_journal.db.schema import AppointmentRow, QuestionRow, ResultRow, TreatmentRow
from mbc_journal.errors import NotFoundError, ValidationError
from mbc_journal.model import check_date, check_name, check_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class CarePlanMixin:
    """Care-plan methods of ``Journal``."""

    if TYPE_CHECKING:

        def _read(self) -> contextlib.AbstractContextManager[Session]: ...
        def _write(self) -> contextlib.AbstractContextManager[Session]: ...

    def _insert(self, row: Any, plain: Callable[[Any], T]) -> T:
        """Add one checked row in its own transaction; return it as a plain value."""
        with self._write() as session:
            session.add(row)
            session.flush()
            return plain(row)

    # treatments ----------------------------------------------------------------

    def add_treatment(
        self,
        kind: TreatmentKind | str,
        name: str,
        start: dt.date,
        *,
        end: dt.date | None = None,
        details: str = "",
        notes: str = "",
    ) -> Treatment:
        row = check_treatment(
            TreatmentRow(
                kind=kind,
                name=name,
                details=details,
                start_date=start,
                end_date=end,
                notes=notes,
                created_at=_now(),
                updated_at=_now(),
            )
        )
        return self._insert(row, _treatment)

    def end_treatment(self, treatment_id: int, end: dt.date) -> Treatment:
        check_date(end)
        with self._write() as session:
            row = _get(session, TreatmentRow, treatment_id, "treatment")
            check_span(row.start_date, end)
            row.end_date, row.updated_at = end, _now()
            session.flush()
            return _treatment(row)

    def update_treatment(self, treatment_id: int, **changes: Any) -> Treatment:
        with self._write() as session:
            row = _get(session, TreatmentRow, treatment_id, "treatment")
            start = changes.get("start", row.start_date)
            end = changes.get("end", row.end_date)
            check_span(start, end)
            row.start_date, row.end_date = start, end
            if "name" in changes:
                row.name = check_name(changes["name"])
            if "kind" in changes:
                row.kind = enum_value(TreatmentKind, changes["kind"], "treatment kind").value
            if "details" in changes:
                row.details = check_text(changes["details"], "Details")
            if "notes" in changes:
                row.notes = check_text(changes["notes"])
            row.updated_at = _now()
            session.flush()
            return _treatment(row)

    def delete_treatment(self, treatment_id: int) -> None:
        self._soft_delete(TreatmentRow, treatment_id, "treatment")

    def treatments(self, *, active_on: dt.date | None = None) -> list[Treatment]:
        with self._read() as session:
            rows = session.scalars(
                select(TreatmentRow)
                .where(TreatmentRow.deleted_at.is_(None))
                .order_by(TreatmentRow.start_date, TreatmentRow.id)
            )
            found = [_treatment(r) for r in rows]
        if active_on is not None:
            found = [t for t in found if t.active_on(active_on)]
        return found

    # appointments --------------------------------------------------------------

    def add_appointment(
        self,
        day: dt.date,
        kind: AppointmentKind | str = AppointmentKind.FOLLOW_UP,
        *,
        time: dt.time | None = None,
        with_whom: str = "",
        notes: str = "",
    ) -> Appointment:
        row = check_appointment(
            AppointmentRow(
                day=day,
                time=time,
                with_whom=with_whom,
                kind=kind,
                notes=notes,
                created_at=_now(),
                updated_at=_now(),
            )
        )
        return self._insert(row, _appointment)

    def update_appointment(self, appointment_id: int, **changes: Any) -> Appointment:
        with self._write() as session:
            row = _get(session, AppointmentRow, appointment_id, "appointment")
            if "day" in changes:
                row.day = check_plausible(changes["day"], "An appointment")
            if "time" in changes:
                row.time = changes["time"]
            if "with_whom" in changes:
                row.with_whom = check_name(changes["with_whom"])
            if "kind" in changes:
                row.kind = enum_value(AppointmentKind, changes["kind"], "appointment kind").value
            if "notes" in changes:
                row.notes = check_text(changes["notes"])
            row.updated_at = _now()
            session.flush()
            return _appointment(row)

    def delete_appointment(self, appointment_id: int) -> None:
        self._soft_delete(AppointmentRow, appointment_id, "appointment")

    def appointments(self) -> list[Appointment]:
        with self._read() as session:
            rows = session.scalars(
                select(AppointmentRow)
                .where(AppointmentRow.deleted_at.is_(None))
                .order_by(AppointmentRow.day, AppointmentRow.time, AppointmentRow.id)
            )
            return [_appointment(r) for r in rows]

    def next_appointment(self, today: dt.date | None = None) -> Appointment | None:
        today = today or dt.date.today()
        upcoming = [a for a in self.appointments() if a.day >= today]
        return upcoming[0] if upcoming else None

    def last_appointment(self, before: dt.date | None = None) -> Appointment | None:
        """The latest appointment strictly before ``before`` (default: today)."""
        before = before or dt.date.today()
        past = [a for a in self.appointments() if a.day < before]
        return past[-1] if past else None

    # questions -------------------------------------------------------------------

    def add_question(self, text: str, *, appointment_id: int | None = None) -> Question:
        row = check_question(
            QuestionRow(
                text=text,
                appointment_id=appointment_id,
                status="open",
                answer="",
                created_at=_now(),
                updated_at=_now(),
            )
        )
        with self._write() as session:
            if appointment_id is not None:
                _get(session, AppointmentRow, appointment_id, "appointment")
            session.add(row)
            session.flush()
            return _question(row)

    def answer_question(
        self, question_id: int, answer: str = "", *, asked_only: bool = False
    ) -> Question:
        answer = check_text(answer, "The answer")
        with self._write() as session:
            row = _get(session, QuestionRow, question_id, "question")
            row.status = "asked" if asked_only and not answer.strip() else "answered"
            row.answer = answer
            row.updated_at = _now()
            session.flush()
            return _question(row)

    def reopen_question(self, question_id: int) -> Question:
        with self._write() as session:
            row = _get(session, QuestionRow, question_id, "question")
            row.status, row.updated_at = "open", _now()
            session.flush()
            return _question(row)

    def delete_question(self, question_id: int) -> None:
        self._soft_delete(QuestionRow, question_id, "question")

    def questions(self, *, open_only: bool = False) -> list[Question]:
        query = select(QuestionRow).where(QuestionRow.deleted_at.is_(None))
        if open_only:
            query = query.where(QuestionRow.status == "open")
        with self._read() as session:
            return [_question(r) for r in session.scalars(query.order_by(QuestionRow.id))]

    # results -------------------------------------------------------------------

    def add_result(
        self,
        name: str,
        day: dt.date,
        *,
        value: float | None = None,
        unit: str = "",
        ref_low: float | None = None,
        ref_high: float | None = None,
        summary: str = "",
    ) -> Result:
        row = check_result(
            ResultRow(
                kind=(ResultKind.LAB if value is not None else ResultKind.SCAN).value,
                name=name,
                day=day,
                value=value,
                unit=unit,
                ref_low=ref_low,
                ref_high=ref_high,
                summary=summary,
                created_at=_now(),
                updated_at=_now(),
            )
        )
        return self._insert(row, _result)

    def delete_result(self, result_id: int) -> None:
        self._soft_delete(ResultRow, result_id, "result")

    def results(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> list[Result]:
        query = select(ResultRow).where(ResultRow.deleted_at.is_(None))
        if date_from is not None:
            query = query.where(ResultRow.day >= date_from)
        if date_to is not None:
            query = query.where(ResultRow.day <= date_to)
        with self._read() as session:
            rows = session.scalars(query.order_by(ResultRow.day, ResultRow.id))
            return [_result(r) for r in rows]

    # shared --------------------------------------------------------------------

    def _soft_delete(self, table: Any, row_id: int, what: str) -> None:
        with self._write() as session:
            row = _get(session, table, row_id, what)
            row.deleted_at = row.updated_at = _now()

    def chemotherapy_on(self, day: dt.date) -> bool:
        return any(
            t.kind is TreatmentKind.CHEMOTHERAPY and t.active_on(day) for t in self.treatments()
        )


# One validation for each record, used by the forms, the command line and import:
# a record that passes can always be shown and reported.


def check_treatment(row: TreatmentRow) -> TreatmentRow:
    row.kind = enum_value(TreatmentKind, row.kind, "treatment kind").value
    row.name = check_name(row.name or "")
    if not row.name:
        raise ValidationError("Give the treatment a name, for example 'Capecitabine'.")
    row.details = check_text(row.details or "", "Details")
    row.notes = check_text(row.notes or "")
    check_span(row.start_date, row.end_date)
    if row.end_date is not None:
        check_plausible(row.end_date, "A treatment's end")
    return row


def check_appointment(row: AppointmentRow) -> AppointmentRow:
    row.kind = enum_value(AppointmentKind, row.kind, "appointment kind").value
    check_plausible(row.day, "An appointment")
    row.with_whom = check_name(row.with_whom or "")
    row.notes = check_text(row.notes or "")
    return row


def check_question(row: QuestionRow) -> QuestionRow:
    row.text = check_text(row.text or "", "A question").strip()
    if not row.text:
        raise ValidationError("Write the question first; an empty question cannot be saved.")
    row.status = enum_value(QuestionStatus, row.status or "open", "question status").value
    row.answer = check_text(row.answer or "", "The answer")
    return row


def check_result(row: ResultRow) -> ResultRow:
    row.name = name = check_name(row.name or "")
    if not name:
        raise ValidationError("Give the result a name, for example 'Calcium' or 'CT scan'.")
    check_date(row.day)
    finite(row.value, name)
    finite(row.ref_low, "The lower reference limit")
    finite(row.ref_high, "The upper reference limit")
    row.unit = check_name(row.unit or "")
    row.summary = check_text(row.summary or "", "The scan summary")
    if row.value is None and not row.summary.strip():
        raise ValidationError(
            f"Give {name} a value with its unit (a lab result) or a summary (a scan)."
        )
    if row.value is not None and not row.unit:
        raise ValidationError(f"Give the unit of {name} (for example mmol/L or U/mL).")
    if row.ref_low is not None and row.ref_high is not None and row.ref_low > row.ref_high:
        raise ValidationError("The reference range's lower limit is above its upper limit.")
    # What kind a result is follows from what it holds.
    row.kind = (ResultKind.LAB if row.value is not None else ResultKind.SCAN).value
    return row


def _get(session: Session, table: Any, row_id: int, what: str) -> Any:
    row = session.get(table, row_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"There is no {what} number {row_id}.")
    return row


def _treatment(r: TreatmentRow) -> Treatment:
    return Treatment(
        r.id, TreatmentKind(r.kind), r.name, r.details, r.start_date, r.end_date, r.notes
    )


def _appointment(r: AppointmentRow) -> Appointment:
    return Appointment(r.id, r.day, r.time, r.with_whom, AppointmentKind(r.kind), r.notes)


def _question(r: QuestionRow) -> Question:
    return Question(
        r.id, r.text, r.appointment_id, QuestionStatus(r.status), r.answer, r.created_at
    )


def _result(r: ResultRow) -> Result:
    return Result(
        r.id, ResultKind(r.kind), r.name, r.day, r.value, r.unit, r.ref_low, r.ref_high, r.summary
    )
