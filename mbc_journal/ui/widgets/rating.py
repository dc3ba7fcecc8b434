"""A 0-10 rating control: one widget, one Tab stop, painted segments.

The mouse clicks or drags along eleven large segments (clicking the chosen
number again clears it). The keyboard: digits set the value ("1" then "0"
quickly gives 10), Left/Right step, Home/End go to 0/10, Delete or Backspace
clears it ("not logged"). Up/Down are left to the row (they move between rows)
and so is N (it opens the row's note). The verbal band (none / mild / moderate
/ severe) is painted in words beside the numbers, so nothing is told by colour
alone.

Screen readers see a spin button named for the item ("Bone pain"): the widget is a
QSpinBox painted our own way (its text field hidden), so Qt gives it the value
interface (minimum, maximum, current; a value-changed event on every change) and a
text interface whose text is the value in words: "6, moderate", or "not logged"
(the spin box's special text for its minimum, -1; 0 is a rating: "none"). A screen
reader reads those words, never "minus 1": Qt's AT-SPI bridge gives a slider's
value only as a number.

(A Python QAccessibleInterface, installed with QAccessible.installFactory, was
tried first: PySide6 6.11 crashes when Qt's AT-SPI bridge calls its
interface_cast, so the value text could not be given that way.)
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractSpinBox, QSizePolicy, QSpinBox, QWidget

from mbc_journal.model import band
from mbc_journal.ui.palette import contrast, mix, readable_fill

NOT_LOGGED = None
TEN_WINDOW_MS = 800  # "1" then "0" within this is 10
HELP = "Rating 0 to 10: type a digit or use Left and Right; Delete clears; N adds a note."
NOT_LOGGED_POSITION = -1  # the spin box's value when nothing is logged


def value_text(value: int | None) -> str:
    """What a screen reader says for the value: "6, moderate" or "not logged"."""
    return "not logged" if value is None else f"{value}, {band(value).value}"


def colours(pal: QPalette) -> dict[str, QColor]:
    """What the rating paints with, from the palette, each pair made to meet WCAG AA:
    numbers 4.5:1 on their fill, segment borders and the focus ring 3:1 on the window."""
    window = pal.color(QPalette.ColorRole.Window)
    base = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    accent = pal.color(QPalette.ColorRole.Highlight)
    on_accent = pal.color(QPalette.ColorRole.HighlightedText)
    words = pal.color(QPalette.ColorRole.WindowText)
    border = mix(text, base, 0.45)
    for _ in range(10):
        if contrast(border, window) >= 3:
            break
        border = mix(border, text, 0.2)
    focus = accent if contrast(accent, window) >= 3 else text
    not_logged = mix(words, window, 0.3)
    if contrast(not_logged, window) < 4.5:
        not_logged = words
    return {
        "window": window,
        "base": base,
        "text": text,
        "border": border,
        # Up to the value: a light trail; the value itself strong.
        "below": readable_fill(mix(base, accent, 0.22), text),
        "chosen": readable_fill(accent, on_accent),
        "chosen_text": on_accent,
        "words": words,
        "not_logged": not_logged,
        "focus": focus,
    }


class RatingInput(QSpinBox):
    """Signals: value_changed(object) — the new value, an int 0-10 or None."""

    value_changed = Signal(object)

    GAP = 2

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setRange(NOT_LOGGED_POSITION, 10)
        self.setSingleStep(1)
        self.setSpecialValueText(value_text(None))  # the words for -1: "not logged"
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.lineEdit().hide()  # its text is read by screen readers; the segments are seen
        self.setValue(NOT_LOGGED_POSITION)
        self._notify = True
        self.valueChanged.connect(self._on_slider_value_changed)
        self._typed = QElapsedTimer()
        self._pressed: int | None = None  # the segment a click started on
        self._dragged = False
        self._was: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(label)
        self.setAccessibleDescription(HELP)  # the value is its text, read before this
        self.setToolTip("Click or drag to rate 0 to 10; click the chosen number again to clear")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover, False)
        metrics = self.fontMetrics()
        self._segment = max(30, metrics.horizontalAdvance("10") + 14)
        self._height = max(32, metrics.height() + 14)
        bold = QFont(self.font())
        bold.setBold(True)
        self._words_width = QFontMetrics(bold).horizontalAdvance("10 moderate") + 16

    # value ---------------------------------------------------------------------

    def value(self) -> int | None:  # type: ignore[override]
        position = super().value()
        return None if position < 0 else position

    def value_text(self) -> str:
        return value_text(self.value())

    def textFromValue(self, value: int) -> str:  # noqa: N802 (Qt's name)
        """The spin box's text, which screen readers read: "6, moderate"."""
        return value_text(None if value < 0 else value)

    def band_text(self) -> str:
        """The words painted beside the numbers."""
        return self.value_text().replace(",", "")

    def set_value(self, value: int | None, *, notify: bool = True) -> None:
        if value is not None:
            value = max(0, min(10, int(value)))
        self._notify = notify
        try:
            # QAbstractSpinBox sends the accessibility value-changed event.
            self.setValue(NOT_LOGGED_POSITION if value is None else value)
        finally:
            self._notify = True

    def _on_slider_value_changed(self, _position: int) -> None:
        # Also reached when assistive technology sets the value.
        self.update()
        if self._notify:
            self.value_changed.emit(self.value())

    # geometry ----------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(11 * (self._segment + self.GAP) + 8 + self._words_width, self._height + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def segment_rect(self, n: int) -> QRect:
        return QRect(2 + n * (self._segment + self.GAP), 2, self._segment, self._height)

    def segment_at(self, point: QPoint) -> int | None:
        """The segment under ``point`` (a drag past either end counts as that end);
        None beside the segments, over the words."""
        step = self._segment + self.GAP
        n = (point.x() - 2) // step
        return max(0, int(n)) if n <= 10 else None

    # mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()  # never the spin box's own stepping
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        n = self.segment_at(event.position().toPoint())
        self._pressed = n
        if n is None:
            return
        self._dragged = False
        self._was = self.value()
        self.set_value(n)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """A double click sets the number clicked (many double-click by habit); its
        second click is never "the chosen number again", which clears (a tester lost a
        rating that way)."""
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        n = self.segment_at(event.position().toPoint())
        self._pressed = None  # the release that follows clears nothing
        if n is not None:
            self.set_value(n)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._pressed is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        n = self.segment_at(event.position().toPoint())
        n = 10 if n is None else n  # dragged on past 10, over the words
        if n != self._pressed:
            self._dragged = True
        if self._dragged:
            self.set_value(n)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        # Clicking the chosen number again (no drag) clears it.
        if self._pressed is not None and not self._dragged and self._was == self._pressed:
            self.set_value(None)
        self._pressed = None

    # keyboard ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            quick = self._typed.isValid() and self._typed.elapsed() < TEN_WINDOW_MS
            self.set_value(10 if digit == 0 and self.value() == 1 and quick else digit)
            self._typed.start()
        elif plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        elif plain and key in (Qt.Key.Key_Right, Qt.Key.Key_Plus):
            current = self.value()
            self.set_value(0 if current is None else current + 1)
        elif plain and key in (Qt.Key.Key_Left, Qt.Key.Key_Minus):
            current = self.value()
            if current is not None:
                self.set_value(max(0, current - 1))
        elif plain and key == Qt.Key.Key_Home:
            self.set_value(0)
        elif plain and key == Qt.Key.Key_End:
            self.set_value(10)
        else:
            event.ignore()  # Up/Down, N, Enter: the row and the screen use them

    # painting ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        c = colours(pal)
        base, text, accent, on_accent = c["base"], c["text"], c["chosen"], c["chosen_text"]
        border, below = c["border"], c["below"]
        value = self.value()
        for n in range(11):
            rect = QRectF(self.segment_rect(n)).adjusted(0.5, 0.5, -0.5, -0.5)
            chosen = value is not None and n == value
            if chosen:
                fill, ink = accent, on_accent
            elif value is not None and n < value:
                fill, ink = below, text
            else:
                fill, ink = base, text
            painter.setPen(QPen(accent if chosen else border, 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 4, 4)
            font = QFont(self.font())
            font.setBold(chosen)
            painter.setFont(font)
            painter.setPen(ink)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(n))
        words = QRect(self.segment_rect(10).right() + 12, 2, self._words_width - 10, self._height)
        painter.setPen(c["words"])
        if value is None:
            painter.setFont(self.font())
            painter.setPen(c["not_logged"])
            painter.drawText(words, Qt.AlignmentFlag.AlignVCenter, "not logged")
        else:
            font = QFont(self.font())
            font.setBold(True)
            painter.setFont(font)
            number = f"{value} "
            painter.drawText(words, Qt.AlignmentFlag.AlignVCenter, number)
            painter.setFont(self.font())
            shifted = words.adjusted(QFontMetrics(font).horizontalAdvance(number), 0, 0, 0)
            painter.drawText(shifted, Qt.AlignmentFlag.AlignVCenter, band(value).value)
        if self.hasFocus():
            ring = QPen(c["focus"], 2)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 5, 5)
        painter.end()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        event.ignore()  # the wheel scrolls the check-in; it never changes a rating

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        event.ignore()  # no spin box menu (copy, step up) over the segments

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.update()
