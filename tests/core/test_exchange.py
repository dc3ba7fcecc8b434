"""CSV / JSON export and import, FHIR R4 export validated with fhir.resources."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mbc_journal import demo, exchange
from mbc_journal.errors import JournalError, ValidationError
from mbc_journal.journal import Journal
from mbc_journal.model import EntryFilter, Person, Role, check_name, check_text
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
    assert temp.valueQuantity.code == "Cel" and temp.category[0].coding[0].code == "vital-signs"
    assert temp.meta.profile == ["http://hl7.org/fhir/StructureDefinition/bodytemp"]
    rating = next(o for o in observations if o.code.coding[0].code == "fatigue")
    assert isinstance(rating.valueInteger, int) and "0 (none) to 10" in rating.method.text
    seizure = next(o for o in observations if o.code.coding[0].code == "seizure")
    assert seizure.note[0].text == "at night"
    # Every reference resolves inside the bundle: Sam is a RelatedPerson of the patient.
    urls = {e.fullUrl: e.resource for e in bundle.entry}
    sam = urls[seizure.performer[0].reference]
    assert sam.__resource_type__ == "RelatedPerson" and sam.name[0].text == "Sam"
    assert all(o.subject.reference in urls for o in observations)


def test_fhir_keeps_one_patient_across_exports_and_the_reading_as_entered(
    journal: Journal, tmp_path: Path
) -> None:
    import uuid

    journal.add_entry(journal.draft_from_text("weight", "154lb"))
    journal.add_entry(journal.draft_from_text("temperature", "101.3F"))
    first, second = exchange.fhir_bundle(journal), exchange.fhir_bundle(journal)
    patient = first["entry"][0]
    assert patient["fullUrl"] == second["entry"][0]["fullUrl"]  # the same on every export
    assert uuid.UUID(patient["fullUrl"].removeprefix("urn:uuid:")).version == 5
    values = {
        e["resource"]["code"]["coding"][0]["code"]: e["resource"]["valueQuantity"]
        for e in first["entry"]
        if "valueQuantity" in e["resource"]
    }
    assert values["29463-7"] == {
        "value": 154.0,
        "unit": "lb",
        "system": "http://unitsofmeasure.org",
        "code": "[lb_av]",
    }
    assert values["8310-5"]["code"] == "[degF]" and values["8310-5"]["value"] == 101.3


def test_a_fhir_transaction_puts_each_resource_at_its_own_id(
    journal: Journal, tmp_path: Path
) -> None:
    """A server ingesting the export twice updates the same resources (issue 18)."""
    from fhir.resources.R4B.bundle import Bundle

    journal.add_entry(journal.draft("bone_pain", 6))
    journal.add_entry(journal.draft("fatigue", 3), person=Person("Sam", Role.CAREGIVER))
    assert exchange.export(journal, "fhir-transaction", tmp_path / "t.json") == 2
    data = json.loads((tmp_path / "t.json").read_text())
    bundle = Bundle.model_validate(data)
    assert bundle.type == "transaction"
    for entry in data["entry"]:
        resource = entry["resource"]
        assert entry["request"] == {
            "method": "PUT",
            "url": f"{resource['resourceType']}/{resource['id']}",
        }
    kinds = sorted(e["resource"]["resourceType"] for e in data["entry"])
    assert kinds == ["Observation", "Observation", "Patient", "RelatedPerson"]
    again = exchange.fhir_bundle(journal, transaction=True)
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in data["entry"]]
    pain = next(e["resource"] for e in data["entry"] if "bone_pain" in json.dumps(e))
    assert {"system": "http://loinc.org", "code": "72514-3"}.items() <= pain["code"]["coding"][
        1
    ].items()
    assert pain["code"]["coding"][0]["code"] == "bone_pain"  # which pain, first


BAD_FILES = [
    ("not json {", "x.json", "not valid JSON"),  # named .json: read as JSON
    ("not json {", "x.csv", "not an MBC Journal CSV"),
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
    (_bundle(settings={"my_sites": ["kidney"]}), "is not an organ site"),
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


# --- spreadsheet-safe CSV ----------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = [
    '=HYPERLINK("http://x","click")',
    "@SUM(A1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\tafter a tab",
    "\rafter a carriage return",
    "'already quoted",
    "''twice",
]
CSV_HEAD = "date,time,item_id,value,note\r\n"


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _assert_no_formula_cell(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for column, cell in row.items():
            if column not in ("value", "value_as_entered"):  # numbers, written by _num
                assert not cell.startswith(FORMULA_STARTS), (column, cell)


def test_csv_export_neutralises_formula_cells(journal: Journal, tmp_path: Path) -> None:
    label = '=HYPERLINK("http://x","own item")'
    own = journal.add_custom_item(label, "general")
    journal.add_entry(journal.draft(own.id, 1))
    for n, text in enumerate(FORMULAS):
        journal.add_entry(
            journal.draft("cough", 2, note=text),
            day=day_offset(n),
            person=Person(f"@Sam {n}", Role.CAREGIVER),
        )
    data, count = exchange.csv_bytes(journal)
    assert b'"\'=HYPERLINK(""http://x"",""click"")"' in data  # the exact cell, OWASP's "'"
    rows = _csv_rows(data)
    assert count == len(rows) == len(FORMULAS) + 1
    _assert_no_formula_cell(rows)
    assert sorted(r["note"] for r in rows if r["item_id"] == "cough") == sorted(
        "'" + text for text in FORMULAS
    )
    assert next(r["item"] for r in rows if r["item_id"] == own.id) == "'" + label
    # Import takes exactly one "'" away: every text comes back as it was typed.
    exchange.export(journal, "csv", tmp_path / "e.csv")
    with Journal.open(tmp_path / "b.sqlite3") as other:
        other.add_custom_item(label, "general")
        exchange.import_file(other, tmp_path / "e.csv")
        back = {e.note: e.person.name for e in other.entries() if e.item_id == "cough"}
    assert back == {text: f"@Sam {n}" for n, text in enumerate(FORMULAS)}


def _accepted(check: Callable[[str], str]) -> Callable[[str], bool]:
    def accepted(text: str) -> bool:
        try:
            return check(text) == text
        except ValidationError:
            return False

    return accepted


notes_the_app_takes = st.text(max_size=80).filter(_accepted(check_text))
names_the_app_takes = st.text(max_size=20).filter(_accepted(check_name))


@given(entries=st.lists(st.tuples(notes_the_app_takes, names_the_app_takes), max_size=6))
@example(entries=[("=1+1", "=Sam"), ("'x", "'Jo"), ("-", "+"), ("\r\n", "@"), ("\t", "")])
def test_property_csv_round_trip_is_exact_and_spreadsheet_safe(
    tmp_path: Path, entries: list[tuple[str, str]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    file = folder / "a.csv"
    with Journal.open(folder / "a.sqlite3") as a:
        for n, (note, name) in enumerate(entries):
            person = Person(name, Role.CAREGIVER if name else Role.PATIENT)
            a.add_entry(a.draft("cough", n, note=note), day=day_offset(n), person=person)
        exchange.export(a, "csv", file)
        before = sorted((e.uid, e.note, e.person.name) for e in a.entries())
    _assert_no_formula_cell(_csv_rows(file.read_bytes()))
    with Journal.open(folder / "b.sqlite3") as b:
        exchange.import_file(b, file)
        assert sorted((e.uid, e.note, e.person.name) for e in b.entries()) == before
    shutil.rmtree(folder)


def _imported_entries(path: Path, journal_path: Path) -> list[dict[str, object]]:
    with Journal.open(journal_path) as journal:
        exchange.import_file(journal, path)
        return everything(journal)["entries"]  # type: ignore[return-value]


LIBREOFFICE_SAVED = [
    "libreoffice-en-us",  # times 01:00:00 PM
    "libreoffice-en-us-quoted",  # the same, every text cell in quotes
    "libreoffice-en-gb",  # times 13:00:00
    "libreoffice-de",  # times 13:00:00, created_utc with a decimal comma
]


@pytest.mark.parametrize("name", LIBREOFFICE_SAVED)
def test_a_csv_saved_back_by_libreoffice_imports_exactly(tmp_path: Path, name: str) -> None:
    """tests/fixtures/csv: our export, opened and saved by LibreOffice (see README there)."""
    saved_file = FIXTURES / f"{name}.csv"
    if name.startswith("libreoffice-en-us"):
        assert "01:00:00 PM" in saved_file.read_text(encoding="utf-8")  # what LibreOffice wrote
    original = _imported_entries(FIXTURES / "exported.csv", tmp_path / "a.sqlite3")
    saved = _imported_entries(saved_file, tmp_path / "b.sqlite3")
    assert len(saved) == len(original) == 8
    for before, after in zip(original, saved, strict=True):
        for key in ("created_at", "updated_at"):  # LibreOffice keeps them to the millisecond
            gap = dt.datetime.fromisoformat(str(before.pop(key))) - dt.datetime.fromisoformat(
                str(after.pop(key))
            )
            assert abs(gap) <= dt.timedelta(milliseconds=1)
        assert after == before
    by_time = {(e["local_date"], e["time"]): e for e in saved}
    assert by_time["2025-03-10", "13:00:00"]["note"] == (
        '=HYPERLINK("http://example.com","click me")'
    )
    assert by_time["2025-03-10", "18:30:00"]["entered_by"] == "Zoë Müller"
    assert by_time["2025-03-11", "12:00:00"]["note"] == "+cmd|' /C calc'!A0"
    assert by_time["2025-03-12", "00:15:00"]["note"] == "-2+3"
    assert by_time["2025-03-12", "23:59:00"]["note"] == "\tstarts with a tab"
    assert by_time["2025-03-12", None]["note"] == "'already quoted"


def _import_csv_text(journal: Journal, tmp_path: Path, text: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode("utf-8"))
    exchange.import_file(journal, path)


@pytest.mark.parametrize(
    "written, kept",
    [
        ("13:00", "13:00"),
        ("7:05", "07:05"),
        ("13:00:00", "13:00"),
        ("1:00 PM", "13:00"),
        ("01:00:00 PM", "13:00"),
        ("1:00:00 pm", "13:00"),
        ("12:00:00 PM", "12:00"),
        ("12:15:00 AM", "00:15"),
        ("11:59 p.m.", "23:59"),
    ],
)
def test_spreadsheet_times_are_read_right(
    journal: Journal, tmp_path: Path, written: str, kept: str
) -> None:
    _import_csv_text(journal, tmp_path, CSV_HEAD + f"2025-03-10,{written},cough,2,\r\n")
    [entry] = journal.entries()
    assert entry.time is not None and entry.time.strftime("%H:%M") == kept


@pytest.mark.parametrize(
    "written, day",
    [
        ("2025-10-01", dt.date(2025, 10, 1)),
        ("10/01/2025", dt.date(2025, 10, 1)),  # LibreOffice / Excel, en-US: month first
        ("1/5/2025", dt.date(2025, 1, 5)),
        ("01/05/25", dt.date(2025, 1, 5)),  # LibreOffice's en-US short date
        ("12/31/2025", dt.date(2025, 12, 31)),
        ("2025/1/5", dt.date(2025, 1, 5)),
    ],
)
def test_spreadsheet_dates_are_read_right(
    journal: Journal, tmp_path: Path, written: str, day: dt.date
) -> None:
    # A line the file itself shows month first by (a day above 12 in second place).
    shown = "12/31/2024,,fatigue,1,\r\n"
    _import_csv_text(journal, tmp_path, CSV_HEAD + f"{written},,cough,2,\r\n" + shown)
    [entry] = journal.entries(EntryFilter(item_ids=("cough",)))
    assert entry.local_date == day


@pytest.mark.parametrize("written", ["05/08/2026", "1/5/2025", "01/05/25"])
def test_a_date_that_could_be_day_or_month_first_refuses_the_file(
    journal: Journal, tmp_path: Path, written: str
) -> None:
    """05/08/2026 is 8 May in the US and 5 August in the UK: with nothing in the file to
    say which, the file is refused, never read by a guess (found by a tester)."""
    with pytest.raises(ValidationError, match="could be month/day or day/month"):
        _import_csv_text(journal, tmp_path, CSV_HEAD + f"{written},,cough,2,\r\n")
    assert journal.entries() == []


def test_a_column_twice_refuses_the_file(journal: Journal, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="column 'note' twice"):
        _import_csv_text(
            journal, tmp_path, "date,item_id,value,note,note\r\n2025-03-11,cough,2,a,b\r\n"
        )
    assert journal.entries() == []


BAD_CSV = [
    ("2025-03-11,13:00:00 PM,cough,3,\r\n", "not a time"),
    ("2025-03-11,0:30 AM,cough,3,\r\n", "not a time"),
    ("2025-03-11,1 PM,cough,3,\r\n", "not a time"),
    ("2025-03-11,13h00,cough,3,\r\n", "not a time"),
    ("2025-03-11,0.541666666666667,cough,3,\r\n", "not a time"),
    ("2025-03-11,13:00:30,cough,3,\r\n", "to the minute"),
    ("13/01/2025,,cough,3,\r\n", "day/month/year"),
    ("11.03.2025,,cough,3,\r\n", "not a date this app reads"),
    ("45727,,cough,3,\r\n", "not a date this app reads"),
    ("2/30/2025,,cough,3,\r\n", "not a date"),
    ("03/13/99,,cough,3,\r\n", "two-digit year"),
    ("2025-03-11,,cough,1e999,\r\n", "not a number"),
    ("2025-03-11,,cough,nan,\r\n", "not a number"),
    ('2025-03-11,,cough,"3,5",\r\n', "not a number"),
    ("2025-03-11,,cough,3,note,surprise\r\n", "6 fields"),
    ('2025-03-11,,cough,3,"never closed\r\n', "Line 3"),
    ("2025-03-11,,cough,3," + "x" * 150_000 + "\r\n", "longer than 131,072 characters"),
    ('2025-03-11,,cough,3,"' + "x" * 150_000 + '"\r\n', "longer than 131,072 characters"),
]


@pytest.mark.parametrize("line, message", BAD_CSV)
def test_a_csv_line_the_app_cannot_read_surely_refuses_the_file(
    journal: Journal, tmp_path: Path, line: str, message: str
) -> None:
    journal.add_entry(journal.draft("fatigue", 3))
    before, count = everything(journal), journal.count_entries()
    text = CSV_HEAD + "2025-03-10,13:00,cough,2,fine\r\n" + line
    with pytest.raises(ValidationError, match=message) as info:
        _import_csv_text(journal, tmp_path, text)
    sentence = str(info.value)
    assert sentence.startswith("Line 3: ") and sentence.endswith("Nothing was imported.")
    assert "\n" not in sentence and len(sentence) < 300
    assert journal.count_entries() == count and everything(journal) == before


def test_old_mac_line_ends(journal: Journal, tmp_path: Path) -> None:
    text = CSV_HEAD + '2025-03-10,13:00,cough,2,first\r2025-03-11,,fatigue,4,"two\rlines"\r'
    _import_csv_text(journal, tmp_path, text.replace("\r\n", "\r"))
    got = sorted((str(e.local_date), str(e.time), e.item_id, e.note) for e in journal.entries())
    assert got == [
        ("2025-03-10", "13:00:00", "cough", "first"),
        ("2025-03-11", "None", "fatigue", "two\rlines"),
    ]


def test_import_reads_csv_with_and_without_its_byte_order_mark(journal: Journal) -> None:
    text = CSV_HEAD + "2025-03-10,13:00,cough,2,x\r\n"
    exchange.import_content(journal, exchange.Format.CSV, "\ufeff" + text)
    exchange.import_content(journal, exchange.Format.CSV, text)  # the same row: skipped
    assert journal.count_entries() == 1


# --- issue 15: every field of an import checked as the app's own forms check it --------

_STAMP = "2025-01-02T09:00:00"


def _entry(**change: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "uid": "5b0f8f5e-0000-4000-8000-000000000001", "item_id": "fatigue",
        "local_date": "2025-01-02", "time": None, "value": 5, "unit": None, "note": "",
        "entered_by": "", "role": "patient", "created_at": _STAMP, "updated_at": _STAMP,
        "deleted_at": None,
    }  # fmt: skip
    entry.update(change)
    return entry


def _own(**change: object) -> dict[str, object]:
    item: dict[str, object] = {"id": "custom_hiccups", "label": "Hiccups", "kind": "rating",
                               "site_id": "general", "created_at": _STAMP}  # fmt: skip
    item.update(change)
    return item


REFUSED = [
    (_bundle(custom_items=[_own(label="L" * 5000)]), "5,000 characters"),
    (_bundle(custom_items=[_own(label="")]), "Give the new symptom a name"),
    (_bundle(custom_items=[_own(label="  ")]), "Give the new symptom a name"),
    (_bundle(custom_items=[_own(site_id="kidney")]), "not an organ site"),
    (_bundle(custom_items=[_own(), _own(label="Other")]), "appears twice"),
    (_bundle(custom_items=[_own(), _own(id="custom_2")]), "already in this site's list"),
    (_bundle(custom_items=[_own(label="Tiredness (fatigue)")]), "already in this site's list"),
    (_bundle(custom_items=[_own(id="seizure")]), "not an id of an own item"),
    (_bundle(custom_items=[_own(kind="measurement")]), "ratings or events"),
    (_bundle(entries=[_entry(local_date=20260101)]), "YYYY-MM-DD"),
    (_bundle(entries=[_entry(local_date="20250102")]), "YYYY-MM-DD"),
    (_bundle(entries=[_entry(value=True)]), "not a number"),
    (_bundle(entries=[_entry(value="5")]), "not a number"),
    (_bundle(entries=[_entry(note=5)]), "'note' must be text"),
    (_bundle(entries=[_entry(entered_by=7)]), "'entered_by' must be text"),
    (_bundle(entries=[_entry(item_id=5)]), "'item_id' must be text"),
    (_bundle(entries=[_entry(unit="kg")]), "ratings have no unit"),
    (_bundle(entries=[_entry(uid="u" * 5000)]), "not an entry id"),
    (_bundle(entries=[_entry(uid=5)]), "'uid' must be text"),
    (_bundle(entries=[_entry(deleted_at="2999-01-01T00:00:00")]), "in the future"),
    (_bundle(entries=[_entry(created_at="2999-01-01T00:00:00")]), "in the future"),
    (_bundle(entries={}), "not a list of records"),
    (_bundle(entries=None), "not a list of records"),
    (_bundle(day_notes={}), "not a list of records"),
    (_bundle(settings=[]), "not a set of names and values"),
    (_bundle(settings=None), "not a set of names and values"),
    (_bundle(care_plan=[]), "not a set of names and values"),
    (_bundle(settings={"thresholds": {"fever_celsius": "38.0"}}), "must be a number"),
    (_bundle(settings={"thresholds": {"severe_rating": 7.5}}), "whole number"),
    (json.dumps({"format": "mbc-journal", "version": True}), "no valid format version"),
    (json.dumps({"format": "mbc-journal", "version": -1}), "no valid format version"),
    (json.dumps({"format": "mbc-journal", "version": "1"}), "no valid format version"),
    (
        _bundle(
            care_plan={
                "treatments": [
                    {
                        "kind": "chemotherapy",
                        "name": "P",
                        "start_date": "2025-01-01",
                        "details": "d" * 100_000,
                        "created_at": _STAMP,
                        "updated_at": _STAMP,
                    }
                ]
            }
        ),
        "100,000 characters",
    ),  # fmt: skip
    (
        _bundle(
            care_plan={
                "results": [
                    {
                        "name": "CA 15-3",
                        "day": "2025-01-01",
                        "value": 10**400,
                        "kind": "lab",
                        "created_at": _STAMP,
                        "updated_at": _STAMP,
                    }
                ]
            }
        ),
        "far too large",
    ),  # fmt: skip
    (
        '{"format": "mbc-journal", "version": 1, "entries": [{"value": ' + "9" * 5000 + "}]}",
        "thousands of digits",
    ),
    ("", "is empty"),
    ("  \n", "is empty"),
    ("[]", "is JSON but not an MBC Journal export"),
    ("null", "is JSON but not an MBC Journal export"),
    ("5", "is JSON but not an MBC Journal export"),
]


@pytest.mark.parametrize("content, message", REFUSED)
def test_an_import_the_app_could_not_show_is_refused_in_one_sentence(
    journal: Journal, tmp_path: Path, content: str, message: str
) -> None:
    journal.add_entry(journal.draft("fatigue", 2))
    before = everything(journal)
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValidationError) as refused:
        exchange.import_file(journal, path)
    text = str(refused.value)
    assert message in text, text
    assert text.count("othing was imported") == 1 and "\n" not in text, text
    for internal in ("int_max_str_digits", "float()", "isoformat", "Traceback", "CSV"):
        assert internal not in text, text
    assert everything(journal) == before


def test_the_subject_of_a_message_is_said_once(journal: Journal, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(_bundle(care_plan={"appointments": [
        {"day": "0001-01-01", "kind": "follow_up", "created_at": _STAMP, "updated_at": _STAMP}
    ]}))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        exchange.import_file(journal, path)
    assert str(refused.value).startswith("An appointment on 0001-01-01")
    assert str(refused.value).count("ppointment") == 1


def test_own_items_that_pass_import_and_can_be_used(journal: Journal, tmp_path: Path) -> None:
    path = tmp_path / "own.json"
    path.write_text(_bundle(custom_items=[_own()], entries=[_entry(item_id="custom_hiccups")]))
    exchange.import_file(journal, path)
    assert journal.catalogue.item("custom_hiccups").label == "Hiccups"
    assert [e.item_id for e in journal.entries()] == ["custom_hiccups"]
    # Importing the same file again is no duplicate name: the item is this journal's own.
    exchange.import_file(journal, path)
    assert len([i for i in journal.catalogue.items if i.label == "Hiccups"]) == 1


@pytest.mark.parametrize(
    "label, site, kind", [("L" * 5000, "general", "rating"), ("", "general", "rating"),
                          ("Hiccups", "kidney", "rating"), ("Hiccups", "general", "measurement"),
                          ("Tiredness (fatigue)", "general", "rating")],
)  # fmt: skip
def test_the_form_and_the_import_refuse_an_own_item_with_the_same_sentence(
    journal: Journal, tmp_path: Path, label: str, site: str, kind: str
) -> None:
    with pytest.raises(JournalError) as by_form:
        journal.add_custom_item(label, site, kind)  # type: ignore[arg-type]
    path = tmp_path / "own.json"
    path.write_text(_bundle(custom_items=[_own(label=label, site_id=site, kind=kind)]))
    with pytest.raises(ValidationError) as by_import:
        exchange.import_file(journal, path)
    assert str(by_import.value) == f"Own item 1: {by_form.value} Nothing was imported."
