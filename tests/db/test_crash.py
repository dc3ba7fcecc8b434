"""Kill a writing process at random moments: no acknowledged entry may be lost.

The child prints an entry's id only after its COMMIT returned. The long run
(``python benchmarks/crash.py --rounds 200``) is documented in docs/.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import sys, datetime as dt
from mbc_journal.journal import Journal
j = Journal.open(sys.argv[1])
n = 0
print("ready", flush=True)
while True:
    n += 1
    day = dt.date.today() - dt.timedelta(days=n % 400)
    e = j.add_entry(j.draft("seizure", 1, note=f"round entry {n}"), day=day)
    print(e.uid, flush=True)
"""


def run_rounds(path: Path, rounds: int, seed: int = 1) -> tuple[set[str], int]:
    rng = random.Random(seed)
    acknowledged: set[str] = set()
    for _ in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + rng.uniform(0.01, 0.3)
        while time.monotonic() < deadline:
            line = child.stdout.readline().strip()
            if line:
                acknowledged.add(line)
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        acknowledged.update(line for line in rest.split() if line)
    return acknowledged, rounds


def stored_uids(path: Path) -> tuple[set[str], str]:
    with sqlite3.connect(path) as raw:
        uids = {row[0] for row in raw.execute("SELECT uid FROM entries")}
        integrity = raw.execute("PRAGMA integrity_check").fetchone()[0]
    raw.close()
    return uids, integrity


def test_sigkill_mid_write_loses_no_acknowledged_entry(journal_path: Path) -> None:
    acknowledged, _ = run_rounds(journal_path, rounds=8)
    uids, integrity = stored_uids(journal_path)
    assert integrity == "ok"
    assert len(acknowledged) > 8
    assert acknowledged <= uids


TWO_WRITERS = r"""
import sys, datetime as dt
from mbc_journal.journal import Journal
from mbc_journal.model import PATIENT, Person, Role
j = Journal.open(sys.argv[1])
person = Person("Sam", Role.CAREGIVER) if sys.argv[2] == "caregiver" else PATIENT
day = dt.date.fromisoformat(sys.argv[3])
n = int(sys.argv[4])
print("ready", flush=True)
while True:
    n += 1
    value = n % 11
    j.save_checkin(day, {"fatigue": j.draft("fatigue", value)}, person=person,
                   readings=[j.draft("temperature", 36 + value / 10)])
    print(value, flush=True)
"""


def test_sigkill_of_two_people_logging_one_item_on_one_day(journal_path: Path) -> None:
    """The patient and a caregiver save the same day's rating of one item at the same
    time, and both are killed at random moments: each keeps their own entry, and every
    value either of them saw saved is still there (as the entry, or as an earlier
    version of it), with every reading."""
    from mbc_journal.journal import Journal

    Journal.open(journal_path).close()
    day = "2026-03-01"
    rng = random.Random(7)
    seen: dict[str, list[int]] = {"patient": [], "caregiver": []}
    for round_ in range(6):
        children = {
            role: subprocess.Popen(
                [sys.executable, "-c", TWO_WRITERS, str(journal_path), role, day,
                 str(round_ * 1000 + (5 if role == "caregiver" else 0))],
                stdout=subprocess.PIPE, text=True,
            )
            for role in seen
        }  # fmt: skip
        for child in children.values():
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.3))
        for role, child in children.items():
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate()
            seen[role] += [int(v) for v in out.split()]
    assert all(len(values) > 3 for values in seen.values())
    with Journal.open(journal_path) as journal:
        entries = journal.entries_on(dt.date.fromisoformat(day))
        ratings = {e.person.role.value: e for e in entries if e.item_id == "fatigue"}
        assert set(ratings) == {"patient", "caregiver"}  # one each, never one over the other
        for role, entry in ratings.items():
            kept = {v.value for v in journal.entry_versions(entry.id)} | {entry.value}
            assert {float(v) for v in seen[role]} <= kept
        readings = sum(e.item_id == "temperature" for e in entries)
        assert readings >= sum(len(v) for v in seen.values())  # every saved reading kept
    assert stored_uids(journal_path)[1] == "ok"
