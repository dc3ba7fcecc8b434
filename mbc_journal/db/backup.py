"""Backups: SQLite's online backup API, verified, rotated, owner-only.

A backup is only trusted after ``PRAGMA integrity_check`` says ok; a backup
that fails the check is deleted at once, so it can never push a good one out
of the rotation. Restoring first keeps a backup of the journal as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mbc_journal import paths
from mbc_journal.db import cipher, version
from mbc_journal.db.version import tidy
from mbc_journal.errors import (
    CorruptJournalError,
    JournalError,
    PassphraseNeededError,
    is_damage,
    storage_error,
)
from mbc_journal.wording import plural

KEEP_DAILY = 7
KEEP_WEEKLY = 8
STAMP = "%Y%m%d-%H%M%S"
# One backup, rotation or restore at a time in this process: the app makes its
# automatic backups off the GUI thread, and closing makes one of its own.
_ONE_AT_A_TIME = threading.RLock()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    entries: int
    reason: str

    @property
    def label(self) -> str:
        count = (
            plural(self.entries, "entry")
            if self.entries >= 0
            else "encrypted under another passphrase"
            if self.entries == -2
            else "unreadable"
        )
        return f"{self.created:%a %d %b %Y %H:%M} — {count} ({self.reason})"


def folder_for(journal_path: Path) -> Path:
    """Each journal has its own backup folder (a caregiver may keep two journals)."""
    key = hashlib.sha256(str(journal_path.resolve()).encode()).hexdigest()[:10]
    return paths.ensure_private_dir(paths.backups_dir() / f"{journal_path.stem}-{key}")


def same_key(source: Path) -> str | None:
    """The key a copy of ``source`` is written with: its own key and salt when it is
    encrypted (so its backups open with its passphrase), None (plain) when not."""
    if not cipher.is_encrypted(source):
        return None
    return cipher.with_salt(cipher.key_for(source), cipher.salt_of(source))


def copy_verified(source: Path, dest: Path, key: str | None | Literal["same"] = "same") -> None:
    """Copy a live journal into ``dest`` (written beside, then renamed), verified.
    A plain journal is copied with SQLite's backup API; an encrypted one, or a copy
    to be written with another ``key`` (a raw key literal, or None for plain), with
    SQLCipher's export."""
    temp = dest.with_name(dest.name + ".part")
    temp.unlink(missing_ok=True)
    fd = os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)
    literal = same_key(source) if key == "same" else key
    try:
        if literal is None and not cipher.is_encrypted(source):
            _backup_api(source, temp)
        else:
            cipher.export_copy(source, temp, literal)
        dst = cipher.connect(temp)
        try:
            if literal is None:
                dst.execute("PRAGMA journal_mode = DELETE")
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    except cipher.errors() as error:
        _unlink_with_side_files(temp)
        if not is_damage(error):  # a full disk is a full disk, not a bad backup
            raise storage_error(error, dest) from error
        ok = str(error)
    except BaseException:
        _unlink_with_side_files(temp)
        raise
    if ok != "ok":
        _unlink_with_side_files(temp)
        raise CorruptJournalError("The backup failed its integrity check and was not kept.")
    os.chmod(temp, 0o600)
    os.replace(temp, dest)


def _backup_api(source: Path, temp: Path) -> None:
    src = version.read_only_connection(source)
    dst = sqlite3.connect(temp)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()


def _unlink_with_side_files(path: Path) -> None:
    """A failed copy and what SQLite made beside it (-wal, -shm, -journal)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _remove_stale_parts(folder: Path, older_than_s: float = 600) -> None:
    """``.part`` files an interrupted backup left behind (a crash, a kill)."""
    for part in [*folder.glob("*.part"), *folder.glob("*.part-*")]:
        try:
            if time.time() - part.stat().st_mtime >= older_than_s:
                part.unlink()
        except OSError:
            continue


def fingerprint(journal_path: Path) -> str:
    """Changes whenever anything in the journal changes (counts and last update times)."""
    connection = version.read_only_connection(journal_path)
    try:
        parts = []
        for table in (
            "entries",
            "day_notes",
            "settings",
            "custom_items",
            "treatments",
            "appointments",
            "questions",
            "results",
            "signal_acks",
        ):
            try:
                row = connection.execute(
                    f"SELECT COUNT(*), {_latest(table)} FROM {table}"
                ).fetchone()
            except cipher.errors():
                continue  # an older schema without that table
            parts.append(f"{table}:{row[0]}:{row[1]}")
    finally:
        connection.close()
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _latest(table: str) -> str:
    column = {
        "settings": "length(group_concat(value))",
        "custom_items": "MAX(created_at)",
        "signal_acks": "MAX(acknowledged_at)",
    }.get(table, "MAX(updated_at)")
    return column


def make_backup(
    journal_path: Path,
    reason: str = "automatic",
    *,
    folder: Path | None = None,
    now: dt.datetime | None = None,
) -> BackupInfo:
    from filelock import FileLock

    folder = folder or folder_for(journal_path)
    # One backup at a time into a folder, across processes (the app and a command): while
    # this is held no other backup is writing there, so every .part is a dead one.
    with _ONE_AT_A_TIME, FileLock(str(folder / ".backing-up.lock"), mode=0o600):
        now = now or dt.datetime.now()
        _remove_stale_parts(folder, older_than_s=0)
        dest = folder / f"{now.strftime(STAMP)}-{reason}.sqlite3"
        n = 1
        while dest.exists():
            n += 1
            dest = folder / f"{now.strftime(STAMP)}-{reason}-{n}.sqlite3"
        try:
            copy_verified(journal_path, dest)
            _state(folder, {"fingerprint": fingerprint(journal_path)})
        finally:
            tidy(journal_path)  # read-only connections leave -wal and -shm behind
        return describe(dest)


def backup_if_changed(
    journal_path: Path, *, folder: Path | None = None, now: dt.datetime | None = None
) -> BackupInfo | None:
    """The automatic backup: only when the journal changed since the last one; then rotate."""
    with _ONE_AT_A_TIME:
        folder = folder or folder_for(journal_path)
        current = fingerprint(journal_path)
        if _read_state(folder).get("fingerprint") == current:
            return None
        info = make_backup(journal_path, "automatic", folder=folder, now=now)
        rotate(folder, now=now)
        return info


def rotate(folder: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Keep every backup of today, the newest of each of the last 7 days, and the
    newest of each of the last 8 weeks; 'before-...' safety copies are kept 8 weeks."""
    now = now or dt.datetime.now()
    backups = sorted(list_backups_in(folder), key=lambda b: b.created, reverse=True)
    keep: set[Path] = set()
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for b in backups:
        day = b.created.date()
        week = tuple(day.isocalendar())[:2]
        age = (now.date() - day).days
        if age <= 0 or (b.reason != "automatic" and age <= 7 * KEEP_WEEKLY):
            keep.add(b.path)
        if day not in days and len(days) < KEEP_DAILY:
            days.add(day)
            keep.add(b.path)
        if week not in weeks and len(weeks) < KEEP_WEEKLY:
            weeks.add(week)  # type: ignore[arg-type]
            keep.add(b.path)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def describe(path: Path) -> BackupInfo:
    stem = path.stem
    try:
        created = dt.datetime.strptime(stem[:15], STAMP)
        reason = stem[16:] or "manual"
    except ValueError:
        created = dt.datetime.fromtimestamp(path.stat().st_mtime)
        reason = "copied in"
    return BackupInfo(path, created, _count_entries(path), reason.rstrip("-0123456789") or reason)


def _count_entries(path: Path) -> int:
    try:
        connection = version.read_only_connection(path)
        try:
            return int(
                connection.execute(
                    "SELECT COUNT(*) FROM entries WHERE deleted_at IS NULL"
                ).fetchone()[0]
            )
        finally:
            connection.close()
    except PassphraseNeededError:
        return -2  # encrypted under a passphrase not given
    except cipher.errors() + (JournalError,):
        return -1


def list_backups_in(folder: Path) -> list[BackupInfo]:
    if not folder.is_dir():
        return []
    return [describe(p) for p in sorted(folder.glob("*.sqlite3"))]


def list_backups(journal_path: Path) -> list[BackupInfo]:
    """This journal's backups, newest first."""
    return sorted(list_backups_in(folder_for(journal_path)), key=lambda b: b.created, reverse=True)


def verify(path: Path) -> None:
    """A file fit to restore: an MBC Journal of a known version that passes integrity_check."""
    path = paths.check_input_file(path, "a backup file")
    if path.stat().st_size == 0:
        raise CorruptJournalError(f"{path.name} is empty; it is not a usable backup.")
    state = version.probe(path)  # refuses other files and newer versions
    if state.revision is None:
        raise CorruptJournalError(f"{path.name} is not an MBC Journal backup.")
    connection = version.read_only_connection(path)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except cipher.errors() as error:
        raise CorruptJournalError(f"{path.name} is damaged ({error}).") from error
    finally:
        connection.close()
    if result != "ok":
        raise CorruptJournalError(f"{path.name} is damaged; it was not restored.")


def newest_good(journal_path: Path) -> BackupInfo | None:
    for info in list_backups(journal_path):
        try:
            verify(info.path)
        except JournalError:
            continue
        return info
    return None


def restore(journal_path: Path, backup_path: Path) -> BackupInfo | None:
    """Replace the journal's contents with the backup's. The journal as it was is
    backed up first (when it is readable), so a restore can itself be undone."""
    with _ONE_AT_A_TIME:
        return _restore(journal_path, backup_path)


def _restore(journal_path: Path, backup_path: Path) -> BackupInfo | None:
    verify(backup_path)
    # An encrypted journal stays encrypted with its own passphrase whatever the backup
    # is; a plain one takes the backup as it is (an encrypted backup stays encrypted).
    journal_encrypted = journal_path.exists() and cipher.is_encrypted(journal_path)
    key = same_key(journal_path) if journal_encrypted else "same"
    # The restored journal is made whole beside the journal first: a full disk stops
    # here, with nothing changed.
    part = journal_path.with_name(journal_path.name + ".restoring")
    try:
        copy_verified(backup_path, part, key)
        safety = None
        if _damaged(journal_path):
            set_aside(journal_path)
            os.replace(part, journal_path)
        else:
            if journal_path.exists():
                safety = make_backup(journal_path, "before-restore")
            if journal_encrypted or cipher.is_encrypted(part):
                swap_in(part, journal_path)
            else:
                _copy_into(part, journal_path)
    except OSError as error:
        raise storage_error(error, journal_path) from error
    finally:
        _unlink_with_side_files(part)
    return safety


def swap_in(new: Path, journal_path: Path, *, checkpoint: bool = True) -> None:
    """Put the whole, verified file ``new`` in the journal's place in one rename (the
    journal's lock held, nothing else has it open): a crash leaves the old file or the
    new one, never a mix. What -wal held is put into the old file first, so the -wal
    and -shm left beside it are empty and go; the new file never sees them."""
    if checkpoint and journal_path.exists():  # (a backup has no -wal: never opened so)
        connection = cipher.connect(journal_path, isolation_level=None)
        try:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            connection.close()
    wal = Path(f"{journal_path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise JournalError(
            f"The journal {journal_path.name} is still in use by another program; close it "
            f"and try again. Nothing was changed."
        )
    for suffix in ("-wal", "-shm"):
        Path(f"{journal_path}{suffix}").unlink(missing_ok=True)
    fsync(new)
    os.replace(new, journal_path)
    fsync(journal_path.parent)


def fsync(path: Path) -> None:
    """The file (or the folder's new name for it) on the disk before going on."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() and hasattr(os, "O_DIRECTORY") else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # Windows cannot open a folder; its rename is durable enough
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _damaged(journal_path: Path) -> bool:
    """True only for a journal SQLite finds damaged. A journal that cannot be checked
    (full disk, no permission) or is another program's file raises instead: restore
    never sets aside what it could not judge."""
    if not journal_path.exists():
        return False
    wal = Path(f"{journal_path}-wal")
    if journal_path.stat().st_size == 0:
        # Nothing in the file; whatever -wal holds is kept aside with it.
        return wal.exists() and wal.stat().st_size > 0
    try:
        version.probe(journal_path)
    except CorruptJournalError:
        return True
    return version.quick_check(journal_path) != "ok"


def set_aside(journal_path: Path) -> Path:
    """Keep a damaged journal whole: the file with its -wal and -shm, renamed together."""
    aside = journal_path.with_name(f"{journal_path.name}.damaged-{dt.datetime.now():{STAMP}}")
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{journal_path}{suffix}")
        if source.exists():
            os.replace(source, f"{aside}{suffix}")
    return aside


def _copy_into(source: Path, journal_path: Path) -> None:
    """Replace a readable journal's contents in one SQLite transaction (the backup API
    into the live file): if anything fails, the journal is as it was."""
    if not journal_path.exists():
        paths.create_private_file(journal_path)
    src = version.read_only_connection(source)
    dst = sqlite3.connect(journal_path, timeout=5.0)
    try:
        src.backup(dst)
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    except cipher.errors() as error:
        raise storage_error(error, journal_path) from error
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        raise CorruptJournalError("The restored journal failed its integrity check.")


def _state(folder: Path, values: dict[str, str]) -> None:
    path = folder / "state.json"
    temp = folder / "state.json.part"
    temp.write_text(json.dumps(values))
    os.chmod(temp, 0o600)
    os.replace(temp, path)


def _read_state(folder: Path) -> dict[str, str]:
    try:
        return dict(json.loads((folder / "state.json").read_text()))
    except (OSError, ValueError):
        return {}
