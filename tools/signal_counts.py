"""How many signals the demo journal's last 30 days give, by level and kind: the
false-alarm count recorded in docs/safety-signals.md.

    python tools/signal_counts.py [--days 120] [--last 30]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import tempfile
from pathlib import Path

from mbc_journal import demo
from mbc_journal.journal import Journal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=120, help="length of the demo journal")
    parser.add_argument("--last", type=int, default=30, help="days counted, up to today")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Journal.open(Path(folder, "d.sqlite3")) as j:
        demo.generate(j, days=args.days)
        today = dt.date.today()
        found = j.signals(today - dt.timedelta(days=args.last - 1), today)
    counts = collections.Counter(s.level.heading for s in found)
    print(f"{args.days}-day demo, last {args.last} days: {len(found)} signals")
    for heading, n in counts.most_common():
        print(f"  {n:3}  {heading}")
    for s in found:
        print(f"  {s.day:%d %b}  {s.level.value:<10}  {s.title}")


if __name__ == "__main__":
    main()
