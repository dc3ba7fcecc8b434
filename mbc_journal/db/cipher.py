"""Optional encryption at rest: SQLCipher 4 through the ``sqlcipher3`` wheel.

An encrypted journal is a standard SQLCipher 4 file (AES-256, a page HMAC, the key
derived from the passphrase with PBKDF2-HMAC-SHA512 and 256 000 iterations over the
file's own 16-byte salt, which is its first 16 bytes). Anyone with SQLCipher 4 and the
passphrase can open it.

Passphrases live only in this process's memory (``remember``). Every connection to a
journal or backup goes through ``connect``: a plain file opens with Python's sqlite3
as always; an encrypted one with SQLCipher, keyed with the raw key derived here once
per salt (so listing ten backups does not pay for ten key derivations). Backups of an
encrypted journal are written with the journal's own key and salt, so one derivation
serves the journal and all its backups.

Nothing here ever writes a passphrase or a key anywhere but to SQLite's ``PRAGMA key``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

from mbc_journal.errors import (
    EncryptionUnavailableError,
    PassphraseNeededError,
    WrongPassphraseError,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
KDF_ITERATIONS = 256_000  # SQLCipher 4's default
SALT_BYTES = 16
KEY_BYTES = 32
ENV_PASSPHRASE = "MBC_JOURNAL_PASSPHRASE"

_lock = threading.RLock()
_passphrases: list[str] = []  # newest first
_derived: dict[tuple[str, bytes], bytes] = {}
_working: dict[bytes, str] = {}  # salt -> the key literal known to open files with that salt
_module: ModuleType | None = None
_missing = False


def module() -> ModuleType:
    """sqlcipher3's DB-API module, or one sentence where it cannot be installed."""
    global _module, _missing
    if _module is None:
        if _missing:
            raise EncryptionUnavailableError(_UNAVAILABLE)
        try:
            from sqlcipher3 import dbapi2
        except ImportError:
            _missing = True
            raise EncryptionUnavailableError(_UNAVAILABLE) from None
        _module = dbapi2
        quiet = dbapi2.connect(":memory:")
        try:  # SQLCipher logs a failed key to stderr; a wrong passphrase is ours to say
            quiet.execute("PRAGMA cipher_log_level = NONE")
        finally:
            quiet.close()
    return _module


_UNAVAILABLE = (
    "Encryption is not available on this computer (the SQLCipher library, sqlcipher3, "
    "could not be installed here); the journal works unencrypted."
)


def available() -> bool:
    try:
        module()
    except EncryptionUnavailableError:
        return False
    return True


def errors() -> tuple[type[BaseException], ...]:
    """The DB-API errors of both drivers, for ``except cipher.errors():``."""
    if _module is None:
        return (sqlite3.Error,)
    return (sqlite3.Error, _module.Error)


def is_encrypted(path: Path | str) -> bool:
    """True for an SQLCipher file: whole pages of what looks like random bytes, with no
    SQLite header. A text file or another program's garbage is not (it stays 'not a
    journal'), and neither is an empty or missing file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return False
    if len(head) < 1024 or size % 512 or head.startswith(SQLITE_MAGIC):
        return False
    return len(set(head)) > 160  # random bytes: ~250 distinct values in 1024


def remember(passphrase: str) -> None:
    """Keep a passphrase for this process (newest first)."""
    check_passphrase_text(passphrase)
    with _lock:
        if passphrase in _passphrases:
            _passphrases.remove(passphrase)
        _passphrases.insert(0, passphrase)


def forget_all() -> None:
    with _lock:
        _passphrases.clear()
        _derived.clear()
        _working.clear()


def check_passphrase_text(passphrase: str) -> None:
    from mbc_journal.errors import ValidationError

    if not passphrase:
        raise ValidationError("The passphrase is empty; type one.")
    if "\x00" in passphrase:
        raise ValidationError("The passphrase contains an invisible NUL character.")


def new_passphrase_problem(passphrase: str) -> str:
    """A sentence if a new passphrase is too weak to protect the journal, else ''."""
    if len(passphrase) < 8:
        return "Choose a passphrase of at least 8 characters (a few words are easy to remember)."
    if passphrase.strip() != passphrase:
        return "The passphrase starts or ends with a space; remove it, it is easy to forget."
    return ""


def derive(passphrase: str, salt: bytes) -> bytes:
    """SQLCipher 4's key derivation, done once per passphrase and salt. The passphrase is
    taken in Unicode's composed form (NFC), so "ü" typed as one character or as u and a
    combining mark is the same passphrase."""
    passphrase = unicodedata.normalize("NFC", passphrase)
    with _lock:
        key = _derived.get((passphrase, salt))
        if key is None:
            key = hashlib.pbkdf2_hmac(
                "sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES
            )
            _derived[(passphrase, salt)] = key
        return key


def key_literal(key: bytes, salt: bytes | None = None) -> str:
    """SQLCipher's raw key form (no derivation at open); with the salt, a new file
    made with it gets that salt."""
    return f"x'{key.hex()}{salt.hex() if salt else ''}'"


def salt_of(path: Path | str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_BYTES)


def _apply_key(connection: Any, literal: str) -> None:
    connection.execute(f'PRAGMA key = "{literal}"')


def _opens(path: Path, literal: str) -> bool:
    dbapi = module()
    connection = dbapi.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _apply_key(connection, literal)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except dbapi.DatabaseError:
        return False  # the wrong key, or a first page damaged: encryption.unlock tells which
    finally:
        connection.close()


def key_for(path: Path | str, passphrase: str | None = None) -> str:
    """The raw key literal that opens the encrypted file at ``path``: from ``passphrase``
    if given, else from the passphrases remembered in this process. One sentence when
    none is known (PassphraseNeededError) or none fits (WrongPassphraseError)."""
    path = Path(path)
    module()
    salt = salt_of(path)
    with _lock:
        if passphrase is None and salt in _working:
            return _working[salt]
        tries = [passphrase] if passphrase is not None else list(_passphrases)
    if not tries:
        raise PassphraseNeededError(
            f"The journal {path.name} is encrypted; its passphrase is needed to open it.",
            path,
        )
    for candidate in tries:
        literal = key_literal(derive(candidate, salt))
        if _opens(path, literal):
            with _lock:
                _working[salt] = literal
            return literal
    raise WrongPassphraseError(
        f"That passphrase does not open {path.name} (check the keyboard layout and Caps "
        f"Lock); nothing was changed.",
        path,
    )


def trust(path: Path | str, passphrase: str) -> None:
    """Use ``passphrase``'s key for files with ``path``'s salt without checking it on
    ``path`` itself (its first page is damaged: the key was checked on a backup)."""
    salt = salt_of(path)
    with _lock:
        _working[salt] = key_literal(derive(passphrase, salt))
    remember(passphrase)


def unlock(path: Path | str, passphrase: str) -> None:
    """Check ``passphrase`` against the encrypted file and remember it."""
    check_passphrase_text(passphrase)
    key_for(path, passphrase)
    remember(passphrase)


def connect(
    path: Path | str,
    *,
    uri: bool = False,
    timeout: float = 5.0,
    check_same_thread: bool = True,
    isolation_level: str | None = "",
    key_file: Path | None = None,
) -> Any:
    """A DB-API connection to ``path`` (a file name, or with ``uri`` a ``file:`` URI
    whose file is ``key_file``): Python's sqlite3 for a plain file, SQLCipher keyed for
    an encrypted one."""
    real = Path(key_file) if key_file is not None else Path(path)
    kwargs: dict[str, Any] = {
        "uri": uri,
        "timeout": timeout,
        "check_same_thread": check_same_thread,
    }
    if isolation_level != "":
        kwargs["isolation_level"] = isolation_level
    if not is_encrypted(real):
        return sqlite3.connect(path, **kwargs)
    literal = key_for(real)
    connection = module().connect(str(path), **kwargs)
    try:
        _apply_key(connection, literal)
        connection.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        connection.close()
        raise
    return connection


def new_key(passphrase: str) -> str:
    """The key literal, with a new random salt, for a new file under ``passphrase``."""
    salt = os.urandom(SALT_BYTES)
    literal = key_literal(derive(passphrase, salt), salt)
    with _lock:
        _working[salt] = key_literal(derive(passphrase, salt))
    return literal


def with_salt(literal: str, salt: bytes) -> str:
    """A file's key literal with its salt, so a copy made with it shares both."""
    return f"{literal[:-1]}{salt.hex()}'"


def export_copy(source: Path, dest: Path, literal: str | None) -> None:
    """Write the whole database at ``source`` (plain, or encrypted with a known key)
    into the new file ``dest``: encrypted with the key ``literal`` or, with None, plain.
    One read transaction, so a live journal is copied as of one moment; SQLCipher's
    backup API does not work on encrypted files, ``sqlcipher_export`` does."""
    dbapi = module()
    source_key = key_for(source) if is_encrypted(source) else None
    connection = dbapi.connect(
        f"{source.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=5.0
    )
    try:
        if source_key:
            _apply_key(connection, source_key)
        pragmas = {
            name: int(connection.execute(f"PRAGMA {name}").fetchone()[0])
            for name in ("user_version", "application_id")
        }
        connection.execute(
            "ATTACH DATABASE ? AS target KEY ?",
            (f"{dest.resolve().as_uri()}?mode=rwc", literal or ""),
        )
        try:
            connection.execute("BEGIN")
            connection.execute("SELECT sqlcipher_export('target')").fetchone()
            for name, value in pragmas.items():
                connection.execute(f"PRAGMA target.{name} = {value}")
            connection.execute("COMMIT")
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            connection.execute("DETACH DATABASE target")
    finally:
        connection.close()
