"""Start-up: time to first painted main window, to a usable check-in (the day's rows
built, filled and painted: MainWindow.checkin_painted, which at start-up comes before
the journal and SQLAlchemy are loaded) and to the journal fully open (journal_opened,
then painted), against a bare PySide6 QMainWindow measured in the same run.

    python benchmarks/startup.py [--runs 5] [--days 1825]

Each side is a whole fresh process (imports included), alternated A/B;
medians and the median ratio are printed. Memory is each process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import installed

BARE = r"""
import resource, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1100, 760)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if obj is w and event.type() == QEvent.Type.Paint:
            app.quit()
        return False
f = Painted(); w.installEventFilter(f)
w.show(); app.exec()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

APP = r"""
import resource, sys
from pathlib import Path
from mbc_journal.ui.app import start  # first, as the mbc-journal command imports it
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
until = sys.argv[2]
w = start(Path(sys.argv[1]))
app = QApplication.instance()
class Painted(QObject):
    def eventFilter(self, obj, event):
        if obj is w and event.type() == QEvent.Type.Paint:
            if until == "painted" or (until == "ready" and w.journal is not None):
                app.quit()
        return False
f = Painted(); w.installEventFilter(f)
if until == "ready":
    w.journal_opened.connect(lambda _j: (w.update(), QTimer.singleShot(0, app.quit)))
if until == "usable":
    # Usable: the check-in's rows built, filled and painted (its first shown rating
    # painted); at start-up that is before the journal (SQLAlchemy) is open.
    def usable():
        print("orm-loaded" if "sqlalchemy" in sys.modules else "orm-not-loaded")
        # Stop here: the journal would open on the next turn (the "fully open" row).
        w._opening = None
        app.quit()
    w.checkin_painted.connect(usable)
app.exec()
# The automatic backup started at opening runs on a pool thread: let it end (a process
# leaving while it runs can abort).
from PySide6.QtCore import QThreadPool
QThreadPool.globalInstance().waitForDone()
heavy = [m for m in ("matplotlib", "reportlab") if m in sys.modules]
assert not heavy, heavy
from PySide6.QtWidgets import QWidget
widgets = len(w.findChildren(QWidget))
print(widgets, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(code: str, *args: str, env: dict[str, str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    ).stdout
    if "orm-loaded" in out.split():
        print("note: SQLAlchemy was loaded before the rows were painted", file=sys.stderr)
    return time.perf_counter() - t0, int(out.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=1825)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    home = Path(tempfile.mkdtemp())
    env = installed.environment(
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        MBC_JOURNAL_HOME=str(home),
    )
    db = home / "bench.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "mbc_journal", "demo", "--days", str(args.days), "--db", str(db)],
        env=env,
        check=True,
        capture_output=True,
    )
    results: dict[str, list[tuple[float, int]]] = {
        "bare": [],
        "painted": [],
        "ready": [],
        "usable": [],
    }
    run(BARE, env=env)  # warm the OS file cache for both sides
    run(APP, str(db), "ready", env=env)
    for _ in range(args.runs):
        results["bare"].append(run(BARE, env=env))
        results["painted"].append(run(APP, str(db), "painted", env=env))
        results["ready"].append(run(APP, str(db), "ready", env=env))
        results["usable"].append(run(APP, str(db), "usable", env=env))
    bare_t = statistics.median(t for t, _ in results["bare"])
    bare_m = statistics.median(m for _, m in results["bare"])
    print(f"journal: {args.days} days, runs: {args.runs}, load average after: {os.getloadavg()}")
    print(f"{'what':<34}{'median s':>10}{'ratio':>8}{'RSS MiB':>10}{'ratio':>8}")
    for name, label in (
        ("bare", "bare QMainWindow painted"),
        ("painted", "MBC Journal first paint"),
        ("usable", "MBC Journal usable (rows painted)"),
        ("ready", "MBC Journal journal fully open"),
    ):
        t = statistics.median(x for x, _ in results[name])
        m = statistics.median(y for _, y in results[name])
        print(f"{label:<34}{t:>10.3f}{t / bare_t:>8.2f}{m / 1024:>10.1f}{m / bare_m:>8.2f}")


if __name__ == "__main__":
    main()
