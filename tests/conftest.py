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
from hypothesis import HealthCheck, settings

from mbc_journal.journal import Journal

# Hypothesis: a modest number of examples by default; CI is derandomized so a run
# is repeatable; HYPOTHESIS_PROFILE=nightly runs 1,000 examples per property.
_common = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}
settings.register_profile("default", max_examples=30, **_common)  # type: ignore[arg-type]
settings.register_profile("ci", max_examples=30, derandomize=True, database=None, **_common)  # type: ignore[arg-type]
settings.register_profile("nightly", max_examples=1000, **_common)  # type: ignore[arg-type]
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
)


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real user's data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MBC_JOURNAL_HOME", str(home))
    monkeypatch.delenv("MBC_JOURNAL_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def late_in_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readings later than now are refused (model.check_moment). Tests log readings at
    fixed times of today, so the journal's clock says 23:59 today: a suite run at 06:00
    must pass like one run at 23:00. (Tests of the rule set their own clock.)"""
    from mbc_journal import model

    monkeypatch.setattr(
        model, "clock", lambda: dt.datetime.combine(dt.date.today(), dt.time(23, 59))
    )


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
