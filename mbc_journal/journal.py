"""The journal service: the one API the GUI and the CLI call.

A ``Journal`` owns the SQLAlchemy engine. Each public method opens its own
short session, does its work in one transaction and returns plain frozen
values from ``mbc_journal.model``. Input is validated before anything is
written; storage failures become ``JournalError`` subclasses with a sentence
the user can act on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from mbc_journal import catalogue as catalogue_module
from mbc_journal import day_view
from mbc_journal import signals as signals_module
from mbc_journal.careplan import FEVER_TREATMENTS
from mbc_journal.careplan_store import CarePlanMixin
from mbc_journal.catalogue import Catalogue
from mbc_journal.db import cipher, version
from mbc_journal.db import engine as engine_module
from mbc_journal.db.schema import (
    CustomItemRow,
    DayNoteRow,
    EntryRow,
    EntryVersionRow,
    SettingRow,
    SignalAckRow,
)
from mbc_journal.errors import (
    CorruptJournalError,
    JournalError,
    JournalOpenError,
    NotFoundError,
    ReadOnlyJournalError,
    ValidationError,
    storage_error,
)
from mbc_journal.model import (
    CLEAR as CLEAR,  # where callers have long found it
)
from mbc_journal.model import (
    PATIENT,
    Change,
    DayNote,
    Entry,
    EntryDraft,
    EntryFilter,
    EntryVersion,
    Item,
    ItemDays,
    ItemKind,
    Person,
    Role,
    Value,
    check_date,
    check_moment,
    check_name,
    check_range,
    check_rating,
    check_text,
    check_value,
    local_utc_offset,
    normalise_unit,
    parse_time,
)
from mbc_journal.paths import check_journal_folder, create_private_file
from mbc_journal.signals import SafetySignal, Thresholds

# This journal's own random id (a UUID, made when the journal is created or first opened
# for writing): FHIR ids are made from it. It names this file, not its content, so a JSON
# export leaves it out and an import never takes another journal's.
JOURNAL_ID = "journal_id"
PREFERRED_UNITS = day_view.PREFERRED_UNITS  # {item id: unit}, chosen in Settings
DEFAULT_EMERGENCY = (
    "your local emergency number (999 in the UK, 112 in Europe, 911 in North America)"
)


class Keep(Enum):
    """For optional arguments where None is a real value: leave it as it is."""

    KEEP = 0


@dataclass(frozen=True)
class CareContact:
    name: str
    role: str
    phone: str


@dataclass(frozen=True)
class CheckInResult:
    added: int
    updated: int
    removed: int

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


@dataclass(frozen=True)
class CheckReport:
    path: Path
    integrity: str
    revision: str
    entries: int
    deleted_entries: int
    days_logged: int
    first_day: dt.date | None
    last_day: dt.date | None
    size_bytes: int

    @property
    def ok(self) -> bool:
        return self.integrity == "ok"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextlib.contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """Turn SQLite failures into one plain sentence each."""
    try:
        yield
    except (sa_exc.OperationalError, sa_exc.DatabaseError) + cipher.errors() as error:
        raise translate_error(error, path) from error


def translate_error(error: BaseException, path: Path) -> JournalError:
    return storage_error(error, path)


class Journal(CarePlanMixin):
    """One open journal file."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self._engine = engine
        self._writer = engine_module.writer(engine)
        self._catalogue: Catalogue | None = None
        self._chemo_setting: bool | None = None

    # opening ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> Journal:
        """Open (and if needed create or migrate) the journal at ``path``."""
        path = Path(path).expanduser()
        if path.is_dir():
            raise JournalOpenError(f"{path} is a folder, not a journal file.")
        created = False
        if not path.exists():
            if not create:
                raise NotFoundError(f"There is no journal at {path}.")
            check_journal_folder(path)  # a sentence for each way a folder can fail
            try:
                created = create_private_file(path)
            except OSError as error:
                raise ReadOnlyJournalError(
                    f"A journal cannot be created at {path} ({error.strerror})."
                ) from error
        elif path.stat().st_size == 0:
            raise CorruptJournalError(
                f"The journal {path} is empty (0 bytes); it may have been damaged. "
                f"Nothing was changed; restore a backup."
            )
        try:
            return cls._open_file(path)
        except BaseException:
            if created:
                path.unlink(missing_ok=True)
            raise

    @classmethod
    def _open_file(cls, path: Path) -> Journal:
        state = version.probe(path)
        if state.revision is not None:
            _quick_check(path)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise ReadOnlyJournalError(
                f"The journal {path} is read-only (the file or its folder cannot be written)."
            )
        engine = engine_module.make_engine(path)
        try:
            with storage_errors(path):
                if not state.is_current:
                    from mbc_journal.db import migrate

                    if state.revision is not None:
                        from mbc_journal.db import backup

                        backup.make_backup(path, "before-upgrade")
                    migrate.upgrade(engine)
                    with engine_module.writer(engine).begin() as connection:
                        connection.exec_driver_sql(
                            f"PRAGMA application_id = {version.APPLICATION_ID}"
                        )
                    # Put the new or upgraded schema into the main file now: until a
                    # checkpoint it lives in -wal only, and the journal file is 0 bytes.
                    _checkpoint(path)
            journal = cls(path, engine)
            journal._ensure_journal_id()
        except BaseException:
            engine.dispose()
            raise
        return journal

    def close(self) -> None:
        self._engine.dispose()
        engine_module.tidy(self.path)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # sessions ----------------------------------------------------------------

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        with storage_errors(self.path), Session(self._engine, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction; committed only if the block finishes."""
        with (
            storage_errors(self.path),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        """One write transaction, for core importers only (exchange.py); UI code and
        the CLI use the methods above."""
        with self._write() as session:
            yield session

    # catalogue ---------------------------------------------------------------

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            with self._read() as session:
                rows = session.scalars(select(CustomItemRow).order_by(CustomItemRow.created_at))
                custom = [_custom_item(row) for row in rows]
            self._catalogue = catalogue_module.load().with_custom(custom)
        return self._catalogue

    def reload_catalogue(self) -> None:
        """Forget the cached catalogue (after an import brought own items)."""
        self._catalogue = None

    def item(self, name: str) -> Item:
        return self.catalogue.find(name)

    def add_custom_item(
        self,
        label: str,
        site_id: str,
        kind: ItemKind = ItemKind.RATING,
    ) -> Item:
        from mbc_journal.custom_items import check_custom_item  # the import's check, too

        label, kind = check_custom_item(self.catalogue, label, site_id, kind)
        base = "custom_" + "".join(ch if ch.isalnum() else "_" for ch in label.lower())[:40]
        item_id, n = base, 1
        while self.catalogue.has_item(item_id):
            n += 1
            item_id = f"{base}_{n}"
        with self._write() as session:
            session.add(
                CustomItemRow(
                    id=item_id,
                    label=label,
                    kind=kind.value,
                    site_id=site_id,
                    created_at=utc_now(),
                )
            )
        self._catalogue = None
        return self.catalogue.item(item_id)

    def visible_items(self, site_id: str) -> tuple[Item, ...]:
        return day_view.visible_items(self.catalogue, site_id, self.hidden_items())

    # entries ---------------------------------------------------------------

    def draft(
        self,
        item_id: str,
        number: float,
        unit: str | None = None,
        *,
        time: dt.time | None = None,
        note: str = "",
    ) -> EntryDraft:
        """A validated entry for ``item_id`` (from a widget's number)."""
        return day_view.draft(self.catalogue, item_id, number, unit, time=time, note=note)

    def draft_from_text(
        self,
        name: str,
        text: str,
        *,
        time: dt.time | None = None,
        note: str = "",
        preferred_unit: bool = False,
    ) -> EntryDraft:
        """A validated entry from typed text ("38.2", "100.4F", "yes", "7"). With
        ``preferred_unit``, a measurement typed without a unit is in the person's
        preferred unit (``mbc-journal log weight 154`` by someone who weighs in pounds)."""
        units = self.preferred_units() if preferred_unit else None
        return day_view.draft_from_text(
            self.catalogue, name, text, time=time, note=note, units=units
        )

    def add_entry(
        self, draft: EntryDraft, *, day: dt.date | None = None, person: Person = PATIENT
    ) -> Entry:
        """Store one entry. A rating replaces the same person's rating of the item that day
        (a caregiver's rating is kept beside the patient's, never over it)."""
        day = check_date(day or dt.date.today())
        person = Person(check_name(person.name), person.role)
        self._check_draft(draft)
        check_moment(day, draft.time)
        with self._write() as session:
            row = None
            if self.catalogue.item(draft.item_id).kind is ItemKind.RATING:
                row = self._live_row(session, draft.item_id, day, person)
            if row is None:
                row = self._new_row(draft, day, person)
                session.add(row)
            elif _differs(row, draft):
                self._apply(session, row, draft, person)
            session.flush()
            return _entry(row)

    def save_checkin(
        self,
        day: dt.date,
        values: Mapping[str, EntryDraft | None],
        *,
        person: Person = PATIENT,
        day_note: str | None = None,
        readings: Sequence[EntryDraft] = (),
    ) -> CheckInResult:
        """Save a whole day's check-in in one transaction.

        ``values`` maps item ids to a draft (log or update this person's entry of the
        day: a rating is one per person per day) or ``CLEAR`` (not logged that day;
        the entry is soft-deleted and its version kept, so it can be brought back).
        Items not in ``values`` are left as they are. ``readings`` are measurements
        and events added as readings of their own (a third temperature of the day is
        a third entry, each with its time).
        """
        day = check_date(day)
        person = Person(check_name(person.name), person.role)
        for reading in readings:
            if self.catalogue.item(reading.item_id).kind is ItemKind.RATING:
                raise ValidationError("A rating is one per day: it cannot be added as a reading.")
            self._check_draft(reading)
            check_moment(day, reading.time)
        for item_id, draft in values.items():
            self.catalogue.item(item_id)
            if draft is not None:
                if draft.item_id != item_id:
                    raise ValidationError("A check-in value was filed under the wrong item.")
                self._check_draft(draft)
        if day_note is not None:
            check_text(day_note, "The day's note")
        added = updated = removed = 0
        now = utc_now()
        with self._write() as session:
            for item_id, draft in values.items():
                row = self._live_row(session, item_id, day, person)
                if draft is None:
                    if row is not None:
                        _keep_version(session, row, Change.DELETED, now)
                        row.deleted_at = now
                        row.updated_at = now
                        removed += 1
                elif row is None:
                    session.add(self._new_row(draft, day, person))
                    added += 1
                elif _differs(row, draft):
                    self._apply(session, row, draft, person)
                    updated += 1
            for reading in readings:
                session.add(self._new_row(reading, day, person))
                added += 1
            if day_note is not None:
                self._set_day_note(session, day, day_note, person)
        return CheckInResult(added, updated, removed)

    def update_entry(
        self,
        entry_id: int,
        *,
        value: Value | None = None,
        note: str | None = None,
        day: dt.date | None = None,
        time: dt.time | None | Keep = Keep.KEEP,
    ) -> Entry:
        """Change an entry; returns the new version."""
        if note is not None:
            check_text(note)
        if day is not None:
            check_date(day)
        with self._write() as session:
            row = self._row(session, entry_id)
            new: dict[str, Any] = {}
            if value is not None:
                item = self.catalogue.item(row.item_id)
                check_value(item, value.number, _canonical_unit(item))
                new |= {"value": value.number, "unit": value.unit}  # keep the unit typed
            if note is not None:
                new["note"] = note
            if day is not None:
                new["local_date"] = day
            if not isinstance(time, Keep):
                new["time"] = time
            if row.deleted_at is not None:
                raise ValidationError(
                    f"Entry {entry_id} is deleted; bring it back before changing it."
                )
            if "local_date" in new or "time" in new:
                check_moment(new.get("local_date", row.local_date), new.get("time", row.time))
                moment = (new.get("local_date", row.local_date), new.get("time", row.time))
                if moment != (row.local_date, row.time):  # moved: the offset where it is now
                    new["utc_offset_minutes"] = local_utc_offset(*moment)
            self._one_rating_a_day(session, row, new.get("local_date", row.local_date))
            if any(getattr(row, column) != v for column, v in new.items()):
                _keep_version(session, row, Change.EDITED)
                for column, v in new.items():
                    setattr(row, column, v)
                row.updated_at = utc_now()
            session.flush()
            return _entry(row)

    def restore_entry_version(self, entry: Entry) -> Entry:
        """Put an entry back exactly as ``entry`` describes it (used by undo); what it
        held is kept as a version."""
        with self._write() as session:
            row = self._row(session, entry.id)
            _keep_version(session, row, Change.UNDONE)
            row.item_id = entry.item_id
            row.local_date = entry.local_date
            row.time = entry.time
            row.value = entry.value
            row.unit = entry.unit
            row.note = entry.note
            row.entered_by = entry.person.name
            row.role = entry.person.role.value
            row.deleted_at = entry.deleted_at
            row.utc_offset_minutes = entry.utc_offset_minutes
            row.updated_at = utc_now()
            session.flush()
            return _entry(row)

    def delete_entry(self, entry_id: int) -> Entry:
        """Soft-delete: the entry disappears from views but can be brought back."""
        with self._write() as session:
            row = self._row(session, entry_id)
            if row.deleted_at is None:
                _keep_version(session, row, Change.DELETED)
                row.deleted_at = row.updated_at = utc_now()
            session.flush()
            return _entry(row)

    def undelete_entry(self, entry_id: int) -> Entry:
        with self._write() as session:
            row = self._row(session, entry_id)
            if row.deleted_at is not None:
                _keep_version(session, row, Change.UNDELETED)
                row.deleted_at = None
                row.updated_at = utc_now()
            session.flush()
            return _entry(row)

    def entry_versions(self, entry_id: int) -> list[EntryVersion]:
        """An entry's earlier versions, oldest first (the entry itself is the newest)."""
        with self._read() as session:
            self._row(session, entry_id)
            query = (
                select(EntryVersionRow)
                .where(EntryVersionRow.entry_id == entry_id)
                .order_by(EntryVersionRow.replaced_at, EntryVersionRow.id)
            )
            return [_version(row) for row in session.scalars(query)]

    def all_versions(self) -> dict[int, list[EntryVersion]]:
        """Every entry's earlier versions, oldest first, by entry number (exports)."""
        query = select(EntryVersionRow).order_by(EntryVersionRow.replaced_at, EntryVersionRow.id)
        out: dict[int, list[EntryVersion]] = {}
        with self._read() as session:
            for row in session.scalars(query):
                out.setdefault(row.entry_id, []).append(_version(row))
        return out

    def versions_count(self, entry_ids: Sequence[int] | None = None) -> dict[int, int]:
        """How many earlier versions each entry has (entries with none are left out)."""
        query = select(EntryVersionRow.entry_id, func.count()).group_by(EntryVersionRow.entry_id)
        if entry_ids is not None:
            query = query.where(EntryVersionRow.entry_id.in_(list(entry_ids)))
        with self._read() as session:
            return {int(e): int(n) for e, n in session.execute(query)}

    def bring_back(self, version_id: int) -> Entry:
        """Make an earlier version the entry's current one; what the entry held until
        now is kept as a version too, so bringing back is itself undoable."""
        with self._write() as session:
            old = session.get(EntryVersionRow, version_id)
            if old is None:
                raise NotFoundError(f"There is no earlier version number {version_id}.")
            row = self._row(session, old.entry_id)
            _keep_version(session, row, Change.BROUGHT_BACK)
            for column in _VERSIONED:
                setattr(row, column, getattr(old, column))
            row.updated_at = utc_now()
            session.flush()
            return _entry(row)

    def entry(self, entry_id: int) -> Entry:
        with self._read() as session:
            return _entry(self._row(session, entry_id))

    def entries(self, where: EntryFilter | None = None) -> list[Entry]:
        """Entries matching ``where``, oldest first."""
        where = where or EntryFilter()
        check_range(where.date_from, where.date_to)
        query = select(EntryRow)
        if not where.include_deleted:
            query = query.where(EntryRow.deleted_at.is_(None))
        if where.date_from is not None:
            query = query.where(EntryRow.local_date >= where.date_from)
        if where.date_to is not None:
            query = query.where(EntryRow.local_date <= where.date_to)
        item_ids: set[str] | None = None
        if where.site_id is not None:
            self.catalogue.site(where.site_id)
            item_ids = {i.id for i in self.catalogue.items_for_site(where.site_id)}
        if where.item_ids is not None:
            wanted = {self.catalogue.find(i).id for i in where.item_ids}
            item_ids = wanted if item_ids is None else item_ids & wanted
        if item_ids is not None:
            query = query.where(EntryRow.item_id.in_(sorted(item_ids)))
        if where.entered_by is not None:
            query = query.where(func.lower(EntryRow.entered_by) == where.entered_by.lower())
        if where.role is not None:
            query = query.where(EntryRow.role == where.role.value)
        if where.with_note:
            query = query.where(func.trim(EntryRow.note) != "")
        query = query.order_by(EntryRow.local_date, EntryRow.time, EntryRow.id)
        # Plain rows, not ORM objects: History may list 20 years of entries.
        columns = query.with_only_columns(*_ENTRY_COLUMNS)
        with storage_errors(self.path), self._engine.connect() as connection:
            return [_entry_from_row(row) for row in connection.execute(columns)]

    def _raw(self, sql: str, params: Sequence[object]) -> list[Any]:
        """Rows of a read-only query run on the pooled DBAPI connection (the hot paths:
        charts, report, signals), without SQLAlchemy's result layer."""
        with storage_errors(self.path), self._engine.connect() as connection:
            cursor = connection.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
            return cursor.fetchall()  # type: ignore[no-any-return]

    def first_day(self) -> dt.date | None:
        query = select(func.min(EntryRow.local_date)).where(EntryRow.deleted_at.is_(None))
        with self._read() as session:
            return session.scalar(query)

    def entries_on(self, day: dt.date) -> list[Entry]:
        return self.entries(EntryFilter(date_from=day, date_to=day))

    def latest_day_before(self, day: dt.date) -> dt.date | None:
        """The most recent day before ``day`` with any entry ("same as yesterday")."""
        query = select(func.max(EntryRow.local_date)).where(
            EntryRow.deleted_at.is_(None), EntryRow.local_date < day
        )
        with self._read() as session:
            return session.scalar(query)

    def count_entries(self, *, include_deleted: bool = False) -> int:
        query = select(func.count()).select_from(EntryRow)
        if not include_deleted:
            query = query.where(EntryRow.deleted_at.is_(None))
        with self._read() as session:
            return int(session.scalar(query) or 0)

    def people(self) -> list[str]:
        """Caregiver names that have entered something, and saved ones."""
        saved = [str(n) for n in self.get_setting("caregivers", [])]
        query = select(EntryRow.entered_by).where(EntryRow.role == Role.CAREGIVER.value).distinct()
        with self._read() as session:
            used = list(session.scalars(query))
        return day_view.people(saved, used)

    # day notes ---------------------------------------------------------------

    def day_note(self, day: dt.date) -> DayNote | None:
        with self._read() as session:
            row = session.scalar(select(DayNoteRow).where(DayNoteRow.local_date == day))
            if row is None:
                return None
            return DayNote(row.local_date, row.text, Person(row.entered_by, Role(row.role)))

    def day_notes(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> list[DayNote]:
        query = select(DayNoteRow).where(DayNoteRow.text != "").order_by(DayNoteRow.local_date)
        if date_from is not None:
            query = query.where(DayNoteRow.local_date >= date_from)
        if date_to is not None:
            query = query.where(DayNoteRow.local_date <= date_to)
        with self._read() as session:
            return [
                DayNote(r.local_date, r.text, Person(r.entered_by, Role(r.role)))
                for r in session.scalars(query)
            ]

    def set_day_note(self, day: dt.date, text: str, person: Person = PATIENT) -> None:
        check_date(day)
        check_text(text, "The day's note")
        with self._write() as session:
            self._set_day_note(session, day, text, person)

    # settings ----------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._read() as session:
            row = session.get(SettingRow, key)
            return default if row is None else json.loads(row.value)

    def set_setting(self, key: str, value: Any) -> None:
        self._set_many({key: value})

    def _set_many(self, values: Mapping[str, Any]) -> None:
        """Write several settings in one transaction."""
        with self._write() as session:
            for key, value in values.items():
                encoded = json.dumps(value, ensure_ascii=False)
                row = session.get(SettingRow, key)
                if row is None:
                    session.add(SettingRow(key=key, value=encoded))
                else:
                    row.value = encoded

    def check_settings(
        self, raw: Mapping[str, Any], custom: Mapping[str, Item] | None = None
    ) -> dict[str, Any]:
        """Settings from outside (an import file), each checked exactly as the Settings
        screen and the welcome check it; settings of a newer app are dropped. ``custom``:
        own items arriving with them."""

        def text(value: Any) -> str:
            if not isinstance(value, str):
                raise ValidationError(f"'{key}' must be text.")
            return value

        def texts(value: Any) -> list[str]:
            if not isinstance(value, list):
                raise ValidationError(f"'{key}' must be a list.")
            return [text(v) for v in value]

        out: dict[str, Any] = {}
        for key, value in raw.items():
            if key == "profile_name":
                out[key] = check_name(text(value))
            elif key == "caregivers":
                out[key] = self._clean_people(texts(value))
            elif key == "care_team":
                if not isinstance(value, list) or not all(isinstance(c, dict) for c in value):
                    raise ValidationError("the care team must be a list of contacts.")
                out[key] = self.clean_contacts(
                    [
                        CareContact(text(c.get("name", "")), text(c.get("role", "")),
                                    text(c.get("phone", "")))
                        for c in value
                    ]
                )  # fmt: skip
            elif key == "my_sites":
                out[key] = self._clean_sites(texts(value))
            elif key == "hidden_items":
                out[key] = self._clean_items(texts(value), custom)
            elif key == "thresholds":
                if not isinstance(value, dict):
                    raise ValidationError("the safety thresholds must be names and numbers.")
                try:
                    out[key] = Thresholds.from_dict(value).validated().to_dict()
                except (TypeError, ValueError, OverflowError):
                    raise ValidationError("a safety threshold is not a number.") from None
            elif key in ("on_chemotherapy", "welcome_done"):
                if not isinstance(value, bool):
                    raise ValidationError(f"'{key}' must be true or false.")
                out[key] = value
            elif key == "emergency_number":
                out[key] = _check_phone(text(value))
            elif key == "expected_levels":
                if not isinstance(value, dict):
                    raise ValidationError("the expected levels must be symptoms and ratings.")
                out[key] = {
                    self._clean_items([str(k)], custom)[0]: check_rating(v).number
                    for k, v in value.items()
                    if not isinstance(v, bool) and isinstance(v, int | float)
                }
                if len(out[key]) != len(value):
                    raise ValidationError("an expected level is not a rating 0–10.")
                items = {**{i.id: i for i in self.catalogue.items}, **(custom or {})}
                for item_id in out[key]:
                    if items[item_id].kind is not ItemKind.RATING:  # an event, a fever: never
                        raise ValidationError(
                            f"an expected level is for a rating; {items[item_id].label} is "
                            f"not rated, and its signals are never quieted."
                        )
            elif key == PREFERRED_UNITS:
                out[key] = self._clean_units(value)
            elif key == "reminder_time":  # "HH:MM", or null for none
                out[key] = None if value is None else parse_time(text(value)).strftime("%H:%M")
        return out

    def journal_id(self) -> uuid.UUID | None:
        """This journal's own random id, or None for one opened read-only that has none
        yet (a journal gets one when it is next opened for writing)."""
        with self._read() as session:
            row = session.get(SettingRow, JOURNAL_ID)
            return None if row is None else _as_uuid(row.value)

    def _ensure_journal_id(self) -> None:
        """Give the journal its random id if it has none (or an unreadable one)."""
        if self.journal_id() is not None:
            return
        with self._write() as session:
            encoded = json.dumps(str(uuid.uuid4()))
            row = session.get(SettingRow, JOURNAL_ID)
            if row is None:
                session.add(SettingRow(key=JOURNAL_ID, value=encoded))
            else:
                row.value = encoded

    def profile_name(self) -> str:
        return str(self.get_setting("profile_name", ""))

    def set_profile_name(self, name: str) -> None:
        self.set_setting("profile_name", check_name(name))

    def my_sites(self) -> list[str]:
        return [str(s) for s in self.get_setting("my_sites", [])]

    def _clean_sites(self, site_ids: Sequence[str]) -> list[str]:
        for site_id in site_ids:
            self.catalogue.site(site_id)
        return list(dict.fromkeys(site_ids))

    def set_my_sites(self, site_ids: Sequence[str]) -> None:
        self.set_setting("my_sites", self._clean_sites(site_ids))

    def hidden_items(self) -> list[str]:
        return [str(s) for s in self.get_setting("hidden_items", [])]

    def _clean_items(
        self, item_ids: Sequence[str], custom: Mapping[str, Item] | None = None
    ) -> list[str]:
        for item_id in item_ids:
            item = (custom or {}).get(item_id) or self.catalogue.item(item_id)
            if item.red_flag:
                raise ValidationError(
                    f"“{item.label}” is a warning sign and stays in the check-in, so it can "
                    f"always be reported."
                )
        return sorted(set(item_ids))

    def set_hidden_items(self, item_ids: Sequence[str]) -> None:
        self.set_setting("hidden_items", self._clean_items(item_ids))

    def care_team(self) -> list[CareContact]:
        return [
            CareContact(str(c.get("name", "")), str(c.get("role", "")), str(c.get("phone", "")))
            for c in self.get_setting("care_team", [])
        ]

    @staticmethod
    def clean_contacts(contacts: Sequence[CareContact]) -> list[dict[str, str]]:
        cleaned = []
        for c in contacts:
            name, role, phone = check_name(c.name), check_name(c.role), check_name(c.phone)
            if not (name or phone or role):
                continue
            if not phone or not any(ch.isdigit() for ch in phone):
                raise ValidationError(
                    f"The care team contact “{name or role}” needs a phone number with digits."
                )
            cleaned.append({"name": name, "role": role, "phone": phone})
        return cleaned

    def set_care_team(self, contacts: Sequence[CareContact]) -> None:
        self.set_setting("care_team", self.clean_contacts(contacts))

    @staticmethod
    def _clean_people(names: Sequence[str]) -> list[str]:
        return sorted({check_name(n) for n in names if n.strip()}, key=str.lower)

    def set_caregivers(self, names: Sequence[str]) -> None:
        self.set_setting("caregivers", self._clean_people(names))

    def save_preferences(
        self,
        *,
        profile_name: str,
        caregivers: Sequence[str],
        care_team: Sequence[CareContact],
        my_sites: Sequence[str],
        hidden_items: Sequence[str],
        thresholds: Thresholds | None = None,
        on_chemotherapy: bool | None = None,
        reminder: dt.time | None | Keep = Keep.KEEP,
        emergency_number: str | None = None,
        expected_levels: Mapping[str, int] | None = None,
        units: Mapping[str, str] | None = None,
    ) -> None:
        """Save the settings screen: all validated first, then one transaction."""
        values: dict[str, Any] = {
            "profile_name": check_name(profile_name),
            "caregivers": self._clean_people(caregivers),
            "care_team": self.clean_contacts(care_team),
            "my_sites": self._clean_sites(my_sites),
            "hidden_items": self._clean_items(hidden_items),
        }
        if thresholds is not None:
            values["thresholds"] = thresholds.validated().to_dict()
        if on_chemotherapy is not None:
            values["on_chemotherapy"] = bool(on_chemotherapy)
        if not isinstance(reminder, Keep):
            values["reminder_time"] = reminder.strftime("%H:%M") if reminder else None
        if emergency_number is not None:
            values["emergency_number"] = _check_phone(emergency_number)
        if expected_levels is not None:
            values["expected_levels"] = self.check_settings({"expected_levels": expected_levels})[
                "expected_levels"
            ]
        if units is not None:
            values[PREFERRED_UNITS] = self._clean_units(dict(units))
        self._set_many(values)
        self._chemo_setting = None

    # first use -----------------------------------------------------------------

    def welcome_needed(self) -> bool:
        """True for a journal nobody has used yet: no entry, and the welcome neither
        filled in nor skipped."""
        return not self.get_setting("welcome_done", False) and self.count_entries() == 0

    def save_welcome(
        self,
        *,
        profile_name: str,
        caregiver: str | None,
        my_sites: Sequence[str],
        contact: CareContact | None,
        emergency_number: str = "",
        fever_celsius: float | None = None,
    ) -> None:
        """The first-use panel: name, who is entering, my sites, one care-team number,
        the emergency number and the alert card's fever temperature, all checked first,
        then one transaction. Contacts already saved are kept."""
        values: dict[str, Any] = {
            "profile_name": check_name(profile_name),
            "my_sites": self._clean_sites(my_sites),
            "welcome_done": True,
        }
        if emergency_number.strip():
            values["emergency_number"] = _check_phone(emergency_number)
        if fever_celsius is not None:
            chosen = replace(self.thresholds(), fever_celsius=round(fever_celsius, 1))
            values["thresholds"] = chosen.validated().to_dict()
        if caregiver and caregiver.strip():
            values["caregivers"] = self._clean_people([*self.people(), caregiver])
        if contact is not None:
            team = [c for c in self.care_team() if c.phone != contact.phone.strip()]
            values["care_team"] = self.clean_contacts([contact, *team])
        self._set_many(values)

    def skip_welcome(self) -> None:
        self.set_setting("welcome_done", True)

    # daily reminder ------------------------------------------------------------

    def reminder(self) -> dt.time | None:
        """The time of the optional daily check-in reminder, or None when off."""
        value = self.get_setting("reminder_time", None)
        try:
            return dt.time.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    def set_reminder(self, when: dt.time | None) -> None:
        self.set_setting("reminder_time", when.strftime("%H:%M") if when else None)

    # safety signals ------------------------------------------------------------

    def thresholds(self) -> Thresholds:
        return Thresholds.from_dict(self.get_setting("thresholds", {}))

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.set_setting("thresholds", thresholds.validated().to_dict())

    def on_chemotherapy(self, day: dt.date) -> bool:
        """On chemotherapy on ``day``: ticked in settings, or a chemotherapy in the care plan."""
        return self.chemotherapy_ticked() or self.chemotherapy_on(day)

    def chemotherapy_ticked(self) -> bool:
        """The settings box "I am on chemotherapy now" alone, without the care plan:
        what the box shows and saves (the care plan's chemotherapy is never saved into it)."""
        if self._chemo_setting is None:
            self._chemo_setting = bool(self.get_setting("on_chemotherapy", False))
        return self._chemo_setting

    def set_on_chemotherapy(self, value: bool) -> None:
        self.set_setting("on_chemotherapy", bool(value))
        self._chemo_setting = None

    def signals(
        self,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        *,
        days: Mapping[str, ItemDays] | None = None,
    ) -> list[SafetySignal]:
        """Safety signals for days in the period (all days if not given).

        ``days``: the entries, if already loaded with ``item_days`` from at least
        ``signal_history_start(date_from)`` to ``date_to`` (the report shares them).
        """
        check_range(date_from, date_to)
        if days is None:
            days = self.item_days(self.signal_history_start(date_from), date_to)
        thresholds = self.thresholds()
        manual = bool(self.get_setting("on_chemotherapy", False))
        after = dt.timedelta(weeks=thresholds.weeks_after_treatment)
        spans = [
            (t.start, (t.end + after) if t.end else None)
            for t in self.treatments()
            if t.kind in FEVER_TREATMENTS
        ]
        first = self.first_day()
        counted = [i for i in signals_module.EPISODES if i in days]
        episodes = (
            self.entries(
                EntryFilter(
                    date_from=self.signal_history_start(date_from),
                    date_to=date_to,
                    item_ids=tuple(counted),
                )
            )
            if counted
            else []
        )
        return signals_module.evaluate(
            days,
            self.catalogue,
            thresholds,
            on_chemotherapy=lambda day: (
                manual or any(start <= day and (end is None or day <= end) for start, end in spans)
            ),
            date_from=date_from,
            date_to=date_to,
            expected=self.expected_levels(),
            first_day=first,
            episodes=episodes,
        )

    def expected_levels(self) -> dict[str, float]:
        """Per item, the rating agreed with the care team as expected for now (new,
        worse or severe at or below it is not signalled; a warning sign always is)."""
        raw = self.get_setting("expected_levels", {})
        return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    def set_expected_level(self, item_id: str, rating: int | None) -> None:
        """Agree an expected rating for an item (None: no agreed level)."""
        item = self.catalogue.item(item_id)
        if item.kind is not ItemKind.RATING:
            raise ValidationError(f"An expected level is a rating; {item.label} is not rated.")
        if not signals_module.can_be_quieted(item):
            raise ValidationError(
                f"{item.label} is a warning sign at any rating; an expected level never quiets it."
            )
        levels = self.expected_levels()
        if rating is None:
            levels.pop(item.id, None)
        else:
            levels[item.id] = check_rating(rating).number
        self.set_setting("expected_levels", levels)

    # units -------------------------------------------------------------------

    def preferred_units(self) -> dict[str, str]:
        """The unit each measurement with a choice of units is shown in (report,
        check-in): chosen in Settings, else the one most readings were typed in
        (``day_view.preferred_units``, the one rule both reads use)."""
        measured = day_view.measured_with_units(self.catalogue)
        if not measured:
            return {}
        sql = day_view.UNITS_TYPED_SQL.format(", ".join("?" * len(measured)))
        typed = self._raw(sql, measured)
        chosen = self.get_setting(PREFERRED_UNITS, {})
        return day_view.preferred_units(self.catalogue, chosen, typed)

    def set_preferred_units(self, units: Mapping[str, str]) -> None:
        """Choose the unit measurements are shown in, e.g. ``{"weight": "lb"}``."""
        checked = self.check_settings({PREFERRED_UNITS: dict(units)})[PREFERRED_UNITS]
        saved = self.get_setting(PREFERRED_UNITS, {})
        self.set_setting(PREFERRED_UNITS, {**(saved if isinstance(saved, dict) else {}), **checked})

    def _clean_units(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ValidationError("the preferred units must be measurements and units.")
        out: dict[str, str] = {}
        for item_id, unit in value.items():
            item = self.catalogue.item(str(item_id))
            given = normalise_unit(str(unit))
            if len(item.units) < 2:
                raise ValidationError(f"{item.label} has no choice of units.")
            if given not in item.units:
                raise ValidationError(
                    f"{item.label} can be shown in {' or '.join(item.units)}, not '{unit}'."
                )
            out[item.id] = given
        return out

    def emergency_number(self) -> str:
        """The emergency number set at first run (or in Settings); 112 works in Europe
        and, from mobiles, in many other countries."""
        return str(self.get_setting("emergency_number", "")) or DEFAULT_EMERGENCY

    def set_emergency_number(self, number: str) -> None:
        self.set_setting("emergency_number", _check_phone(number))

    def signal_history_start(self, date_from: dt.date | None) -> dt.date | None:
        """The first day the rules look at for signals from ``date_from``."""
        thresholds = self.thresholds()
        history = max(thresholds.new_problem_days, thresholds.baseline_days) + 1
        return date_from - dt.timedelta(days=history) if date_from else None

    def item_days(
        self,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        item_ids: Sequence[str] | None = None,
    ) -> dict[str, ItemDays]:
        """Live entries by item as day columns (``ItemDays``), each day's value by the
        item's ``DayRule``: years of entries load as a few strings per item, not an
        object per entry. Days with nothing logged have no value: a gap, never a zero."""
        check_range(date_from, date_to)
        where, params = _live_in_period(date_from, date_to)
        if item_ids is not None:
            ids = list(dict.fromkeys(item_ids))
            if not ids:
                return {}
            where.append(f"item_id IN ({','.join('?' * len(ids))})")
            params += ids
        # julianday('0001-01-01') is 1721425.5 and date(1, 1, 1).toordinal() is 1.
        # printf('%!.17g') writes each value with every digit, so float() gives it back
        # exactly (plain text conversion keeps 15 digits: 37.77777777777778 would change).
        # Within a day, readings come in the order of the day (untimed first, as entered).
        sql = (
            "SELECT item_id, GROUP_CONCAT(ordinal), GROUP_CONCAT(printf('%!.17g', value)), "
            "GROUP_CONCAT(id), "
            "GROUP_CONCAT(caregiver) FROM (SELECT item_id, id, value, "
            "CAST(julianday(local_date) - 1721424.5 AS INTEGER) AS ordinal, "
            f"role = 'caregiver' AS caregiver FROM entries WHERE {' AND '.join(where)} "
            "ORDER BY item_id, local_date, time IS NOT NULL, time, id) GROUP BY item_id"
        )
        catalogue = self.catalogue
        return {
            item_id: ItemDays.from_entries(
                [int(x) for x in ordinals.split(",")],
                [float(x) for x in values.split(",")],
                ids.split(","),
                [x == "1" for x in caregiver.split(",")],
                catalogue.day_rule(item_id),
            )
            for item_id, ordinals, values, ids, caregiver in self._raw(sql, params)
        }

    def acknowledge(self, signal: SafetySignal, person: Person = PATIENT) -> None:
        """Record that a signal was seen (kept for good; never deleted)."""
        with self._write() as session:
            if session.get(SignalAckRow, signal.key) is None:
                session.add(
                    SignalAckRow(key=signal.key, acknowledged_at=utc_now(), entered_by=person.name)
                )

    def acknowledged(self) -> dict[str, dt.datetime]:
        with self._read() as session:
            return {r.key: r.acknowledged_at for r in session.scalars(select(SignalAckRow))}

    # health ------------------------------------------------------------------

    def check(self) -> CheckReport:
        with storage_errors(self.path):
            connection = version.read_only_connection(self.path)
            try:
                rows = connection.execute("PRAGMA integrity_check").fetchall()
                integrity = "; ".join(str(r[0]) for r in rows)
                revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[
                    0
                ]
                live, deleted, days, first, last = connection.execute(
                    "SELECT SUM(deleted_at IS NULL), SUM(deleted_at IS NOT NULL), "
                    "COUNT(DISTINCT CASE WHEN deleted_at IS NULL THEN local_date END), "
                    "MIN(local_date), MAX(local_date) FROM entries"
                ).fetchone()
            finally:
                connection.close()
        return CheckReport(
            path=self.path,
            integrity=integrity,
            revision=str(revision),
            entries=int(live or 0),
            deleted_entries=int(deleted or 0),
            days_logged=int(days or 0),
            first_day=dt.date.fromisoformat(first) if first else None,
            last_day=dt.date.fromisoformat(last) if last else None,
            size_bytes=self.path.stat().st_size,
        )

    # bulk (demo generator, importers) ---------------------------------------

    def bulk_add(self, rows: Sequence[tuple[dt.date, EntryDraft, Person]]) -> int:
        """Insert many validated entries in one transaction."""
        for day, draft, _person in rows:
            check_date(day)
            self._check_draft(draft)
        with self._write() as session:
            session.add_all(self._new_row(d, day, p) for day, d, p in rows)
        return len(rows)

    # internals ---------------------------------------------------------------

    def _check_draft(self, draft: EntryDraft) -> None:
        item = self.catalogue.item(draft.item_id)
        check_value(item, draft.value.number, _canonical_unit(item))
        check_text(draft.note)

    @staticmethod
    def _row(session: Session, entry_id: int) -> EntryRow:
        row = session.get(EntryRow, entry_id)
        if row is None:
            raise NotFoundError(f"There is no entry number {entry_id}.")
        return row

    @staticmethod
    def _live_row(session: Session, item_id: str, day: dt.date, person: Person) -> EntryRow | None:
        """This person's latest live entry of the item on the day. Another person's entry
        is never it: a caregiver's rating sits beside the patient's, never over it."""
        query = (
            select(EntryRow)
            .where(
                EntryRow.item_id == item_id,
                EntryRow.local_date == day,
                EntryRow.deleted_at.is_(None),
                EntryRow.role == person.role.value,
            )
            .order_by(EntryRow.time.desc(), EntryRow.id.desc())
        )
        for row in session.scalars(query):
            if Person(row.entered_by, Role(row.role)).key == person.key:
                return row
        return None

    def merge_imported_rating(self, session: Session, incoming: EntryRow) -> int | None:
        """An imported rating on a day the same person already rated the item (another
        journal's entry): the newer becomes the day's rating and the other its earlier
        version, so a person keeps one rating a day and nothing is lost. Returns the
        entry merged into (the caller then does not add ``incoming``), or None."""
        if incoming.deleted_at is not None or not self.catalogue.has_item(incoming.item_id):
            return None  # (an own item new to this journal has no entries here yet)
        if self.catalogue.item(incoming.item_id).kind is not ItemKind.RATING:
            return None
        person = Person(incoming.entered_by, Role(incoming.role))
        row = self._live_row(session, incoming.item_id, incoming.local_date, person)
        if row is None:
            return None
        if (row.value, row.unit, row.note) == (incoming.value, incoming.unit, incoming.note):
            return row.id  # the same rating: nothing to keep twice
        if incoming.updated_at > row.updated_at:  # the file's is newer: it is the rating now
            _keep_version(session, row, Change.EDITED, incoming.updated_at)
            for column in ("value", "unit", "note", "time", "entered_by", "role",
                           "utc_offset_minutes"):  # fmt: skip
                setattr(row, column, getattr(incoming, column))
            row.updated_at = incoming.updated_at
        elif (
            session.scalar(  # this journal's is newer: the file's is kept as its earlier
                select(EntryVersionRow.id).where(  # version (once: importing twice adds nothing)
                    EntryVersionRow.entry_id == row.id,
                    EntryVersionRow.value == incoming.value,
                    EntryVersionRow.note == incoming.note,
                    EntryVersionRow.saved_at == incoming.updated_at,
                )
            )
            is None
        ):
            session.add(
                EntryVersionRow(
                    entry_id=row.id,
                    **{column: getattr(incoming, column) for column in _VERSIONED},
                    saved_at=incoming.updated_at,
                    replaced_at=row.updated_at,
                    change=Change.EDITED.value,
                )
            )
        return row.id

    def _one_rating_a_day(self, session: Session, row: EntryRow, day: dt.date) -> None:
        """A rating moved to ``day`` must not become a second rating of the item by the
        same person that day (one rating per person per item per day)."""
        if day == row.local_date or self.catalogue.item(row.item_id).kind is not ItemKind.RATING:
            return
        other = self._live_row(session, row.item_id, day, Person(row.entered_by, Role(row.role)))
        if other is not None and other.id != row.id:
            item = self.catalogue.item(row.item_id)
            raise ValidationError(
                f"{item.label} already has a rating by the same person on {day.isoformat()} "
                f"({item.format_value(other.value)}); change that one instead."
            )

    @staticmethod
    def _new_row(draft: EntryDraft, day: dt.date, person: Person) -> EntryRow:
        now = utc_now()
        return EntryRow(
            uid=str(uuid.uuid4()),
            item_id=draft.item_id,
            local_date=day,
            time=draft.time,
            value=draft.value.number,
            unit=draft.value.unit,
            note=draft.note,
            entered_by=person.name,
            role=person.role.value,
            created_at=now,
            updated_at=now,
            utc_offset_minutes=local_utc_offset(day, draft.time),
        )

    @staticmethod
    def _apply(session: Session, row: EntryRow, draft: EntryDraft, person: Person) -> None:
        _keep_version(session, row, Change.EDITED)
        row.value = draft.value.number
        row.unit = draft.value.unit
        if draft.time != row.time:  # a new time, the offset where it is logged now
            row.utc_offset_minutes = local_utc_offset(row.local_date, draft.time)
        row.time = draft.time
        row.note = draft.note
        row.entered_by = person.name
        row.role = person.role.value
        row.updated_at = utc_now()

    @staticmethod
    def _set_day_note(session: Session, day: dt.date, text: str, person: Person) -> None:
        row = session.scalar(select(DayNoteRow).where(DayNoteRow.local_date == day))
        if row is None:
            if text:
                session.add(
                    DayNoteRow(
                        local_date=day,
                        text=text,
                        entered_by=person.name,
                        role=person.role.value,
                        updated_at=utc_now(),
                    )
                )
        elif row.text != text:
            row.text = text
            row.entered_by = person.name
            row.role = person.role.value
            row.updated_at = utc_now()


_VERSIONED = (
    "item_id", "local_date", "time", "value", "unit", "note", "entered_by", "role", "deleted_at",
    "utc_offset_minutes",
)  # fmt: skip


def _keep_version(
    session: Session, row: EntryRow, change: Change, now: dt.datetime | None = None
) -> None:
    """Keep what ``row`` holds now as an earlier version, before ``change`` replaces it
    (in the same transaction: the change and its trace are saved together or not at all)."""
    session.add(
        EntryVersionRow(
            entry_id=row.id,
            **{column: getattr(row, column) for column in _VERSIONED},
            saved_at=row.updated_at,
            replaced_at=now or utc_now(),
            change=change.value,
        )
    )


def _observed(row: EntryRow | EntryVersionRow) -> dict[str, Any]:
    """What an entry and each of its versions hold alike."""
    return {
        "item_id": row.item_id,
        "local_date": row.local_date,
        "time": row.time,
        "value": row.value,
        "unit": row.unit,
        "note": row.note,
        "person": Person(row.entered_by, Role(row.role)),
        "deleted_at": row.deleted_at,
        "utc_offset_minutes": row.utc_offset_minutes,
    }


def _version(row: EntryVersionRow) -> EntryVersion:
    return EntryVersion(
        id=row.id,
        entry_id=row.entry_id,
        saved_at=row.saved_at,
        replaced_at=row.replaced_at,
        change=Change(row.change),
        **_observed(row),
    )


def _live_in_period(
    date_from: dt.date | None, date_to: dt.date | None
) -> tuple[list[str], list[object]]:
    """SQL conditions (and their parameters) for live entries in a period."""
    where: list[str] = ["deleted_at IS NULL"]
    params: list[object] = []
    if date_from is not None:
        where.append("local_date >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        where.append("local_date <= ?")
        params.append(date_to.isoformat())
    return where, params


def _as_uuid(encoded: str) -> uuid.UUID | None:
    """A stored journal id (JSON text) as a UUID, or None when it is not one."""
    try:
        value = json.loads(encoded)
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _checkpoint(path: Path) -> None:
    """Copy what -wal holds into the journal file (outside any transaction)."""
    connection = cipher.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _quick_check(path: Path) -> None:
    """SQLite's fast integrity check, at every open. A damaged journal is never touched."""
    result = version.quick_check(path)
    if result == "ok":
        return
    from mbc_journal.db import backup

    good = backup.newest_good(path)
    hint = (
        f" The newest good backup is from {good.created:%d %b %Y %H:%M}: restore it with "
        f"'mbc-journal restore \"{good.path}\"' or from Settings."
        if good
        else " No good backup was found."
    )
    raise CorruptJournalError(f"The journal {path.name} is damaged; nothing was changed.{hint}")


def _check_phone(number: str) -> str:
    number = " ".join(check_text(number, "A phone number", limit=40).split())
    if number and not any(c.isdigit() for c in number):
        raise ValidationError(f"'{number}' is not a phone number (it has no digits).")
    return number


def _canonical_unit(item: Item) -> str | None:
    """Values hold canonical numbers, so they are validated in the canonical unit."""
    return item.unit if item.kind is ItemKind.MEASUREMENT else None


def _differs(row: EntryRow, draft: EntryDraft) -> bool:
    return (row.value, row.unit, row.time, row.note) != (
        draft.value.number,
        draft.value.unit,
        draft.time,
        draft.note,
    )


_ENTRY_COLUMNS = (
    EntryRow.id, EntryRow.uid, EntryRow.item_id, EntryRow.local_date, EntryRow.time,
    EntryRow.value, EntryRow.unit, EntryRow.note, EntryRow.entered_by, EntryRow.role,
    EntryRow.created_at, EntryRow.updated_at, EntryRow.deleted_at, EntryRow.utc_offset_minutes,
)  # fmt: skip
_PEOPLE: dict[tuple[str, str], Person] = {}  # a handful of people; saves a Person per row


def _entry_from_row(row: Sequence[Any]) -> Entry:
    """An Entry from a row of ``_ENTRY_COLUMNS``."""
    (entry_id, uid, item_id, local_date, time, value, unit, note, entered_by, role,
     created_at, updated_at, deleted_at, offset) = row  # fmt: skip
    person = _PEOPLE.get((entered_by, role))
    if person is None:
        person = _PEOPLE.setdefault((entered_by, role), Person(entered_by, Role(role)))
    return Entry(entry_id, uid, item_id, local_date, time, value, unit, note, person,
                 created_at, updated_at, deleted_at, offset)  # fmt: skip


def _entry(row: EntryRow) -> Entry:
    return Entry(
        id=row.id,
        uid=row.uid,
        created_at=row.created_at,
        updated_at=row.updated_at,
        **_observed(row),
    )


def _custom_item(row: CustomItemRow) -> Item:
    return catalogue_module.custom_item(row.id, row.label, ItemKind(row.kind), row.site_id)
