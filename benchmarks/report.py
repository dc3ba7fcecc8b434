"""Report cost: a 5-year report against a 90-day report from the same
5-year demo journal, in one run (goal: ≤ 1.5×).

    python benchmarks/report.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from mbc_journal import demo, report
from mbc_journal.journal import Journal


def timed(journal: Journal, days: int, out: Path) -> tuple[float, int]:
    end = dt.date.today()
    options = report.ReportOptions(end - dt.timedelta(days=days - 1), end)
    t0 = time.perf_counter()
    data = report.collect(journal, options)
    pages = report.write_pdf(data, out)
    return time.perf_counter() - t0, pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    journal = Journal.open(folder / "bench.sqlite3")
    demo.generate(journal, days=5 * 365)
    timed(journal, 90, folder / "warm.pdf")  # fonts and imports, paid once
    short_s, long_s, ratios = [], [], []
    short_pages = long_pages = 0
    for _ in range(args.runs):  # alternated, so drift during the run hits both sides
        short, short_pages = timed(journal, 90, folder / "short.pdf")
        long, long_pages = timed(journal, 5 * 365, folder / "long.pdf")
        short_s.append(short)
        long_s.append(long)
        ratios.append(long / short)
    print(f"5-year demo journal, runs: {args.runs} (alternated)")
    print(f"{'report':<10}{'median s':>10}{'pages':>7}")
    print(f"{'90 days':<10}{statistics.median(short_s):>10.3f}{short_pages:>7}")
    print(f"{'5 years':<10}{statistics.median(long_s):>10.3f}{long_pages:>7}")
    print(f"ratio 5 years / 90 days (median of pairs): {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
