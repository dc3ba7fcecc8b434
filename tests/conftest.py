"""Shared fixtures. Qt runs headless; every test gets its own data folder."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

# Before anything can create a QApplication.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest

from mbc_journal.journal import Journal


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real user's data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MBC_JOURNAL_HOME", str(home))
    monkeypatch.delenv("MBC_JOURNAL_DB", raising=False)
    return home


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(journal_path: Path) -> Iterator[Journal]:
    with Journal.open(journal_path) as j:
        yield j


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()


def day_offset(days: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=days)
