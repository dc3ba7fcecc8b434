"""A 0-10 rating control that works equally well by mouse and by keyboard.

Eleven buttons for the mouse; for the keyboard the control takes focus as a
whole: digits set the value ("1" then "0" quickly gives 10), Left/Right
step, Delete or Backspace clears it ("not logged"). The verbal band
(none / mild / moderate / severe) is shown in words beside the numbers, so
nothing is told by colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QWidget

from mbc_journal.model import band

NOT_LOGGED = None


class RatingInput(QWidget):
    """Signals: value_changed(object) — the new value, an int 0-10 or None."""

    value_changed = Signal(object)

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: int | None = None
        self._typed = QElapsedTimer()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"{label}, rating 0 to 10")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[QPushButton] = []
        for n in range(11):
            button = QPushButton(str(n))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setFixedWidth(32)
            button.setAccessibleName(f"{label} {n}")
            self.group.addButton(button, n)
            layout.addWidget(button)
            self.buttons.append(button)
        self.band_label = QLabel()
        self.band_label.setMinimumWidth(90)
        layout.addSpacing(6)
        layout.addWidget(self.band_label)
        # The chosen number stands out by fill, weight and the words beside it.
        self.setStyleSheet(
            "QPushButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text);"
            " font-weight: bold; border: 1px solid palette(dark); border-radius: 3px; }"
        )
        self.group.idClicked.connect(self._on_group_id_clicked)
        self._show()

    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None, *, notify: bool = True) -> None:
        if value is not None:
            value = max(0, min(10, int(value)))
        if value == self._value:
            self._show()
            return
        self._value = value
        self._show()
        if notify:
            self.value_changed.emit(value)

    def _on_group_id_clicked(self, n: int) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        # Clicking the chosen number again clears it.
        self.set_value(None if self._value == n else n)

    def _show(self) -> None:
        for n, button in enumerate(self.buttons):
            button.setChecked(n == self._value)
        if self._value is None:
            self.band_label.setText("not logged")
            self.setAccessibleDescription("not logged")
        else:
            words = band(self._value).value
            self.band_label.setText(f"<b>{self._value}</b> {words}")
            self.setAccessibleDescription(f"{self._value}, {words}")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            if (
                digit == 0
                and self._value == 1
                and self._typed.isValid()
                and self._typed.elapsed() < 800
            ):
                self.set_value(10)
            else:
                self.set_value(digit)
            self._typed.start()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Plus):
            self.set_value(0 if self._value is None else self._value + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down, Qt.Key.Key_Minus):
            if self._value is not None:
                self.set_value(self._value - 1 if self._value > 0 else 0)
        else:
            super().keyPressEvent(event)

    # A clear focus ring: the buttons themselves never take focus.
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 4, 4)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.update()
