"""Loaded by Python at start-up (PYTHONPATH) in the end-to-end tests only.

It watches the real app from outside: when QApplication.exec starts, a timer looks
at what is on screen every 100 ms and writes it to $MBC_PROBE_OUT as JSON. The app's
own code is not changed or replaced. With $MBC_PROBE_HOLD the app is left running
(for the second-start test); otherwise it quits once the check-in or a dialog shows.
"""

from __future__ import annotations

import json
import os

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

_exec = QApplication.exec
_raised: list[int] = []


def _icon_sizes(icon: QIcon) -> list[int]:
    """The sizes the icon really draws at (an SVG icon needs Qt's SVG plugins)."""
    drawn = []
    for size in (16, 48, 256):
        image = icon.pixmap(size, size).toImage()
        if not image.isNull() and any(image.pixelColor(i, i).alpha() for i in range(size)):
            drawn.append(size)
    return drawn


def _look() -> dict[str, object]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    state: dict[str, object] = {
        "dialogs": [],
        "screen": None,
        "raised": len(_raised),
        "application_name": app.applicationName(),
        "desktop_file_name": app.desktopFileName(),
        "app_icon_sizes": _icon_sizes(app.windowIcon()),
    }
    for widget in app.topLevelWidgets():
        if not widget.isVisible():
            continue
        if isinstance(widget, QMessageBox):
            state["dialogs"].append(widget.text())  # type: ignore[union-attr]
        elif type(widget).__name__ == "MainWindow":
            state["screen"] = type(widget.stack.currentWidget()).__name__  # type: ignore[attr-defined]
            state["window_icon_sizes"] = _icon_sizes(widget.windowIcon())
            lock = getattr(widget, "_lock", None)
            if lock is not None and not getattr(widget, "_probe_connected", False):
                lock.raise_requested.connect(lambda: _raised.append(1))
                widget._probe_connected = True  # type: ignore[attr-defined]
    return state


def _exec_watched(*args: object) -> int:
    out = os.environ["MBC_PROBE_OUT"]
    hold = bool(os.environ.get("MBC_PROBE_HOLD"))
    timer = QTimer()
    ticks = [0]

    def tick() -> None:
        ticks[0] += 1
        state = _look()
        with open(out + ".part", "w", encoding="utf-8") as f:
            json.dump(state, f)
        os.replace(out + ".part", out)
        done = state["screen"] == "CheckInScreen" or state["dialogs"]
        if (done and not hold) or ticks[0] > 600:
            QApplication.quit()

    timer.timeout.connect(tick)
    timer.start(100)
    return int(_exec(*args))


if os.environ.get("MBC_PROBE_OUT"):
    QApplication.exec = staticmethod(_exec_watched)  # type: ignore[method-assign]
