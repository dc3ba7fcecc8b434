"""What the command line prints, wherever it goes: a closed pipe, a full disk, a closed
output, an output that cannot encode the text, and a terminal that obeys escape codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mbc_journal.journal import Journal
from mbc_journal.wording import plural, printable
from tests.cli.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
ENTRY = "import sys; from mbc_journal.cli import entry_point; sys.exit(entry_point())"


def command(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", ENTRY, *argv],
        capture_output="stdout" not in kwargs,
        text=True,
        cwd=ROOT,
        timeout=120,
        **kwargs,
    )


@pytest.fixture
def noted(journal_path: Path) -> Path:
    with Journal.open(journal_path) as journal:
        journal.add_entry(journal.draft("fatigue", 3, note="café \x1b[2J\x1b[31mred\rX\x07"))
    return journal_path


def test_a_reader_that_stops_early_is_a_quiet_success(tmp_path: Path) -> None:
    """`mbc-journal list | head -1` exits 0 with nothing on stderr (was exit 1)."""
    db = str(tmp_path / "d.sqlite3")
    assert run("demo", "--days", "800", "--db", db)[0] == 0  # more than a pipe holds
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "list", "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and err == ""


def test_a_full_disk_for_the_output_is_one_sentence(noted: Path) -> None:
    with open("/dev/full", "w") as full:
        result = command("list", "--db", str(noted), stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "disk is full" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


def test_a_closed_output_is_one_sentence_and_the_command_is_not_run(noted: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", ENTRY, "log", "fatigue", "7", "--db", str(noted)],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=lambda: os.close(1),  # `mbc-journal log … >&-`
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "output is closed" in result.stderr
    with Journal.open(noted) as journal:
        assert [e.value for e in journal.entries()] == [3]


def test_text_the_output_cannot_encode_is_replaced_not_a_crash(noted: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = command("list", "--db", str(noted), env=env)
    assert result.returncode == 0, result.stderr
    assert "caf?" in result.stdout and result.stderr == ""


def test_escape_sequences_in_user_text_are_shown_not_obeyed(noted: Path) -> None:
    code, out, _ = run("list", "--db", str(noted))
    assert code == 0
    assert not any(ch in out for ch in "\x1b\r\x07")
    assert "café ␛[2J␛[31mred X␇" in out  # list shows a note on one line
    with Journal.open(noted) as journal:  # stored exactly as typed
        assert journal.entries()[0].note == "café \x1b[2J\x1b[31mred\rX\x07"
    code, _out, err = run("log", "\x1b[31mfatigue", "3", "--db", str(noted))
    assert code == 2 and "\x1b" not in err and "␛[31m" in err


def test_a_path_too_long_for_the_file_system_is_one_sentence(tmp_path: Path) -> None:
    long = tmp_path / ("a" * 300 + ".sqlite3")
    for argv in (["list"], ["log", "fatigue", "3"], ["backups"], ["demo"]):
        code, _out, err = run(*argv, "--db", str(long))
        assert code == 2 and err.count("\n") == 1, (argv, err)
        assert "too long" in err and "Something went wrong" not in err, (argv, err)


def test_a_dangling_link_names_the_link_and_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "journal.sqlite3"
    link.symlink_to(tmp_path / "gone" / "journal.sqlite3")
    for argv in (["list"], ["log", "fatigue", "3"]):
        code, _out, err = run(*argv, "--db", str(link))
        assert code == 2 and str(link) in err and "symbolic link" in err, err
        assert f"{tmp_path / 'gone'} it points into does not exist" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.sqlite3"]


def test_counts_are_worded_right() -> None:
    assert plural(1, "entry") == "1 entry" and plural(2, "entry") == "2 entries"
    assert plural(-0.0, "dose") == "0 doses" and plural(1, "day") == "1 day"
    assert plural(3, "day") == "3 days" and plural(1200, "entry") == "1,200 entries"
    assert printable("a\tb\nc\x1b\x9b") == "a\tb\nc␛\ufffd"


def test_command_messages_count_in_the_singular(journal_path: Path, tmp_path: Path) -> None:
    db = str(journal_path)
    assert run("log", "fatigue", "3", "--db", db)[0] == 0
    outputs = [
        run("list", "--db", db)[1],
        run("export", "--format", "json", "-o", str(tmp_path / "e.json"), "--db", db)[1],
        run("backup", "--db", db)[1],
        run("backups", "--db", db)[1],
        run("check", "--db", db)[1],
    ]
    text = "\n".join(outputs)
    assert "1 entries" not in text and "1 days" not in text, text
    assert "1 entry" in outputs[0] and "Exported 1 entry " in outputs[1]


def test_minus_zero_is_never_printed(journal_path: Path) -> None:
    code, out, _ = run("log", "pain_relief_doses", "-0", "--db", str(journal_path))
    assert code == 0 and "-0 doses" not in out and ": 0 doses" in out, out
    code, out, _ = run("list", "--db", str(journal_path))
    assert "-0 doses" not in out and " 0 doses" in out
