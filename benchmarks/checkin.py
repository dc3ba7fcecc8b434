"""Saving a check-in stays flat as the journal grows: an empty journal against a
20-year one, in one process (issue 21).

    python -m benchmarks.checkin [--years 20] [--runs 30]

Each save is a whole day's check-in: ten ratings updated in place (so every one keeps
an earlier version) and a temperature added as a reading of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.charts import make_journal
from mbc_journal.journal import Journal
from mbc_journal.model import ItemKind


def save_times(journal: Journal, runs: int) -> list[float]:
    items = [i.id for i in journal.catalogue.items if i.kind is ItemKind.RATING][:10]
    day = dt.date.today()
    samples = []
    for n in range(runs):
        values = {i: journal.draft(i, (n + k) % 11) for k, i in enumerate(items)}
        reading = journal.draft("temperature", 36.5 + (n % 10) / 10, time=dt.time(8, n % 60))
        t0 = time.perf_counter()
        journal.save_checkin(day, values, readings=[reading])
        samples.append(time.perf_counter() - t0)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    empty = Journal.open(folder / "empty.sqlite3")
    full, _items, _start = make_journal(folder / "full.sqlite3", args.years, 30)
    rows = full.count_entries()
    save_times(empty, 3)  # warm both
    save_times(full, 3)
    small, large = [], []
    for _ in range(args.runs):  # alternated, so drift hits both sides
        small += save_times(empty, 1)
        large += save_times(full, 1)
    s, big = statistics.median(small), statistics.median(large)
    print(f"check-in save (10 ratings + 1 reading), runs: {args.runs}")
    print(f"{'journal':<18}{'entries':>10}{'median ms':>11}")
    print(f"{'empty':<18}{empty.count_entries():>10,}{s * 1000:>11.2f}")
    print(f"{f'{args.years} years':<18}{rows:>10,}{big * 1000:>11.2f}")
    print(f"ratio {args.years} years / empty: {big / s:.2f}")
    empty.close()
    full.close()


if __name__ == "__main__":
    main()
