"""One unit per measurement: the unit a person reads (chosen in Settings or with
``mbc-journal units``; else the one most of their readings were typed in) is the unit of
every measurement in the report and of new readings in the check-in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mbc_journal import report
from mbc_journal.errors import JournalError, ValidationError
from mbc_journal.journal import Journal
from mbc_journal.model import Person, Role
from tests.conftest import day_offset
from tests.core.test_report import make
from tests.helpers import digest


def weigh(journal: Journal, text: str, days_ago: int, person: Person | None = None) -> None:
    draft = journal.draft_from_text("weight", text)
    if person is None:
        journal.add_entry(draft, day=day_offset(days_ago))
    else:
        journal.add_entry(draft, day=day_offset(days_ago), person=person)


def test_the_unit_most_readings_were_typed_in_until_one_is_chosen(journal: Journal) -> None:
    assert journal.preferred_units() == {"temperature": "°C", "weight": "kg"}
    weigh(journal, "154 lb", 3)
    weigh(journal, "153 lbs", 2)
    weigh(journal, "69.5", 1)  # no unit typed: the catalogue's own (kg)
    journal.add_entry(journal.draft_from_text("temperature", "37.1"), day=day_offset(1))
    assert journal.preferred_units() == {"temperature": "°C", "weight": "lb"}
    journal.set_preferred_units({"weight": "kg", "temperature": "F"})
    assert journal.preferred_units() == {"temperature": "°F", "weight": "kg"}
    journal.set_preferred_units({"temperature": "°C"})  # one at a time keeps the other
    assert journal.preferred_units() == {"temperature": "°C", "weight": "kg"}


@pytest.mark.parametrize(
    ("units", "words"),
    [
        ({"weight": "stone"}, "Weight can be shown in kg or lb, not 'stone'."),
        ({"headache": "kg"}, "Headache has no choice of units."),
        ({"nothing": "kg"}, "nothing"),
    ],
)
def test_a_unit_that_cannot_be_shown_is_one_sentence_and_changes_nothing(
    journal: Journal, units: dict[str, str], words: str
) -> None:
    journal.set_preferred_units({"weight": "lb"})
    before = digest(journal.path)
    with pytest.raises(JournalError) as refused:
        journal.set_preferred_units(units)
    assert words in str(refused.value)
    assert digest(journal.path) == before
    assert journal.preferred_units()["weight"] == "lb"


def test_an_import_carries_the_chosen_units_checked(journal: Journal) -> None:
    assert journal.check_settings({"preferred_units": {"weight": "lbs"}}) == {
        "preferred_units": {"weight": "lb"}
    }
    with pytest.raises(ValidationError):
        journal.check_settings({"preferred_units": ["lb"]})


def test_the_report_shows_every_measurement_in_the_chosen_unit(
    journal: Journal, tmp_path: Path
) -> None:
    """Weighed in kg by the patient and in lb by a caregiver, temperatures in both: a
    reader of pounds and Fahrenheit reads pounds and Fahrenheit everywhere, with the
    clinical unit in brackets on page 1."""
    sam = Person("Sam", Role.CAREGIVER)
    weigh(journal, "72.0", 20)
    weigh(journal, "152.5 lb", 2, person=sam)
    journal.add_entry(journal.draft_from_text("temperature", "37.2"), day=day_offset(3))
    journal.add_entry(journal.draft_from_text("temperature", "99.5 F"), day=day_offset(2))
    journal.set_preferred_units({"weight": "lb", "temperature": "°F"})
    pages = make(journal, tmp_path / "lb.pdf")
    first, rest = pages[0], " ".join(pages[1:])
    text = " ".join(" ".join(pages).split())
    # page 1: the reading in pounds, kilograms in brackets, the change in pounds
    weight = r"Weight: 152\.5 lb \(69\.2 kg\) on .* \(−6\.2 lb since 158\.7 lb on"
    assert re.search(weight, " ".join(first.split()))
    # the tables: one unit, the chosen one (the patient's kg and Sam's lb alike)
    assert "Weight 2 152.5 lb" in text and "158.7 lb" in text
    assert "99.5 °F" in text and "99.0 °F" in text  # 37.2 °C is 98.96 °F
    assert " kg" not in " ".join(rest.split()) and "°C" not in text


def test_the_report_in_the_clinical_units_has_no_brackets(journal: Journal, tmp_path: Path) -> None:
    weigh(journal, "154 lb", 2)
    journal.set_preferred_units({"weight": "kg"})
    text = " ".join(" ".join(make(journal, tmp_path / "kg.pdf")).split())
    assert "Weight: 69.9 kg on" in text and " lb" not in text


def test_a_past_period_tells_treatments_then_and_no_appointment_already_past(
    journal: Journal,
) -> None:
    """Found by a tester: a report for last spring said "Current treatments" and gave a
    "next appointment" that had already been."""
    journal.add_treatment("chemotherapy", "Capecitabine", day_offset(90), end=day_offset(40))
    journal.add_appointment(day_offset(50), "follow_up")
    journal.add_entry(journal.draft("fatigue", 4), day=day_offset(60))
    past = report.collect(journal, report.ReportOptions(day_offset(70), day_offset(55)))
    blocks = report.page_one(past)
    headings = [b.text for b in blocks if b.style == "h2"]
    end = past.day(day_offset(55))
    assert f"Treatments on {end}, the end of this period" in headings
    assert "Current treatments" not in headings
    assert any("Capecitabine" in b.text for b in blocks)
    assert past.next_appointment is None
    assert not any(b.lead == "Next appointment:" for b in blocks)
    journal.add_appointment(day_offset(-7), "follow_up")
    now = report.collect(journal, report.ReportOptions(day_offset(30), dt.date.today()))
    assert now.next_appointment is not None and now.next_appointment.day == day_offset(-7)
    assert "Current treatments" in [b.text for b in report.page_one(now) if b.style == "h2"]


def test_counts_read_as_words(journal: Journal) -> None:
    item = journal.catalogue.item("fall")
    assert [item.format_value(n) for n in (1, 2, 3)] == ["yes", "twice", "3 times"]
