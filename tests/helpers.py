"""Small helpers shared by several test modules."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def other_programs_file(path: Path) -> Path:
    """An SQLite file of another program (a photo catalogue): never ours to change."""
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE photos (id INTEGER)")
    raw.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
