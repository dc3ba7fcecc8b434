"""Schema version checks with plain sqlite3, so opening a journal that is up to
date never imports Alembic (see PERFORMANCE.md)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from mbc_journal.db import cipher
from mbc_journal.errors import (
    CorruptJournalError,
    JournalError,
    NewerVersionError,
    NotAJournalError,
    is_damage,
    storage_error,
)

# Every revision this version of the app knows, oldest first. A test checks
# this against the Alembic scripts, so it cannot drift.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")
HEAD = KNOWN_REVISIONS[-1]
APPLICATION_ID = 0x4D42434A  # "MBCJ": marks the file as ours


@dataclass(frozen=True)
class SchemaState:
    revision: str | None  # None: a new, empty database
    has_tables: bool

    @property
    def is_current(self) -> bool:
        return self.revision == HEAD


def read_only_uri(path: Path) -> str:
    """An SQLite address that reads ``path`` and never writes beside it.

    On a read-only disk or in a folder that cannot be written, SQLite cannot make the
    ``-shm`` file a WAL journal needs even to be read, so the file is opened as
    immutable: nobody can be writing it there (a writer needs that same ``-shm``). A
    ``-wal`` left beside it (a crash) holds changes immutable would not see, so then
    the plain read-only mode is used, which reads them.
    """
    path = path.resolve()
    immutable = not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists()
    return f"{path.as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def read_only_connection(path: Path) -> sqlite3.Connection:
    """Reads ``path``, plain or (with its passphrase known) encrypted."""
    connection: sqlite3.Connection = cipher.connect(
        read_only_uri(path), uri=True, timeout=5.0, key_file=path
    )
    return connection


def probe(path: Path) -> SchemaState:
    """Read the schema revision without changing anything in the file.

    Only a damaged file raises CorruptJournalError; a file that cannot be read for
    another reason (a full disk, no permission, a lock) raises what is true, and
    another program's SQLite file raises NotAJournalError, so no caller mistakes
    "could not check" for "damaged" and sets a good journal aside.
    """
    try:
        connection = read_only_connection(path)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            connection.close()
    except cipher.errors() as error:
        if is_damage(error):
            raise CorruptJournalError(
                f"{path} is damaged or is not an MBC Journal file ({error})."
            ) from error
        raise storage_error(error, path) from error
    user_tables = tables - {"alembic_version", "sqlite_sequence"}
    if revision is None and user_tables:
        raise NotAJournalError(
            f"{path} is an SQLite file of another program, not an MBC Journal; nothing was changed."
        )
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerVersionError(
            f"{path.name} was written by a newer version of MBC Journal; update the app "
            f"to open it. Nothing was changed."
        )
    return SchemaState(revision=revision, has_tables=bool(user_tables))


def quick_check(path: Path) -> str:
    """'ok', or SQLite's words for what is damaged. A failure to read the file at all
    (full disk, permission, lock) raises the sentence for it instead."""
    try:
        connection = read_only_connection(path)
        try:
            return str(connection.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            connection.close()
    except cipher.errors() as error:
        if is_damage(error):
            return str(error)
        raise storage_error(error, path) from error


def tidy(path: Path) -> None:
    """Leave no -wal or -shm behind: the last connection to close removes them, but a
    read-only one (the checks at open, ``check``) cannot. If another program still has
    the journal open, SQLite leaves them, as it must."""
    if not (Path(f"{path}-wal").exists() or Path(f"{path}-shm").exists()):
        return
    try:
        connection = cipher.connect(path, timeout=0.2)
        try:
            connection.execute("PRAGMA schema_version").fetchone()
        finally:
            connection.close()
    except cipher.errors() + (JournalError,):
        pass
