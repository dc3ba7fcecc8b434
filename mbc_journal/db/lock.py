"""One writer per journal: an operating-system file lock beside the journal.

The app holds it for as long as a journal is open in its window; every command
that changes the journal (``log``, ``import``, ``restore``…) holds it for the
command's few moments. So a command never writes under an open window's feet
(``restore`` can no longer replace a journal the app is writing), and two
windows never open one journal. The lock is the kernel's (``flock`` through
``filelock``): it goes away with the process, so a crash never leaves a stale
lock behind. The file itself stays, owner-only, naming the holder.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path
from types import TracebackType

import filelock

from mbc_journal.errors import JournalInUseError, ReadOnlyJournalError

APP = "app"
COMMAND = "command"


def lock_path(journal_path: Path) -> Path:
    return Path(f"{journal_path}.lock")


class JournalLock:
    """``with JournalLock(path, COMMAND): ...`` or ``acquire()`` / ``release()``."""

    def __init__(self, journal_path: Path, holder: str = COMMAND) -> None:
        self.journal_path = Path(journal_path)
        self.path = lock_path(self.journal_path)
        self.holder = holder
        self._lock = filelock.FileLock(self.path, mode=0o600, thread_local=False)

    def _write_owner(self) -> None:
        # Through a second descriptor: the kernel lock is on the first and stays.
        with contextlib.suppress(OSError), open(self.path, "w") as handle:
            handle.write(f"{os.getpid()} {socket.gethostname()} {self.holder}\n")

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def acquire(self, timeout: float = 0.0) -> None:
        """Take the lock; one sentence if it cannot. A command holding it is waited for
        up to ``timeout`` seconds (commands are quick); an open app is not."""
        self._refuse_other_names()
        try:
            try:
                self._lock.acquire(timeout=0)
            except filelock.Timeout:
                if timeout <= 0 or self.held_by_app():
                    raise
                self._lock.acquire(timeout=timeout)
        except filelock.Timeout:
            raise JournalInUseError(self._in_use_sentence()) from None
        except OSError as error:
            raise ReadOnlyJournalError(
                f"MBC Journal could not make its lock file beside {self.journal_path.name} in "
                f"{self.journal_path.parent} ({error.strerror or error}), so the journal was "
                f"not opened. Nothing was changed."
            ) from error
        with contextlib.suppress(OSError):  # a lock file left by an older version
            os.chmod(self.path, 0o600)
        self._write_owner()

    def _refuse_other_names(self) -> None:
        """The lock is kept beside the journal under its name; a journal that has a
        second name (a hard link) would get a second lock, and the app and a command
        could write it at once. So such a journal is refused with one sentence.
        (A symbolic link is resolved to the file's own name before it gets here.)"""
        try:
            links = os.stat(self.journal_path).st_nlink
        except OSError:
            return  # not made yet, or unreadable: opening it says what is wrong
        if links > 1:
            raise JournalInUseError(
                f"{self.journal_path.name} has {links} names on this disk (hard links), so "
                f"MBC Journal cannot be sure that nothing else is changing it under another "
                f"name; keep one name (make the others copies or symbolic links) and try "
                f"again. Nothing was changed."
            )

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    def owner(self) -> tuple[int, str, str]:
        """(pid, host, "app" or "command") of the holder as it wrote itself down."""
        try:
            pid, host, holder = self.path.read_text().split()
            return int(pid), host, holder
        except (OSError, ValueError):
            return 0, "", ""

    def held_by_app(self) -> bool:
        return self.owner()[2] == APP

    def _in_use_sentence(self) -> str:
        name = self.journal_path.name
        if self.held_by_app():
            return (
                f"{name} is open in the MBC Journal app; close the app first (or do this "
                f"there). Nothing was changed."
            )
        return (
            f"{name} is being changed by another MBC Journal command; try again when it "
            f"has finished. Nothing was changed."
        )

    def __enter__(self) -> JournalLock:
        self.acquire()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.release()
