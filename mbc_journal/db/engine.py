"""Engine setup: durable SQLite settings on every connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000  # module attribute read at connect time (tests shorten it)


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine whose transactions are real SQLite transactions.

    pysqlite's own transaction handling is switched off (isolation_level=None)
    and BEGIN is emitted by us: ``BEGIN IMMEDIATE`` for writers (see
    ``writer()``) so a write never fails half-way for a lock, plain ``BEGIN``
    for readers.
    """
    if read_only:
        url = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{path.resolve()}"
    # check_same_thread=False: the pool hands a connection to one thread at a time, and
    # long work (reports, exports) runs off the GUI thread.
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
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
