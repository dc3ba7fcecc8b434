"""One app per journal: a lock file beside the journal, and a local socket so a
second start brings the running window to the front instead of opening twice.

QLocalServer is a Unix-domain socket or named pipe on this computer: no network.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket


def _name(path: Path) -> str:
    return "mbc-journal-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]


class JournalLock(QObject):
    """Signals: raise_requested() — another start asked for this window."""

    raise_requested = Signal()

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.lock = QLockFile(str(path) + ".lock")
        self.lock.setStaleLockTime(0)  # stale locks are found by the PID and host inside
        self.server: QLocalServer | None = None

    def acquire(self) -> bool:
        if not self.lock.tryLock(200):
            # A lock left by a crashed app (its process is gone) is removed and retaken.
            if self.lock.removeStaleLockFile() and self.lock.tryLock(200):
                return self._serve()
            return False
        return self._serve()

    def _serve(self) -> bool:
        with contextlib.suppress(OSError):  # it names this computer and process: ours only
            os.chmod(str(self.path) + ".lock", 0o600)
        name = _name(self.path)
        QLocalServer.removeServer(name)  # a socket left by a crash
        self.server = QLocalServer()
        self.server.newConnection.connect(self._on_server_new_connection)
        self.server.listen(name)
        return True

    def _on_server_new_connection(self) -> None:
        assert self.server is not None
        connection = self.server.nextPendingConnection()
        if connection is not None:
            connection.disconnectFromServer()
        self.raise_requested.emit()

    def held_elsewhere(self) -> bool:
        """After a failed ``acquire``: True if a live process holds the lock (not a
        missing folder, a read-only folder or a full disk)."""
        return self.lock.error() == QLockFile.LockError.LockFailedError

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()

    def owner(self) -> str:
        info = self.lock.getLockInfo()  # (pid, host, app), or with a leading ok flag
        if len(info) == 4:
            info = info[1:] if info[0] else (0, "", "")
        pid, host, _app = info
        return f"process {pid} on {host}" if pid else "another window"


def ask_running_app_to_show(path: Path) -> bool:
    """Tell the app that holds ``path`` to come to the front; False if none answered."""
    socket = QLocalSocket()
    socket.connectToServer(_name(path))
    ok = socket.waitForConnected(500)
    socket.disconnectFromServer()
    return ok
