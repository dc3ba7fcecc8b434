"""Care plan: treatments, appointments, questions for the doctor, results.

Value types and the checks that need no storage live here, free of SQLAlchemy
(the check-in shows the next appointment before the ORM is imported);
``careplan_store.CarePlanMixin`` adds the storage methods to ``Journal``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mbc_journal.errors import ValidationError


class TreatmentKind(StrEnum):
    HORMONE = "hormone"
    TARGETED = "targeted"
    IMMUNOTHERAPY = "immunotherapy"
    CHEMOTHERAPY = "chemotherapy"
    RADIATION = "radiation"
    SURGERY = "surgery"
    BONE_STRENGTHENING = "bone_strengthening"
    PAIN_RELIEF = "pain_relief"
    MOOD = "anxiety_depression"
    PALLIATIVE = "palliative_care"
    PHYSIOTHERAPY = "physical_therapy"
    COUNSELLING = "counselling"
    COMPLEMENTARY = "complementary"
    HOSPICE = "hospice"
    OTHER = "other"

    @property
    def label(self) -> str:
        return TREATMENT_LABELS[self]


# Treatments after which a fever (or a low temperature) needs the 24-hour line: every
# systemic anticancer treatment, and radiotherapy (docs/safety-signals.md).
FEVER_TREATMENTS = frozenset(
    {
        TreatmentKind.CHEMOTHERAPY,
        TreatmentKind.TARGETED,
        TreatmentKind.IMMUNOTHERAPY,
        TreatmentKind.RADIATION,
    }
)

TREATMENT_LABELS = {
    TreatmentKind.HORMONE: "Hormone therapy",
    TreatmentKind.TARGETED: "Targeted therapy",
    TreatmentKind.IMMUNOTHERAPY: "Immunotherapy",
    TreatmentKind.CHEMOTHERAPY: "Chemotherapy",
    TreatmentKind.RADIATION: "Radiation therapy",
    TreatmentKind.SURGERY: "Surgery",
    TreatmentKind.BONE_STRENGTHENING: "Bone-strengthening treatment",
    TreatmentKind.PAIN_RELIEF: "Pain relief",
    TreatmentKind.MOOD: "Treatment for anxiety or depression",
    TreatmentKind.PALLIATIVE: "Palliative care",
    TreatmentKind.PHYSIOTHERAPY: "Physical therapy",
    TreatmentKind.COUNSELLING: "Counselling",
    TreatmentKind.COMPLEMENTARY: "Complementary therapy",
    TreatmentKind.HOSPICE: "Hospice care",
    TreatmentKind.OTHER: "Other",
}


class AppointmentKind(StrEnum):
    FOLLOW_UP = "follow_up"
    SCAN = "scan"
    BLOOD_TEST = "blood_test"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "follow_up": "Follow-up",
            "scan": "Scan",
            "blood_test": "Blood test",
            "other": "Other",
        }[self.value]


class QuestionStatus(StrEnum):
    OPEN = "open"
    ASKED = "asked"
    ANSWERED = "answered"


class ResultKind(StrEnum):
    LAB = "lab"
    SCAN = "scan"


@dataclass(frozen=True)
class Treatment:
    id: int
    kind: TreatmentKind
    name: str
    details: str
    start: dt.date
    end: dt.date | None
    notes: str = ""

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.kind.label.lower()})" if self.name else self.kind.label


@dataclass(frozen=True)
class Appointment:
    id: int
    day: dt.date
    time: dt.time | None
    with_whom: str
    kind: AppointmentKind
    notes: str = ""

    @property
    def label(self) -> str:
        when = f"{self.day:%a %d %b %Y}" + (f" {self.time:%H:%M}" if self.time else "")
        who = f" with {self.with_whom}" if self.with_whom else ""
        return f"{self.kind.label}{who}, {when}"


@dataclass(frozen=True)
class Question:
    id: int
    text: str
    appointment_id: int | None
    status: QuestionStatus
    answer: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Result:
    id: int
    kind: ResultKind
    name: str
    day: dt.date
    value: float | None
    unit: str
    ref_low: float | None
    ref_high: float | None
    summary: str

    @property
    def out_of_range(self) -> str:
        """'high', 'low' or '' compared with the reference range given."""
        if self.value is None:
            return ""
        if self.ref_high is not None and self.value > self.ref_high:
            return "high"
        if self.ref_low is not None and self.value < self.ref_low:
            return "low"
        return ""

    @property
    def display(self) -> str:
        if self.kind is ResultKind.SCAN:
            return self.summary
        ref = ""
        if self.ref_low is not None and self.ref_high is not None:
            ref = f" (range {self.ref_low:g}–{self.ref_high:g})"
        elif self.ref_high is not None:  # "(range –30)" would read as minus 30
            ref = f" (range up to {self.ref_high:g})"
        elif self.ref_low is not None:
            ref = f" (range from {self.ref_low:g})"
        flag = f" — {self.out_of_range}" if self.out_of_range else ""
        return f"{self.value:g} {self.unit}{ref}{flag}".strip()


def finite(number: float | None, what: str) -> float | None:
    if number is not None and not math.isfinite(number):
        raise ValidationError(f"{what} must be a number.")
    return number


def enum_value(enum: Any, value: Any, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise ValidationError(f"'{value}' is not a known {what}; use one of: {choices}.") from None


def check_span(start: dt.date, end: dt.date | None) -> None:
    check_plausible(start, "A treatment's start")
    if end is not None and end < start:
        raise ValidationError(
            f"The treatment ends ({end.isoformat()}) before it starts ({start.isoformat()})."
        )


def check_plausible(day: dt.date, what: str) -> dt.date:
    if not dt.date(1900, 1, 1) <= day <= dt.date.today() + dt.timedelta(days=3 * 366):
        raise ValidationError(f"{what} on {day.isoformat()} is not a plausible date.")
    return day


__all__ = [
    "Appointment",
    "AppointmentKind",
    "Question",
    "QuestionStatus",
    "Result",
    "ResultKind",
    "Treatment",
    "TreatmentKind",
]
