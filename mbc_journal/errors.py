"""Domain errors. Each carries one plain sentence the user can act on."""

from __future__ import annotations


class JournalError(Exception):
    """Base class: ``str(error)`` is the sentence shown to the user."""


class ValidationError(JournalError):
    """The user's input is not acceptable; nothing was saved."""


class NotFoundError(JournalError):
    """An entry, symptom or file the user named does not exist."""


class CatalogueError(JournalError):
    """The symptom catalogue file is broken."""


class JournalOpenError(JournalError):
    """The journal file cannot be opened as it is."""


class NewerVersionError(JournalOpenError):
    """The journal was written by a newer version of the app."""


class CorruptJournalError(JournalOpenError):
    """The journal file is damaged or is not a journal."""


class JournalLockedError(JournalError):
    """Another program holds the journal for writing."""


class JournalInUseError(JournalError):
    """The journal is open in the app, or another command is changing it."""


class ReadOnlyJournalError(JournalError):
    """The journal or its folder cannot be written."""


class DiskFullError(JournalError):
    """The disk is full; the last change was not saved."""


class NotAJournalError(JournalOpenError):
    """The file is not an MBC Journal (another program's file): never replaced."""


def is_damage(error: BaseException) -> bool:
    """True only for SQLite's words for a damaged file — never for a full disk, a
    read-only folder, a missing permission or a lock."""
    text = str(getattr(error, "orig", error)).lower()
    return any(word in text for word in ("malformed", "not a database", "corrupt"))


def _nearly_full(path: object) -> bool:
    """Is the disk holding ``path`` (nearly) out of space?"""
    import os
    import shutil

    folder = os.path.dirname(os.path.abspath(str(path))) if path else "."
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def storage_error(error: BaseException, path: object) -> JournalError:
    """One plain sentence for an SQLite or file-system failure on the journal at ``path``."""
    name = getattr(path, "name", path)
    errno_code = getattr(error, "errno", None)
    text = str(getattr(error, "orig", error)).lower()
    # SQLite says "disk I/O error" when it cannot grow its -shm or -wal on a full disk.
    io_error = "disk i/o" in text or errno_code == 5
    if errno_code == 28 or "full" in text or (io_error and _nearly_full(path)):  # ENOSPC
        return DiskFullError(
            "The disk is full, so this was not done. Free some space and try again; "
            "nothing was changed."
        )
    if "locked" in text or "busy" in text:
        return JournalLockedError(
            f"The journal {name} is busy in another program; nothing was saved. "
            f"Try again in a moment."
        )
    if errno_code in (13, 1) or "permission" in text:  # EACCES, EPERM
        return ReadOnlyJournalError(
            f"MBC Journal has no permission to use {name} or its folder; nothing was changed."
        )
    if errno_code == 30 or "readonly" in text or "read-only" in text or "unable to open" in text:
        return ReadOnlyJournalError(
            f"The journal {name} cannot be written here (the file or its folder is "
            f"read-only); nothing was saved."
        )
    if is_damage(error):
        return CorruptJournalError(
            f"The journal {name} is damaged; nothing was changed. Restore a backup."
        )
    if io_error:  # EIO
        return JournalOpenError(
            f"The disk could not read or write {name} (an input/output error); nothing was "
            f"changed. Check the disk, then try again."
        )
    return JournalError(f"The journal {name} could not be used ({text}).")


def output_error(error: OSError, path: object) -> JournalError:
    """One plain sentence for a file the person asked to write (a report, an export, a
    backup copy) that could not be written: it names that file, never "the journal",
    and never the temporary file it is first written to."""
    name = getattr(path, "name", path)
    folder = getattr(path, "parent", "its folder")
    code = error.errno
    if code == 28:  # ENOSPC
        return DiskFullError(
            f"The disk is full, so {name} was not written. Free some space or choose "
            f"another place; nothing was changed."
        )
    if code in (13, 1):  # EACCES, EPERM
        return ReadOnlyJournalError(
            f"MBC Journal may not write in {folder}; choose another place for {name}."
        )
    if code == 30:  # EROFS
        return ReadOnlyJournalError(f"{folder} is read-only; choose another place for {name}.")
    why = (error.strerror or str(error)).lower()
    return JournalError(f"{name} could not be written in {folder} ({why}); choose another place.")


class EncryptionUnavailableError(JournalError):
    """SQLCipher cannot be used on this computer; the journal stays unencrypted."""


class PassphraseNeededError(JournalOpenError):
    """The journal (or a backup) is encrypted and no passphrase for it is known."""

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.path = path


class WrongPassphraseError(PassphraseNeededError):
    """The passphrase given does not open the file."""
