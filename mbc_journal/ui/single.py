"""One app per journal: the journal's one-writer lock (held for as long as the
journal is open here), and a local socket so a second start brings the running
window to the front instead of opening twice.

The lock is the core's (``operations.JournalLock``): the command line honours it
too. QLocalServer is a Unix-domain socket or named pipe on this computer: no network.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from mbc_journal.errors import JournalError, JournalInUseError


def _name(path: Path) -> str:
    return "mbc-journal-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]


class AppLock(QObject):
    """Signals: raise_requested() — another start asked for this window."""

    raise_requested = Signal()

    # A command holding the journal is waited for this long (commands are quick).
    WAIT_FOR_COMMAND_S = 3.0

    def __init__(self, path: Path) -> None:
        super().__init__()
        from mbc_journal.operations import APP, JournalLock  # after the first paint

        self.path = path
        self.lock = JournalLock(path, APP)
        self.server: QLocalServer | None = None
        self.error: JournalError | None = None

    def acquire(self) -> bool:
        """True if taken; else ``error`` says why (``held_elsewhere()`` for an open app)."""
        try:
            self.lock.acquire(timeout=self.WAIT_FOR_COMMAND_S)
        except JournalError as error:
            self.error = error
            return False
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
        """After a failed ``acquire``: True if another app window holds the journal."""
        return isinstance(self.error, JournalInUseError) and self.lock.held_by_app()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.release()

    def owner(self) -> str:
        pid, host, _holder = self.lock.owner()
        return f"process {pid} on {host}" if pid else "another window"


def ask_running_app_to_show(path: Path) -> bool:
    """Tell the app that holds ``path`` to come to the front; False if none answered."""
    socket = QLocalSocket()
    socket.connectToServer(_name(path))
    ok = socket.waitForConnected(500)
    socket.disconnectFromServer()
    return ok
