"""Start the desktop app: show a window first, then open the journal.

Heavy modules (SQLAlchemy's ORM, Alembic) load after the first paint, so the
window appears as fast as a bare Qt window (see docs/performance.md).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from mbc_journal import APP_ID, WM_CLASS

if TYPE_CHECKING:
    from mbc_journal.ui.main_window import MainWindow


def run_app(path: Path, *, demo: bool = False, argv: list[str] | None = None) -> int:
    if start(path, demo=demo, argv=argv) is None:
        return 0
    return int(QApplication.exec())


def start(path: Path, *, demo: bool = False, argv: list[str] | None = None) -> MainWindow | None:
    """Create the app and show the window; the journal opens on the first event-loop turn.

    None if the journal is already open in a running app: that window was asked to come
    to the front, and this start ends without a window of its own.
    """
    existing = QApplication.instance()
    app = existing if existing is not None else QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)  # this app never makes a QCoreApplication
    from mbc_journal.ui.single import ask_running_app_to_show

    if ask_running_app_to_show(path):
        return None
    # The X11 window class (StartupWMClass) and the menu entry's name, so docks and
    # Wayland compositors match the window to the entry install-desktop writes.
    app.setApplicationName(WM_CLASS)
    app.setOrganizationName("mbc-journal")
    app.setDesktopFileName(APP_ID)
    from mbc_journal.ui import errors
    from mbc_journal.ui.main_window import MainWindow, app_icon

    errors.install_excepthook()
    from mbc_journal.ui.qsettings import apply_text_scale

    apply_text_scale()
    from mbc_journal.ui.palette import apply_readable_highlight

    apply_readable_highlight(app)
    app.setWindowIcon(app_icon())
    window = MainWindow()

    def open_first() -> None:
        if not window.open_journal(path, demo=demo, rows_first=True) and window.refused_as_second:
            # The journal is open in another window (now brought to the front): a
            # second window on it would only confuse, so this start ends here.
            QTimer.singleShot(0, QApplication.quit)

    opener = _OpenAfterFirstPaint(window, open_first)
    window.installEventFilter(opener)
    window.show()
    return window


class _OpenAfterFirstPaint(QObject):
    """Open the journal only once the window has been painted once."""

    def __init__(self, window: MainWindow, open_journal: Callable[[], object]) -> None:
        super().__init__(window)
        self._open = open_journal

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._open)
        return False
