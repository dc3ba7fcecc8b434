"""Turning encryption on and off, changing the passphrase, and the recovery key.

Each change writes a whole new copy of the journal beside it (``sqlcipher_export``),
verifies it (integrity check, and every table holds the same number of rows), and
only then renames it over the journal. A crash or kill at any moment leaves the old
journal or the new one whole, never a mix: the rename is atomic. Then every backup
of the journal is rewritten the same way, so no plain copy of an encrypted journal
stays in its backups folder, and backups open with the current passphrase.

The caller holds the journal's lock and has closed its own connections.

The recovery key: a random key of 20 letters and digits (about 100 bits), shown once to
be printed or written down. A small SQLCipher file beside the journal
(``<journal>.recovery``), encrypted with that key, holds the passphrase; with the key
the passphrase can be read back and a new one set. Without the file or the key, a
forgotten passphrase cannot be recovered by anyone.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from mbc_journal.db import backup, cipher
from mbc_journal.errors import (
    CorruptJournalError,
    JournalError,
    NotFoundError,
    PassphraseNeededError,
    ValidationError,
    WrongPassphraseError,
)

RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to copy by hand
RECOVERY_LENGTH = 20


@dataclass(frozen=True)
class Converted:
    backups: int  # backups rewritten with the new key (or plain)
    skipped: int  # backups under a passphrase not known here, left as they are
    failed: str = ""  # why some backups could not be rewritten now (a full disk…)
    not_rewritten: int = 0  # how many


def recovery_path(journal_path: Path) -> Path:
    return Path(f"{journal_path}.recovery")


def converting_path(journal_path: Path) -> Path:
    return Path(f"{journal_path}.converting")


def encrypt(journal_path: Path, passphrase: str) -> Converted:
    """Encrypt a plain journal with ``passphrase``."""
    if cipher.is_encrypted(journal_path):
        raise ValidationError(
            f"The journal {journal_path.name} is already encrypted; to change its "
            f"passphrase use 'mbc-journal passphrase change'."
        )
    _check_new(passphrase)
    return _convert(journal_path, passphrase)


def decrypt(journal_path: Path) -> Converted:
    """Store the journal unencrypted again (its passphrase must be known)."""
    if not cipher.is_encrypted(journal_path):
        raise ValidationError(f"The journal {journal_path.name} is not encrypted.")
    cipher.key_for(journal_path)  # one sentence if the passphrase is not known
    done = _convert(journal_path, None)
    recovery_path(journal_path).unlink(missing_ok=True)
    return done


def change_passphrase(journal_path: Path, passphrase: str) -> Converted:
    """Re-encrypt the journal and its backups under a new passphrase. The old recovery
    key stops working (its file is removed); make a new one."""
    if not cipher.is_encrypted(journal_path):
        raise ValidationError(
            f"The journal {journal_path.name} is not encrypted; to encrypt it use "
            f"'mbc-journal encrypt'."
        )
    _check_new(passphrase)
    cipher.key_for(journal_path)
    try:
        cipher.key_for(journal_path, passphrase)
    except PassphraseNeededError:
        pass
    else:
        raise ValidationError("That is the passphrase in use now; choose another one.")
    done = _convert(journal_path, passphrase)
    recovery_path(journal_path).unlink(missing_ok=True)
    return done


def _check_new(passphrase: str) -> None:
    cipher.check_passphrase_text(passphrase)
    problem = cipher.new_passphrase_problem(passphrase)
    if problem:
        raise ValidationError(problem)


def _convert(journal_path: Path, passphrase: str | None) -> Converted:
    """The journal and every backup it can read are written anew, beside themselves, and
    verified before anything is replaced: a full disk stops here with nothing changed.
    Then the journal's copy is renamed over it, then each backup's. Killed after the
    journal's rename, the backups' verified copies (``.rekey``) are still there, in the
    journal's new form, and the next open that holds the lock puts them in place."""
    if not journal_path.is_file():
        raise NotFoundError(f"There is no journal at {journal_path}.")
    cipher.module()  # one sentence where SQLCipher is not installed
    literal = cipher.new_key(passphrase) if passphrase is not None else None
    part = converting_path(journal_path)
    remove_leftovers(journal_path)
    try:
        backup.copy_verified(journal_path, part, literal)
        _same_rows(journal_path, part)
        prepared, skipped = _prepare_backups(journal_path, literal)
        backup.swap_in(part, journal_path)
    except BaseException:
        remove_leftovers(journal_path)
        raise
    finally:
        _remove(part)
    if passphrase is not None:
        cipher.remember(passphrase)
    _swap_prepared(journal_path)
    return Converted(prepared, skipped)


def _rekey_path(path: Path) -> Path:
    return path.with_name(path.name + ".rekey")


def _prepare_backups(journal_path: Path, literal: str | None) -> tuple[int, int]:
    """Each backup written again beside itself under ``literal`` (None: plain). One under
    a passphrase not known here is left as it is (counted)."""
    prepared = skipped = 0
    for path in sorted(backup.folder_for(journal_path).glob("*.sqlite3")):
        try:
            backup.copy_verified(path, _rekey_path(path), literal)
            prepared += 1
        except PassphraseNeededError:
            skipped += 1
    return prepared, skipped


def _same_form(path: Path, journal_path: Path) -> bool:
    """Plain both, or encrypted both with the journal's key (its salt)."""
    if cipher.is_encrypted(journal_path):
        return cipher.is_encrypted(path) and cipher.salt_of(path) == cipher.salt_of(journal_path)
    return not cipher.is_encrypted(path)


def _swap_prepared(journal_path: Path) -> None:
    for rekey in sorted(backup.folder_for(journal_path).glob("*.sqlite3.rekey")):
        if _same_form(rekey, journal_path):
            target = rekey.with_name(rekey.name.removesuffix(".rekey"))
            backup.swap_in(rekey, target, checkpoint=False)
        else:
            rekey.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    for suffix in ("", ".part", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _same_rows(old: Path, new: Path) -> None:
    """Every table of ``new`` holds as many rows as in ``old``."""
    counts = []
    for path in (old, new):
        connection = cipher.connect(path)
        try:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            counts.append(
                {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
            )
        finally:
            connection.close()
    if counts[0] != counts[1]:
        raise CorruptJournalError(
            "The converted copy did not match the journal, so it was not used; "
            "the journal is as it was."
        )


def convert_backups(journal_path: Path) -> Converted:
    """Rewrite the journal's backups in the journal's own form: encrypted with its key,
    or plain. Also run when an encrypted journal opens, so a conversion stopped half-way
    (a crash) never leaves a plain backup of an encrypted journal."""
    target = backup.same_key(journal_path)  # None for a plain journal
    folder = backup.folder_for(journal_path)
    done = skipped = not_rewritten = 0
    failed = ""
    for path in sorted(folder.glob("*.sqlite3")):
        encrypted = cipher.is_encrypted(path)
        if not encrypted and target is None:
            continue
        if (
            encrypted
            and target is not None
            and cipher.salt_of(path) == cipher.salt_of(journal_path)
        ):
            try:
                cipher.key_for(path)
                continue  # already under the journal's key
            except PassphraseNeededError:
                pass
        try:
            rewrite = path.with_name(path.name + ".rekey")
            backup.copy_verified(path, rewrite, target)
            backup.swap_in(rewrite, path, checkpoint=False)
            done += 1
        except PassphraseNeededError:
            skipped += 1  # under a passphrase not known here: kept as it is
        except JournalError as error:  # a full disk: each one stays whole as it was
            failed = str(error)
            not_rewritten += 1
    return Converted(done, skipped, failed, not_rewritten)


def finish(journal_path: Path) -> None:
    """At an open that holds the journal's lock (so no conversion is running): what a
    conversion stopped half-way (a crash, a full disk) left behind is put right. Its
    leftover copies go (one may be a plain copy of an encrypted journal); backups of an
    encrypted journal left plain or under an old passphrase are rewritten under its key,
    and backups of a plain journal left encrypted are made plain where a passphrase for
    them is known. Backups it cannot read stay as they are."""
    remove_leftovers(journal_path)
    _swap_prepared(journal_path)
    folder = backup.folder_for(journal_path)
    kept = list(folder.glob("*.sqlite3"))
    if cipher.is_encrypted(journal_path):
        salt = cipher.salt_of(journal_path)
        if any(not cipher.is_encrypted(p) or cipher.salt_of(p) != salt for p in kept):
            convert_backups(journal_path)
    elif cipher.available() and any(cipher.is_encrypted(p) for p in kept):
        convert_backups(journal_path)


def remove_leftovers(journal_path: Path) -> list[Path]:
    """Copies a killed conversion left: ``.converting`` beside the journal, a half-written
    recovery file, half-written ``.rekey`` copies of backups, and whole ones not in the
    journal's form (the conversion did not reach the journal). The caller holds the
    lock. Whole ``.rekey`` copies in the journal's form stay: ``finish`` puts them in
    place."""
    folder = backup.folder_for(journal_path)
    found = [
        *journal_path.parent.glob(f"{journal_path.name}.converting*"),
        *journal_path.parent.glob(f"{journal_path.name}.recovery.part*"),
        *folder.glob("*.sqlite3.rekey.part*"),
        *folder.glob("*.sqlite3.rekey-*"),
        *(p for p in folder.glob("*.sqlite3.rekey") if not _same_form(p, journal_path)),
    ]
    for path in found:
        path.unlink(missing_ok=True)
    return found


def unlock(journal_path: Path, passphrase: str) -> None:
    """Check the passphrase against the journal and keep it. A passphrase that opens a
    backup with the journal's own key but not the journal means the journal's first page
    is damaged, not that the passphrase is wrong: it is kept, and opening the journal
    then says "damaged" and offers the backups."""
    try:
        cipher.unlock(journal_path, passphrase)
        return
    except WrongPassphraseError:
        if not _opens_a_backup(journal_path, passphrase):
            raise
    cipher.trust(journal_path, passphrase)


def _opens_a_backup(journal_path: Path, passphrase: str) -> bool:
    salt = cipher.salt_of(journal_path)
    for path in backup.folder_for(journal_path).glob("*.sqlite3"):
        if cipher.is_encrypted(path) and cipher.salt_of(path) == salt:
            try:
                cipher.key_for(path, passphrase)
                return True
            except WrongPassphraseError:
                return False  # same key for all of them
    return False


def plain_backups(journal_path: Path) -> list[Path]:
    """Backups of an encrypted journal still stored plain (none after a conversion)."""
    if not cipher.is_encrypted(journal_path):
        return []
    folder = backup.folder_for(journal_path)
    return [p for p in sorted(folder.glob("*.sqlite3")) if not cipher.is_encrypted(p)]


# --- the recovery key ------------------------------------------------------------


def new_recovery_key() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def _normal(recovery_key: str) -> str:
    """The key as typed, read kindly: any case, spaces or dashes, O for 0 and I for 1."""
    text = "".join(c for c in recovery_key.upper() if c.isalnum())
    text = text.replace("0", "O").replace("1", "I")
    if len(text) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in text):
        raise ValidationError(
            f"A recovery key is {RECOVERY_LENGTH} letters and digits in groups of four "
            f"(like ABCD-EFGH-JKLM-NPQR-STUV); check what was typed."
        )
    return "-".join(text[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def make_recovery_key(journal_path: Path, passphrase: str) -> str:
    """A new recovery key for the encrypted journal; the old one stops working."""
    cipher.key_for(journal_path, passphrase)  # the passphrase must open it
    key = new_recovery_key()
    dbapi = cipher.module()
    path = recovery_path(journal_path)
    part = Path(f"{path}.part")
    _remove(part)
    fd = os.open(part, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        connection = dbapi.connect(str(part), isolation_level=None)
        try:
            connection.execute("PRAGMA key = " + _quote(key))
            connection.execute("CREATE TABLE recovery (passphrase TEXT NOT NULL)")
            connection.execute("INSERT INTO recovery VALUES (?)", (passphrase,))
        finally:
            connection.close()
        backup.fsync(part)
        os.replace(part, path)
        backup.fsync(path.parent)
    finally:
        _remove(part)
    return key


def recover_passphrase(journal_path: Path, recovery_key: str) -> str:
    """The journal's passphrase, read back with the recovery key."""
    path = recovery_path(journal_path)
    if not path.is_file():
        raise NotFoundError(
            f"There is no recovery key for {journal_path.name} (no {path.name} beside it); "
            f"without the passphrase the journal cannot be opened."
        )
    key = _normal(recovery_key)
    dbapi = cipher.module()
    connection = dbapi.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.execute("PRAGMA key = " + _quote(key))
        row = connection.execute("SELECT passphrase FROM recovery").fetchone()
    except dbapi.DatabaseError:
        raise WrongPassphraseError(
            "That recovery key does not fit this journal; check each group of four.", path
        ) from None
    finally:
        connection.close()
    passphrase = str(row[0])
    try:
        cipher.key_for(journal_path, passphrase)
    except WrongPassphraseError:
        raise WrongPassphraseError(
            "The recovery key is from before the passphrase was last changed, so it no longer "
            "opens the journal.",
            path,
        ) from None
    return passphrase


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
