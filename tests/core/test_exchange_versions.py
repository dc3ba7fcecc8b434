"""Exports keep every observation (issue 21): JSON version 2 and CSV carry each reading
and each earlier version; version-1 files still import; FHIR has one Observation per
reading at its own time."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbc_journal import exchange
from mbc_journal.errors import ValidationError
from mbc_journal.journal import Journal
from mbc_journal.model import EntryFilter, Person, Role, Value
from tests.conftest import day_offset
from tests.helpers import both_and_three_temperatures

SAM = Person("Sam", Role.CAREGIVER)
DAY = day_offset(2)


def fill(journal: Journal) -> int:
    """Patient 5 and caregiver 8 for tiredness, three timed temperatures, an edited
    entry (4 → 7 → brought back to 4); returns the edited entry's id."""
    both_and_three_temperatures(journal, DAY)
    edited = journal.add_entry(journal.draft("bone_pain", 4, note="after the walk"), day=DAY)
    journal.update_entry(edited.id, value=Value(7.0), note="worse")
    journal.bring_back(journal.entry_versions(edited.id)[0].id)
    return edited.id


def observations(journal: Journal) -> list[tuple[object, ...]]:
    """Every entry with its versions, as a user would compare them (not row numbers)."""
    out = []
    for e in journal.entries(EntryFilter(include_deleted=True)):
        versions = [
            (v.value, v.note, v.person, v.change, v.saved_at, v.replaced_at)
            for v in journal.entry_versions(e.id)
        ]
        out.append(
            (e.uid, e.item_id, e.local_date, e.time, e.value, e.person, e.note, e.deleted, versions)
        )
    return sorted(out, key=repr)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_every_reading_and_version_survives_an_export_and_import(tmp_path: Path, fmt: str) -> None:
    with Journal.open(tmp_path / "a.sqlite3") as a:
        fill(a)
        exchange.export(a, fmt, tmp_path / f"a.{fmt}")
        before = observations(a)
    with Journal.open(tmp_path / "b.sqlite3") as b:
        exchange.import_file(b, tmp_path / f"a.{fmt}")
        assert observations(b) == before
        fatigue = b.item_days(DAY, DAY)["fatigue"]
        assert (fatigue.values, fatigue.others) == ([5.0], [8.0])
        (edited,) = [e for e in b.entries() if e.item_id == "bone_pain"]
        assert [v.value for v in b.entry_versions(edited.id)] == [4.0, 7.0]


def test_json_has_versions_inside_each_entry(journal: Journal, tmp_path: Path) -> None:
    fill(journal)
    exchange.export(journal, "json", tmp_path / "a.json")
    bundle = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert bundle["version"] == exchange.FORMAT_VERSION >= 2  # 2 brought versions
    (edited,) = [e for e in bundle["entries"] if e["item_id"] == "bone_pain"]
    assert [(v["value"], v["note"], v["change"]) for v in edited["versions"]] == [
        (4.0, "after the walk", "edited"),
        (7.0, "worse", "brought back"),
    ]
    assert sum("versions" in e for e in bundle["entries"]) == 1  # none where none


def test_a_version_1_file_still_imports(journal: Journal, tmp_path: Path) -> None:
    file = tmp_path / "old.json"
    file.write_text(json.dumps({"format": "mbc-journal", "version": 1, "entries": [
        {"uid": "u1", "item_id": "fatigue", "local_date": DAY.isoformat(), "value": 5},
        {"uid": "u2", "item_id": "fatigue", "local_date": DAY.isoformat(), "value": 8,
         "entered_by": "Sam", "role": "caregiver"},
    ]}), encoding="utf-8")  # fmt: skip
    assert exchange.import_file(journal, file).entries_added == 2
    assert sorted(e.value for e in journal.entries_on(DAY)) == [5.0, 8.0]


def test_csv_lists_earlier_versions_as_rows_marked_earlier(
    journal: Journal, tmp_path: Path
) -> None:
    fill(journal)
    exchange.export(journal, "csv", tmp_path / "a.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text("utf-8-sig"))))
    pain = [(r["value"], r["version"], r["change"]) for r in rows if r["item_id"] == "bone_pain"]
    assert pain == [
        ("4", "current", ""),
        ("4", "earlier", "edited"),
        ("7", "earlier", "brought back"),
    ]
    temps = [(r["time"], r["value"]) for r in rows if r["item_id"] == "temperature"]
    assert temps == [("07:10", "37.2"), ("13:40", "38.4"), ("21:05", "37.9")]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"change": "vanished"}, "'vanished' is not a kind of change"),
        ({"value": 11}, "from 0 \\(none\\) to 10"),
        ({"replaced_at": "soon"}, "the time it was replaced"),
        ({"colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_a_bad_earlier_version_is_one_sentence_and_nothing_is_imported(
    journal: Journal, tmp_path: Path, change: dict[str, object], words: str
) -> None:
    version = {"item_id": "fatigue", "local_date": DAY.isoformat(), "value": 4,
               "saved_at": "2026-01-01T10:00:00", "replaced_at": "2026-01-02T10:00:00",
               "change": "edited", **change}  # fmt: skip
    file = tmp_path / "bad.json"
    file.write_text(json.dumps({"format": "mbc-journal", "version": 2, "entries": [
        {"uid": "u1", "item_id": "fatigue", "local_date": DAY.isoformat(), "value": 5,
         "versions": [version]},
    ]}), encoding="utf-8")  # fmt: skip
    with pytest.raises(ValidationError, match=words) as caught:
        exchange.import_file(journal, file)
    assert "earlier version 1" in str(caught.value) and "Nothing was imported." in str(caught.value)
    assert journal.entries() == []


def test_a_csv_version_of_an_entry_not_in_the_file_is_refused(
    journal: Journal, tmp_path: Path
) -> None:
    file = tmp_path / "v.csv"
    file.write_text(
        "date,item_id,value,uid,updated_utc,version,replaced_utc,change\r\n"
        f"{DAY},fatigue,4,u9,2026-01-01T10:00:00,earlier,2026-01-02T10:00:00,edited\r\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="earlier version of entry u9"):
        exchange.import_file(journal, file)
    assert journal.entries() == []


def test_fhir_has_one_observation_per_reading_at_its_own_time(journal: Journal) -> None:
    fill(journal)
    bundle = exchange.fhir_bundle(journal)
    temps = [
        r["resource"]["effectiveDateTime"]
        for r in bundle["entry"]
        if r["resource"]["resourceType"] == "Observation"
        and any(c.get("code") == "8310-5" for c in r["resource"]["code"]["coding"])
    ]
    assert [t[:16] for t in temps] == [f"{DAY}T{h}" for h in ("07:10", "13:40", "21:05")]


@settings(max_examples=25, deadline=None)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(["edit", "delete", "undelete", "back"]), st.integers(0, 10)),
        max_size=6,
    ),
    caregiver=st.integers(0, 10) | st.none(),
)
def test_property_every_version_round_trips(
    tmp_path: Path, changes: list[tuple[str, int]], caregiver: int | None
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    with Journal.open(folder / "a.sqlite3") as a:
        entry = a.add_entry(a.draft("nausea", 3), day=DAY)
        if caregiver is not None:
            a.add_entry(a.draft("nausea", caregiver), day=DAY, person=SAM)
        for what, value in changes:
            if what == "edit" and not a.entry(entry.id).deleted:
                a.update_entry(entry.id, value=Value(float(value)), note=f"n{value}")
            elif what == "edit":
                continue  # a deleted entry is brought back before it is changed
            elif what == "delete":
                a.delete_entry(entry.id)
            elif what == "undelete":
                a.undelete_entry(entry.id)
            elif versions := a.entry_versions(entry.id):
                a.bring_back(versions[value % len(versions)].id)
        exchange.export(a, "json", folder / "a.json")
        before = observations(a)
    with Journal.open(folder / "b.sqlite3") as b:
        exchange.import_file(b, folder / "a.json")
        assert observations(b) == before


def test_an_imported_rating_of_a_day_already_rated_keeps_one_rating_and_both_values(
    tmp_path: Path,
) -> None:
    """Two journals (say the patient's laptop and a caregiver's) both hold the patient's
    tiredness of one day: after the import there is one rating, the newer, and the
    other is its earlier version. Found by a tester (two ratings a day before)."""
    with Journal.open(tmp_path / "a.sqlite3") as a:
        a.add_entry(a.draft("fatigue", 5), day=DAY)
        exchange.export(a, "json", tmp_path / "a.json")
    with Journal.open(tmp_path / "b.sqlite3") as b:
        mine = b.add_entry(b.draft("fatigue", 7), day=DAY)  # saved after a's: newer
        report = exchange.import_file(b, tmp_path / "a.json")
        assert report.ratings_merged == 1 and "earlier version" in report.text
        [kept] = [e for e in b.entries_on(DAY) if e.item_id == "fatigue"]
        assert (kept.id, kept.value) == (mine.id, 7.0)
        assert [v.value for v in b.entry_versions(kept.id)] == [5.0]
        again = exchange.import_file(b, tmp_path / "a.json")  # importing twice adds nothing
        assert again.entries_added == 0 and len(b.entry_versions(kept.id)) == 1
    file = tmp_path / "two.json"
    file.write_text(json.dumps({"format": "mbc-journal", "version": 1, "entries": [
        {"uid": "u1", "item_id": "fatigue", "local_date": DAY.isoformat(), "value": 3,
         "updated_at": "2026-01-01T08:00:00"},
        {"uid": "u2", "item_id": "fatigue", "local_date": DAY.isoformat(), "value": 6,
         "updated_at": "2026-01-01T20:00:00"},
    ]}), encoding="utf-8")  # fmt: skip
    with Journal.open(tmp_path / "c.sqlite3") as c:
        exchange.import_file(c, file)
        [kept] = c.entries_on(DAY)
        assert kept.value == 6.0 and [v.value for v in c.entry_versions(kept.id)] == [3.0]
