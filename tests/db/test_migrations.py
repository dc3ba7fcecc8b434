"""Alembic migrations: complete, in step with the ORM, and safe to re-run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
