"""Trends cost: 10 years × 30 items (and three temperature readings a day), query +
draw, against raw sqlite3 and raw matplotlib on the same arrays, in one run.

    python benchmarks/charts.py [--years 10] [--items 30] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from mbc_journal import charts
from mbc_journal.journal import Journal
from mbc_journal.model import ItemKind


def make_journal(path: Path, years: int, n_items: int) -> tuple[Journal, list[str], dt.date]:
    journal = Journal.open(path)
    items = [i.id for i in journal.catalogue.items if i.kind is ItemKind.RATING][:n_items]
    end = dt.date.today()
    start = end - dt.timedelta(days=years * 365 - 1)
    rng = random.Random(1)
    now = "2026-01-01 00:00:00.000000"
    rows = []
    for d in range(years * 365):
        if rng.random() < 0.1:
            continue
        day = (start + dt.timedelta(days=d)).isoformat()
        for item in items:
            rows.append((str(uuid.uuid4()), item, day, None, float(rng.randint(0, 10)), now, now))
        for hour in (7, 13, 21):  # three temperatures a day, each a reading of its own
            reading = round(rng.gauss(37.0, 0.5), 1)
            rows.append(
                (str(uuid.uuid4()), "temperature", day, f"{hour:02d}:00:00.000000", reading, now,
                 now)
            )  # fmt: skip
    raw = sqlite3.connect(path)
    with raw:
        raw.executemany(
            "INSERT INTO entries (uid, item_id, local_date, time, value, note, entered_by, "
            "role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', '', 'patient', ?, ?)",
            rows,
        )
    raw.close()
    return journal, [*items, "temperature"], start


def raw_query(path: Path, items: list[str]) -> dict[str, tuple[list[str], list[float]]]:
    raw = sqlite3.connect(path)
    marks = ",".join("?" * len(items))
    out: dict[str, tuple[list[str], list[float]]] = {i: ([], []) for i in items}
    for item, day, value, _low in raw.execute(
        # The same facts the chart needs: each day's highest and lowest reading.
        f"SELECT item_id, local_date, MAX(value), MIN(value) FROM entries WHERE "
        f"deleted_at IS NULL AND "
        f"item_id IN ({marks}) GROUP BY item_id, local_date ORDER BY item_id, local_date",
        items,
    ):
        out[item][0].append(day)
        out[item][1].append(value)
    raw.close()
    return out


def raw_draw(arrays: dict[str, tuple[object, object, object, object]], out: Path) -> None:
    """Bare matplotlib drawing the picture the app draws: per rating an average line
    and its shaded range, and temperature in a panel of its own as a line through the
    highest readings with a bar down to the lowest, on the same arrays, with a legend."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 5.5), dpi=100, layout="constrained")
    ax, temp = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3.2, 1.4]})
    for label, (x, mean, low, high) in arrays.items():
        if label == "temperature":
            temp.vlines(x, low, high, linewidth=2.2, alpha=0.55)
            temp.plot(x, high, linewidth=1.2, label=label)
            continue
        ax.fill_between(x, low, high, step="mid", alpha=0.14, linewidth=0)
        ax.plot(x, mean, linewidth=1.8, label=label)
    temp.xaxis_date()  # a date axis, as any trend chart needs
    fig.legend(loc="outside lower center", ncol=4, fontsize=8)  # 30 lines need one
    fig.savefig(out, dpi=100)


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = folder / "bench.sqlite3"
    journal, items, start = make_journal(path, args.years, args.items)
    end = dt.date.today()
    catalogue_items = [journal.catalogue.item(i) for i in items]

    ours_q = timed(lambda: journal.item_days(start, end, items), args.runs)
    raw_q = timed(lambda: raw_query(path, items), args.runs)

    series = journal.item_days(start, end, items)
    data = charts.ChartData(catalogue_items, series, start, end)
    n = (end - start).days + 1
    bucket = charts.bucket_days(n)  # the same buckets the chart draws
    slots = -(-n // bucket)
    import matplotlib.dates as mdates

    x = mdates.date2num(start) + np.arange(slots, dtype=float) * bucket
    dense = {}
    for item, points in series.items():
        mean, low, high = (np.full(slots, np.nan) for _ in range(3))
        lows = points.lows  # temperature: each day's lowest reading
        rows = list(zip(points.ordinals, points.values, lows, strict=True))
        for slot in range(slots):
            days = [(v, lo) for o, v, lo in rows if (o - start.toordinal()) // bucket == slot]
            if days:
                values = [v for v, _ in days]
                low[slot] = min(lo for _, lo in days) if item == "temperature" else min(values)
                mean[slot], high[slot] = sum(values) / len(values), max(values)
        dense[item] = (x, mean, low, high)
    ours_d = timed(
        lambda: charts.save(charts.build(data), str(folder / "ours.png"), dpi=100), args.runs
    )
    raw_d = timed(lambda: raw_draw(dense, folder / "raw.png"), args.runs)
    rows = sum(len(p) for p in series.values())
    print(f"{args.years} years x {len(items)} items = {rows:,} item-days, runs: {args.runs}")
    print(f"{'step':<8}{'ours s':>10}{'raw s':>10}{'ratio':>8}")
    print(f"{'query':<8}{ours_q:>10.3f}{raw_q:>10.3f}{ours_q / raw_q:>8.2f}")
    print(f"{'draw':<8}{ours_d:>10.3f}{raw_d:>10.3f}{ours_d / raw_d:>8.2f}")
    journal.close()


if __name__ == "__main__":
    main()
