"""Run Alembic migrations. Imported only when a journal needs one."""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from mbc_journal.db.engine import writer

if TYPE_CHECKING:
    from alembic.config import Config


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    location = importlib.resources.files("mbc_journal.db") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the journal to ``revision`` in one transaction (SQLite DDL is transactional)."""
    from alembic import command

    config = _config()
    with writer(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def script_revisions() -> list[str]:
    """All revision ids in the migration scripts, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def migrations_dir() -> Path:
    return Path(str(importlib.resources.files("mbc_journal.db") / "migrations"))
