"""The fever threshold, chosen as the care team's alert card prints it."""

from __future__ import annotations

import re

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QWidget

from mbc_journal.signals import ALERT_CARD_FEVERS, both_scales


class FeverChoice(QComboBox):
    """37.5 or 38.0 °C, each with its °F; a value set some other way (an older journal,
    an import) is kept as a third choice rather than silently changed."""

    def __init__(self, current: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        choices = list(ALERT_CARD_FEVERS)
        if all(abs(current - c) > 0.05 for c in choices):
            choices.append(round(current, 1))
        for celsius in sorted(choices):
            self.addItem(both_scales(celsius), celsius)
        self.setCurrentIndex(
            min(range(self.count()), key=lambda n: abs(self.itemData(n) - current))
        )
        self.setAccessibleName("Fever threshold on treatment, from my care team's alert card")
        self.setToolTip(
            "Your care team's alert card says which: 37.5 °C or 38.0 °C. "
            "If you have no card yet, keep 38.0 °C and ask at your next visit."
        )

    def celsius(self) -> float:
        return float(self.currentData())

    def set_celsius(self, celsius: float) -> None:
        index = self.findData(celsius)
        if index < 0:
            raise ValueError(f"{celsius} is not one of the choices")
        self.setCurrentIndex(index)


class CelsiusSpin(QDoubleSpinBox):
    """A temperature spin box that shows °F beside °C, as the alert cards do."""

    def __init__(self, low: float, high: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(low, high)
        self.setDecimals(1)
        self.setSingleStep(0.1)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        return both_scales(value)

    def valueFromText(self, text: str) -> float:  # noqa: N802
        number = _leading_number(text)
        return self.value() if number is None else number

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """Typing "36.5" (with or without the units shown) is accepted within range."""
        number = _leading_number(text)
        if number is not None and self.minimum() <= number <= self.maximum():
            state = QValidator.State.Acceptable
        elif re.fullmatch(r"\s*\d*[.,]?\d*\s*", text) or number is not None:
            state = QValidator.State.Intermediate
        else:
            state = QValidator.State.Invalid
        return (state, text, pos)


def _leading_number(text: str) -> float | None:
    number = re.match(r"\s*(\d+(?:[.,]\d+)?)", text)
    return float(number.group(1).replace(",", ".")) if number else None
