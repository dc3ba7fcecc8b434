"""The one door for whole-journal operations: import (with its backup), restore,
backups, export, the report and the demo.

The command line and the app call these and nothing below them, so both faces
check the same things in the same order: outputs never overwrite the journal or
its backups, a refused import makes no backup, a restore never discards a journal
it could not judge, and every backup is rotated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mbc_journal import paths
from mbc_journal.db import backup as _backup
from mbc_journal.db.engine import tidy
from mbc_journal.db.lock import APP, COMMAND, JournalLock
from mbc_journal.errors import NotFoundError, ValidationError, storage_error

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
    "restore",
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
    if folder == target.resolve().parent or folder in target.resolve().parents:
        raise ValidationError(
            f"{target.parent} holds the journal's backups; choose another folder. "
            f"Nothing was written."
        )
    return target


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
                raise storage_error(error, target) from error
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
        raise storage_error(error, target) from error


def write_report(
    journal_path: Path, data: ReportData, path: Path, progress: Progress | None = None
) -> int:
    """Write the follow-up PDF of the journal at ``journal_path``; returns its pages."""
    from mbc_journal import report

    target = check_output(journal_path, path, "report.pdf")
    try:
        return report.write_pdf(data, target, progress)
    except OSError as error:
        raise storage_error(error, target) from error


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
    if replace:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    journal = Journal.open(path)
    try:
        demo.generate(journal, days=days)
    except BaseException:
        journal.close()
        raise
    return journal
