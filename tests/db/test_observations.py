"""Every observation kept (issue 21): both people's ratings, several readings a day,
one definition of a day's value, and an edit history that can bring a version back."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from mbc_journal.errors import NotFoundError, ValidationError
from mbc_journal.journal import CLEAR, Journal
from mbc_journal.model import Change, DayRule, EntryFilter, Person, Role, Value, day_value
from tests.conftest import day_offset

SAM = Person("Sam", Role.CAREGIVER)
DAY = day_offset(3)


def test_patient_5_and_caregiver_8_both_survive_a_save_and_a_restart(journal_path: Path) -> None:
    with Journal.open(journal_path) as journal:
        journal.save_checkin(DAY, {"fatigue": journal.draft("fatigue", 5)})
        journal.save_checkin(DAY, {"fatigue": journal.draft("fatigue", 8)}, person=SAM)
    with Journal.open(journal_path) as journal:
        ratings = sorted((e.value, e.person.role) for e in journal.entries_on(DAY))
        assert ratings == [(5.0, Role.PATIENT), (8.0, Role.CAREGIVER)]
        fatigue = journal.item_days(DAY, DAY)["fatigue"]
        # The patient's own rating is the day's value; the caregiver's is kept beside it.
        assert (fatigue.values, fatigue.others, fatigue.caregiver) == ([5.0], [8.0], [False])


def test_three_temperatures_of_one_day_are_three_readings_with_their_times(
    journal: Journal,
) -> None:
    readings = [
        journal.draft("temperature", t, time=dt.time(h, m))
        for t, h, m in [(37.2, 7, 10), (38.4, 13, 40), (37.9, 21, 5)]
    ]
    result = journal.save_checkin(DAY, {}, readings=readings[:2])
    journal.save_checkin(DAY, {}, readings=readings[2:], person=SAM)
    assert result.added == 2
    stored = [(e.time, e.value) for e in journal.entries_on(DAY)]
    assert stored == [(dt.time(7, 10), 37.2), (dt.time(13, 40), 38.4), (dt.time(21, 5), 37.9)]
    temperature = journal.item_days(DAY, DAY)["temperature"]
    assert (temperature.values, temperature.lows) == ([38.4], [37.2])  # highest and lowest
    assert temperature.caregiver == [False]  # the highest is the patient's own
    journal.save_checkin(DAY, {}, readings=[journal.draft("temperature", 39.0)], person=SAM)
    assert temperature.stats().entries == 3  # type: ignore[union-attr]
    journal.save_checkin(DAY, {}, readings=[journal.draft("temperature", 39.0)], person=SAM)
    assert journal.item_days(DAY, DAY)["temperature"].caregiver == [True]  # now Sam's


def test_a_rating_cannot_be_added_as_a_second_reading(journal: Journal) -> None:
    with pytest.raises(ValidationError, match="one per day"):
        journal.save_checkin(DAY, {}, readings=[journal.draft("fatigue", 4)])
    assert journal.entries_on(DAY) == []


@pytest.mark.parametrize(
    ("rule", "values", "caregiver", "expected"),
    [
        # ratings: the patient's own worst; a caregiver's only when the patient rated nothing
        (DayRule.WORST, [5, 8, 3], [False, True, False], (5, 3, 8, False)),
        (DayRule.WORST, [6, 8], [True, True], (8, 6, math.nan, True)),
        # temperature: the highest and the lowest of anyone's readings
        (DayRule.HIGH_LOW, [37.2, 38.4, 37.9], [False, False, True], (38.4, 37.2, math.nan, False)),
        (DayRule.HIGH_LOW, [37.2, 39.0], [False, True], (39.0, 37.2, math.nan, True)),
        # weight: the last of the day
        (DayRule.LAST, [70.4, 70.1], [False, False], (70.1, 70.1, math.nan, False)),
        # events and doses: counted over the day, each person apart, the larger count
        (DayRule.TOTAL, [1, 1, 1], [False, False, True], (2, 2, math.nan, False)),
        (DayRule.TOTAL, [1, 3], [False, True], (3, 3, math.nan, True)),
    ],
)
def test_one_definition_of_a_days_value(
    rule: DayRule,
    values: list[float],
    caregiver: list[bool],
    expected: tuple[float, float, float, bool],
) -> None:
    value, low, other, by_caregiver = day_value(rule, values, caregiver)
    assert (value, by_caregiver) == (expected[0], expected[3])
    assert other == expected[2] or (math.isnan(other) and math.isnan(expected[2]))
    if rule is not DayRule.LAST:
        assert low == expected[1]


def test_the_catalogue_says_how_each_measurement_makes_its_day(journal: Journal) -> None:
    rules = {i: journal.catalogue.item(i).day_rule for i in ("temperature", "weight", "fatigue")}
    assert rules == {
        "temperature": DayRule.HIGH_LOW,
        "weight": DayRule.LAST,
        "fatigue": DayRule.WORST,
    }
    assert journal.catalogue.item("pain_relief_doses").day_rule is DayRule.TOTAL
    assert journal.catalogue.item("seizure").day_rule is DayRule.TOTAL


def test_weight_is_the_last_reading_and_doses_add_up(journal: Journal) -> None:
    journal.save_checkin(
        DAY,
        {},
        readings=[
            journal.draft("weight", 70.6, time=dt.time(19, 0)),
            journal.draft("weight", 70.1, time=dt.time(7, 0)),
            journal.draft("pain_relief_doses", 2, time=dt.time(8, 0)),
            journal.draft("pain_relief_doses", 1, time=dt.time(20, 0)),
        ],
    )
    days = journal.item_days(DAY, DAY)
    assert days["weight"].values == [70.6]  # the evening's, though entered first
    assert days["pain_relief_doses"].values == [3.0]


def test_the_rules_read_the_patients_rating_and_a_caregivers_seizure(journal: Journal) -> None:
    journal.add_entry(journal.draft("seizure", 1), day=DAY, person=SAM)
    urgent = [s for s in journal.signals(DAY, DAY) if s.item_id == "seizure"]
    assert urgent and urgent[0].by_caregiver  # a caregiver's seizure is a seizure


def test_an_edited_entry_keeps_its_earlier_value_and_can_be_brought_back(
    journal: Journal,
) -> None:
    entry = journal.add_entry(journal.draft("bone_pain", 4, note="after the walk"), day=DAY)
    journal.update_entry(entry.id, value=Value(7.0), note="worse at night")
    [earlier] = journal.entry_versions(entry.id)
    assert (earlier.value, earlier.note, earlier.change) == (4.0, "after the walk", Change.EDITED)
    assert earlier.saved_at == entry.updated_at
    back = journal.bring_back(earlier.id)
    assert (back.value, back.note) == (4.0, "after the walk")
    # Bringing back is itself kept: the 7 is not gone either.
    assert [(v.value, v.change) for v in journal.entry_versions(entry.id)] == [
        (4.0, Change.EDITED),
        (7.0, Change.BROUGHT_BACK),
    ]
    assert journal.versions_count() == {entry.id: 2}


def test_every_way_an_entry_changes_leaves_a_trace(journal: Journal) -> None:
    first = journal.save_checkin(DAY, {"nausea": journal.draft("nausea", 3)})
    assert first.added == 1
    (entry,) = journal.entries_on(DAY)
    journal.save_checkin(DAY, {"nausea": journal.draft("nausea", 6)})  # updated in place
    journal.save_checkin(DAY, {"nausea": CLEAR})  # a discard is recorded
    journal.undelete_entry(entry.id)
    journal.delete_entry(entry.id)
    journal.restore_entry_version(journal.entry(entry.id))  # undo puts it back as it was
    changes = [(v.value, v.change, v.deleted) for v in journal.entry_versions(entry.id)]
    assert changes == [
        (3.0, Change.EDITED, False),
        (6.0, Change.DELETED, False),
        (6.0, Change.UNDELETED, True),
        (6.0, Change.DELETED, False),
        (6.0, Change.UNDONE, True),
    ]


def test_saving_the_same_values_again_adds_no_version(journal: Journal) -> None:
    entry = journal.add_entry(journal.draft("nausea", 3), day=DAY)
    journal.add_entry(journal.draft("nausea", 3), day=DAY)
    journal.update_entry(entry.id, value=Value(3.0), note="")
    journal.save_checkin(DAY, {"nausea": journal.draft("nausea", 3)})
    journal.delete_entry(entry.id)
    journal.delete_entry(entry.id)
    assert [v.change for v in journal.entry_versions(entry.id)] == [Change.DELETED]


def test_versions_of_an_entry_that_does_not_exist(journal: Journal) -> None:
    with pytest.raises(NotFoundError, match="no entry number 99"):
        journal.entry_versions(99)
    with pytest.raises(NotFoundError, match="no earlier version number 5"):
        journal.bring_back(5)


def test_history_lists_each_reading_and_who(journal: Journal) -> None:
    journal.add_entry(journal.draft("temperature", 37.0, time=dt.time(8, 0)), day=DAY)
    journal.add_entry(journal.draft("temperature", 38.2, time=dt.time(15, 0)), day=DAY, person=SAM)
    listed = journal.entries(EntryFilter(item_ids=("temperature",)))
    assert [(e.time, e.person.name) for e in listed] == [(dt.time(8, 0), ""), (dt.time(15), "Sam")]


def test_a_reading_later_than_now_is_refused_and_nothing_is_saved(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mbc_journal import model

    now = dt.datetime.combine(dt.date.today(), dt.time(18, 0))
    monkeypatch.setattr(model, "clock", lambda: now)
    today = now.date()
    late = journal.draft("temperature", 38.0, time=dt.time(23, 0))
    with pytest.raises(ValidationError, match="23:00 on .* is later than now"):
        journal.save_checkin(today, {"fatigue": journal.draft("fatigue", 4)}, readings=[late])
    with pytest.raises(ValidationError, match="later than now"):
        journal.add_entry(late, day=today)
    assert journal.entries_on(today) == []  # the whole check-in refused, nothing half-saved
    journal.add_entry(late, day=today - dt.timedelta(days=1))  # yesterday at 23:00 happened
    ok = journal.add_entry(journal.draft("temperature", 37.0, time=dt.time(18, 10)), day=today)
    with pytest.raises(ValidationError, match="later than now"):
        journal.update_entry(ok.id, time=dt.time(18, 11))
    assert journal.entry(ok.id).time == dt.time(18, 10)


def test_moving_a_rating_onto_a_day_with_the_same_persons_rating_is_refused(
    journal: Journal,
) -> None:
    there = journal.add_entry(journal.draft("fatigue", 5), day=day_offset(2))
    moved = journal.add_entry(journal.draft("fatigue", 3), day=day_offset(3))
    sams = journal.add_entry(journal.draft("fatigue", 8), day=day_offset(4), person=SAM)
    with pytest.raises(ValidationError, match="already has a rating by the same person"):
        journal.update_entry(moved.id, day=day_offset(2))
    assert journal.entry(moved.id).local_date == day_offset(3)
    journal.update_entry(sams.id, day=day_offset(2))  # another person's: beside it, fine
    assert sorted(e.value for e in journal.entries_on(day_offset(2))) == [5.0, 8.0]
    assert journal.entry(there.id).value == 5.0


def test_a_deleted_entry_is_brought_back_before_it_is_changed(journal: Journal) -> None:
    gone = journal.add_entry(journal.draft("cough", 2), day=DAY)
    journal.delete_entry(gone.id)
    with pytest.raises(ValidationError, match="is deleted; bring it back"):
        journal.update_entry(gone.id, value=Value(9.0))
    assert journal.entry(gone.id).value == 2.0
