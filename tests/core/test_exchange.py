"""CSV / JSON export and import, FHIR R4 export validated with fhir.resources."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mbc_journal import demo, exchange
from mbc_journal.errors import ValidationError
from mbc_journal.journal import Journal
from mbc_journal.model import EntryFilter, Person, Role
from tests.conftest import day_offset


def everything(journal: Journal) -> dict[str, object]:
    bundle = exchange.json_bundle(journal)
    for volatile in ("exported_utc",):
        bundle.pop(volatile)
    return bundle


def test_json_round_trip_into_an_empty_journal_is_exact(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "a.sqlite3") as a:
        demo.generate(a, days=60)
        a.add_custom_item("Dry eyes", "general")
        a.add_entry(a.draft("custom_dry_eyes", 3, note="<&> 😀 مرحبا"))
        gone = a.add_entry(a.draft("cough", 2), day=day_offset(3))
        a.delete_entry(gone.id)
        a.acknowledge(a.signals()[0])
        exchange.export(a, "json", tmp_path / "a.json")
        before = everything(a)
    with Journal.open(tmp_path / "b.sqlite3") as b:
        result = exchange.import_file(b, tmp_path / "a.json")
        assert result.entries_added == len(before["entries"])  # type: ignore[arg-type]
        after = everything(b)
    assert after == before


def test_import_merges_without_duplicates(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "a.sqlite3") as a:
        a.add_entry(a.draft("fatigue", 4))
        a.set_day_note(dt.date.today(), "from A")
        exchange.export(a, "json", tmp_path / "a.json")
        exchange.export(a, "csv", tmp_path / "a.csv")
    with Journal.open(tmp_path / "b.sqlite3") as b:
        b.add_entry(b.draft("cough", 2))
        b.set_day_note(dt.date.today(), "from B")
        first = exchange.import_file(b, tmp_path / "a.json")
        again = exchange.import_file(b, tmp_path / "a.json")
        from_csv = exchange.import_file(b, tmp_path / "a.csv")
        assert (first.entries_added, again.entries_added, again.entries_skipped) == (1, 0, 1)
        assert from_csv.entries_added == 0 and from_csv.entries_skipped == 1
        assert sorted(e.item_id for e in b.entries()) == ["cough", "fatigue"]
        assert b.day_note(dt.date.today()).text == "from B"  # type: ignore[union-attr]
        assert first.day_notes_kept == 1 and "Kept this journal's own note" in first.text


def test_csv_has_documented_columns_bom_and_iso_dates(journal: Journal, tmp_path: Path) -> None:
    journal.add_entry(
        journal.draft_from_text("temperature", "100.4F", note='Crème, "quoted"'),
        person=Person("Sam", Role.CAREGIVER),
    )
    exchange.export(journal, "csv", tmp_path / "e.csv")
    raw = (tmp_path / "e.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == exchange.CSV_COLUMNS
    row = rows[0]
    assert row["date"] == dt.date.today().isoformat()
    assert float(row["value"]) == 38.0 and row["unit"] == "°C"
    assert float(row["value_as_entered"]) == 100.4 and row["unit_as_entered"] == "°F"
    assert row["note"] == 'Crème, "quoted"' and row["role"] == "caregiver"
    # And it imports back losslessly into an empty journal.
    with Journal.open(tmp_path / "c.sqlite3") as other:
        exchange.import_file(other, tmp_path / "e.csv")
        [entry] = other.entries()
        assert entry.value == pytest.approx(38.0) and entry.unit == "°F"
        assert entry.note == 'Crème, "quoted"' and entry.person.name == "Sam"


def test_fhir_bundle_validates(journal: Journal, tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    demo.generate(journal, days=20)
    journal.add_entry(
        journal.draft("seizure", 1, note="at night"), person=Person("Sam", Role.CAREGIVER)
    )
    count = exchange.export(journal, "fhir", tmp_path / "f.json")
    data = json.loads((tmp_path / "f.json").read_text())
    bundle = Bundle.model_validate(data)
    observations = [
        e.resource for e in bundle.entry if e.resource.__resource_type__ == "Observation"
    ]
    assert len(observations) == count == journal.count_entries()
    temp = next(o for o in observations if o.code.coding[0].code == "8310-5")
    assert temp.valueQuantity.code == "Cel" and temp.category[0].coding[0].code == "survey"
    rating = next(o for o in observations if o.code.coding[0].code == "fatigue")
    assert isinstance(rating.valueInteger, int)
    seizure = next(o for o in observations if o.code.coding[0].code == "seizure")
    assert seizure.note[0].text == "at night" and "Sam" in seizure.performer[0].display


BAD_FILES = [
    ("not json {", "x.json", "not an MBC Journal CSV"),
    ('{"format": "mbc-journal", "version": 1, "entries": [', "x.json", "not valid JSON"),
    ('{"format": "other"}', "x.json", "not an MBC Journal JSON export"),
    ('{"format": "mbc-journal", "version": 99}', "x.json", "newer than this app reads"),
    (
        '{"format": "mbc-journal", "version": 1, "entries": [{"uid": "a", "item_id": "nope", '
        '"local_date": "2025-01-01", "value": 3}]}',
        "x.json",
        "Entry 1",
    ),
    (
        '{"format": "mbc-journal", "version": 1, "entries": [{"uid": "a", "item_id": "headache", '
        '"local_date": "2025-01-01", "value": 11}]}',
        "x.json",
        r"0 \(none\) to 10",
    ),
    (
        '{"format": "mbc-journal", "version": 1, "entries": ['
        '{"uid": "a", "item_id": "headache", "local_date": "2025-01-01", "value": 1},'
        '{"uid": "a", "item_id": "headache", "local_date": "2025-01-02", "value": 2}]}',
        "x.json",
        "appears twice",
    ),
    ("date,item_id,value\n2025-01-01,headache,3\n2025-01-02,headache,banana\n", "x.csv", "Line 3"),
    ("date,item_id,value\n2999-01-01,headache,3\n", "x.csv", "future"),
]


@pytest.mark.parametrize("content, name, message", BAD_FILES)
def test_a_broken_file_changes_nothing(
    journal: Journal, tmp_path: Path, content: str, name: str, message: str
) -> None:
    journal.add_entry(journal.draft("fatigue", 3))
    before = everything(journal)
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ValidationError, match=message) as info:
        exchange.import_file(journal, path)
    assert "\n" not in str(info.value)
    assert everything(journal) == before


def test_a_huge_file_is_refused_clearly(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # a sparse 100 MB file
    with pytest.raises(ValidationError, match="100 MB.*not imported"):
        exchange.import_file(journal, path)
    assert journal.count_entries() == 0


def test_export_to_a_missing_folder(journal: Journal, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        exchange.export(journal, "csv", tmp_path / "no" / "e.csv")


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)


@given(
    notes=st.lists(st.tuples(text, st.integers(0, 10), st.integers(0, 400)), max_size=8),
    day_note=text,
)
def test_property_json_round_trip(
    tmp_path: Path, notes: list[tuple[str, int, int]], day_note: str
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # a fresh folder for every example
    a_path, b_path, file = folder / "a.sqlite3", folder / "b.sqlite3", folder / "a.json"
    with Journal.open(a_path) as a:
        for note, value, days in notes:
            a.add_entry(a.draft("cough", value, note=note), day=day_offset(days))
        if day_note:
            a.set_day_note(dt.date.today(), day_note)
        exchange.export(a, "json", file)
        before = everything(a)
    with Journal.open(b_path) as b:
        exchange.import_file(b, file)
        assert everything(b) == before
        stored = sorted(e.note for e in b.entries(EntryFilter(include_deleted=True)))
        assert stored == sorted(e["note"] for e in before["entries"])  # type: ignore[union-attr, index]
    shutil.rmtree(folder)


def _bundle(**parts: object) -> str:
    return json.dumps({"format": "mbc-journal", "version": 1, **parts})


BAD_RECORDS = [
    (
        _bundle(
            care_plan={
                "treatments": [
                    {
                        "id": 1,
                        "kind": "magic",
                        "name": "X",
                        "start_date": "2025-01-01",
                        "created_at": "2025-01-01T00:00:00",
                        "updated_at": "2025-01-01T00:00:00",
                    }
                ]
            }
        ),
        "not a known kind",
    ),
    (
        _bundle(
            care_plan={
                "questions": [
                    {
                        "id": 1,
                        "text": "Why?",
                        "status": "maybe",
                        "created_at": "2025-01-01T00:00:00",
                        "updated_at": "2025-01-01T00:00:00",
                    }
                ]
            }
        ),
        "not a known status",
    ),
    (
        _bundle(
            care_plan={
                "appointments": [
                    {
                        "id": 1,
                        "kind": "scan",
                        "created_at": "2025-01-01T00:00:00",
                        "updated_at": "2025-01-01T00:00:00",
                    }
                ]
            }
        ),
        "'day' is missing",
    ),
    (_bundle(settings={"care_team": ["just a string"]}), "Settings"),
    (_bundle(settings={"care_team": [{"name": "Nurse", "phone": "none"}]}), "phone number"),
    (_bundle(settings={"my_sites": ["kidney"]}), "unknown organ sites"),
    (_bundle(settings={"thresholds": {"fever_celsius": 99}}), "fever threshold"),
    (_bundle(settings={"reminder_time": "25:99"}), "HH:MM"),
]


@pytest.mark.parametrize("content, message", BAD_RECORDS)
def test_malformed_records_and_settings_are_refused(
    journal: Journal, tmp_path: Path, content: str, message: str
) -> None:
    before = everything(journal)
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValidationError, match=message):
        exchange.import_file(journal, path)
    assert everything(journal) == before


def test_unknown_settings_of_a_newer_app_are_not_imported(journal: Journal, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(_bundle(settings={"profile_name": "Ada", "future_thing": {"x": 1}}))
    exchange.import_file(journal, path)
    assert journal.profile_name() == "Ada"
    assert journal.get_setting("future_thing") is None
