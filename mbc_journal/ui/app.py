"""Start the desktop app: show a window first, then open the journal.

Heavy modules (SQLAlchemy's ORM, Alembic) load after the first paint, so the
window appears as fast as a bare Qt window (see docs/performance.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def run_app(path: Path, *, demo: bool = False, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("MBC Journal")
    app.setOrganizationName("mbc-journal")
    app.setDesktopFileName("mbc-journal")
    from mbc_journal.ui import errors
    from mbc_journal.ui.main_window import MainWindow, app_icon

    errors.install_excepthook()
    app.setWindowIcon(app_icon())
    window = MainWindow()
    window.show()
    QTimer.singleShot(0, lambda: window.open_journal(path, demo=demo))
    return int(app.exec())
