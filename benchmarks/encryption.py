"""Encryption's cost (issue 19): start-up to a usable check-in, opening the journal from
the command line, and saving a 30-item check-in, with an encrypted 5-year journal beside
the same journal plain, measured in the same run.

    python benchmarks/encryption.py [--runs 5] [--days 1825]

Start-up and the command are whole fresh processes (imports and SQLCipher's key
derivation, PBKDF2-HMAC-SHA512 with 256 000 iterations, included), alternated A/B;
the save is timed in one process on each journal. Medians and ratios are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import installed

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import APP, run  # noqa: E402  (the same "usable" measure as startup.py)

PASSPHRASE = "benchmark passphrase"

# The app with the passphrase typed: the dialog is answered at once, so what is timed is
# the key derivation and SQLCipher, not a person typing.
APP_UNLOCKED = (
    "from mbc_journal.db import cipher as _c\n"
    "import os\n"
    "_p = os.environ.get('BENCH_PASSPHRASE')\n"
    "if _p:\n"
    "    from mbc_journal.ui import privacy as _pr\n"
    "    _pr.ask_to_unlock = lambda _w, path: (_c.unlock(path, _p) or True)\n"
) + APP

SAVE = r"""
import datetime as dt, statistics, sys, time, os
from pathlib import Path
from mbc_journal.db import cipher
from mbc_journal.journal import Journal
if os.environ.get("BENCH_PASSPHRASE"):
    cipher.remember(os.environ["BENCH_PASSPHRASE"])
journal = Journal.open(Path(sys.argv[1]))
items = [i for i in journal.catalogue.items if i.kind.value == "rating" and not i.retired][:30]
times = []
day = dt.date.today()
for n in range(int(sys.argv[2])):
    values = {i.id: journal.draft(i.id, (n + k) % 11) for k, i in enumerate(items)}
    t0 = time.perf_counter()
    journal.save_checkin(day, values)
    times.append(time.perf_counter() - t0)
journal.close()
print(statistics.median(times) * 1000, 0)
"""


def save_ms(journal: Path, env: dict[str, str]) -> float:
    """The median 30-item check-in save, in one process on ``journal``."""
    command = [sys.executable, "-c", SAVE, str(journal), "40"]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return float(out.split()[0])


def timed(command: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=1825)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp())
    env = installed.environment(
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        MBC_JOURNAL_HOME=str(home),
    )
    env.pop("BENCH_PASSPHRASE", None)
    plain = home / "plain.sqlite3"
    encrypted = home / "encrypted.sqlite3"
    mbc = [sys.executable, "-m", "mbc_journal"]
    subprocess.run(
        [*mbc, "demo", "--days", str(args.days), "--db", str(plain)],
        env=env,
        check=True,
        capture_output=True,
    )
    shutil.copy(plain, encrypted)
    (home / "pass").write_text(PASSPHRASE + "\n")
    t_encrypt = timed(
        [
            *mbc,
            "encrypt",
            "--db",
            str(encrypted),
            "--new-passphrase-file",
            str(home / "pass"),
            "--no-recovery-key",
        ],
        env,
    )
    enc_env = {**env, "BENCH_PASSPHRASE": PASSPHRASE}
    pass_file = ["--passphrase-file", str(home / "pass")]
    results: dict[str, list[float]] = {k: [] for k in ("usable", "usable_enc", "cli", "cli_enc")}
    rss: dict[str, list[int]] = {"usable": [], "usable_enc": []}
    run(APP_UNLOCKED, str(plain), "usable", env=env)  # warm the file cache for both
    run(APP_UNLOCKED, str(encrypted), "usable", env=enc_env)
    for _ in range(args.runs):
        t, m = run(APP_UNLOCKED, str(plain), "usable", env=env)
        results["usable"].append(t)
        rss["usable"].append(m)
        t, m = run(APP_UNLOCKED, str(encrypted), "usable", env=enc_env)
        results["usable_enc"].append(t)
        rss["usable_enc"].append(m)
        results["cli"].append(timed([*mbc, "check", "--db", str(plain)], env))
        results["cli_enc"].append(timed([*mbc, "check", "--db", str(encrypted), *pass_file], env))
    save_plain_ms = save_ms(plain, env)
    save_enc_ms = save_ms(encrypted, enc_env)
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"journal: {args.days} days ({plain.stat().st_size / 2**20:.1f} MiB), runs: {args.runs}")
    print(f"encrypting it (mbc-journal encrypt, whole process): {t_encrypt:.2f} s")
    print(f"{'what':<44}{'plain':>10}{'encrypted':>11}{'ratio':>8}")
    for key, label in (
        ("usable", "app start to a usable check-in, s"),
        ("cli", "mbc-journal check, whole process, s"),
    ):
        print(
            f"{label:<44}{med[key]:>10.3f}{med[key + '_enc']:>11.3f}"
            f"{med[key + '_enc'] / med[key]:>8.2f}"
        )
    m_plain = statistics.median(rss["usable"]) / 1024
    m_enc = statistics.median(rss["usable_enc"]) / 1024
    print(f"{'app start peak RSS, MiB':<44}{m_plain:>10.1f}{m_enc:>11.1f}{m_enc / m_plain:>8.2f}")
    print(
        f"{'save a 30-item check-in (median of 40), ms':<44}{save_plain_ms:>10.2f}"
        f"{save_enc_ms:>11.2f}{save_enc_ms / save_plain_ms:>8.2f}"
    )


if __name__ == "__main__":
    main()
