"""Engine setup: durable SQLite settings on every connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from mbc_journal.db import cipher
from mbc_journal.db.version import read_only_uri
from mbc_journal.db.version import tidy as tidy  # plain sqlite3: no engine needed

BUSY_TIMEOUT_MS = 5000  # module attribute read at connect time (tests shorten it)


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine whose transactions are real SQLite transactions.

    pysqlite's own transaction handling is switched off (isolation_level=None)
    and BEGIN is emitted by us: ``BEGIN IMMEDIATE`` for writers (see
    ``writer()``) so a write never fails half-way for a lock, plain ``BEGIN``
    for readers.
    """
    # The file is handed to sqlite3 as a path (or, read-only, as a file: URI that
    # pathlib quotes), never parsed out of a URL: a folder named "a%20b" or "why?"
    # opens that folder's journal and no other.
    target = path.resolve()
    # An encrypted journal goes through SQLCipher's dialect (its errors become
    # SQLAlchemy's, as sqlite3's do), keyed on connect with the raw key known for it.
    key = cipher.key_for(target) if cipher.is_encrypted(target) else None
    dbapi = cipher.module() if key else sqlite3

    def connect() -> sqlite3.Connection:
        timeout = BUSY_TIMEOUT_MS / 1000
        # check_same_thread=False: the pool hands a connection to one thread at a time,
        # and long work (reports, exports) runs off the GUI thread.
        if read_only:
            connection: sqlite3.Connection = dbapi.connect(
                read_only_uri(target), uri=True, timeout=timeout, check_same_thread=False
            )
            return connection
        connection = dbapi.connect(str(target), timeout=timeout, check_same_thread=False)
        return connection

    # QueuePool, as SQLAlchemy picks for a file (the bare "sqlite://" would mean memory).
    url = URL.create("sqlite+pysqlcipher", password=key) if key else "sqlite://"
    engine = create_engine(url, creator=connect, poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if key:  # no decrypted page in a temporary file
            cursor.execute("PRAGMA temp_store = MEMORY")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit survives power loss, not only an app crash.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take the write lock at BEGIN."""
    return engine.execution_options(immediate=True)
