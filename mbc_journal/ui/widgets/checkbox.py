"""A tick box that can be seen on any palette (WCAG 2.2 non-text contrast, 3:1)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

from mbc_journal.ui.palette import contrast, mix


def indicator_frame(pal: QPalette) -> QColor:
    """The tick box's frame: 3:1 against the window (WCAG non-text contrast). Fusion's
    own frame on a dark palette is barely darker than the window."""
    window = pal.color(QPalette.ColorRole.Window)
    text = pal.color(QPalette.ColorRole.WindowText)
    frame = mix(text, window, 0.4)
    while contrast(frame, window) < 3:
        frame = mix(frame, text, 0.25)
    return frame


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
