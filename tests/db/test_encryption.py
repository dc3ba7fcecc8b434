"""Encryption at rest (issue 19): the journal, its -wal and its backups hold no plain
symptom or note; it opens with its passphrase and not without; converting it never
loses it, even when killed half-way."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mbc_journal import operations
from mbc_journal.db import backup, cipher, encryption, version
from mbc_journal.errors import (
    EncryptionUnavailableError,
    PassphraseNeededError,
    ValidationError,
    WrongPassphraseError,
)
from mbc_journal.journal import Journal
from tests.helpers import digest

pytestmark = pytest.mark.skipif(not cipher.available(), reason="no SQLCipher wheel here")

PASS = "correct horse battery"
NOTE = "kept-private-note-5521"
SECRETS = (NOTE.encode(), b"bone_pain", b"Bone pain")


@pytest.fixture(autouse=True)
def no_passphrases_known() -> Iterator[None]:
    cipher.forget_all()
    yield
    cipher.forget_all()


def filled(path: Path) -> Path:
    with Journal.open(path) as journal:
        journal.add_entry(journal.draft("bone_pain", 6, note=NOTE))
        journal.set_day_note(journal.first_day(), f"day {NOTE}")  # type: ignore[arg-type]
    return path


def plain_bytes_in(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [s for s in SECRETS if s in data]


def test_an_encrypted_journal_its_wal_and_backups_hold_no_plain_symptom(
    journal_path: Path,
) -> None:
    filled(journal_path)
    operations.backup(journal_path)
    assert plain_bytes_in(journal_path)  # the test can see plain text where there is some
    encryption.encrypt(journal_path, PASS)
    cipher.forget_all()
    cipher.remember(PASS)
    with Journal.open(journal_path) as journal:
        journal.add_entry(journal.draft("headache", 4, note=f"later {NOTE}"))
        wal = Path(f"{journal_path}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        assert plain_bytes_in(wal) == [] and b"headache" not in wal.read_bytes()
        operations.backup(journal_path)  # an automatic backup while it is open
        assert [e.note for e in journal.entries()] == [NOTE, f"later {NOTE}"]
    assert plain_bytes_in(journal_path) == []
    backups = list(backup.folder_for(journal_path).glob("*.sqlite3"))
    assert len(backups) == 2
    for path in backups:
        assert cipher.is_encrypted(path) and plain_bytes_in(path) == []
    assert [b.entries for b in backup.list_backups(journal_path)] == [2, 1]


def test_it_opens_with_its_passphrase_and_refuses_without(journal_path: Path) -> None:
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    cipher.forget_all()
    before = digest(journal_path)
    with pytest.raises(PassphraseNeededError, match="encrypted; its passphrase is needed"):
        Journal.open(journal_path)
    with pytest.raises(WrongPassphraseError, match="does not open"):
        cipher.unlock(journal_path, "not the passphrase")
    assert digest(journal_path) == before
    assert not Path(f"{journal_path}-wal").exists()
    cipher.unlock(journal_path, PASS)
    assert version.probe(journal_path).is_current
    assert version.quick_check(journal_path) == "ok"
    with Journal.open(journal_path) as journal:
        assert [e.note for e in journal.entries()] == [NOTE]
        assert journal.check().ok


def test_it_is_a_standard_sqlcipher_4_file(journal_path: Path) -> None:
    """Anyone with SQLCipher 4 and the passphrase can open it: no key of our own."""
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    connection = cipher.module().connect(str(journal_path))
    connection.execute("PRAGMA key = 'correct horse battery'")
    assert connection.execute("PRAGMA kdf_iter").fetchone()[0] == "256000"
    assert connection.execute("SELECT note FROM entries").fetchall() == [(NOTE,)]
    connection.close()


def test_decrypt_makes_it_and_its_backups_plain_again(journal_path: Path) -> None:
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    operations.backup(journal_path)
    done = encryption.decrypt(journal_path)
    assert done.backups == 1
    assert not cipher.is_encrypted(journal_path) and plain_bytes_in(journal_path)
    assert not encryption.recovery_path(journal_path).exists()
    cipher.forget_all()
    with Journal.open(journal_path) as journal:
        assert [e.note for e in journal.entries()] == [NOTE]
    (only,) = backup.folder_for(journal_path).glob("*.sqlite3")
    assert not cipher.is_encrypted(only)
    backup.verify(only)


def test_a_new_passphrase_opens_the_journal_and_its_backups_the_old_does_not(
    journal_path: Path,
) -> None:
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    operations.backup(journal_path)
    encryption.change_passphrase(journal_path, "a whole new passphrase")
    cipher.forget_all()
    with pytest.raises(WrongPassphraseError):
        cipher.unlock(journal_path, PASS)
    cipher.unlock(journal_path, "a whole new passphrase")
    (kept,) = backup.folder_for(journal_path).glob("*.sqlite3")
    backup.verify(kept)  # opens with the new passphrase, no other asked
    assert backup.describe(kept).entries == 1


def test_weak_or_repeated_requests_are_one_sentence_and_change_nothing(
    journal_path: Path,
) -> None:
    filled(journal_path)
    before = digest(journal_path)
    with pytest.raises(ValidationError, match="at least 8 characters"):
        encryption.encrypt(journal_path, "short")
    with pytest.raises(ValidationError, match="not encrypted"):
        encryption.decrypt(journal_path)
    with pytest.raises(ValidationError, match="not encrypted"):
        encryption.change_passphrase(journal_path, "a whole new passphrase")
    assert digest(journal_path) == before and not cipher.is_encrypted(journal_path)
    encryption.encrypt(journal_path, PASS)
    with pytest.raises(ValidationError, match="already encrypted"):
        encryption.encrypt(journal_path, PASS)


def test_restoring_keeps_an_encrypted_journal_encrypted(journal_path: Path) -> None:
    """A plain backup (an old one, or a file from elsewhere) restored into an encrypted
    journal comes in under the journal's passphrase; an encrypted backup restores."""
    filled(journal_path)
    plain_copy = journal_path.with_name("elsewhere.sqlite3")
    backup.copy_verified(journal_path, plain_copy)
    encryption.encrypt(journal_path, PASS)
    safety = operations.restore(journal_path, plain_copy)
    assert safety is not None and cipher.is_encrypted(safety.path)
    assert cipher.is_encrypted(journal_path) and plain_bytes_in(journal_path) == []
    with Journal.open(journal_path) as journal:
        assert [e.note for e in journal.entries()] == [NOTE]
        journal.add_entry(journal.draft("headache", 2))
    operations.restore(journal_path, safety.path)  # the encrypted one, back again
    with Journal.open(journal_path) as journal:
        assert [e.item_id for e in journal.entries()] == ["bone_pain"]


def test_backup_to_a_file_is_encrypted_too(journal_path: Path, tmp_path: Path) -> None:
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    info = operations.backup(journal_path, tmp_path / "copy.sqlite3")
    assert cipher.is_encrypted(info.path) and plain_bytes_in(info.path) == []
    cipher.forget_all()
    with pytest.raises(PassphraseNeededError):
        backup.verify(info.path)


def test_a_plain_backup_left_by_a_stopped_conversion_is_encrypted_at_the_next_open(
    journal_path: Path,
) -> None:
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    folder = backup.folder_for(journal_path)
    stray = folder / "20200101-120000-manual.sqlite3"
    decrypted = encryption.converting_path(journal_path)
    backup.copy_verified(journal_path, decrypted, None)  # as a crash half-way would leave
    os.replace(decrypted, stray)
    assert encryption.plain_backups(journal_path) == [stray]
    from tests.cli.test_cli import run

    code, _out, err = run("log", "fatigue", "3", "--db", str(journal_path))
    assert code == 0, err
    assert encryption.plain_backups(journal_path) == []
    assert plain_bytes_in(stray) == []


def test_the_recovery_key_sets_a_new_passphrase(journal_path: Path) -> None:
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    key = encryption.make_recovery_key(journal_path, PASS)
    assert len(key) == 24 and key.count("-") == 4
    cipher.forget_all()
    typed = key.lower().replace("-", " ")  # as a person copies it from paper
    assert encryption.recover_passphrase(journal_path, typed) == PASS
    with pytest.raises(WrongPassphraseError, match="does not fit"):
        encryption.recover_passphrase(journal_path, encryption.new_recovery_key())
    with pytest.raises(ValidationError, match="20 letters and digits"):
        encryption.recover_passphrase(journal_path, "ABCD")
    encryption.change_passphrase(journal_path, "after the recovery")
    with pytest.raises(Exception, match="no recovery key"):
        encryption.recover_passphrase(journal_path, key)


def test_without_sqlcipher_encryption_is_one_sentence(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(journal_path)
    monkeypatch.setattr(cipher, "_module", None)
    monkeypatch.setattr(cipher, "_missing", False)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # import fails as without a wheel
    before = digest(journal_path)
    assert not cipher.available()
    with pytest.raises(EncryptionUnavailableError, match="not available on this computer"):
        encryption.encrypt(journal_path, PASS)
    assert digest(journal_path) == before
    with Journal.open(journal_path) as journal:  # a plain journal works as ever
        assert journal.count_entries() == 1


def test_text_and_garbage_are_not_taken_for_an_encrypted_journal(tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("just some words\n" * 256)
    assert not cipher.is_encrypted(text)
    assert not cipher.is_encrypted(tmp_path / "missing.sqlite3")


# --- kill -9 at any moment ----------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from mbc_journal.db import cipher, encryption
    path = Path(sys.argv[1])
    passes = ["first passphrase", "second passphrase"]
    for p in passes:
        cipher.remember(p)
    print("ready", flush=True)
    n = 0
    current = 0
    while True:
        n += 1
        if not cipher.is_encrypted(path):
            current = n % 2
            encryption.encrypt(path, passes[current])
        elif n % 3 == 0:
            encryption.decrypt(path)
        else:
            current = 1 - current
            try:
                encryption.change_passphrase(path, passes[current])
            except Exception:  # that one is in use already (a kill came between)
                current = 1 - current
    """
)


@pytest.mark.slow
def test_kill_9_during_encrypt_decrypt_or_passphrase_change_never_loses_the_journal(
    journal_path: Path, tmp_path: Path
) -> None:
    filled(journal_path)
    with Journal.open(journal_path) as journal:
        for n in range(40):
            journal.add_entry(journal.draft("fatigue", n % 11), day=journal.first_day())
    operations.backup(journal_path)
    expected = 2
    rng = random.Random(19)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for _round in range(12):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(journal_path)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        cipher.forget_all()
        for p in ("first passphrase", "second passphrase"):
            cipher.remember(p)
        with Journal.open(journal_path) as journal:
            assert journal.count_entries() == expected
            assert journal.check().ok
        for kept in backup.folder_for(journal_path).glob("*.sqlite3"):
            backup.verify(kept)
    leftovers = [p.name for p in tmp_path.iterdir() if ".converting" in p.name]
    assert leftovers == [] or all(not p.endswith("-wal") for p in leftovers)


def test_a_full_disk_while_rewriting_backups_changes_nothing(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every backup is written anew before anything is replaced: no room for one, and
    the journal and all its backups stay as they were (never an encrypted journal
    beside plain backups)."""
    from mbc_journal.errors import DiskFullError

    filled(journal_path)
    info = operations.backup(journal_path)
    before = digest(journal_path)
    real = backup.copy_verified

    def full_for_backups(source: Path, dest: Path, key: object = "same") -> None:
        if dest.name.endswith(".rekey"):
            raise DiskFullError("The disk is full, so this was not done.")
        real(source, dest, key)  # type: ignore[arg-type]

    monkeypatch.setattr(backup, "copy_verified", full_for_backups)
    with pytest.raises(DiskFullError):
        encryption.encrypt(journal_path, PASS)
    assert digest(journal_path) == before and not cipher.is_encrypted(journal_path)
    assert not cipher.is_encrypted(info.path)
    assert sorted(p.name for p in journal_path.parent.iterdir() if "convert" in p.name) == []
    assert list(backup.folder_for(journal_path).glob("*.rekey*")) == []


def test_killed_between_the_journal_and_its_backups_the_next_open_finishes(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A passphrase change killed after the journal was replaced, before its backups:
    their verified copies under the new passphrase are put in place at the next open,
    so no backup stays under the old (perhaps leaked) passphrase."""
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    info = operations.backup(journal_path)
    with monkeypatch.context() as patched:
        patched.setattr(encryption, "_swap_prepared", lambda _path: None)  # the kill
        encryption.change_passphrase(journal_path, "the new passphrase")
    cipher.forget_all()
    cipher.remember("the new passphrase")  # a new process knows only the new one
    with pytest.raises(PassphraseNeededError):
        backup.verify(info.path)
    encryption.finish(journal_path)
    backup.verify(info.path)
    assert list(backup.folder_for(journal_path).glob("*.rekey*")) == []


def test_a_damaged_first_page_says_damaged_not_wrong_passphrase(journal_path: Path) -> None:
    """The passphrase opens the journal's backups (the same key), so a journal it does
    not open is damaged; the app says so and the backup restores."""
    from mbc_journal.errors import CorruptJournalError

    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    good = operations.backup(journal_path)
    data = bytearray(journal_path.read_bytes())
    data[500] ^= 0xFF
    journal_path.write_bytes(bytes(data))
    cipher.forget_all()
    with pytest.raises(WrongPassphraseError):
        encryption.unlock(journal_path, "not the passphrase")
    encryption.unlock(journal_path, PASS)
    with pytest.raises(CorruptJournalError, match="damaged"):
        Journal.open(journal_path)
    operations.restore(journal_path, good.path)
    with Journal.open(journal_path) as journal:
        assert [e.note for e in journal.entries()] == [NOTE]
    assert cipher.is_encrypted(journal_path)


def test_what_a_killed_conversion_left_is_put_right_at_the_next_open(
    journal_path: Path,
) -> None:
    """A plain copy left beside an encrypted journal goes; backups left encrypted beside
    a plain journal (a killed decrypt) become plain when the passphrase is known."""
    filled(journal_path)
    kept = operations.backup(journal_path)
    encryption.encrypt(journal_path, PASS)
    leftover = encryption.converting_path(journal_path)
    backup.copy_verified(journal_path, leftover, None)  # a plain copy, as decrypt makes
    assert plain_bytes_in(leftover)
    encryption.finish(journal_path)
    assert not leftover.exists()
    # decrypt killed after the journal, before the backups
    backup.copy_verified(journal_path, leftover, None)
    backup.swap_in(leftover, journal_path)
    assert not cipher.is_encrypted(journal_path) and cipher.is_encrypted(kept.path)
    encryption.finish(journal_path)  # the passphrase is known in this process
    assert not cipher.is_encrypted(kept.path)
    backup.verify(kept.path)


def test_changing_to_the_passphrase_in_use_is_refused(journal_path: Path) -> None:
    filled(journal_path)
    encryption.encrypt(journal_path, PASS)
    before = digest(journal_path)
    with pytest.raises(ValidationError, match="in use now"):
        encryption.change_passphrase(journal_path, PASS)
    assert digest(journal_path) == before


def test_a_passphrase_is_the_same_in_either_unicode_form(journal_path: Path) -> None:
    import unicodedata

    filled(journal_path)
    composed = unicodedata.normalize("NFC", "Über grüne Brücken")
    encryption.encrypt(journal_path, composed)
    cipher.forget_all()
    cipher.unlock(journal_path, unicodedata.normalize("NFD", composed))
