"""Guards against a broken Qt binding release (see pyproject.toml)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot


def test_qt_calls_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    """PySide6 6.12.0 decremented None's reference count on every void call, which
    aborts Python 3.11 after a few thousand calls (a check-in makes that many)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    label = QLabel(widget)
    before = sys.getrefcount(None)
    for n in range(2000):
        label.setText(str(n))
        widget.setAccessibleDescription(str(n))
    assert abs(sys.getrefcount(None) - before) < 50
