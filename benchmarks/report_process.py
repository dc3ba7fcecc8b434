"""Whole-process report cost (issue 18): `mbc-journal report` for the default period on a
5-year demo journal, against a baseline process that pays the same imports and font
registration and writes nothing. Alternated runs, medians.

    python benchmarks/report_process.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import installed

BASELINE = """
import matplotlib.figure, matplotlib.backends.backend_agg, sqlalchemy, reportlab.platypus
from mbc_journal import report_pdf
report_pdf._Fonts.register()
"""


def run(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    env = installed.environment(HOME=str(folder))
    db = folder / "five-years.sqlite3"
    make = (
        "from pathlib import Path; from mbc_journal import demo; "
        "from mbc_journal.journal import Journal; "
        f"j = Journal.open(Path({str(db)!r})); demo.generate(j, days=5 * 365); j.close()"
    )
    subprocess.run([sys.executable, "-c", make], check=True, env=env)
    report = [sys.executable, "-m", "mbc_journal", "report", "--db", str(db)]
    baseline = [sys.executable, "-c", BASELINE]
    run(baseline, env)  # the file cache warmed for both
    reports, baselines = [], []
    for n in range(args.runs):
        baselines.append(run(baseline, env))
        reports.append(run([*report, "-o", str(folder / f"r{n}.pdf")], env))
    r, b = statistics.median(reports), statistics.median(baselines)
    print(f"5-year demo journal, default period, {args.runs} alternated runs")
    print(f"mbc-journal report      {r:6.2f} s")
    print(f"baseline (imports+fonts){b:6.2f} s")
    print(f"ratio                   {r / b:6.2f}")


if __name__ == "__main__":
    main()
