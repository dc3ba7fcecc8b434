"""Encryption from the command line (issue 19): encrypt, decrypt, passphrase change and
recover; the passphrase from a file, the environment or a prompt; refused without it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mbc_journal.db import backup, cipher
from tests.cli.test_cli import run
from tests.helpers import digest

pytestmark = pytest.mark.skipif(not cipher.available(), reason="no SQLCipher wheel here")

PASS = "correct horse battery"


@pytest.fixture(autouse=True)
def fresh_process_memory(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("MBC_JOURNAL_PASSPHRASE", raising=False)
    cipher.forget_all()
    yield
    cipher.forget_all()


def cli(*argv: str) -> tuple[int, str, str]:
    cipher.forget_all()  # every command is its own process
    return run(*argv)


def write(path: Path, text: str) -> Path:
    path.write_text(text + "\n")
    return path


@pytest.fixture
def encrypted(journal_path: Path, tmp_path: Path) -> Path:
    db = str(journal_path)
    assert cli("log", "bone pain", "6", "--db", db, "--note", "very private")[0] == 0
    assert cli("backup", "--db", db)[0] == 0
    code, out, err = cli(
        "encrypt", "--db", db, "--new-passphrase-file", str(write(tmp_path / "p", PASS))
    )
    assert code == 0, err
    assert "Encrypted the journal journal.sqlite3 and 1 backup" in out
    assert "Recovery key: " in out and "nobody can open the journal" in out
    return journal_path


def test_commands_open_it_with_the_passphrase_from_a_file_or_the_environment(
    encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(encrypted)
    code, out, _ = cli("list", "--db", db, "--passphrase-file", str(tmp_path / "p"))
    assert code == 0 and "very private" in out
    code, out, _ = cli("check", "--db", db, "--passphrase-file", str(tmp_path / "p"))
    assert code == 0 and "Integrity: ok" in out and "Encrypted: yes" in out
    monkeypatch.setenv("MBC_JOURNAL_PASSPHRASE", PASS)
    code, out, err = cli("log", "headache", "3", "--db", db)
    assert code == 0, err
    code, out, _ = cli("backups", "--db", db)
    assert code == 0 and "2 entries" not in out and "1 entry" in out
    code, out, _ = cli("report", "--db", db, "-o", str(tmp_path / "r.pdf"))
    assert code == 0 and (tmp_path / "r.pdf").exists()
    assert "is not encrypted (a PDF cannot be)" in out
    code, out, _ = cli("export", "--db", db, "--format", "json", "-o", str(tmp_path / "e.json"))
    assert code == 0 and "is not encrypted" in out


def test_without_the_passphrase_or_with_a_wrong_one_it_is_one_sentence(
    encrypted: Path, tmp_path: Path
) -> None:
    db = str(encrypted)
    before = digest(encrypted)
    code, out, err = cli("list", "--db", db)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "is encrypted; give its passphrase with" in err
    code, _, err = cli(
        "log",
        "fatigue",
        "2",
        "--db",
        db,
        "--passphrase-file",
        str(write(tmp_path / "w", "wrong one")),
    )
    assert code == 2 and "That passphrase does not open journal.sqlite3" in err
    assert "Traceback" not in err
    empty = tmp_path / "empty"
    empty.write_text("")
    code, _, err = cli("list", "--db", db, "--passphrase-file", str(empty))
    assert code == 2 and "is empty" in err
    assert digest(encrypted) == before


def test_a_prompt_asks_at_a_terminal_and_never_echoes(encrypted: Path) -> None:
    """A real terminal: the passphrase typed at the prompt opens the journal."""
    import pexpect

    env = {**os.environ, "MBC_JOURNAL_PASSPHRASE": ""}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "mbc_journal", "list", "--db", str(encrypted)],
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    child.expect("Passphrase for journal.sqlite3: ")
    child.sendline(PASS)
    child.expect(pexpect.EOF)
    assert "very private" in child.before and PASS not in child.before


def test_no_terminal_and_no_passphrase_is_refused_in_a_real_process(encrypted: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mbc_journal", "list", "--db", str(encrypted)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "MBC_JOURNAL_PASSPHRASE"},
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "is encrypted; give its passphrase" in result.stderr
    assert "Traceback" not in result.stderr and "hmac" not in result.stderr


def test_change_then_recover_then_decrypt(encrypted: Path, tmp_path: Path) -> None:
    db = str(encrypted)
    old = str(tmp_path / "p")
    new = str(write(tmp_path / "n", "a second passphrase"))
    code, out, err = cli(
        "passphrase", "change", "--db", db, "--passphrase-file", old, "--new-passphrase-file", new
    )
    assert code == 0, err
    assert "The passphrase is changed for journal.sqlite3 and 1 backup" in out
    key = out.split("Recovery key: ")[1].split()[0]
    assert cli("list", "--db", db, "--passphrase-file", old)[0] == 2
    assert cli("list", "--db", db, "--passphrase-file", new)[0] == 0
    # forgotten: the recovery key sets a third one
    third = str(write(tmp_path / "t", "a third passphrase"))
    bad_key = str(write(tmp_path / "bk", "AAAA-BBBB-CCCC-DDDD-EEEE"))
    code, _, err = cli(
        "passphrase",
        "recover",
        "--db",
        db,
        "--recovery-key-file",
        bad_key,
        "--new-passphrase-file",
        third,
    )
    assert code == 2 and "does not fit" in err
    good_key = str(write(tmp_path / "k", key.lower()))
    code, out, err = cli(
        "passphrase",
        "recover",
        "--db",
        db,
        "--recovery-key-file",
        good_key,
        "--new-passphrase-file",
        third,
        "--no-recovery-key",
    )
    assert code == 0, err
    assert "nobody can open the journal" in out
    code, out, err = cli("decrypt", "--db", db, "--passphrase-file", third)
    assert code == 0, err
    assert "stored unencrypted again" in out
    code, out, _ = cli("list", "--db", db)
    assert code == 0 and "very private" in out
    for kept in backup.folder_for(encrypted).glob("*.sqlite3"):
        assert not cipher.is_encrypted(kept)


def test_encrypt_refuses_weak_or_repeated_requests(journal_path: Path, tmp_path: Path) -> None:
    db = str(journal_path)
    assert cli("log", "bone pain", "6", "--db", db)[0] == 0
    code, _, err = cli(
        "encrypt", "--db", db, "--new-passphrase-file", str(write(tmp_path / "s", "short"))
    )
    assert code == 2 and "at least 8 characters" in err
    code, _, err = cli("encrypt", "--db", db, "--passphrase-file", str(tmp_path / "missing"))
    assert code == 2 and "Traceback" not in err
    code, _, err = cli("encrypt", "--db", db)  # no terminal to ask at
    assert code == 2 and "--new-passphrase-file" in err
    assert not cipher.is_encrypted(journal_path)
    code, _, err = cli("decrypt", "--db", db)
    assert code == 2 and "is not encrypted" in err


def test_backup_to_a_file_and_restore_stay_encrypted(encrypted: Path, tmp_path: Path) -> None:
    db = str(encrypted)
    pp = str(tmp_path / "p")
    target = tmp_path / "copy.sqlite3"
    code, _, err = cli("backup", "--db", db, "--passphrase-file", pp, "-o", str(target))
    assert code == 0, err
    assert cipher.is_encrypted(target) and b"very private" not in target.read_bytes()
    assert cli("log", "fatigue", "5", "--db", db, "--passphrase-file", pp)[0] == 0
    code, out, err = cli("restore", str(target), "--db", db, "--passphrase-file", pp)
    assert code == 0, err
    assert "Restored 1 entry" in out
    assert cipher.is_encrypted(encrypted) and b"very private" not in encrypted.read_bytes()


def test_the_passphrase_reaches_no_file_log_or_message(
    journal_path: Path, tmp_path: Path, private_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Not in a backup's name or contents, the backups' state file, the config, a log
    line, a message, or an internal-error sentence."""
    secret = "zebra-passphrase-4471"
    db = str(journal_path)
    caplog.set_level("DEBUG")
    said = []
    said.append(cli("log", "bone pain", "6", "--db", db))
    said.append(
        cli("encrypt", "--db", db, "--new-passphrase-file", str(write(tmp_path / "p", secret)))
    )
    said.append(cli("backup", "--db", db, "--passphrase-file", str(tmp_path / "p")))
    said.append(
        cli("list", "--db", db, "--passphrase-file", str(write(tmp_path / "w", "wrong one")))
    )
    new = write(tmp_path / "n", secret + "-2")
    said.append(
        cli(
            "passphrase",
            "change",
            "--db",
            db,
            "--passphrase-file",
            str(tmp_path / "p"),
            "--new-passphrase-file",
            str(new),
        )
    )
    for _code, out, err in said:
        assert secret not in out and secret not in err
    assert secret not in caplog.text
    kept = [p for p in private_home.rglob("*") if p.is_file()]
    kept += [p for p in tmp_path.glob("journal*") if p.is_file()]  # not the passphrase files
    assert any(p.suffix == ".recovery" for p in kept) and len(kept) > 4
    for path in kept:
        assert secret not in path.name and secret.encode() not in path.read_bytes(), path


def test_a_passphrase_file_from_notepad_works(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A byte-order mark and CRLF are not part of the passphrase."""
    db = str(journal_path)
    assert cli("log", "bone pain", "6", "--db", db)[0] == 0
    notepad = tmp_path / "notepad.txt"
    notepad.write_bytes("\ufeffmy good passphrase\r\n".encode())
    code, _, err = cli(
        "encrypt", "--db", db, "--new-passphrase-file", str(notepad), "--no-recovery-key"
    )
    assert code == 0, err
    monkeypatch.setenv("MBC_JOURNAL_PASSPHRASE", "my good passphrase")
    assert cli("list", "--db", db)[0] == 0


def backup_then_change_passphrase(journal: Path, tmp_path: Path) -> tuple[Path, str]:
    """A backup on a USB stick under the first passphrase, then a new passphrase: the
    backup and the journal no longer share one. The new passphrase's file."""
    db = str(journal)
    usb = tmp_path / "usb.sqlite3"
    old = str(tmp_path / "p")
    assert cli("backup", "--db", db, "--passphrase-file", old, "-o", str(usb))[0] == 0
    new = str(write(tmp_path / "n", "a second passphrase"))
    change = ("passphrase", "change", "--db", db, "--passphrase-file", old)
    assert cli(*change, "--new-passphrase-file", new, "--no-recovery-key")[0] == 0
    return usb, new


def test_a_backup_under_an_older_passphrase_is_asked_for_at_restore(
    encrypted: Path, tmp_path: Path
) -> None:
    """Restoring on a new computer, or after the passphrase changed: the backup's own
    passphrase is asked at the terminal, the journal keeps its own."""
    import pexpect

    db = str(encrypted)
    old = str(tmp_path / "p")
    usb, new = backup_then_change_passphrase(encrypted, tmp_path)
    assert cli("log", "fatigue", "5", "--db", db, "--passphrase-file", new)[0] == 0
    env = {**os.environ, "MBC_JOURNAL_PASSPHRASE": ""}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "mbc_journal", "restore", str(usb), "--db", db],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    child.expect("Passphrase for journal.sqlite3: ")
    child.sendline("a second passphrase")
    child.expect("Passphrase for usb.sqlite3: ")
    child.sendline("wrong one here")
    child.expect("try again")
    child.expect("Passphrase for usb.sqlite3: ")
    child.sendline(PASS)
    child.expect(pexpect.EOF)
    assert "Restored 1 entry" in child.before
    code, out, _ = cli("list", "--db", db, "--passphrase-file", new)
    assert code == 0 and "very private" in out and "Fatigue" not in out
    assert cli("list", "--db", db, "--passphrase-file", old)[0] == 2


def test_a_damaged_encrypted_journal_is_called_damaged_and_restored(
    encrypted: Path, tmp_path: Path
) -> None:
    db = str(encrypted)
    pp = str(tmp_path / "p")
    data = bytearray(encrypted.read_bytes())
    data[500] ^= 0xFF
    encrypted.write_bytes(bytes(data))
    code, _, err = cli("list", "--db", db, "--passphrase-file", pp)
    assert code == 2 and "damaged" in err and "does not open" not in err
    (kept,) = backup.folder_for(encrypted).glob("*.sqlite3")
    code, out, err = cli("restore", str(kept), "--db", db, "--passphrase-file", pp)
    assert code == 0, err
    assert "could not be read; it is kept as" in out
    code, out, _ = cli("list", "--db", db, "--passphrase-file", pp)
    assert code == 0 and "very private" in out


def test_with_the_journals_passphrase_given_a_backups_own_is_still_asked(
    encrypted: Path, tmp_path: Path
) -> None:
    import pexpect

    db = str(encrypted)
    usb, new = backup_then_change_passphrase(encrypted, tmp_path)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "mbc_journal", "restore", str(usb), "--db", db, "--passphrase-file", new],
        env={**os.environ, "MBC_JOURNAL_PASSPHRASE": ""},
        encoding="utf-8",
        timeout=60,
    )
    child.expect("Passphrase for usb.sqlite3: ")
    child.sendline("")
    child.expect("No passphrase was typed; try again")
    child.expect("Passphrase for usb.sqlite3: ")
    child.sendline(PASS)
    child.expect(pexpect.EOF)
    assert "Restored 1 entry" in child.before
