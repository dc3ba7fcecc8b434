"""Kill -9 a writing process at random moments, many rounds; then check that
every entry it acknowledged (printed after COMMIT returned) is in the journal
and that integrity_check is ok.

    python benchmarks/crash.py --rounds 200
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.db.test_crash import run_rounds, stored_uids  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "crash.sqlite3"
    started = time.monotonic()
    acknowledged, rounds = run_rounds(path, args.rounds, seed=args.seed)
    stored, integrity = stored_uids(path)
    lost = acknowledged - stored
    print(
        f"rounds: {rounds}, acknowledged entries: {len(acknowledged)}, stored: {len(stored)}, "
        f"lost: {len(lost)}, integrity_check: {integrity}, "
        f"{time.monotonic() - started:.0f} s"
    )
    sys.exit(1 if lost or integrity != "ok" else 0)


if __name__ == "__main__":
    main()
