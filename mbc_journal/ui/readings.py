"""A check-in row's readings of the day: what is saved (with its time and who), and
what was added but not saved yet (each with a button to take it back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from mbc_journal.model import Item, ItemKind, Person


def who(person: Person, patient_name: str = "") -> str:
    """Who entered it, as History shows it: "Sam (caregiver)", or the patient's name."""
    if person.is_caregiver:
        return f"{person.name} (caregiver)"
    return person.name or patient_name or "the patient"


def reading_text(item: Item, number: float, unit: str | None, time: dt.time | None) -> str:
    """One reading in words, its time first: "07:10  37.2 °C", "18:05  3 times"."""
    when = time.strftime("%H:%M") if time else "no time"
    if item.kind is ItemKind.EVENT:
        count = int(number)
        shown = "happened" if count == 1 else f"{count} times"
    else:
        shown = item.format_value(number, unit)
    return f"{when}  {shown}"


class ReadingsView(QWidget):
    """The day's readings of one item, under its check-in row.

    Signals: remove_requested(int) — the index of an unsaved reading to take back.
    """

    remove_requested = Signal(int)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(1)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.saved.setTextFormat(Qt.TextFormat.PlainText)
        self.saved.setAccessibleName(f"{item.label}: readings saved this day")
        layout.addWidget(self.saved)
        self.pending_box = QVBoxLayout()
        self.pending_box.setContentsMargins(0, 0, 0, 0)
        self.pending_box.setSpacing(1)
        layout.addLayout(self.pending_box)
        self.pending_labels: list[QLabel] = []
        self.remove_buttons: list[QToolButton] = []
        self.setVisible(False)

    def show_readings(self, saved: Sequence[str], pending: Sequence[str]) -> None:
        """``saved``: "07:10  37.2 °C — Sam (caregiver)" lines; ``pending``: readings
        added in this check-in, not saved yet."""
        self.saved.setText("Saved this day:  " + "   ·   ".join(saved) if saved else "")
        self.saved.setVisible(bool(saved))
        while self.pending_box.count():
            line = self.pending_box.takeAt(0)
            widget = line.widget() if line is not None else None
            if widget is not None:
                widget.deleteLater()
        self.pending_labels, self.remove_buttons = [], []
        for index, text in enumerate(pending):
            line_widget = QWidget()
            line = QHBoxLayout(line_widget)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(f"Added, not saved yet:  {text}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setStyleSheet("font-style: italic;")
            remove = QToolButton()
            remove.setText("Remove")
            remove.setAccessibleName(f"{self.item.label}: remove the unsaved reading {text}")
            remove.setToolTip("Take this reading back (it is not saved yet)")
            remove.clicked.connect(lambda _c=False, i=index: self.remove_requested.emit(i))
            line.addWidget(label)
            line.addWidget(remove)
            line.addStretch(1)
            self.pending_box.addWidget(line_widget)
            self.pending_labels.append(label)
            self.remove_buttons.append(remove)
        self.setVisible(bool(saved) or bool(pending))

    def text(self) -> str:
        """Everything shown, for tests and screen readers."""
        lines = [self.saved.text()] if self.saved.text() else []
        return "\n".join(lines + [label.text() for label in self.pending_labels])
