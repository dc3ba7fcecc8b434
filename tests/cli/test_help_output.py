"""Help and the version are output like any other: a full disk is said (found by a tester)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_to_a_full_disk_say_so(flag: str) -> None:
    if not Path("/dev/full").exists():
        pytest.fail("this test needs /dev/full (Linux)")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "mbc_journal", flag],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 2
    assert done.stderr == "mbc-journal: The output could not be written (the disk is full).\n"


def test_a_json_named_file_is_read_as_json(tmp_path: Path) -> None:
    from tests.cli.test_cli import run

    db = str(tmp_path / "j.sqlite3")
    assert run("log", "fatigue", "1", "--db", db)[0] == 0
    bad = tmp_path / "x.json"
    bad.write_text('"x"')
    code, _out, err = run("import", str(bad), "--db", db)
    assert code == 2 and "is JSON but not an MBC Journal export" in err and "CSV" not in err


def test_an_environment_variable_that_is_not_text_is_one_sentence(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "MBC_JOURNAL_HOME": os.fsdecode(bytes(tmp_path) + b"/h\xff\xfe")}
    done = subprocess.run([sys.executable, "-m", "mbc_journal", "list"], env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 2 and "MBC_JOURNAL_HOME holds a name that is not valid text" in (
        done.stderr
    )
    assert done.stderr.count("\n") == 1


def test_a_mistake_with_the_error_output_closed_still_exits_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mbc_journal", "--db", str(tmp_path / "j.sqlite3"), "log",
         "fatigue", "11"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True, text=True,
        preexec_fn=lambda: __import__("os").close(2),
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
