"""Report cost: a 5-year report against a 90-day report from the same
5-year demo journal, in one run (goal: ≤ 1.5×).

    python benchmarks/report.py [--runs 3]
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


def timed(journal: Journal, days: int, out: Path, runs: int) -> tuple[float, int]:
    end = dt.date.today()
    options = report.ReportOptions(end - dt.timedelta(days=days - 1), end)
    samples, pages = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        data = report.collect(journal, options)
        pages = report.write_pdf(data, out)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    journal = Journal.open(folder / "bench.sqlite3")
    demo.generate(journal, days=5 * 365)
    timed(journal, 90, folder / "warm.pdf", 1)  # fonts and imports, paid once
    short, short_pages = timed(journal, 90, folder / "short.pdf", args.runs)
    long, long_pages = timed(journal, 5 * 365, folder / "long.pdf", args.runs)
    print(f"5-year demo journal, runs: {args.runs}")
    print(f"{'report':<10}{'median s':>10}{'pages':>7}")
    print(f"{'90 days':<10}{short:>10.3f}{short_pages:>7}")
    print(f"{'5 years':<10}{long:>10.3f}{long_pages:>7}")
    print(f"ratio 5 years / 90 days: {long / short:.2f}")


if __name__ == "__main__":
    main()
