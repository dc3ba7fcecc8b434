"""The check-in's first read with plain sqlite3 (day_view.read_day) gives the same
day as the Journal service, so the rows painted before the ORM is imported are the
rows the journal holds (docs/performance.md, issue 17)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mbc_journal import day_view
from mbc_journal.day_view import DayView, read_day
from mbc_journal.journal import Journal
from mbc_journal.model import ItemKind, Person, Role
from tests.helpers import both_and_three_temperatures

SAM = Person("Sam", Role.CAREGIVER)
ALEX = Person("Alex", Role.CAREGIVER)


def fill(journal: Journal, today: dt.date) -> None:
    """Several people, own items, changed and deleted entries, a day note, a care plan."""
    yesterday = today - dt.timedelta(days=1)
    journal.set_profile_name("Maria")
    journal.set_my_sites(["liver", "bone"])
    journal.set_hidden_items(["headache"])
    journal.set_caregivers(["Sam", "zoe"])
    journal.add_custom_item("Tingling toes", "general")
    journal.add_custom_item("Fell over", "general", ItemKind.EVENT)
    both_and_three_temperatures(journal, today)
    journal.save_checkin(
        today,
        {"bone_pain": journal.draft("bone_pain", 6, note="worse on stairs")},
        day_note="Slept badly",
    )
    journal.save_checkin(today, {"custom_tingling_toes": journal.draft("custom_tingling_toes", 3)})
    journal.save_checkin(today, {"nausea": journal.draft("nausea", 2)}, person=ALEX)
    changed = journal.save_checkin(today, {"nausea": journal.draft("nausea", 4)}, person=SAM)
    assert changed.changed
    nausea = next(e for e in journal.entries_on(today) if e.person == SAM)
    journal.update_entry(nausea.id, note="after lunch")  # a version kept
    gone = journal.add_entry(journal.draft("vomiting", 1), day=today)
    journal.delete_entry(gone.id)
    journal.save_checkin(yesterday, {"fatigue": journal.draft("fatigue", 4)})
    journal.add_appointment(today + dt.timedelta(days=9), "scan", with_whom="Dr Lee")
    journal.add_appointment(today + dt.timedelta(days=3), time=dt.time(9, 30), with_whom="Dr Ng")
    journal.add_appointment(today - dt.timedelta(days=3))
    journal.add_question("Is the new pain from the bone?")
    answered = journal.add_question("Can I travel?")
    journal.answer_question(answered.id, "Yes")
    journal.add_question("Should I take more calcium?")
    for text in ("154 lb", "153 lb", "70.1"):  # weighed mostly in pounds
        journal.add_entry(journal.draft_from_text("weight", text), day=yesterday)
    journal.set_preferred_units({"temperature": "°F"})  # and temperature chosen


@pytest.fixture
def filled(journal: Journal, today: dt.date) -> Journal:
    fill(journal, today)
    return journal


def test_the_plain_read_is_the_journals_day(filled: Journal, today: dt.date) -> None:
    quick = read_day(filled.path, today, today)
    assert quick is not None
    full = DayView.from_journal(filled, today, today)
    assert quick == full
    # and the fixture has what it is meant to hold
    assert len({e.person for e in quick.entries}) == 3
    assert quick.preferred_units() == {"temperature": "°F", "weight": "lb"}
    assert not any(e.item_id == "vomiting" for e in quick.entries)
    assert quick.note is not None and quick.note.text == "Slept badly"
    assert quick.caregivers == ("Alex", "Sam", "zoe")
    assert quick.appointment is not None and quick.appointment.with_whom == "Dr Ng"
    assert [q.text for q in quick.open_questions] == [
        "Is the new pain from the bone?",
        "Should I take more calcium?",
    ]
    assert quick.catalogue.has_item("custom_fell_over")
    assert quick.earlier_day == today - dt.timedelta(days=1)


def test_it_answers_the_check_ins_reads_like_the_journal(filled: Journal, today: dt.date) -> None:
    quick = read_day(filled.path, today, today)
    assert quick is not None
    for site in filled.catalogue.sites:
        assert quick.visible_items(site.id) == filled.visible_items(site.id)
    assert quick.my_sites() == filled.my_sites()
    assert quick.people() == filled.people()
    assert quick.profile_name() == filled.profile_name()
    assert quick.entries_on(today) == filled.entries_on(today)
    assert quick.day_note(today) == filled.day_note(today)
    assert quick.latest_day_before(today) == filled.latest_day_before(today)
    assert quick.next_appointment() == filled.next_appointment()
    assert quick.questions(open_only=True) == filled.questions(open_only=True)
    with pytest.raises(LookupError):
        quick.entries_on(today - dt.timedelta(days=1))  # it holds one day only


def test_an_empty_day_and_an_empty_journal(journal: Journal, today: dt.date) -> None:
    quick = read_day(journal.path, today, today)
    assert quick == DayView.from_journal(journal, today, today)
    assert quick is not None and quick.entries == () and quick.appointment is None


def test_journals_that_go_the_full_way(tmp_path: Path, filled: Journal, today: dt.date) -> None:
    assert read_day(tmp_path / "none.sqlite3") is None  # not there: Journal.open makes it
    old = tmp_path / "old.sqlite3"
    shutil.copy(filled.path, old)
    import sqlite3

    with sqlite3.connect(old) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0004'")
    raw.close()
    assert read_day(old) is None  # a migration first
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    assert read_day(damaged) is None  # Journal.open says it is damaged


def test_reading_changes_nothing(filled: Journal, today: dt.date) -> None:
    filled.close()
    before = filled.path.read_bytes()
    assert read_day(filled.path, today, today) is not None
    assert filled.path.read_bytes() == before


def test_the_shared_rules() -> None:
    assert day_view.people(["zoe", "Sam"], ["", "Alex", "Sam"]) == ["Alex", "Sam", "zoe"]


def test_reading_a_day_imports_no_orm(filled: Journal, today: dt.date) -> None:
    filled.close()
    code = (
        "import sys, datetime as dt\n"
        "from pathlib import Path\n"
        "from mbc_journal.day_view import read_day\n"
        f"view = read_day(Path({str(filled.path)!r}))\n"
        "assert view is not None and view.entries\n"
        "print([m for m in ('sqlalchemy', 'alembic', 'mbc_journal.journal') if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
