"""Small helpers shared by several test modules."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mbc_journal.journal import Journal

# Three temperatures of one fever day, with their times (issue 21's "Done when").
FEVER_READINGS = ((37.2, dt.time(7, 10)), (38.4, dt.time(13, 40)), (37.9, dt.time(21, 5)))


def both_and_three_temperatures(journal: Journal, day: dt.date) -> None:
    """The day issue 21 was filed on: the patient rated tiredness 5, the caregiver Sam
    rated it 8, and the patient took three temperatures."""
    from mbc_journal.model import Person, Role

    journal.save_checkin(day, {"fatigue": journal.draft("fatigue", 5)})
    sam = Person("Sam", Role.CAREGIVER)
    journal.save_checkin(day, {"fatigue": journal.draft("fatigue", 8)}, person=sam)
    readings = [journal.draft("temperature", t, time=at) for t, at in FEVER_READINGS]
    journal.save_checkin(day, {}, readings=readings)


def other_programs_file(path: Path) -> Path:
    """An SQLite file of another program (a photo catalogue): never ours to change."""
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE photos (id INTEGER)")
    raw.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
