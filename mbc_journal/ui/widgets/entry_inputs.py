"""Inputs for events and measurements, and the optional per-item note."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from mbc_journal.model import Item, from_canonical
from mbc_journal.ui.widgets.checkbox import ReadableCheckBox


class EventInput(QWidget):
    """It happened (a checkbox), at what time, how many times.

    Signals: value_changed(object) — a count (int) or None for not logged.
    """

    value_changed = Signal(object)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.happened = ReadableCheckBox("Happened")
        self.happened.setAccessibleName(f"{item.label}: happened")
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName(f"{item.label}: time")
        self.count = QSpinBox()
        self.count.setRange(1, 100)
        self.count.setSuffix(" ×")
        self.count.setAccessibleName(f"{item.label}: how many times")
        layout.addWidget(self.happened)
        layout.addWidget(QLabel("at"))
        layout.addWidget(self.time)
        layout.addWidget(self.count)
        layout.addStretch(1)
        self.happened.toggled.connect(self._on_happened_toggled)
        self.count.valueChanged.connect(lambda _v: self._emit())
        self.time.timeChanged.connect(lambda _t: self._emit())
        self._on_happened_toggled(False, notify=False)

    def value(self) -> int | None:
        return self.count.value() if self.happened.isChecked() else None

    def event_time(self) -> dt.time | None:
        if not self.happened.isChecked():
            return None
        t = self.time.time()
        return dt.time(t.hour(), t.minute())

    def set_value(self, count: int | None, when: dt.time | None = None) -> None:
        for widget in (self.happened, self.count, self.time):
            widget.blockSignals(True)
        self.happened.setChecked(count is not None)
        self.count.setValue(count or 1)
        if when is not None:
            self.time.setTime(QTime(when.hour, when.minute))
        elif count is None:
            now = dt.datetime.now()
            self.time.setTime(QTime(now.hour, now.minute))
        for widget in (self.happened, self.count, self.time):
            widget.blockSignals(False)
        self._on_happened_toggled(count is not None, notify=False)

    def _on_happened_toggled(self, checked: bool, notify: bool = True) -> None:
        self.time.setEnabled(checked)
        self.count.setEnabled(checked)
        if checked and notify and not self.time.hasAcceptableInput():
            now = dt.datetime.now()
            self.time.setTime(QTime(now.hour, now.minute))
        if notify:
            self._emit()

    def _emit(self) -> None:
        self.value_changed.emit(self.value())


class MeasurementInput(QWidget):
    """A number and its unit; the core validates the text when saving.

    Signals: value_changed(object) — the text typed (str) or None if empty.
    """

    value_changed = Signal(object)

    def __init__(self, item: Item, unit: str | None = None, parent: QWidget | None = None) -> None:
        """``unit``: the one chosen in Settings, offered first (°F for a reader of °F)."""
        super().__init__(parent)
        self.item = item
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.number = QLineEdit()
        self.number.setPlaceholderText("not logged")
        self.number.setMaximumWidth(120)
        self.number.setAccessibleName(f"{item.label}: value")
        self.unit = QComboBox()
        self.unit.addItems(list(item.units) or [item.unit or ""])
        self.unit.setAccessibleName(f"{item.label}: unit")
        self.unit.setEnabled(len(item.units) > 1)
        if unit is not None and self.unit.findText(unit) >= 0:
            self.unit.setCurrentIndex(self.unit.findText(unit))
        layout.addWidget(self.number)
        layout.addWidget(self.unit)
        self.hint: QLabel | None = None
        if item.min is not None and item.max is not None:
            self.hint = QLabel()
            self.hint.setEnabled(False)
            layout.addWidget(self.hint)
            self._show_range()
        layout.addStretch(1)
        self.number.textChanged.connect(lambda _t: self.value_changed.emit(self.value()))
        self.unit.currentTextChanged.connect(self._on_unit_current_text_changed)

    def _on_unit_current_text_changed(self, _text: str) -> None:
        self._show_range()
        self.value_changed.emit(self.value())

    def _show_range(self) -> None:
        """The accepted range, in the unit chosen: "93.2–109.4 °F"."""
        item = self.item
        if self.hint is None or item.min is None or item.max is None:
            return
        low = item.format_value(item.min, self.unit.currentText())
        self.hint.setText(
            f"{low.rsplit(' ', 1)[0]}–{item.format_value(item.max, self.unit.currentText())}"
        )

    def value(self) -> str | None:
        text = self.number.text().strip()
        return f"{text} {self.unit.currentText()}".strip() if text else None

    def set_value(self, number: float | None, unit: str | None = None) -> None:
        self.number.blockSignals(True)
        self.unit.blockSignals(True)
        if number is None:
            self.number.clear()
        else:
            shown_unit = unit or self.item.unit or ""
            shown = (
                from_canonical(number, self.item.unit or "", shown_unit) if shown_unit else number
            )
            self.number.setText(f"{shown:.{self.item.decimals}f}")
            index = self.unit.findText(shown_unit)
            if index >= 0:
                self.unit.setCurrentIndex(index)
        self.number.blockSignals(False)
        self.unit.blockSignals(False)
        self._show_range()
