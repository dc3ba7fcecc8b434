"""What the check-in shows for one day, as plain values, without the ORM.

``DayView`` holds a day's entries (everyone's), its note, the settings and
catalogue the check-in is built from, and the care-plan lines it shows. It is
read two ways that must agree (a test compares them on a fixture journal):

- ``read_day`` with plain ``sqlite3``, read-only, for a plain journal that is
  up to date: the check-in is built and painted from it at start-up, before
  SQLAlchemy is imported (about 0.3 s and 50 MiB; docs/performance.md);
- ``DayView.from_journal`` through the ``Journal`` service.

It answers the read methods of ``Journal`` the check-in uses (``DaySource``), for
its own day only. It never writes: saving waits for the ``Journal``. Safety
signals are not in it: they are computed only by the journal (one implementation
of the safety logic), once it is open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mbc_journal.careplan import Appointment, AppointmentKind, Question, QuestionStatus
from mbc_journal.catalogue import Catalogue
from mbc_journal.model import (
    DayNote,
    Entry,
    EntryDraft,
    Item,
    ItemKind,
    Person,
    Role,
    check_text,
    check_value,
    parse_value,
)

if TYPE_CHECKING:
    from mbc_journal.journal import Journal


class DaySource(Protocol):
    """The reads the check-in is built from: a ``Journal`` or a ``DayView``."""

    @property
    def catalogue(self) -> Catalogue: ...
    def my_sites(self) -> list[str]: ...
    def visible_items(self, site_id: str) -> tuple[Item, ...]: ...
    def profile_name(self) -> str: ...
    def people(self) -> list[str]: ...
    def entries_on(self, day: dt.date) -> list[Entry]: ...
    def day_note(self, day: dt.date) -> DayNote | None: ...
    def latest_day_before(self, day: dt.date) -> dt.date | None: ...
    def next_appointment(self, today: dt.date | None = None) -> Appointment | None: ...
    def questions(self, *, open_only: bool = False) -> list[Question]: ...
    def preferred_units(self) -> dict[str, str]: ...
    def draft(
        self,
        item_id: str,
        number: float,
        unit: str | None = None,
        *,
        time: dt.time | None = None,
        note: str = "",
    ) -> EntryDraft: ...
    def draft_from_text(
        self, name: str, text: str, *, time: dt.time | None = None, note: str = ""
    ) -> EntryDraft: ...


def draft(
    catalogue: Catalogue,
    item_id: str,
    number: float,
    unit: str | None = None,
    *,
    time: dt.time | None = None,
    note: str = "",
) -> EntryDraft:
    """A validated entry for ``item_id`` (from a widget's number)."""
    item = catalogue.item(item_id)
    return EntryDraft(item.id, check_value(item, number, unit), time, check_text(note))


def draft_from_text(
    catalogue: Catalogue,
    name: str,
    text: str,
    *,
    time: dt.time | None = None,
    note: str = "",
    units: dict[str, str] | None = None,
) -> EntryDraft:
    """A validated entry from typed text ("38.2", "100.4F", "yes", "7"); a number with no
    unit is in the item's unit from ``units`` (the preferred units) if given."""
    item = catalogue.find(name)
    value = parse_value(item, text, (units or {}).get(item.id))
    return EntryDraft(item.id, value, time, check_text(note))


def visible_items(catalogue: Catalogue, site_id: str, hidden: Iterable[str]) -> tuple[Item, ...]:
    """A site's items the check-in offers: not hidden by the user, not retired."""
    hidden = set(hidden)
    return tuple(
        i for i in catalogue.items_for_site(site_id) if i.id not in hidden and not i.retired
    )


def preferred_units(
    catalogue: Catalogue, chosen: Any, typed: Iterable[tuple[str, str | None, int]]
) -> dict[str, str]:
    """The unit each measurement with a choice of units is shown in: the one ``chosen``
    (the setting, {item id: unit}), else the unit most of its readings were ``typed`` in
    ((item id, unit or None for its own, count) rows; someone who weighs in pounds reads
    pounds), else the catalogue's own; on a tie, the catalogue's own."""
    chosen = chosen if isinstance(chosen, dict) else {}
    counted: dict[str, dict[str, int]] = {}
    for item_id, unit, count in typed:
        if catalogue.has_item(item_id):
            found = counted.setdefault(item_id, {})
            unit = str(unit or catalogue.item(item_id).unit)
            found[unit] = found.get(unit, 0) + int(count)
    units: dict[str, str] = {}
    for item in catalogue.items:
        if len(item.units) < 2:
            continue
        unit = chosen.get(item.id)
        if unit not in item.units:
            used = {u: n for u, n in counted.get(item.id, {}).items() if u in item.units}
            unit = max(used, key=lambda u: (used[u], u == item.unit), default=item.unit)
        units[item.id] = str(unit)
    return units


# The unit counts preferred_units needs, as plain SQL (Journal runs the same query).
UNITS_TYPED_SQL = (
    "SELECT item_id, unit, count(*) FROM entries WHERE deleted_at IS NULL"
    " AND item_id IN ({}) GROUP BY item_id, unit"
)


def measured_with_units(catalogue: Catalogue) -> list[str]:
    return [i.id for i in catalogue.items if len(i.units) > 1]


def people(saved: Iterable[str], used: Iterable[str]) -> list[str]:
    """Caregivers saved in the settings and those who have entered something."""
    return sorted(set(saved) | {n for n in used if n}, key=str.lower)


@dataclass(frozen=True)
class DayView:
    day: dt.date
    today: dt.date  # what "next appointment" counts from
    catalogue: Catalogue
    sites: tuple[str, ...]  # the user's own organ sites, in their order
    hidden: tuple[str, ...]
    profile: str
    caregivers: tuple[str, ...]
    entries: tuple[Entry, ...]  # the day's live entries, everyone's, as entries_on orders them
    note: DayNote | None
    earlier_day: dt.date | None  # the latest day before ``day`` with an entry
    appointment: Appointment | None  # the next one from ``today``
    open_questions: tuple[Question, ...]
    units: tuple[tuple[str, str], ...] = ()  # preferred_units, as (item id, unit)

    @classmethod
    def from_journal(cls, journal: Journal, day: dt.date, today: dt.date | None = None) -> DayView:
        today = today or dt.date.today()
        return cls(
            day=day,
            today=today,
            catalogue=journal.catalogue,
            sites=tuple(journal.my_sites()),
            hidden=tuple(journal.hidden_items()),
            profile=journal.profile_name(),
            caregivers=tuple(journal.people()),
            entries=tuple(journal.entries_on(day)),
            note=journal.day_note(day),
            earlier_day=journal.latest_day_before(day),
            appointment=journal.next_appointment(today),
            open_questions=tuple(journal.questions(open_only=True)),
            units=tuple(journal.preferred_units().items()),
        )

    # the reads of Journal the check-in makes -------------------------------------------

    def my_sites(self) -> list[str]:
        return list(self.sites)

    def visible_items(self, site_id: str) -> tuple[Item, ...]:
        return visible_items(self.catalogue, site_id, self.hidden)

    def profile_name(self) -> str:
        return self.profile

    def people(self) -> list[str]:
        return list(self.caregivers)

    def entries_on(self, day: dt.date) -> list[Entry]:
        return list(self.entries) if self._mine(day) else []

    def day_note(self, day: dt.date) -> DayNote | None:
        return self.note if self._mine(day) else None

    def latest_day_before(self, day: dt.date) -> dt.date | None:
        return self.earlier_day if self._mine(day) else None

    def next_appointment(self, today: dt.date | None = None) -> Appointment | None:
        return self.appointment if self._counts_from(today) else None

    def questions(self, *, open_only: bool = False) -> list[Question]:
        if not open_only:
            raise LookupError("A day's view holds only the open questions.")
        return list(self.open_questions)

    def preferred_units(self) -> dict[str, str]:
        return dict(self.units)

    def draft(
        self,
        item_id: str,
        number: float,
        unit: str | None = None,
        *,
        time: dt.time | None = None,
        note: str = "",
    ) -> EntryDraft:
        return draft(self.catalogue, item_id, number, unit, time=time, note=note)

    def draft_from_text(
        self, name: str, text: str, *, time: dt.time | None = None, note: str = ""
    ) -> EntryDraft:
        return draft_from_text(self.catalogue, name, text, time=time, note=note)

    def _mine(self, day: dt.date) -> bool:
        if day != self.day:
            raise LookupError(f"This view holds {self.day}, not {day}.")
        return True

    def _counts_from(self, today: dt.date | None) -> bool:
        if (today or dt.date.today()) != self.today:
            raise LookupError(f"This view counts from {self.today}.")
        return True


def read_day(
    path: Path, day: dt.date | None = None, today: dt.date | None = None
) -> DayView | None:
    """The day read with plain ``sqlite3`` (read-only), or None when this journal must
    go the full way (``Journal.open``), which then says what is wrong: encrypted (it
    asks for the passphrase), not up to date (a migration), not writable, damaged or
    not readable here. Reading never changes the file."""
    from mbc_journal.db import cipher, version
    from mbc_journal.errors import JournalError

    today = today or dt.date.today()
    day = day or today
    try:
        if (
            not path.is_file()
            or not os.access(path, os.W_OK)
            or not os.access(path.parent, os.W_OK)
            or cipher.is_encrypted(path)
            or not version.probe(path).is_current
        ):
            return None
        connection = sqlite3.connect(version.read_only_uri(path), uri=True, timeout=5.0)
    except (JournalError, OSError, sqlite3.Error):
        return None
    try:
        with contextlib.closing(connection):
            return _read(connection, day, today)
    except (sqlite3.Error, ValueError, TypeError, LookupError):
        return None  # the journal, opened fully, will say what is wrong


def _read(db: sqlite3.Connection, day: dt.date, today: dt.date) -> DayView:
    from mbc_journal import catalogue as catalogue_module

    settings = {
        key: json.loads(value)
        for key, value in db.execute(
            f"SELECT key, value FROM settings WHERE key IN ({', '.join('?' * len(_SETTINGS))})",
            _SETTINGS,
        )
    }
    custom = [
        catalogue_module.custom_item(item_id, label, ItemKind(kind), site_id)
        for item_id, label, kind, site_id in db.execute(
            "SELECT id, label, kind, site_id FROM custom_items ORDER BY created_at"
        )
    ]
    iso = day.isoformat()
    entries = tuple(
        _entry(row)
        for row in db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE deleted_at IS NULL"
            " AND local_date >= ? AND local_date <= ? ORDER BY local_date, time, id",
            (iso, iso),
        )
    )
    note_row = db.execute(
        "SELECT local_date, text, entered_by, role FROM day_notes WHERE local_date = ?", (iso,)
    ).fetchone()
    (earlier,) = db.execute(
        "SELECT max(local_date) FROM entries WHERE deleted_at IS NULL AND local_date < ?",
        (iso,),
    ).fetchone()
    used = [
        name
        for (name,) in db.execute(
            "SELECT DISTINCT entered_by FROM entries WHERE role = ?", (Role.CAREGIVER.value,)
        )
    ]
    appointment = db.execute(
        "SELECT id, day, time, with_whom, kind, notes FROM appointments"
        " WHERE deleted_at IS NULL AND day >= ? ORDER BY day, time, id LIMIT 1",
        (today.isoformat(),),
    ).fetchone()
    questions = tuple(
        Question(qid, text, appointment_id, QuestionStatus(status), answer, _datetime(created))
        for qid, text, appointment_id, status, answer, created in db.execute(
            "SELECT id, text, appointment_id, status, answer, created_at FROM questions"
            " WHERE deleted_at IS NULL AND status = ? ORDER BY id",
            (QuestionStatus.OPEN.value,),
        )
    )
    catalogue = catalogue_module.load().with_custom(custom)
    measured = measured_with_units(catalogue)
    typed = db.execute(UNITS_TYPED_SQL.format(", ".join("?" * len(measured))), measured)
    units = preferred_units(catalogue, settings.get(PREFERRED_UNITS, {}), typed)
    return DayView(
        day=day,
        today=today,
        catalogue=catalogue,
        sites=tuple(str(s) for s in settings.get("my_sites", [])),
        hidden=tuple(str(s) for s in settings.get("hidden_items", [])),
        profile=str(settings.get("profile_name", "")),
        caregivers=tuple(people([str(n) for n in settings.get("caregivers", [])], used)),
        entries=entries,
        note=None
        if note_row is None
        else DayNote(_date(note_row[0]), note_row[1], Person(note_row[2], Role(note_row[3]))),
        earlier_day=None if earlier is None else _date(earlier),
        appointment=None
        if appointment is None
        else Appointment(
            appointment[0],
            _date(appointment[1]),
            None if appointment[2] is None else _time(appointment[2]),
            appointment[3],
            AppointmentKind(appointment[4]),
            appointment[5],
        ),
        open_questions=questions,
        units=tuple(units.items()),
    )


PREFERRED_UNITS = "preferred_units"  # the setting: {item id: unit}, chosen in Settings
_SETTINGS = ("profile_name", "my_sites", "hidden_items", "caregivers", PREFERRED_UNITS)
_ENTRY_COLUMNS = (
    "id, uid, item_id, local_date, time, value, unit, note, entered_by, role,"
    " created_at, updated_at, deleted_at, utc_offset_minutes"
)


def _entry(row: Sequence[Any]) -> Entry:
    (entry_id, uid, item_id, local_date, time, value, unit, note, entered_by, role,
     created_at, updated_at, deleted_at, offset) = row  # fmt: skip
    return Entry(
        entry_id,
        uid,
        item_id,
        _date(local_date),
        None if time is None else _time(time),
        float(value),
        unit,
        note,
        Person(entered_by, Role(role)),
        _datetime(created_at),
        _datetime(updated_at),
        None if deleted_at is None else _datetime(deleted_at),
        offset,
    )


# SQLAlchemy's SQLite storage: "2026-12-06", "08:30:00.000000", "2026-12-06 08:30:00.000000".
def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
