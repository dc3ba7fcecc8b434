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
    """Create ``path`` (and parents) readable only by the owner, if missing."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)
    return path


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
