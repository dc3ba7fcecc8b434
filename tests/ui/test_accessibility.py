"""Every control a user can reach has a name a screen reader can say."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QWidget,
)

from mbc_journal import demo
from mbc_journal.ui.main_window import MainWindow

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
    QSlider,
)
# Parts Qt builds inside a control (a combo box's editor and list, a table's headers):
# the control's own name is what is read.
COMPOSITE = (QComboBox, QAbstractSpinBox, QAbstractItemView, QMenuBar)


def _inside_a_control(widget: QWidget) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, COMPOSITE):
            return True
        parent = parent.parent()
    return isinstance(widget, QHeaderView)


def test_every_control_has_a_name(window: MainWindow) -> None:
    demo.generate(window.journal, days=30)
    for name in window.screens:  # every screen, filled with data
        window.show_screen(name)
    window.checkin.load_day(window.checkin.day())
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or _inside_a_control(widget):
            continue
        text = widget.text().strip() if isinstance(widget, QAbstractButton) else ""
        if widget.accessibleName() or (text and not text.isdigit()):
            continue  # a button's words are its name; a bare digit is not enough
        unnamed.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    assert not unnamed, unnamed
