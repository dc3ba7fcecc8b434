"""Kill a writing process at random moments: no acknowledged entry may be lost.

The child prints an entry's id only after its COMMIT returned. The long run
(``python benchmarks/crash.py --rounds 200``) is documented in docs/.
"""

from __future__ import annotations

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
