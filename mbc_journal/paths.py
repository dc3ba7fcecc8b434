"""Where files live. Every path the app writes is decided here.

``MBC_JOURNAL_HOME`` moves everything (tests use it); ``MBC_JOURNAL_DB`` picks
another journal file.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "mbc-journal"
JOURNAL_FILE = "journal.sqlite3"
DEMO_FILE = "demo.sqlite3"


def data_dir() -> Path:
    home = os.environ.get("MBC_JOURNAL_HOME")
    if home:
        return Path(home)
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    home = os.environ.get("MBC_JOURNAL_HOME")
    if home:
        return Path(home) / "config"
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def default_journal_path() -> Path:
    override = os.environ.get("MBC_JOURNAL_DB")
    if override:
        return Path(override).expanduser()
    return data_dir() / JOURNAL_FILE


def demo_journal_path() -> Path:
    return data_dir() / DEMO_FILE


def backups_dir() -> Path:
    return data_dir() / "backups"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable only by the owner, if missing.

    The app's own folders (the data and config folders and those below them) are
    tightened to 0700 if they exist with looser modes; a folder the user chose for a
    journal of their own (``--db ~/Documents/j.sqlite3``) is left as it is.
    """
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)
    for folder in _own_folders(path):
        _tighten(folder)
    return path


def _own_folders(path: Path) -> list[Path]:
    """The app's own folders from its data or config folder down to ``path``."""
    path = path.resolve()
    for root in (data_dir(), config_dir()):
        root = root.resolve()
        if path == root or root in path.parents:
            folders = [root]
            for part in path.relative_to(root).parts:
                folders.append(folders[-1] / part)
            return folders
    return []


def _tighten(folder: Path) -> None:
    try:
        info = folder.stat()
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.chmod(folder, 0o700)
    except OSError:
        pass  # not ours to change; the journal file itself is 0600 regardless


def check_journal_folder(path: Path) -> Path:
    """Make sure a journal can be created or changed in ``path``'s folder, or raise one
    true sentence: the folder cannot be made, is read-only, or the disk is full.

    Creates the folder (0700) when it is missing; writes and removes a small probe file,
    since the lock beside the journal and SQLite's -wal need to create files there.
    """
    import errno
    import tempfile

    from mbc_journal.errors import DiskFullError, ReadOnlyJournalError

    folder = path.parent
    try:
        ensure_private_dir(folder)
        if not os.access(folder, os.W_OK):  # a read-only disk says so even to root
            read_only_disk = os.statvfs(folder).f_flag & os.ST_RDONLY
            raise OSError(errno.EROFS if read_only_disk else errno.EACCES, "not writable")
        with tempfile.TemporaryFile(dir=folder, prefix=".mbc-journal-probe-") as probe:
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(
                f"The disk that holds {folder} is full, so {path.name} cannot be opened "
                f"there; free some space and start again. Nothing was changed."
            ) from error
        if error.errno == errno.EROFS:
            reason = "it is on a read-only disk"
        elif error.errno in (errno.EACCES, errno.EPERM):
            reason = "there is no permission to write there"
        elif error.errno in (errno.ENOTDIR, errno.EEXIST):
            reason = "part of that path is a file, not a folder"
        else:
            reason = error.strerror or "the system refused"
        raise ReadOnlyJournalError(
            f"MBC Journal cannot write in the folder {folder} ({reason}), so {path.name} "
            f"cannot be opened there. Nothing was changed."
        ) from error
    return folder


def create_private_file(path: Path) -> bool:
    """Create an empty file readable only by the owner; False if it existed."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, 0o600)
    return True


def check_output_file(path: Path | str, example: str) -> Path:
    """A file the app may write or replace (report, export, backup copy), or one clear
    sentence: not a folder, not a device or a pipe (replacing ``/dev/null`` would break
    the system), in a folder that exists and can be written."""
    from mbc_journal.errors import ValidationError

    path = Path(path).expanduser()
    try:
        path.stat()
    except FileNotFoundError:
        pass
    except OSError as error:  # a name too long, a loop of links, no permission
        raise ValidationError(
            f"{_short(path)} cannot be used as a file name ({error.strerror})."
        ) from None
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; give a file name such as {example}.")
    if path.exists() and not path.is_file():
        raise ValidationError(
            f"{path} is not an ordinary file; give a file name such as {example}."
        )
    if not path.parent.is_dir():
        raise ValidationError(f"The folder {path.parent} does not exist.")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValidationError(f"{path} cannot be written there (no permission).")
    return path


def short(path: Path | str) -> str:
    """A path as a message shows it: at most about 120 characters."""
    text = str(path)
    return text if len(text) <= 120 else text[:60] + "…" + text[-40:]


_short = short


def check_input_file(path: Path | str, what: str) -> Path:
    """A file to read (an import file, a backup), or one clear sentence."""
    from mbc_journal.errors import NotFoundError, ValidationError

    path = Path(path).expanduser()
    try:
        if path.is_file():
            return path
        exists = path.exists()
    except OSError as error:
        raise ValidationError(
            f"{_short(path)} cannot be used as a file name ({error.strerror})."
        ) from None
    if exists:
        raise ValidationError(f"{_short(path)} is not a file; choose {what}.")
    raise NotFoundError(f"There is no file at {_short(path)}; choose {what}.")
