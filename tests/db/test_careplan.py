"""Care plan service and its validation."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc_journal.careplan import QuestionStatus, ResultKind, TreatmentKind
from mbc_journal.errors import NotFoundError, ValidationError
from mbc_journal.journal import Journal
from mbc_journal.signals import Level
from tests.conftest import day_offset


def test_treatments_start_end_and_active(journal: Journal) -> None:
    t = journal.add_treatment(
        TreatmentKind.HORMONE, "Tablets", day_offset(100), details="once a day"
    )
    assert [x.id for x in journal.treatments(active_on=day_offset(1))] == [t.id]
    journal.end_treatment(t.id, day_offset(10))
    assert journal.treatments(active_on=day_offset(1)) == []
    assert journal.treatments(active_on=day_offset(20))[0].details == "once a day"


def test_end_before_start_is_refused(journal: Journal) -> None:
    with pytest.raises(ValidationError, match="ends .* before it starts"):
        journal.add_treatment("chemotherapy", "X", day_offset(5), end=day_offset(10))
    t = journal.add_treatment("chemotherapy", "X", day_offset(5))
    with pytest.raises(ValidationError, match="before it starts"):
        journal.end_treatment(t.id, day_offset(6))
    assert journal.treatments()[0].end is None
    with pytest.raises(ValidationError, match="not a known treatment kind"):
        journal.add_treatment("magic", "X", day_offset(5))


def test_appointments_past_and_future(journal: Journal) -> None:
    past = journal.add_appointment(day_offset(20), "follow_up", with_whom="Dr Lee")
    future = journal.add_appointment(
        dt.date.today() + dt.timedelta(days=7), "scan", time=dt.time(9, 30)
    )
    assert journal.next_appointment().id == future.id  # type: ignore[union-attr]
    assert journal.last_appointment().id == past.id  # type: ignore[union-attr]
    assert "Scan" in future.label and "09:30" in future.label


def test_questions_open_answered(journal: Journal) -> None:
    with pytest.raises(ValidationError, match="empty question"):
        journal.add_question("   ")
    q = journal.add_question("Can I travel in May?")
    assert [x.text for x in journal.questions(open_only=True)] == ["Can I travel in May?"]
    journal.answer_question(q.id, "Yes, after the scan.")
    answered = journal.questions()[0]
    assert answered.status is QuestionStatus.ANSWERED and answered.answer == "Yes, after the scan."
    assert journal.questions(open_only=True) == []
    with pytest.raises(NotFoundError):
        journal.answer_question(999, "x")


def test_results_lab_and_scan(journal: Journal) -> None:
    lab = journal.add_result(
        "Calcium", day_offset(3), value=2.8, unit="mmol/L", ref_low=2.2, ref_high=2.6
    )
    assert lab.kind is ResultKind.LAB and lab.out_of_range == "high"
    assert "2.8 mmol/L" in lab.display and "high" in lab.display
    scan = journal.add_result("CT chest", day_offset(2), summary="Stable.")
    assert scan.kind is ResultKind.SCAN
    with pytest.raises(ValidationError, match="unit"):
        journal.add_result("CA 15-3", day_offset(1), value=40)
    with pytest.raises(ValidationError, match="value .* or a summary"):
        journal.add_result("CA 15-3", day_offset(1))
    with pytest.raises(ValidationError, match="future"):
        journal.add_result("ALT", dt.date.today() + dt.timedelta(days=2), value=30, unit="U/L")
    with pytest.raises(ValidationError, match="lower limit"):
        journal.add_result("ALT", day_offset(1), value=30, unit="U/L", ref_low=50, ref_high=10)
    assert len(journal.results()) == 2


def test_chemotherapy_in_the_care_plan_drives_the_fever_rule(journal: Journal) -> None:
    journal.add_treatment("chemotherapy", "Chemo", day_offset(5))
    journal.add_entry(journal.draft("temperature", 38.2), day=day_offset(1))
    journal.add_entry(journal.draft("temperature", 38.4), day=day_offset(8))  # before chemo
    urgent = [s for s in journal.signals() if s.level is Level.URGENT]
    assert [s.day for s in urgent] == [day_offset(1)]


def test_a_result_with_one_end_of_its_range_says_which(journal: Journal) -> None:
    """ "(range –30)" read as minus 30 on the report's page 1."""
    high = journal.add_result("CA 15-3", day_offset(3), value=48, unit="U/mL", ref_high=30)
    low = journal.add_result("Albumin", day_offset(3), value=30, unit="g/L", ref_low=35)
    both = journal.add_result("Calcium", day_offset(3), value=2.4, unit="mmol/L", ref_low=2.2,
                              ref_high=2.6)  # fmt: skip
    assert high.display == "48 U/mL (range up to 30) — high"
    assert low.display == "30 g/L (range from 35) — low"
    assert both.display == "2.4 mmol/L (range 2.2–2.6)"
