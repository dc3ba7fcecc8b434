"""The journal service on a real temporary SQLite file."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest

from mbc_journal.errors import (
    CorruptJournalError,
    DiskFullError,
    NewerVersionError,
    NotAJournalError,
    NotFoundError,
    ValidationError,
)
from mbc_journal.journal import CLEAR, Journal
from mbc_journal.model import EntryFilter, ItemKind, Person, Role, Value
from tests.conftest import day_offset
from tests.helpers import other_programs_file

SAM = Person("Sam", Role.CAREGIVER)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_add_edit_delete_undelete(journal: Journal) -> None:
    entry = journal.add_entry(journal.draft("headache", 5, note="after lunch"))
    assert journal.entry(entry.id).value == 5
    changed = journal.update_entry(entry.id, note="after dinner")
    assert changed.note == "after dinner"
    journal.delete_entry(entry.id)
    assert journal.entries() == []
    assert journal.entries(EntryFilter(include_deleted=True))[0].deleted
    journal.undelete_entry(entry.id)
    assert [e.id for e in journal.entries()] == [entry.id]


def test_a_rating_of_zero_is_not_the_same_as_not_logged(journal: Journal, today: dt.date) -> None:
    journal.save_checkin(today, {"headache": journal.draft("headache", 0)})
    [entry] = journal.entries_on(today)
    assert entry.item_id == "headache" and entry.value == 0
    journal.save_checkin(today, {"headache": CLEAR})
    assert journal.entries_on(today) == []
    # The cleared value is recoverable, not gone.
    assert journal.entries(EntryFilter(include_deleted=True))[0].value == 0


def test_checkin_updates_the_days_entries(journal: Journal, today: dt.date) -> None:
    first = journal.save_checkin(
        today,
        {"headache": journal.draft("headache", 3), "fatigue": journal.draft("fatigue", 6)},
        day_note="Tired",
    )
    assert (first.added, first.updated) == (2, 0)
    second = journal.save_checkin(
        today,
        {"headache": journal.draft("headache", 4), "fatigue": journal.draft("fatigue", 6)},
        day_note="Tired but ok",
    )
    assert (second.added, second.updated) == (0, 1)
    values = {e.item_id: e.value for e in journal.entries_on(today)}
    assert values == {"headache": 4, "fatigue": 6}
    note = journal.day_note(today)
    assert note is not None and note.text == "Tired but ok"


def test_an_invalid_item_saves_nothing_of_the_checkin(journal: Journal, today: dt.date) -> None:
    good = journal.draft("headache", 3)
    with pytest.raises(NotFoundError):
        journal.save_checkin(today, {"headache": good, "no_such_item": good})
    assert journal.entries() == []


def test_disk_full_mid_checkin_keeps_earlier_entries(journal: Journal, journal_path: Path) -> None:
    earlier = journal.add_entry(journal.draft("fatigue", 2), day=day_offset(1))
    with sqlite3.connect(journal_path) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    # max_page_count is per connection: apply it to the journal's own connection.
    from sqlalchemy import event

    @event.listens_for(journal._engine, "connect")
    def _limit(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    journal._engine.dispose()
    huge = {
        "headache": journal.draft("headache", 3, note="x" * 19_000),
        "cough": journal.draft("cough", 2, note="y" * 19_000),
    }
    with pytest.raises(DiskFullError, match="disk is full"):
        journal.save_checkin(dt.date.today(), huge)
    event.remove(journal._engine, "connect", _limit)
    journal._engine.dispose()
    assert [e.id for e in journal.entries()] == [earlier.id]
    assert journal.check().ok


def test_rating_logged_twice_on_a_day_is_updated_events_are_added(
    journal: Journal, today: dt.date
) -> None:
    a = journal.add_entry(journal.draft("headache", 3))
    b = journal.add_entry(journal.draft("headache", 6))
    assert a.id == b.id and journal.entry(a.id).value == 6
    journal.add_entry(journal.draft("seizure", 1))
    journal.add_entry(journal.draft("seizure", 1))
    assert len(journal.entries(EntryFilter(item_ids=("seizure",)))) == 2


def test_queries_filter_by_date_site_item_and_who(journal: Journal) -> None:
    journal.add_entry(journal.draft("bone_pain", 4), day=day_offset(10))
    journal.add_entry(journal.draft("bone_pain", 5), day=day_offset(2))
    journal.add_entry(journal.draft("cough", 2), day=day_offset(2))
    journal.add_entry(journal.draft("confusion", 3), day=day_offset(1), person=SAM)
    journal.add_entry(journal.draft("nausea", 2), day=day_offset(1))
    assert [e.value for e in journal.entries(EntryFilter(site_id="bone"))] == [4, 5]
    recent = journal.entries(EntryFilter(date_from=day_offset(2)))
    assert {e.item_id for e in recent} == {"bone_pain", "cough", "confusion", "nausea"}
    assert [e.item_id for e in journal.entries(EntryFilter(entered_by="sam"))] == ["confusion"]
    assert [e.item_id for e in journal.entries(EntryFilter(role=Role.CAREGIVER))] == ["confusion"]
    # Nausea belongs to several sites and shows under each.
    assert "nausea" in {e.item_id for e in journal.entries(EntryFilter(site_id="liver"))}
    assert "nausea" in {e.item_id for e in journal.entries(EntryFilter(site_id="brain"))}
    assert journal.people() == ["Sam"]
    with pytest.raises(ValidationError, match="after it ends"):
        journal.entries(EntryFilter(date_from=day_offset(1), date_to=day_offset(3)))


def test_future_dates_are_refused(journal: Journal) -> None:
    with pytest.raises(ValidationError, match="future"):
        journal.add_entry(journal.draft("fatigue", 2), day=dt.date.today() + dt.timedelta(days=1))
    assert journal.count_entries() == 0


def test_measurements_keep_the_unit_typed(journal: Journal) -> None:
    entry = journal.add_entry(journal.draft_from_text("temperature", "100.4F"))
    assert entry.value == pytest.approx(38.0)
    item = journal.catalogue.item("temperature")
    assert item.format_value(entry.value, entry.unit) == "100.4 °F"


def test_custom_items_and_hidden_items(journal: Journal) -> None:
    item = journal.add_custom_item("Dry eyes", "general")
    assert item.custom and item.kind is ItemKind.RATING
    journal.add_entry(journal.draft(item.id, 3))
    with pytest.raises(ValidationError, match="already"):
        journal.add_custom_item("dry eyes", "general")
    journal.set_hidden_items(["hot_flushes", item.id])
    assert "hot_flushes" not in {i.id for i in journal.visible_items("general")}
    # Hiding never touches old entries.
    assert journal.entries()[0].item_id == item.id
    reopened = Journal.open(journal.path)
    assert reopened.catalogue.item(item.id).label == "Dry eyes"
    reopened.close()


def test_new_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "j.sqlite3"
    Journal.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_durable_pragmas(journal: Journal) -> None:
    with journal._engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_a_newer_journal_is_refused_and_not_altered(journal: Journal, journal_path: Path) -> None:
    journal.add_entry(journal.draft("fatigue", 2))
    journal.close()
    with sqlite3.connect(journal_path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    before = digest(journal_path)
    with pytest.raises(NewerVersionError, match="newer version"):
        Journal.open(journal_path)
    assert digest(journal_path) == before


@pytest.mark.parametrize(
    "content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\x01" * 3000]
)
def test_a_corrupt_file_is_refused_and_not_altered(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(content)
    with pytest.raises(CorruptJournalError):
        Journal.open(path)
    assert path.read_bytes() == content


def test_a_zero_byte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    with pytest.raises(CorruptJournalError, match="empty"):
        Journal.open(path)
    assert path.stat().st_size == 0


def test_another_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    path = other_programs_file(tmp_path / "other.sqlite3")
    before = digest(path)
    with pytest.raises(NotAJournalError, match="not an MBC Journal"):
        Journal.open(path)
    assert digest(path) == before


def test_settings_round_trip(journal: Journal) -> None:
    journal.set_profile_name("Ada")
    journal.set_my_sites(["bone", "liver"])
    assert journal.profile_name() == "Ada"
    assert journal.my_sites() == ["bone", "liver"]
    with pytest.raises(NotFoundError):
        journal.set_my_sites(["kidney"])
    assert journal.my_sites() == ["bone", "liver"]


def test_editing_a_measurement_keeps_the_unit_typed(journal: Journal) -> None:
    entry = journal.add_entry(journal.draft_from_text("temperature", "100.4F"))
    new = journal.draft_from_text("temperature", "101.3 F").value
    edited = journal.update_entry(entry.id, value=new)
    item = journal.catalogue.item("temperature")
    assert item.format_value(edited.value, edited.unit) == "101.3 °F"
    with pytest.raises(ValidationError, match="plausible"):
        journal.update_entry(entry.id, value=Value(60.0))
    assert journal.entry(entry.id).value == pytest.approx(edited.value)


def test_temperature_days_keep_their_highest_and_lowest_reading(journal: Journal) -> None:
    for offset, value in [(9, 37.0), (9, 38.5), (5, 36.8), (2, 37.2)]:
        journal.add_entry(journal.draft("temperature", value), day=day_offset(offset))
    by_sam = journal.add_entry(journal.draft("temperature", 36.9), day=day_offset(5), person=SAM)
    gone = journal.add_entry(journal.draft("temperature", 40.0), day=day_offset(1))
    journal.delete_entry(gone.id)
    journal.add_entry(journal.draft("fatigue", 4), day=day_offset(20))
    days = journal.item_days(day_offset(10), day_offset(0))
    assert set(days) == {"temperature"}  # nothing logged: no column, never a zero
    t = days["temperature"]
    assert t.ordinals == [day_offset(n).toordinal() for n in (9, 5, 2)]
    assert t.values == [38.5, 36.9, 37.2] and t.caregiver == [False, True, False]
    assert t.lows == [37.0, 36.8, 37.2]
    assert str(by_sam.id) in t.ids[1].split(",") and str(gone.id) not in ",".join(t.ids)
    stats = t.stats()
    assert stats is not None
    assert (stats.days, stats.entries, stats.latest_day, stats.latest) == (
        3,
        5,
        day_offset(2),
        37.2,
    )
    assert (stats.worst, stats.lowest) == (38.5, 36.8)  # the lowest reading, not day
    assert stats.average == pytest.approx((38.5 + 36.9 + 37.2) / 3)
    assert t.between(day_offset(6), day_offset(3)).values == [36.9]
    assert t.between(day_offset(1), day_offset(0)).stats() is None


def test_the_chemotherapy_box_is_only_what_was_ticked(journal: Journal) -> None:
    """The settings box is the manual flag; the care plan adds to it, never into it."""
    chemo = journal.add_treatment("chemotherapy", "Capecitabine", day_offset(20))
    assert journal.on_chemotherapy(day_offset(0)) and not journal.chemotherapy_ticked()
    journal.end_treatment(chemo.id, day_offset(5))
    assert not journal.on_chemotherapy(day_offset(4)) and journal.on_chemotherapy(day_offset(5))
    journal.set_on_chemotherapy(True)
    assert journal.chemotherapy_ticked() and journal.on_chemotherapy(day_offset(4))
