"""Alembic migrations: complete, in step with the ORM, and safe to re-run."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from mbc_journal.db import migrate, version
from mbc_journal.db.engine import make_engine
from mbc_journal.db.schema import Base
from mbc_journal.journal import Journal


def test_known_revisions_match_the_scripts() -> None:
    assert list(version.KNOWN_REVISIONS) == migrate.script_revisions()


def test_migrated_schema_matches_the_orm(journal_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    Journal.open(journal_path).close()
    engine = make_engine(journal_path)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_opening_an_up_to_date_journal_does_not_import_alembic(journal_path: Path) -> None:
    import subprocess
    import sys

    Journal.open(journal_path).close()
    code = (
        "import sys; from mbc_journal.journal import Journal; "
        f"Journal.open({str(journal_path)!r}).close(); "
        "print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_new_journal_is_marked_as_ours(journal_path: Path) -> None:
    Journal.open(journal_path).close()
    with sqlite3.connect(journal_path) as raw:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == version.APPLICATION_ID
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == version.HEAD
    raw.close()


TABLES = (
    "entries", "entry_versions", "day_notes", "settings", "custom_items", "signal_acks",
    "treatments", "appointments", "questions", "results",
)  # fmt: skip


def dump(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every table, by column name."""
    with sqlite3.connect(path) as raw:
        raw.row_factory = sqlite3.Row
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        data = {
            t: sorted((dict(r) for r in raw.execute(f"SELECT * FROM {t}")), key=repr)
            for t in TABLES
            if t in tables
        }
    raw.close()
    return data


@pytest.mark.parametrize(
    ("revision", "entries"), [("0001", 40), ("0002", 40), ("0003", 45), ("0004", 45)]
)
def test_old_journals_migrate_without_losing_or_changing_a_row(
    revision: str, entries: int, tmp_path: Path
) -> None:
    source = Path(__file__).parents[1] / "fixtures" / f"journal-{revision}.sqlite3"
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(source, path)
    before = dump(path)
    assert len(before["entries"]) == entries
    with Journal.open(path) as journal:
        assert journal.check().revision == version.HEAD
        assert journal.count_entries(include_deleted=True) == entries
        assert journal.profile_name() == "Ada"
        assert journal.catalogue.item("custom_dry_eyes").label == "Dry eyes"
    after = dump(path)
    # The one row an upgrade adds: the journal's own random id (FHIR ids are made from it).
    [given] = [row for row in after["settings"] if row["key"] == "journal_id"]
    assert uuid.UUID(json.loads(given["value"])).version == 4
    after["settings"].remove(given)
    for table, rows in before.items():
        old = (
            [{k: v for k, v in row.items() if k in rows[0]} for row in after[table]] if rows else []
        )
        assert old == rows, table  # every row, every value as it was
        added = {k for row in after[table] for k in row} - {k for row in rows for k in row}
        assert all(row[k] is None for row in after[table] for k in added), table  # new: empty
    assert not any(rows for t, rows in after.items() if t not in before)  # new tables: empty
    if revision >= "0004":
        assert len(before["entry_versions"]) == 1
    # The column 0005 added: rows from before have no offset (unknown), and the export
    # falls back to this computer's rules for their date; a new entry gets one.
    assert {row["utc_offset_minutes"] for row in after["entries"]} == {None}
    with Journal.open(path) as journal:
        # The new tables work on the migrated journal.
        journal.add_treatment("chemotherapy", "Chemo", dt.date(2025, 3, 1))
        first = journal.entries()[0]
        journal.update_entry(first.id, note="changed after the migration")
        assert [v.note for v in journal.entry_versions(first.id)][-1] == first.note
        added = journal.add_entry(journal.draft("cough", 2))
        assert added.utc_offset_minutes is not None


def test_a_journal_of_0003_keeps_both_peoples_ratings_and_every_reading(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "journal-0003.sqlite3", path)
    day = dt.date(2025, 3, 15)
    with Journal.open(path) as journal:
        fatigue = journal.item_days(day, day)["fatigue"]
        assert (fatigue.values, fatigue.others) == ([5.0], [8.0])  # the patient's own first
        temperature = journal.item_days(day, day)["temperature"]
        assert (temperature.values, temperature.lows) == ([38.4], [37.2])
        times = [e.time for e in journal.entries_on(day) if e.item_id == "temperature"]
        assert times == [dt.time(7, 10), dt.time(13, 40), dt.time(21, 5)]
