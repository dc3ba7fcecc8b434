"""A tick box that can be seen on any palette (WCAG 2.2 non-text contrast, 3:1)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
)

from mbc_journal.ui.palette import contrast, mix


def indicator_frame(
    pal: QPalette,
    background: QPalette.ColorRole = QPalette.ColorRole.Window,
    ink: QPalette.ColorRole = QPalette.ColorRole.WindowText,
) -> QColor:
    """The tick box's frame: 3:1 against what it sits on (WCAG non-text contrast).
    Fusion's own frame on a dark palette is barely darker than the window. Always ends:
    on a palette whose text itself is under 3:1, black or white, whichever reads better
    (a loop toward the text never reached 3:1 and hung the window)."""
    window = pal.color(background)
    text = pal.color(ink)
    frame = mix(text, window, 0.4)
    for _ in range(12):
        if contrast(frame, window) >= 3:
            return frame
        frame = mix(frame, text, 0.25)
    if contrast(text, window) >= 3:
        return text
    black, white = QColor("black"), QColor("white")
    return black if contrast(black, window) >= contrast(white, window) else white


class ReadableCheckBox(QCheckBox):
    """A tick box whose box is framed clearly on any palette: every tick box of the app
    is one (Fusion's own box on a dark palette is 1.15:1 against the window)."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        box = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        painter = QPainter(self)
        pen = QPen(indicator_frame(self.palette()), 1.5 if self.isEnabled() else 1)
        painter.setPen(pen)
        painter.drawRoundedRect(box.adjusted(0, 0, -1, -1), 2, 2)
        if self.hasFocus():  # a ring around the box too, where the eye looks
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.drawRoundedRect(box.adjusted(-2, -2, 1, 1), 3, 3)
        painter.end()


class _FramedItemChecks(QStyledItemDelegate):
    """Draws a list's items as usual, then frames their tick boxes at 3:1 (Fusion drew
    an unticked one in a list on a dark palette as blank space). A delegate, owned by
    its view: a style object set on one widget and freed by Python first crashed Qt."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        super().paint(painter, option, index)
        if index.data(Qt.ItemDataRole.CheckStateRole) is None:
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, item, widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        roles = (QPalette.ColorRole.Base, QPalette.ColorRole.Text)  # a list's own colours
        painter.setPen(QPen(indicator_frame(option.palette, *roles), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(box).adjusted(0.75, 0.75, -0.75, -0.75), 2, 2)
        painter.restore()


def frame_item_checks(view: QAbstractItemView) -> None:
    """Give a checkable list's tick boxes the same clear frame as every tick box."""
    view.setItemDelegate(_FramedItemChecks(view))
