"""Data portability: CSV and JSON export/import, FHIR R4 export.

Formats are documented in docs/data-formats.md. Imports are validated whole
before anything is written, then written in one transaction: a broken file
changes nothing. Importing into a journal that already has data merges without
duplicates (entries by their uid) and reports what it did.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from mbc_journal import __version__
from mbc_journal.db.schema import (
    AppointmentRow,
    CustomItemRow,
    DayNoteRow,
    EntryRow,
    EntryVersionRow,
    QuestionRow,
    ResultRow,
    SettingRow,
    SignalAckRow,
    TreatmentRow,
)
from mbc_journal.errors import JournalError, ValidationError
from mbc_journal.journal import JOURNAL_ID
from mbc_journal.model import (
    MAX_NOTE_LENGTH,
    MAX_UTC_OFFSET_MINUTES,
    Entry,
    EntryFilter,
    Item,
    ItemKind,
    check_name,
    check_text,
    check_value,
    from_canonical,
    parse_date,
    parse_time,
    utc_offset,
)
from mbc_journal.paths import check_input_file, check_output_file
from mbc_journal.wording import plural

if TYPE_CHECKING:
    from mbc_journal.journal import Journal

FORMAT_NAME = "mbc-journal"
# 2: each entry carries its earlier versions (issue 21); version-1 files still import.
# 3: each entry and version carries utc_offset_minutes (issue 18); 1 and 2 still import.
FORMAT_VERSION = 3
MAX_IMPORT_BYTES = 64 * 1024 * 1024
CSV_COLUMNS = (
    "date",
    "time",
    "utc_offset_minutes",  # where and when it was made: +120 is UTC+02:00 (empty: unknown)
    "sites",
    "item_id",
    "item",
    "kind",
    "value",
    "unit",
    "value_as_entered",
    "unit_as_entered",
    "note",
    "entered_by",
    "role",
    "uid",
    "created_utc",
    "updated_utc",
    "version",  # "current", or "earlier" for an entry's earlier version (same uid)
    "replaced_utc",  # an earlier version: when a change replaced it
    "change",  # an earlier version: what replaced it (edited, deleted, …)
)
LOCAL_SYSTEM = "urn:mbc-journal:item"
# LOINC codes used only where verified (loinc.org): 8310-5 Body temperature,
# 29463-7 Body weight. Everything else uses the local code system above.
LOINC = {"temperature": ("8310-5", "Body temperature"), "weight": ("29463-7", "Body weight")}
# 72514-3 Pain severity - 0-10 verbal numeric rating [Score] - Reported: the patient's own
# 0-10 pain rating carries it beside its own code (which pain it is). A caregiver's rating
# of the patient's pain is not patient-reported, so it never carries it.
PAIN_SEVERITY = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
PAIN_RATINGS = frozenset(
    ("bone_pain", "back_pain", "spinal_pain", "chest_pain", "abdominal_pain", "headache")
)
UCUM = {"°C": "Cel", "kg": "kg", "doses": "{dose}"}

Progress = Callable[[float, str], None]


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"
    FHIR = "fhir"
    FHIR_TRANSACTION = "fhir-transaction"  # the same bundle, for a server to ingest (PUTs)


@dataclass(frozen=True)
class ImportReport:
    entries_added: int = 0
    entries_skipped: int = 0
    day_notes_added: int = 0
    day_notes_kept: int = 0
    other_added: int = 0
    ratings_merged: int = 0  # the same person's rating of a day, already here: one kept

    @property
    def text(self) -> str:
        parts = [f"Imported {plural(self.entries_added, 'entry')}"]
        if self.day_notes_added:
            parts.append(plural(self.day_notes_added, "day note"))
        if self.other_added:
            parts.append(
                f"{plural(self.other_added, 'other record')} (care plan, own items, settings)"
            )
        text = ", ".join(parts) + "."
        if self.entries_skipped:
            text += f" Skipped {plural(self.entries_skipped, 'entry')} already in this journal."
        if self.ratings_merged:
            text += (
                f" {plural(self.ratings_merged, 'rating')} of a day the same person had "
                f"already rated here: the newer is kept as the rating, the other as its "
                f"earlier version."
            )
        if self.day_notes_kept:
            text += (
                f" Kept this journal's own note on {plural(self.day_notes_kept, 'day')} where "
                f"the file had a different one."
            )
        return text


# --- writing files -------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    path = check_output_file(path, f"export{Path(path).suffix or '.json'}")
    fd, temp = tempfile.mkstemp(prefix=".export-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def export(
    journal: Journal,
    fmt: Format | str,
    path: Path,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """Write an export file; returns how many entries it holds."""
    fmt = Format(fmt)
    report = progress or (lambda _f, _t: None)
    report(0.1, "Reading the journal")
    if fmt is Format.CSV:
        data, count = csv_bytes(journal, date_from, date_to)
    elif fmt is Format.JSON:
        bundle = json_bundle(journal, date_from, date_to)
        data, count = _json_bytes(bundle), len(bundle["entries"])
    else:
        fhir = fhir_bundle(journal, date_from, date_to, transaction=fmt is Format.FHIR_TRANSACTION)
        observations = [  # a transaction's DELETE entries hold no resource
            e for e in fhir["entry"] if e.get("resource", {}).get("resourceType") == "Observation"
        ]
        data, count = _json_bytes(fhir), len(observations)
    report(0.8, "Writing the file")
    _write_atomic(path, data)
    report(1.0, "Done")
    return count


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _entries(
    journal: Journal, date_from: dt.date | None, date_to: dt.date | None, include_deleted: bool
) -> list[Any]:
    return journal.entries(
        EntryFilter(date_from=date_from, date_to=date_to, include_deleted=include_deleted)
    )


# --- CSV ------------------------------------------------------------------------------


def csv_bytes(
    journal: Journal, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> tuple[bytes, int]:
    """UTF-8 with a byte-order mark, so Excel and LibreOffice read accents right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    catalogue = journal.catalogue
    entries = _entries(journal, date_from, date_to, include_deleted=False)
    earlier = journal.all_versions()
    rows: list[tuple[Any, str, dt.datetime | None, str]] = [
        (e, "current", None, "") for e in entries
    ]
    rows += [
        (v, "earlier", v.replaced_at, v.change.value)
        for e in entries
        for v in earlier.get(e.id, ())
        if v.deleted_at is None
    ]
    uids = {e.id: e.uid for e in entries}
    for e, version, replaced, change in rows:
        item = catalogue.item(e.item_id) if catalogue.has_item(e.item_id) else None
        shown = e.value
        if item and e.unit and item.unit:
            shown = round(from_canonical(e.value, item.unit, e.unit), item.decimals + 2)
        row = [
            e.local_date.isoformat(),
            e.time.strftime("%H:%M") if e.time else "",
            "" if e.utc_offset_minutes is None else str(e.utc_offset_minutes),
            ";".join(item.sites) if item else "",
            e.item_id,
            item.label if item else "",
            item.kind.value if item else "",
            _num(e.value),
            (item.unit if item else "") or "",
            _num(shown),
            e.unit or (item.unit if item else "") or "",
            e.note,
            e.person.name,
            e.person.role.value,
            e.uid if version == "current" else uids[e.entry_id],
            (e.created_at if version == "current" else e.saved_at).isoformat(),
            (e.updated_at if version == "current" else e.saved_at).isoformat(),
            version,
            replaced.isoformat() if replaced else "",
            change,
        ]
        writer.writerow(
            [c if i in _CSV_NUMBER_COLUMNS else _text_cell(c) for i, c in enumerate(row)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8"), len(entries)


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


# Columns written by _num: plain numbers, never text a spreadsheet could run.
_CSV_NUMBER_COLUMNS = frozenset(
    CSV_COLUMNS.index(c) for c in ("value", "value_as_entered", "utc_offset_minutes")
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    """A text cell a spreadsheet cannot run: OWASP's leading "'" before a formula start.

    Text already starting with "'" gets one too, so that import, which takes exactly one
    leading "'" away (_untext_cell), gives back every text exactly as it was.
    """
    return "'" + text if text.startswith((*_FORMULA_START, "'")) else text


def _untext_cell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


# --- JSON -------------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _row_dict(row: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
    return {c.key: _iso(getattr(row, c.key)) for c in row.__table__.columns if c.key not in skip}


def json_bundle(
    journal: Journal, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict[str, Any]:
    """The whole journal (or a period's entries and notes), lossless."""
    with journal.write_session() as session:  # one consistent snapshot
        entries = select(EntryRow).order_by(EntryRow.id)
        notes = select(DayNoteRow).order_by(DayNoteRow.local_date)
        if date_from:
            entries = entries.where(EntryRow.local_date >= date_from)
            notes = notes.where(DayNoteRow.local_date >= date_from)
        if date_to:
            entries = entries.where(EntryRow.local_date <= date_to)
            notes = notes.where(DayNoteRow.local_date <= date_to)
        bundle = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "app_version": __version__,
            "exported_utc": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(),
            "period": {"from": _iso(date_from), "to": _iso(date_to)},
            "entries": _with_versions(session, list(session.scalars(entries))),
            "day_notes": [_row_dict(r, skip=("id",)) for r in session.scalars(notes)],
            "custom_items": [_row_dict(r) for r in session.scalars(select(CustomItemRow))],
            "settings": {  # without this journal's own id: it names the file, not the content
                r.key: json.loads(r.value)
                for r in session.scalars(select(SettingRow).where(SettingRow.key != JOURNAL_ID))
            },
            "signal_acks": [_row_dict(r) for r in session.scalars(select(SignalAckRow))],
            "care_plan": {
                "treatments": [_row_dict(r) for r in session.scalars(select(TreatmentRow))],
                "appointments": [_row_dict(r) for r in session.scalars(select(AppointmentRow))],
                "questions": [_row_dict(r) for r in session.scalars(select(QuestionRow))],
                "results": [_row_dict(r) for r in session.scalars(select(ResultRow))],
            },
        }
    return bundle


_VERSION_OBSERVED = (  # what a version holds as its entry does
    "item_id", "local_date", "time", "value", "unit", "note", "entered_by", "role", "deleted_at",
    "utc_offset_minutes",
)  # fmt: skip
_VERSION_FIELDS = (*_VERSION_OBSERVED, "saved_at", "replaced_at", "change")


def _with_versions(session: Any, rows: list[EntryRow]) -> list[dict[str, Any]]:
    """Entries as JSON, each with its earlier versions (oldest first) when it has any."""
    versions: dict[int, list[dict[str, Any]]] = {}
    query = select(EntryVersionRow).order_by(EntryVersionRow.replaced_at, EntryVersionRow.id)
    for v in session.scalars(query):
        versions.setdefault(v.entry_id, []).append(
            {k: _iso(getattr(v, k)) for k in _VERSION_FIELDS}
        )
    out = []
    for row in rows:
        record = _row_dict(row, skip=("id",))
        if row.id in versions:
            record["versions"] = versions[row.id]
        out.append(record)
    return out


# --- FHIR R4 ------------------------------------------------------------------------------


def fhir_bundle(
    journal: Journal,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    *,
    transaction: bool = False,
) -> dict[str, Any]:
    """A FHIR R4 Bundle (type collection): the Patient, a RelatedPerson per caregiver,
    and one Observation per reading, each at its own time. With ``transaction``, a
    transaction bundle a server can ingest: each resource PUT at its own id, so sending
    the same export twice updates instead of duplicating.

    Every reference resolves inside the bundle. Every id is a UUID (version 5) made from
    this journal's own random id and the record's uid (``FhirIds``): the same on every
    export of this journal, whatever is back-dated or added, and never the same as
    another journal's, even one made from the same file. Temperature and weight follow
    the vital-signs profiles (category, LOINC code, UCUM unit) with the reading as it
    was entered (101.3 °F stays 101.3 [degF]).
    """
    catalogue = journal.catalogue
    entries = _entries(journal, date_from, date_to, include_deleted=False)
    ids = FhirIds.of(journal)
    patient: dict[str, Any] = {"resourceType": "Patient", "id": ids.patient}
    if journal.profile_name():
        patient["name"] = [{"text": journal.profile_name()}]
    patient_url = f"urn:uuid:{ids.patient}"
    bundle_entries: list[dict[str, Any]] = [{"fullUrl": patient_url, "resource": patient}]
    carers: dict[tuple[str, str], str] = {}  # a caregiver's key -> their RelatedPerson's URL
    for e in entries:
        if e.person.is_caregiver and e.person.key not in carers:
            carer_id = ids.caregiver(e.person.key)
            carers[e.person.key] = f"urn:uuid:{carer_id}"
            bundle_entries.append(
                {
                    "fullUrl": carers[e.person.key],
                    "resource": {
                        "resourceType": "RelatedPerson",
                        "id": carer_id,
                        "patient": {"reference": patient_url},
                        "name": [{"text": e.person.name}],
                        "relationship": [CAREGIVER_RELATIONSHIP],
                    },
                }
            )
    for e in entries:
        item = catalogue.item(e.item_id) if catalogue.has_item(e.item_id) else None
        performer = carers[e.person.key] if e.person.is_caregiver else patient_url
        obs = _observation(e, item, patient_url, performer)
        obs["id"] = ids.observation(e.uid)
        bundle_entries.append({"fullUrl": f"urn:uuid:{obs['id']}", "resource": obs})
    if transaction:
        for entry in bundle_entries:
            resource = entry["resource"]
            entry["request"] = {
                "method": "PUT",
                "url": f"{resource['resourceType']}/{resource['id']}",
            }
        # An entry deleted in the journal is deleted on the server too (a server that
        # ingested an earlier export keeps it otherwise); deleting one it never had is a
        # no-op (FHIR R4 3.1.0.7.1: DELETE of an unknown resource succeeds).
        live = {e.uid for e in entries}
        for e in _entries(journal, date_from, date_to, include_deleted=True):
            if e.deleted and e.uid not in live:
                url = f"Observation/{ids.observation(e.uid)}"
                bundle_entries.append({"request": {"method": "DELETE", "url": url}})
    return {
        "resourceType": "Bundle",
        "type": "transaction" if transaction else "collection",
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "entry": bundle_entries,
    }


# A caregiver, coded as SNOMED CT 133932002 |Caregiver (person)| and as HL7 v3 RoleClass
# CAREGIVER (the R4 relationship binding is extensible, so either is understood).
CAREGIVER_RELATIONSHIP: dict[str, Any] = {
    "coding": [
        {"system": "http://snomed.info/sct", "code": "133932002", "display": "Caregiver"},
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-RoleClass",
            "code": "CAREGIVER",
            "display": "caregiver",
        },
    ],
    "text": "caregiver",
}


@dataclass(frozen=True)
class FhirIds:
    """The FHIR ids of one journal's records: UUIDs (version 5) named by the journal's
    own random id (``Journal.journal_id``) and each record's uid. FHIR ids are at most 64
    letters, digits, '-' and '.', and a ``urn:uuid:`` fullUrl must be a UUID, so an
    entry's uid ("a", a CSV row's own id) is never used as it is."""

    namespace: uuid.UUID
    legacy: bool = False  # a journal opened read-only that has no id yet

    @classmethod
    def of(cls, journal: Journal) -> FhirIds:
        journal_id = journal.journal_id()
        if journal_id is not None:
            return cls(journal_id)
        # Opened read-only before it was ever opened for writing: the ids earlier
        # versions made, from the journal's first entry (or its path).
        anchor = journal.entries(EntryFilter(include_deleted=True))[:1]
        seed = anchor[0].uid if anchor else str(journal.path.resolve())
        return cls(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mbc-journal:patient:{seed}"), True)

    @property
    def patient(self) -> str:
        return str(self.namespace if self.legacy else uuid.uuid5(self.namespace, "patient"))

    def caregiver(self, key: tuple[str, str]) -> str:
        """``key``: the caregiver's ``Person.key`` (their name, in any case)."""
        if self.legacy:
            return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:uuid:{self.patient}:carer:{key}"))
        return str(uuid.uuid5(self.namespace, f"caregiver:{key[1]}"))

    def observation(self, uid: str) -> str:
        if self.legacy:
            try:
                if str(uuid.UUID(uid)) == uid:
                    return uid
            except ValueError:
                pass
            return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:uuid:{self.patient}:entry:{uid}"))
        return str(uuid.uuid5(self.namespace, f"entry:{uid}"))


_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
VITAL_PROFILES = {  # the FHIR R4 vital-signs profiles temperature and weight follow
    "temperature": "http://hl7.org/fhir/StructureDefinition/bodytemp",
    "weight": "http://hl7.org/fhir/StructureDefinition/bodyweight",
}
UCUM_AS_ENTERED = {"°C": "Cel", "°F": "[degF]", "kg": "kg", "lb": "[lb_av]", "doses": "{dose}"}


def _observation(e: Entry, item: Item | None, patient: str, performer: str) -> dict[str, Any]:
    """One reading as a FHIR Observation (see ``fhir_bundle``)."""
    label = item.label if item else e.item_id
    coding = [{"system": LOCAL_SYSTEM, "code": e.item_id, "display": label}]
    if e.item_id in LOINC:
        code, display = LOINC[e.item_id]
        coding.insert(0, {"system": "http://loinc.org", "code": code, "display": display})
    elif e.item_id in PAIN_RATINGS and not e.person.is_caregiver:
        code, display = PAIN_SEVERITY
        coding.append({"system": "http://loinc.org", "code": code, "display": display})
    # FHIR wants a zone with a time: the entry's local time with the offset in force where
    # and when it was made (kept with it), or for an entry from before the journal kept
    # it, this computer's offset for that date (daylight saving time as it was then).
    when = (
        dt.datetime.combine(
            e.local_date, e.time, utc_offset(e.local_date, e.time, e.utc_offset_minutes)
        ).isoformat(timespec="seconds")
        if e.time
        else e.local_date.isoformat()
    )
    vital = e.item_id in VITAL_PROFILES
    category = ("vital-signs", "Vital Signs") if vital else ("survey", "Survey")
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {"coding": [{"system": _CATEGORY, "code": category[0], "display": category[1]}]}
        ],
        "code": {"coding": coding, "text": label},
        "subject": {"reference": patient},
        "effectiveDateTime": when,
        "issued": e.created_at.isoformat(timespec="seconds") + "Z",
        "performer": [{"reference": performer}],
    }
    if vital:
        obs["meta"] = {"profile": [VITAL_PROFILES[e.item_id]]}
    if item is not None and item.kind is ItemKind.MEASUREMENT:
        unit = e.unit or item.unit or ""  # the reading as entered: 154 lb stays 154 lb
        shown = from_canonical(e.value, item.unit or "", unit) if e.unit and item.unit else e.value
        obs["valueQuantity"] = {
            "value": round(shown, item.decimals + 2),
            "unit": unit,
            "system": "http://unitsofmeasure.org",
            "code": UCUM_AS_ENTERED.get(unit, UCUM.get(unit, unit)),
        }
    else:
        obs["valueInteger"] = int(e.value)
        rated = item is None or item.kind is ItemKind.RATING
        obs["method"] = {"text": _method(rated, e.person.is_caregiver)}
    if e.note:
        obs["note"] = [{"text": e.note}]
    return obs


def _method(rated: bool, by_caregiver: bool) -> str:
    """How the value was got: who rated or counted it, and the 0-10 scale."""
    if not rated:
        return (
            "Number of times it happened, as observed by a caregiver"
            if by_caregiver
            else "Number of times it happened, as reported by the patient"
        )
    if by_caregiver:
        return "Observed and rated by a caregiver from 0 (none) to 10 (worst imaginable)"
    return "Patient-reported rating from 0 (none) to 10 (worst imaginable)"


# --- import ---------------------------------------------------------------------------------


def read_import_file(path: Path) -> tuple[Format, Any]:
    path = check_input_file(path, "an MBC Journal CSV or JSON export")
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            f"{path.name} is {size / 1024 / 1024:,.0f} MB; files over "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB are not imported (an MBC Journal export of "
            f"20 years is far smaller). Nothing was imported."
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name} is not a UTF-8 text file; nothing was imported."
        ) from None
    stripped = text.strip()
    if not stripped:
        raise ValidationError(f"{path.name} is empty; nothing was imported.")
    named_json = path.suffix.lower() == ".json"  # a .json file is read as JSON, whatever it holds
    if named_json or stripped.startswith(("{", "[")) or _JSON_WORD.fullmatch(stripped):
        try:
            content = json.loads(text, parse_constant=_no_constant)
            json.dumps(content, ensure_ascii=False).encode("utf-8")  # no lone surrogates
            if not isinstance(content, dict):
                raise ValidationError(
                    f"{path.name} is JSON but not an MBC Journal export (it holds "
                    f"{_json_kind(content)}, not a journal); nothing was imported."
                )
            return Format.JSON, content
        except UnicodeEncodeError:
            raise ValidationError(
                f"{path.name} holds text with broken characters (\\ud800-style escapes that "
                f"are half of a pair); nothing was imported."
            ) from None
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"{path.name} is not valid JSON (line {error.lineno}); nothing was imported."
            ) from None
        except RecursionError:
            raise ValidationError(
                f"{path.name} is nested too deeply to be an MBC Journal export; nothing was "
                f"imported."
            ) from None
        except _NotANumber as error:  # NaN, Infinity
            raise ValidationError(f"{path.name}: {error}; nothing was imported.") from None
        except ValueError:  # a number of thousands of digits (Python refuses to read it)
            raise ValidationError(
                f"{path.name} holds a number thousands of digits long, which no journal "
                f"value has; nothing was imported."
            ) from None
    return Format.CSV, text


# A JSON document that is a bare word or number ("null", "true", "5", "-1.5e3").
_JSON_WORD = re.compile(r"null|true|false|-?\d+(\.\d+)?([eE][+-]?\d+)?")


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if value is None:
        return "only null"
    if isinstance(value, bool):
        return f"only {str(value).lower()}"
    if isinstance(value, str):
        return "only a piece of text"
    return "only a number"


class _NotANumber(ValueError):
    pass


def _no_constant(name: str) -> float:
    raise _NotANumber(f"'{name}' is not a number")


@dataclass
class ImportPlan:
    """A whole import file, every record checked; nothing written yet."""

    entries: list[EntryRow]
    notes: list[DayNoteRow] = field(default_factory=list)
    custom_rows: list[CustomItemRow] = field(default_factory=list)
    others: list[Any] = field(default_factory=list)
    questions: list[QuestionRow] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, list[EntryVersionRow]] = field(default_factory=dict)  # by entry uid

    @property
    def is_empty(self) -> bool:
        return not (
            self.entries or self.notes or self.custom_rows or self.others or self.questions
            or self.settings
        )  # fmt: skip


def check_import(journal: Journal, path: Path) -> ImportPlan:
    """Read and check a whole import file (one sentence if any part is wrong)."""
    fmt, content = read_import_file(path)
    return plan_import(journal, fmt, content)


def plan_import(journal: Journal, fmt: Format, content: Any) -> ImportPlan:
    if fmt is Format.JSON:
        return _json_plan(journal, content)
    return _csv_plan(journal, content)


def apply_import(journal: Journal, plan: ImportPlan) -> ImportReport:
    """Write a checked import in one transaction."""
    return _merge(
        journal, plan.entries, plan.notes, plan.custom_rows, plan.others, plan.questions,
        plan.settings, plan.versions,
    )  # fmt: skip


def import_file(journal: Journal, path: Path) -> ImportReport:
    """Check, then import (no backup: ``operations.import_file`` is the door that backs up)."""
    return apply_import(journal, check_import(journal, path))


def import_content(journal: Journal, fmt: Format, content: Any) -> ImportReport:
    return apply_import(journal, plan_import(journal, fmt, content))


def _fail(where: str, message: str | BaseException) -> ValidationError:
    """One sentence placing the fault, ending in "Nothing was imported.". The subject is
    never said twice ("Entry 1: Entry 1: …", "An appointment: An appointment on …")."""
    text = str(message).strip()
    if text.startswith(f"{where}: "):  # already placed
        text = text[len(where) + 2 :]
    for ending in (" Nothing was imported.", "; nothing was imported.", " Nothing was changed."):
        text = text.removesuffix(ending)
    if not text.endswith((".", "?", "!")):
        text += "."
    # The message names its subject itself ("A treatment's start …", "The care team …").
    lowered, subject = text.lower(), where.lower()
    for name in {
        subject,
        subject.removeprefix("a ").removeprefix("an "),
        "the " + subject.removeprefix("a "),
    }:
        if lowered.startswith((name + " ", name + "'s ")):
            return ValidationError(f"{text} Nothing was imported.")
    return ValidationError(f"{where}: {text} Nothing was imported.")


def _date(value: Any, where: str) -> dt.date:
    """A date as an export writes it: text, YYYY-MM-DD (never 20260101 or a number)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _fail(where, f"{_shown(value)} is not a date written as YYYY-MM-DD.")
    try:
        return parse_date(value)
    except ValidationError as error:
        raise _fail(where, str(error)) from None


# An export is never this far ahead of the clock (time zones, a clock a little fast).
_CLOCK_SLACK = dt.timedelta(days=1)


def _datetime(value: Any, where: str, what: str = "a time stamp") -> dt.datetime:
    """A UTC time stamp as an export writes it (ISO text), not in the future."""
    try:
        when = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is not None or len(value) < 16:
        raise _fail(where, f"{_shown(value)} is not a date and time ({what}).")
    if when > dt.datetime.now(dt.UTC).replace(tzinfo=None) + _CLOCK_SLACK:
        raise _fail(where, f"{what} {value} is in the future.")
    return when


def _shown(value: Any) -> str:
    """A value from a file as a message quotes it: short, and its type visible."""
    if isinstance(value, str):
        return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        text = repr(value)
        return "a number" if len(text) > 40 else text
    return "a list" if isinstance(value, list) else "a set of fields"


def _text(raw: Mapping[str, Any], key: str, where: str, default: str | None = "") -> str:
    """A text field: text or absent (then ``default``); a number where text belongs is
    refused, never turned into text."""
    value = raw.get(key)
    if value is None and default is not None:
        return default
    if not isinstance(value, str):
        raise _fail(where, f"'{key}' must be text, not {_shown(value)}.")
    return value


MAX_UID_LENGTH = 100


def _entry_row(
    journal: Journal, raw: Mapping[str, Any], where: str, custom: Mapping[str, Item]
) -> EntryRow:
    for key in ("uid", "item_id", "local_date", "value"):
        if key not in raw:
            raise _fail(where, f"the field '{key}' is missing.")
    try:
        uid = _text(raw, "uid", where, None)
        if not uid or len(uid) > MAX_UID_LENGTH or not uid.isprintable():
            raise _fail(
                where,
                f"its id {_shown(uid)} is not an entry id (one line of at most "
                f"{MAX_UID_LENGTH} characters).",
            )
        item_id = _text(raw, "item_id", where, None)
        item = custom.get(item_id) or journal.catalogue.item(item_id)
        value = raw["value"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(where, f"the value {_shown(value)} is not a number.")
        if not math.isfinite(float(value)):
            raise _fail(where, "the value is not a number.")
        unit = raw.get("unit") or None
        if unit is not None and not isinstance(unit, str):
            raise _fail(where, f"the unit {_shown(unit)} is not a unit.")
        if unit is not None and unit not in item.units:
            kind = "ratings" if item.kind is ItemKind.RATING else "events"
            raise ValidationError(
                f"{item.label} is not recorded in '{unit[:20]}'"
                + (f" ({kind} have no unit)." if not item.units else ".")
            )
        checked = check_value(
            item, float(value), item.unit if item.kind is ItemKind.MEASUREMENT else None
        )
        time = _clock(raw["time"], where) if raw.get("time") else None
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
        created = _datetime(raw.get("created_at") or now, where, "the time it was made")
        updated = _datetime(raw.get("updated_at") or now, where, "the time it was changed")
        deleted = raw.get("deleted_at")
        offset = raw.get("utc_offset_minutes")
        if offset is not None and (
            isinstance(offset, bool)
            or not isinstance(offset, int)
            or abs(offset) > MAX_UTC_OFFSET_MINUTES
        ):
            raise _fail(
                where,
                f"its UTC offset {_shown(offset)} is not a whole number of minutes from "
                f"-{MAX_UTC_OFFSET_MINUTES} to {MAX_UTC_OFFSET_MINUTES}.",
            )
        return EntryRow(
            uid=uid,
            item_id=item.id,
            local_date=_date(raw["local_date"], where),
            time=time,
            value=checked.number,
            unit=unit,
            note=check_text(_text(raw, "note", where)),
            entered_by=check_name(_text(raw, "entered_by", where)),
            role=_role(raw.get("role", "patient"), where),
            created_at=created,
            updated_at=updated,
            deleted_at=(_datetime(deleted, where, "the time it was deleted") if deleted else None),
            utc_offset_minutes=offset,
        )
    except JournalError as error:
        raise _fail(where, str(error)) from None
    except (TypeError, ValueError, OverflowError):
        raise _fail(where, "a value is not of the kind an export holds.") from None


def _version_row(
    journal: Journal, raw: Mapping[str, Any], where: str, custom: Mapping[str, Item], uid: str
) -> EntryVersionRow:
    """An entry's earlier version from a file, with the checks of an entry."""
    from mbc_journal.model import Change

    unknown = set(raw) - set(_VERSION_FIELDS)
    if unknown:
        raise _fail(where, f"it has an unknown field '{str(sorted(unknown)[0])[:40]}'.")
    for key in ("saved_at", "replaced_at", "change"):
        if key not in raw:
            raise _fail(where, f"the field '{key}' is missing.")
    if raw["change"] not in {c.value for c in Change}:
        raise _fail(where, f"{_shown(raw['change'])} is not a kind of change.")
    fields_ = {k: raw[k] for k in _VERSION_OBSERVED if k in raw}
    stamp = raw["saved_at"]
    row = _entry_row(
        journal, {**fields_, "uid": uid, "created_at": stamp, "updated_at": stamp}, where, custom
    )
    return EntryVersionRow(
        **{k: getattr(row, k) for k in _VERSION_OBSERVED},
        saved_at=row.updated_at,
        replaced_at=_datetime(raw["replaced_at"], where, "the time it was replaced"),
        change=raw["change"],
    )


def _clock(value: Any, where: str) -> dt.time:
    """An entry's time as written by an export: HH:MM or HH:MM:SS (never cut short, so
    '01:00 PM' is refused, not read as 01:00)."""
    try:
        when = dt.time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is not None:
        raise _fail(where, f"'{value}' is not a time of day (HH:MM).")
    return parse_time(when.strftime("%H:%M"))


def _role(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in ("patient", "caregiver"):
        raise _fail(where, f"{_shown(value)} is not patient or caregiver.")
    return value


def import_json(journal: Journal, bundle: Any) -> ImportReport:
    return apply_import(journal, _json_plan(journal, bundle))


def _records(container: Any, key: str, where: str) -> list[dict[str, Any]]:
    """``container[key]``: a list of records (objects), absent meaning none; anything
    else (``{}``, ``null``, a number) is one sentence."""
    if not isinstance(container, dict):
        raise _fail(where, "it is not a set of records.")
    value = container.get(key, [])
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise _fail(where, f"'{key}' is not a list of records (it is {_shown(value)}).")
    return value


def _section(bundle: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    """A part of the export made of named fields (``settings``, ``care_plan``)."""
    value = bundle.get(key, {})
    if not isinstance(value, dict):
        raise _fail(where, f"'{key}' is not a set of names and values (it is {_shown(value)}).")
    return value


def _json_plan(journal: Journal, bundle: Any) -> ImportPlan:
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT_NAME:
        raise ValidationError("This is not an MBC Journal JSON export; nothing was imported.")
    version = bundle.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError(
            f"This export has no valid format version ({_shown(version)}; an MBC Journal "
            f"export says 1 or higher); nothing was imported."
        )
    if version > FORMAT_VERSION:
        raise ValidationError(
            f"This export is format version {version}, newer than this app reads "
            f"({FORMAT_VERSION}); update MBC Journal. Nothing was imported."
        )
    custom_rows, custom = _own_items(journal, _records(bundle, "custom_items", "Own items"))
    entries, seen = [], set()
    versions: dict[str, list[EntryVersionRow]] = {}
    for n, raw in enumerate(_records(bundle, "entries", "Entries"), start=1):
        row = _entry_row(journal, raw, f"Entry {n}", custom)
        if row.uid in seen:
            raise _fail(f"Entry {n}", f"its id {row.uid} appears twice in the file.")
        seen.add(row.uid)
        entries.append(row)
        earlier = _records(raw, "versions", f"Entry {n}")
        if earlier:
            versions[row.uid] = [
                _version_row(journal, v, f"Entry {n}, earlier version {k}", custom, row.uid)
                for k, v in enumerate(earlier, start=1)
            ]
    notes = []
    for n, raw in enumerate(_records(bundle, "day_notes", "Day notes"), start=1):
        where = f"Day note {n}"
        try:
            notes.append(
                DayNoteRow(
                    local_date=_date(raw["local_date"], where),
                    text=check_text(_text(raw, "text", where, None), "A day note"),
                    entered_by=check_name(_text(raw, "entered_by", where)),
                    role=_role(raw.get("role", "patient"), where),
                    updated_at=_datetime(raw["updated_at"], where, "the time it was changed"),
                )
            )
        except KeyError as missing:
            raise _fail(where, f"the field {missing} is missing.") from None
        except (TypeError, AttributeError):
            raise _fail(where, "it is malformed.") from None
        except ValidationError as error:
            raise _fail(where, str(error)) from None
    plan = _section(bundle, "care_plan", "Care plan")
    try:
        others: list[Any] = [
            *(TreatmentRow(**_typed(TreatmentRow, r))
              for r in _records(plan, "treatments", "Care plan")),
            *(AppointmentRow(**_typed(AppointmentRow, r))
              for r in _records(plan, "appointments", "Care plan")),
            *(ResultRow(**_typed(ResultRow, r)) for r in _records(plan, "results", "Care plan")),
            *(SignalAckRow(**_typed(SignalAckRow, r))
              for r in _records(bundle, "signal_acks", "Seen signals")),
        ]  # fmt: skip
        questions = [
            QuestionRow(**_typed(QuestionRow, r)) for r in _records(plan, "questions", "Care plan")
        ]
    except _Malformed as error:
        raise _fail("Care plan", f"a record is malformed: {error}.") from None
    except JournalError as error:
        raise _fail("Care plan", error) from None
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
        raise _fail("Care plan", "a record is malformed.") from None
    for record in [*others, *questions]:
        _check_record(record)
    settings = _section(bundle, "settings", "Settings")
    try:
        _check_threshold_types(settings.get("thresholds"))
        settings = journal.check_settings(settings, custom)
    except JournalError as error:
        raise _fail("Settings", str(error)) from None
    return ImportPlan(entries, notes, custom_rows, others, questions, settings, versions)


def _own_items(
    journal: Journal, records: list[dict[str, Any]]
) -> tuple[list[CustomItemRow], dict[str, Item]]:
    """The file's own items, each checked as the "add your own" form checks it
    (custom_items.check_custom_item): one short line of name, a known site, a rating or
    an event, no name twice in a site, no id twice. An item this journal already has
    (same id) keeps this journal's definition, and the file's entries are checked
    against that."""
    from mbc_journal.catalogue import custom_item
    from mbc_journal.custom_items import check_custom_id, check_custom_item

    catalogue = journal.catalogue
    rows: list[CustomItemRow] = []
    items: dict[str, Item] = {}
    for n, raw in enumerate(records, start=1):
        where = f"Own item {n}"
        try:
            row = CustomItemRow(**_typed(CustomItemRow, raw))
        except _Malformed as error:
            raise _fail(where, f"it is malformed: {error}.") from None
        except JournalError as error:
            raise _fail(where, error) from None
        except (TypeError, ValueError, OverflowError):
            raise _fail(where, "it is malformed.") from None
        _check_record(row, where)
        try:
            item_id = check_custom_id(row.id)
            if item_id in items:
                raise ValidationError(f"its id {item_id} appears twice in the file.")
            if catalogue.has_item(item_id):  # this journal has it: its own definition stays
                items[item_id] = catalogue.item(item_id)
                rows.append(row)
                continue
            row.label, kind = check_custom_item(
                catalogue, row.label, row.site_id, row.kind, item_id=item_id
            )
        except JournalError as error:
            raise _fail(where, error) from None
        item = custom_item(item_id, row.label, kind, row.site_id)
        catalogue = catalogue.with_custom([item])  # a second one of that name is refused
        items[item_id] = item
        rows.append(row)
    return rows, items


def _check_threshold_types(thresholds: Any) -> None:
    """Numbers, not text that looks like one ("38.0"); whole numbers where the Settings
    screen takes whole numbers. (The ranges are checked with the Settings' own check.)"""
    if not isinstance(thresholds, dict):
        return  # check_settings says what is wrong
    from dataclasses import fields

    from mbc_journal.signals import Thresholds

    whole = {f.name for f in fields(Thresholds) if f.type in (int, "int")}
    for key, value in thresholds.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(
                f"the safety threshold '{str(key)[:40]}' must be a number, not {_shown(value)}."
            )
        if key in whole and value != int(value):
            raise ValidationError(
                f"the safety threshold '{str(key)[:40]}' must be a whole number, not {value}."
            )


def _check_record(record: Any, where: str | None = None) -> None:
    """Required fields present and enum fields valid, so a record can never break a screen."""
    from mbc_journal.careplan import AppointmentKind, QuestionStatus, ResultKind, TreatmentKind

    choices = {
        (TreatmentRow, "kind"): TreatmentKind, (AppointmentRow, "kind"): AppointmentKind,
        (QuestionRow, "status"): QuestionStatus, (ResultRow, "kind"): ResultKind,
        (CustomItemRow, "kind"): ItemKind,
    }  # fmt: skip
    table = type(record)
    what = table.__tablename__.rstrip("s").replace("_", " ")
    what = f"n {what}" if what[0] in "aeiou" else f" {what}"  # "An appointment", "A result"
    subject = where or f"A{what}"
    for column in table.__table__.columns:
        value = getattr(record, column.key)
        required = not (column.nullable or column.primary_key or column.server_default
                        or column.default)  # fmt: skip
        if value is None and required:
            raise _fail(subject, f"the field '{column.key}' is missing.")
        enum = choices.get((table, column.key))
        if enum is not None and value is not None:
            try:
                enum(value)
            except ValueError:
                raise _fail(subject, f"{_shown(value)} is not a known {column.key}.") from None
    # The same checks as the care-plan forms: a record that passes can always be shown.
    from mbc_journal import careplan_store as careplan

    form_check: Any = {
        TreatmentRow: careplan.check_treatment, AppointmentRow: careplan.check_appointment,
        QuestionRow: careplan.check_question, ResultRow: careplan.check_result,
    }.get(table)  # fmt: skip
    if form_check is not None:
        try:
            form_check(record)
        except JournalError as error:
            raise _fail(subject, str(error)) from None
    # Time stamps as the app writes them: never in the future, never before 1900.
    for column in ("created_at", "updated_at", "deleted_at", "acknowledged_at"):
        stamp = getattr(record, column, None)
        if isinstance(stamp, dt.datetime) and not (
            dt.datetime(1900, 1, 1) <= stamp <= _utc_now() + _CLOCK_SLACK
        ):
            raise _fail(subject, f"its {column.replace('_', ' ')} {stamp:%Y-%m-%d} is impossible.")
    if table is SignalAckRow:  # "kind:item:YYYY-MM-DD", as the app records a seen signal
        if not re.fullmatch(
            r"[a-z_]{1,20}:[a-z0-9_]{1,64}:\d{4}-\d{2}-\d{2}(:[a-z0-9_]{1,20})?", record.key or ""
        ):
            raise _fail(subject, f"{_shown(record.key)} is not a seen signal's name.")
        try:
            record.entered_by = check_name(record.entered_by or "")
        except JournalError as error:
            raise _fail(subject, str(error)) from None
    if table is CustomItemRow and (
        record.unit is not None or record.min is not None or record.max is not None
        or record.decimals not in (None, 0)
    ):  # fmt: skip
        raise _fail(subject, "an own item is a rating or an event: it has no unit or range.")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class _Malformed(ValueError):
    """A field of the wrong type; its message is ours, fit to show."""


def _typed(table: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a JSON record back to column types; unknown keys are refused."""
    columns = {c.key: c for c in table.__table__.columns}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in columns:
            raise _Malformed(f"it has an unknown field '{str(key)[:40]}'")
        kind = columns[key].type.python_type
        if value is None:
            out[key] = None
        elif kind in (dt.datetime, dt.date, dt.time):
            try:
                out[key] = kind.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                out[key] = None
            if out[key] is None or (kind is dt.date and not _ISO_DATE.fullmatch(value)):
                raise _Malformed(f"'{key}' is not a date or time ({_shown(value)})")
        elif kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _Malformed(f"'{key}' is not a number ({_shown(value)})")
            try:
                out[key] = float(value)
            except OverflowError:
                raise _Malformed(f"'{key}' is a number far too large") from None
        elif kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or not _INT64 > value >= 0:
                raise _Malformed(f"'{key}' is not a whole number this app can store")
            out[key] = value
        elif kind is bool:
            if not isinstance(value, bool):
                raise _Malformed(f"'{key}' is not true or false")
            out[key] = value
        else:
            if not isinstance(value, str):
                raise _Malformed(f"'{key}' is not text ({_shown(value)})")
            out[key] = check_text(value, f"'{key}'")
    return out


_INT64 = 2**63


def _merge(
    journal: Journal,
    entries: list[EntryRow],
    notes: list[DayNoteRow],
    custom_rows: list[CustomItemRow],
    others: list[Any],
    questions: list[QuestionRow],
    settings: Mapping[str, Any],
    versions: Mapping[str, list[EntryVersionRow]] | None = None,
) -> ImportReport:
    """Entries new to this journal arrive with their earlier versions; an entry it
    already has (same uid) keeps its own entry and history."""
    added = skipped = notes_added = notes_kept = other = merged = 0
    with journal.write_session() as session:
        have = set(session.scalars(select(EntryRow.uid)))
        for custom in custom_rows:
            if session.get(CustomItemRow, custom.id) is None:
                session.add(custom)
                other += 1
        for entry in entries:
            if entry.uid in have:
                skipped += 1
                continue
            into = journal.merge_imported_rating(session, entry)
            if into is not None:
                have.add(entry.uid)
                merged += 1
                for version in (versions or {}).get(entry.uid, []):
                    version.entry_id = into  # its history comes along
                    session.add(version)
                continue
            session.add(entry)
            have.add(entry.uid)
            added += 1
            if versions and entry.uid in versions:
                session.flush()  # the entry's number, for its versions
                for version in versions[entry.uid]:
                    version.entry_id = entry.id
                    session.add(version)
        for note in notes:
            existing = session.scalar(
                select(DayNoteRow).where(DayNoteRow.local_date == note.local_date)
            )
            if existing is None:
                session.add(note)
                notes_added += 1
            elif existing.text != note.text:
                notes_kept += 1
        id_map: dict[int, int] = {}
        record: Any
        for record in others:
            if isinstance(record, SignalAckRow):
                if session.get(SignalAckRow, record.key) is None:
                    session.add(record)
                    other += 1
                continue
            old_id = record.id
            if _same_exists(session, record):
                continue
            if session.get(type(record), old_id) is not None:
                record.id = None  # the number is taken here: the journal gives a new one
            session.add(record)
            session.flush()
            if isinstance(record, AppointmentRow):
                id_map[old_id] = record.id
            other += 1
        for record in questions:
            if record.appointment_id:
                record.appointment_id = id_map.get(record.appointment_id)
            same = select(QuestionRow).where(QuestionRow.text == record.text)
            if session.scalar(same) is None:
                if session.get(QuestionRow, record.id) is not None:
                    record.id = None
                session.add(record)
                other += 1
        for key, value in settings.items():
            if session.get(SettingRow, key) is None:
                session.add(SettingRow(key=key, value=json.dumps(value, ensure_ascii=False)))
                other += 1
    journal.reload_catalogue()  # own items may have arrived
    return ImportReport(added, skipped, notes_added, notes_kept, other, merged)


def _same_exists(session: Any, row: Any) -> bool:
    table = type(row)
    keys = {
        TreatmentRow: ("kind", "name", "start_date"),
        AppointmentRow: ("day", "time", "kind", "with_whom"),
        ResultRow: ("name", "day", "value", "summary"),
    }[table]
    query = select(table).where(*(getattr(table, k) == getattr(row, k) for k in keys))
    return session.scalar(query) is not None


def import_csv(journal: Journal, text: str) -> ImportReport:
    return apply_import(journal, _csv_plan(journal, text))


def _csv_plan(journal: Journal, text: str) -> ImportPlan:
    """Our own CSV export, also as a spreadsheet saves it back (see docs/data-formats.md)."""
    entries, seen = [], set()
    earlier: list[tuple[int, str, dict[str, Any]]] = []
    records = _csv_records(text)
    _refuse_ambiguous_dates(records)
    for n, raw in records:
        where = f"Line {n}"
        uid = _untext_cell(raw.get("uid", "")) or str(
            uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(raw, sort_keys=True))
        )
        # Converted here to the forms _entry_row reads (ISO date, HH:MM, a plain number).
        record = {
            "uid": uid,
            "item_id": _untext_cell(raw["item_id"]),
            "local_date": _csv_date(raw["date"], where),
            "time": _csv_time(raw.get("time", ""), where) or None,
            "utc_offset_minutes": _csv_offset(raw.get("utc_offset_minutes", ""), where),
            "value": _csv_number(raw["value"], where),
            "unit": _untext_cell(raw.get("unit_as_entered", "")) or None,
            "note": _untext_cell(raw.get("note", "")),
            "entered_by": _untext_cell(raw.get("entered_by", "")),
            "role": _untext_cell(raw.get("role", "")) or "patient",
            "created_at": raw.get("created_utc") or None,
            "updated_at": raw.get("updated_utc") or None,
        }
        item_id = str(record["item_id"])
        if record["unit"] and journal.catalogue.has_item(item_id):
            item = journal.catalogue.item(item_id)
            if record["unit"] == item.unit:
                record["unit"] = None
        version = _untext_cell(raw.get("version", "")) or "current"
        if version == "earlier":  # an entry's earlier version: kept with the entry
            record |= {
                "saved_at": record.pop("updated_at") or record["created_at"],
                "replaced_at": raw.get("replaced_utc") or None,
                "change": _untext_cell(raw.get("change", "")),
            }
            for key in ("uid", "created_at"):
                record.pop(key)
            earlier.append((n, uid, record))
            continue
        if version != "current":
            raise _fail(where, f"the version {_shown(version)} is not current or earlier.")
        if raw.get("change") or raw.get("replaced_utc"):
            raise _fail(where, "only an earlier version has a change and a time it was replaced.")
        canonical = _untext_cell(raw.get("unit", ""))
        catalogue = journal.catalogue
        if (
            canonical
            and catalogue.has_item(item_id)
            and canonical != (catalogue.item(item_id).unit or "")
        ):
            label = catalogue.item(item_id).label
            raise _fail(where, f"{label} is not recorded in '{canonical[:20]}'.")
        row = _entry_row(journal, record, where, {})
        if row.uid in seen:
            raise _fail(where, f"the id {row.uid} appears twice in the file.")
        seen.add(row.uid)
        entries.append(row)
    versions: dict[str, list[EntryVersionRow]] = {}
    for n, uid, record in earlier:
        if uid not in seen:
            raise _fail(f"Line {n}", f"it is an earlier version of entry {uid}, which the file "
                        "does not hold.")  # fmt: skip
        versions.setdefault(uid, []).append(_version_row(journal, record, f"Line {n}", {}, uid))
    for rows in versions.values():
        rows.sort(key=lambda v: v.replaced_at)
    return ImportPlan(entries, versions=versions)


def _csv_records(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row by column) for each row; any CSV fault is one sentence.

    newline="" lets the csv module itself find line ends: \r\n, \n and the old Mac's
    lone \r, also inside quoted notes.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    records: list[tuple[int, dict[str, str]]] = []
    line = 1
    try:
        header = next(reader, [])
        twice = sorted({c for c in header if c and header.count(c) > 1})
        if twice:  # which one holds the value? a guess would be a silent change
            raise ValidationError(
                f"The CSV file has the column {twice[0]!r} twice; keep one and import it "
                f"again. Nothing was imported."
            )
        missing = {"date", "item_id", "value"} - set(header)
        if missing:
            raise ValidationError(
                f"The CSV file has no {', '.join(sorted(missing))} column; it is not an MBC "
                f"Journal CSV export. Nothing was imported."
            )
        line = reader.line_num + 1
        for row in reader:
            if row:
                if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
                    raise _fail(
                        f"Line {line}",
                        f"it has {len(row)} fields but the first line names {len(header)}.",
                    )
                row += [""] * (len(header) - len(row))  # a tool may drop empty last cells
                records.append((line, dict(zip(header, row, strict=False))))
            line = reader.line_num + 1
    except csv.Error as error:
        if "field limit" in str(error):
            reason = (
                f"a field is longer than {csv.field_size_limit():,} characters (a note "
                f"holds at most {MAX_NOTE_LENGTH:,})."
            )
        else:
            reason = f"it is not valid CSV ({error})."
        raise _fail(f"Line {line}", reason) from None
    return records


def _csv_date(text: str, where: str) -> str:
    """An ISO date from what our export or a spreadsheet writes; anything else refused.

    Dates with "/" are read the US way (M/D/YYYY, as Excel and LibreOffice write them in an
    en-US locale), year-first ones as Y/M/D. A day-first date (13/01/2026) would be read
    wrong on the other lines of the same file, so it refuses the file.
    """
    value = _untext_cell(text.strip())
    if _ISO_DATE.fullmatch(value):
        return value  # checked by parse_date in _entry_row
    hint = "write it as YYYY-MM-DD (or month/day/year, M/D/YYYY)."
    year_first = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", value)
    us = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", value)
    if year_first:
        year, month, day = (int(g) for g in year_first.groups())
    elif us:
        month, day, year = (int(g) for g in us.groups())
        if month > 12 and day <= 12:
            raise _fail(
                where,
                f"'{text}' is day/month/year; this app reads dates with '/' as month/day/year "
                f"(US), so other dates in the file would be read wrong. Save the file with "
                f"dates as YYYY-MM-DD and import it again.",
            )
        if len(us.group(3)) == 2:
            year += 2000
            if year > dt.date.today().year:
                raise _fail(where, f"'{text}' has a two-digit year; {hint}")
    else:
        raise _fail(where, f"'{text}' is not a date this app reads; {hint}")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise _fail(where, f"'{text}' is not a date; {hint}") from None


def _refuse_ambiguous_dates(records: Sequence[tuple[int, Mapping[str, str]]]) -> None:
    """Dates with "/" are read month first (as a US spreadsheet writes them) only when
    the file shows it (a day above 12 in second place): 05/08/2026 alone may be 8 May or
    5 August, and a wrong guess is a silent change (a UK spreadsheet writes day first)."""
    found = []
    for n, raw in records:
        match = re.fullmatch(
            r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", _untext_cell(raw.get("date", ""))
        )
        if match:
            found.append((n, match.group(0), int(match.group(1)), int(match.group(2))))
    if any(second > 12 for *_, second in found):
        return  # month first, shown by the file itself
    for n, text, first, second in found:
        if first != second and first <= 12:
            raise _fail(
                f"Line {n}",
                f"'{text}' could be month/day or day/month, and nothing in the file says "
                f"which. Save the file with dates as YYYY-MM-DD and import it again.",
            )


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([ap])\.?m\.?)?", re.IGNORECASE)


def _csv_time(text: str, where: str) -> str:
    """HH:MM from 13:05, 13:05:00, 1:05 PM, 01:05:00 pm; anything else refused."""
    value = text.strip()
    if not value:
        return ""
    clock = _CLOCK.fullmatch(value)
    if clock:
        hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        half = (clock[4] or "").lower()
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        elif half:
            hour = 99  # 0:30 PM, 13:00 PM: not a time
        if hour < 24 and minute < 60 and second == 0:
            return f"{hour:02d}:{minute:02d}"
        if hour < 24 and minute < 60 and second < 60:
            raise _fail(where, f"'{text}' has seconds; the journal keeps times to the minute.")
    raise _fail(
        where, f"'{text}' is not a time this app reads; write it as HH:MM, for example 14:30."
    )


def _csv_offset(text: str, where: str) -> int | None:
    """Minutes east of UTC (120, -300), or empty: unknown."""
    value = _untext_cell(text.strip())
    if not value:
        return None
    if re.fullmatch(r"[+-]?\d{1,4}", value) and abs(int(value)) <= MAX_UTC_OFFSET_MINUTES:
        return int(value)
    raise _fail(
        where,
        f"the UTC offset '{text[:20]}' is not a whole number of minutes from "
        f"-{MAX_UTC_OFFSET_MINUTES} to {MAX_UTC_OFFSET_MINUTES} (120 is UTC+02:00).",
    )


def _csv_number(text: str, where: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise _fail(where, f"'{text}' is not a number (write decimals with a point).") from None
    if not math.isfinite(number):
        raise _fail(where, f"'{text}' is not a number.")
    return number
