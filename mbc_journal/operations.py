"""The one door for whole-journal operations: import (with its backup), restore,
backups, export, the report and the demo.

The command line and the app call these and nothing below them, so both faces
check the same things in the same order: outputs never overwrite the journal or
its backups, a refused import makes no backup, a restore never discards a journal
it could not judge, and every backup is rotated.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mbc_journal import paths
from mbc_journal.db import backup as _backup
from mbc_journal.db import version as _version
from mbc_journal.db.lock import APP, COMMAND, JournalLock
from mbc_journal.db.version import tidy
from mbc_journal.errors import (
    CorruptJournalError,
    NotFoundError,
    ReadOnlyJournalError,
    ValidationError,
    output_error,
    storage_error,
)

if TYPE_CHECKING:
    from mbc_journal.exchange import Format, ImportReport
    from mbc_journal.journal import Journal
    from mbc_journal.report import ReportData

BackupInfo = _backup.BackupInfo
Progress = Callable[[float, str], None]

__all__ = [
    "APP",
    "COMMAND",
    "BackupInfo",
    "JournalLock",
    "automatic_backup",
    "backup",
    "backup_folder",
    "check_output",
    "export",
    "import_file",
    "list_backups",
    "make_demo",
    "newest_good",
    "open_for_reading",
    "refuse_other_files",
    "restore",
    "tidy_journal",
    "verify_backup",
    "write_report",
]


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links
        return False


def check_output(journal_path: Path, target: Path | str, example: str) -> Path:
    """A file an export, report or backup copy may write: never the journal itself,
    its -wal, -shm or lock file, and nothing inside its backups folder."""
    target = paths.check_output_file(target, example)
    journal_path = Path(journal_path)
    protected = [journal_path, *(Path(f"{journal_path}{s}") for s in ("-wal", "-shm", ".lock"))]
    if any(_same(target, p) for p in protected):
        raise ValidationError(
            f"{target.name} is the journal itself (or one of its working files); choose "
            f"another file name, such as {example}. Nothing was written."
        )
    folder = _backup.folder_for(journal_path).resolve()
    # Every journal's backups, too: the journal given by another name (a hard link) has
    # another folder of its own, but the same backups root.
    root = paths.backups_dir().resolve()
    where = target.resolve()
    if folder in (where.parent, *where.parents) or root in (where.parent, *where.parents):
        raise ValidationError(
            f"{target.parent} holds the journal's backups; choose another folder. "
            f"Nothing was written."
        )
    if _a_database_or_its_working_file(target):
        raise ValidationError(
            f"{target.name} is a database (perhaps another journal) or one of its working "
            f"files; it is never written over. Choose another file name, such as {example}. "
            f"Nothing was written."
        )
    return target


_SQLITE_HEADER = b"SQLite format 3\x00"
_WORKING_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")


def _a_database_or_its_working_file(target: Path) -> bool:
    """Any SQLite file (another journal, one open in the app, another program's), or the
    -wal, -shm, -journal or lock file beside one: an export written there would destroy
    it or break the lock that guards it."""
    try:
        if target.is_file():
            with target.open("rb") as file:
                if file.read(16) == _SQLITE_HEADER:
                    return True
    except OSError:
        return False
    name = str(target)
    return any(name.endswith(s) and Path(name[: -len(s)]).is_file() for s in _WORKING_SUFFIXES)


# --- opening -------------------------------------------------------------------------


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_for_reading(path: Path) -> Journal:
    """The journal for a command that only reads it (list, export, report, check).

    A journal that can be written opens as usual. One on a read-only disk or in a
    folder that cannot be written opens read-only: nothing is created beside it (no
    lock, no -wal, no -shm) and nothing in it changes. Only a journal that would need
    an upgrade cannot be read there (the upgrade writes)."""
    from mbc_journal.journal import Journal

    path = Path(path)
    if not path.exists() or _writable(path):
        return Journal.open(path, create=False)
    if path.stat().st_size == 0:
        raise CorruptJournalError(
            f"The journal {path} is empty (0 bytes); it may have been damaged. "
            f"Nothing was changed; restore a backup."
        )
    state = _version.probe(path)  # refuses other programs' files and newer versions
    if not state.is_current:
        raise ReadOnlyJournalError(
            f"The journal {path.name} was made by an older version of MBC Journal and "
            f"must be upgraded before it can be read, but its folder cannot be written; "
            f"open it once where it can be written. Nothing was changed."
        )
    result = _version.quick_check(path)
    if result != "ok":
        raise CorruptJournalError(
            f"The journal {path.name} is damaged; nothing was changed. Restore a backup."
        )
    from mbc_journal.db.engine import make_engine

    return Journal(path, make_engine(path, read_only=True))


def refuse_other_files(path: Path) -> None:
    """Before a command takes the journal's lock: another program's SQLite file or a
    journal of a newer version is refused here, so no lock file is ever made beside it.
    (A damaged journal passes: restore is what mends it.) A backup is refused too: it is
    kept as it was made, and is used by restoring it."""
    root = paths.backups_dir().resolve()
    try:
        where = path.resolve()
    except (OSError, RuntimeError):
        where = path
    if root in where.parents:
        raise ValidationError(
            f"{path.name} is a backup, kept as it was made; to use it, restore it "
            f"('mbc-journal restore \"{path}\"' or Settings › Backups). Nothing was changed."
        )
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        _version.probe(path)
    except CorruptJournalError:
        return


def tidy_journal(path: Path) -> None:
    """Remove the -wal and -shm a crash left beside one of our journals (SQLite folds
    -wal in first); another program's file is never touched."""
    try:
        refuse_other_files(path)
    except Exception:  # noqa: BLE001 - not ours, or not readable: leave it alone
        return
    if path.is_file():
        tidy(path)


# --- backups ---------------------------------------------------------------------------


def backup_folder(journal_path: Path) -> Path:
    return _backup.folder_for(journal_path)


def list_backups(journal_path: Path) -> list[BackupInfo]:
    return _backup.list_backups(journal_path)


def newest_good(journal_path: Path) -> BackupInfo | None:
    return _backup.newest_good(journal_path)


def verify_backup(path: Path) -> None:
    _backup.verify(path)


def _kept(journal_path: Path, reason: str) -> BackupInfo:
    """A backup in the journal's folder, then the folder rotated like the app's."""
    try:
        info = _backup.make_backup(journal_path, reason)
        _backup.rotate(_backup.folder_for(journal_path))
    except OSError as error:
        raise storage_error(error, journal_path) from error
    return info


def backup(journal_path: Path, output: Path | None = None) -> BackupInfo:
    """A manual backup into the backups folder, and also to ``output`` if given."""
    if not journal_path.exists():
        raise NotFoundError(f"There is no journal at {journal_path} to back up.")
    target = None if output is None else check_output(journal_path, output, "backup.sqlite3")
    try:
        info = _kept(journal_path, "manual")
        if target is not None:
            try:
                _backup.copy_verified(journal_path, target)
            except OSError as error:
                raise output_error(error, target) from error
            return _backup.BackupInfo(target, info.created, info.entries, info.reason)
        return info
    finally:
        tidy(journal_path)  # the copies read it through read-only connections


def automatic_backup(journal_path: Path, folder: Path | None = None) -> BackupInfo | None:
    """The app's backup at open and close: only when the journal changed; rotated."""
    try:
        return _backup.backup_if_changed(journal_path, folder=folder)
    except OSError as error:
        raise storage_error(error, journal_path) from error


def restore(journal_path: Path, backup_path: Path) -> BackupInfo | None:
    """Replace the journal with a backup. The journal as it is is backed up first; a
    damaged one is kept aside whole; one that cannot be judged stops the restore."""
    backup_path = Path(backup_path).expanduser()
    if _same(backup_path, journal_path):
        raise ValidationError("That file is the journal itself; choose a backup file.")
    safety = _backup.restore(journal_path, backup_path)
    _backup.rotate(_backup.folder_for(journal_path))
    return safety


# --- import and export -------------------------------------------------------------------


def import_file(journal: Journal, path: Path, progress: Progress | None = None) -> ImportReport:
    """Check the whole file; only if it passes, back up, then import in one transaction."""
    from mbc_journal import exchange

    report = progress or (lambda _f, _t: None)
    report(0.1, "Checking the file")
    plan = exchange.check_import(journal, Path(path).expanduser())
    if plan.is_empty:  # a header-only CSV, an export of an empty journal: no backup for it
        raise ValidationError(
            f"{Path(path).name} holds no entries or other records; nothing was imported."
        )
    report(0.5, "Backing up the journal")
    _kept(journal.path, "before-import")
    report(0.7, "Importing")
    result = exchange.apply_import(journal, plan)
    report(1.0, "Done")
    return result


def export(
    journal: Journal,
    fmt: Format | str,
    path: Path,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    from mbc_journal import exchange

    target = check_output(journal.path, path, f"export.{'json' if fmt != 'csv' else 'csv'}")
    try:
        return exchange.export(
            journal, fmt, target, date_from=date_from, date_to=date_to, progress=progress
        )
    except OSError as error:
        raise output_error(error, target) from error


def write_report(
    journal_path: Path, data: ReportData, path: Path, progress: Progress | None = None
) -> int:
    """Write the follow-up PDF of the journal at ``journal_path``; returns its pages."""
    from mbc_journal import report

    target = check_output(journal_path, path, "report.pdf")
    try:
        return report.write_pdf(data, target, progress)
    except OSError as error:
        raise output_error(error, target) from error


# --- the demo --------------------------------------------------------------------------------


def make_demo(path: Path, *, days: int = 120, replace: bool = True) -> Journal:
    """The demo journal (invented data), made anew when ``replace``; else ``path`` must be
    a new, empty journal."""
    from mbc_journal import demo
    from mbc_journal.journal import Journal

    if not 1 <= days <= demo.MAX_DAYS:  # before anything is deleted
        raise ValidationError(
            f"The demo can cover 1 to {demo.MAX_DAYS} days (20 years), not {days}."
        )
    path = Path(path)
    if not replace and path.exists():
        with Journal.open(path) as existing:  # refused before any work, as generate would
            if existing.count_entries(include_deleted=True) > 0:
                raise ValidationError(
                    "This journal already has entries; demo data only goes into a new, "
                    "empty journal."
                )
    # Made whole beside the journal, then moved into place: a full disk or a stop half
    # way leaves no partial journal behind (and the old demo, if any, as it was).
    part = path.with_name(f".{path.name}.demo-part")
    _remove_with_working_files(part)
    try:
        made = Journal.open(part)
        try:
            demo.generate(made, days=days)
        finally:
            made.close()  # the last connection folds -wal into the file
        _remove_with_working_files(path, keep_file=True)
        os.replace(part, path)
    except OSError as error:
        raise storage_error(error, path) from error
    finally:
        _remove_with_working_files(part)
    return Journal.open(path)


def _remove_with_working_files(path: Path, *, keep_file: bool = False) -> None:
    for suffix in ("-wal", "-shm") if keep_file else ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- encryption (the app's door to db.cipher and db.encryption) --------------------


def encryption_available() -> bool:
    from mbc_journal.db import cipher

    return cipher.available()


def is_encrypted(path: Path) -> bool:
    from mbc_journal.db import cipher

    return cipher.is_encrypted(path)


def passphrase_known(path: Path) -> bool:
    """Can this process open the encrypted file at ``path`` without asking?"""
    from mbc_journal.db import cipher
    from mbc_journal.errors import PassphraseNeededError

    try:
        cipher.key_for(path)
    except PassphraseNeededError:
        return False
    return True


def unlock(path: Path, passphrase: str) -> None:
    """Check the passphrase against the encrypted journal (or backup) and keep it for
    this process. A journal whose first page is damaged is told from a wrong passphrase
    by its backups (encryption.unlock)."""
    from mbc_journal.db import cipher, encryption

    if paths.backups_dir().resolve() in path.resolve().parents:  # a backup: no backups
        cipher.unlock(path, passphrase)
    else:
        encryption.unlock(path, passphrase)


def check_passphrase(path: Path, passphrase: str) -> None:
    """WrongPassphraseError unless ``passphrase`` opens the encrypted journal."""
    from mbc_journal.db import cipher

    cipher.check_passphrase_text(passphrase)
    cipher.key_for(path, passphrase)


def new_passphrase_problem(passphrase: str) -> str:
    from mbc_journal.db import cipher

    return cipher.new_passphrase_problem(passphrase)


def encrypt(path: Path, passphrase: str) -> object:
    from mbc_journal.db import encryption

    return encryption.encrypt(path, passphrase)


def decrypt(path: Path) -> object:
    from mbc_journal.db import encryption

    return encryption.decrypt(path)


def change_passphrase(path: Path, passphrase: str) -> object:
    from mbc_journal.db import encryption

    return encryption.change_passphrase(path, passphrase)


def make_recovery_key(path: Path, passphrase: str) -> str:
    from mbc_journal.db import encryption

    return encryption.make_recovery_key(path, passphrase)


def recover_passphrase(path: Path, recovery_key: str) -> str:
    from mbc_journal.db import encryption

    return encryption.recover_passphrase(path, recovery_key)


def finish_encryption(path: Path) -> None:
    from mbc_journal.db import encryption

    encryption.finish(path)
