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


def test_every_rating_is_a_spin_button_whose_text_is_its_value_in_words(
    window: MainWindow,
) -> None:
    """What Orca reads through AT-SPI comes from these interfaces (tools/atspi_walk.py
    checks the real bus; this keeps the guarantee in the suite): a spin button named for
    the item, a value interface, and a text that is the value in words — "6, moderate",
    "not logged" — never "minus 1" (a tester heard −1 for not logged when the rating was
    a slider: Qt's AT-SPI bridge gives a slider's value only as a number)."""
    from PySide6.QtGui import QAccessible

    from mbc_journal.ui.widgets.rating import RatingInput

    window.journal.add_entry(window.journal.draft("fatigue", 6))
    window.checkin.load_day(window.checkin.day())
    ratings = window.checkin.findChildren(RatingInput)
    assert len(ratings) > 20
    for rating in ratings:
        row_item = rating.label
        interface = QAccessible.queryAccessibleInterface(rating)
        assert interface.role() == QAccessible.Role.SpinBox, row_item
        assert interface.text(QAccessible.Text.Name) == row_item
        value = interface.valueInterface()
        assert value is not None, row_item
        assert value.minimumValue() == -1 and value.maximumValue() == 10  # -1: not logged
        text = interface.textInterface()
        assert text is not None, row_item
        said = text.text(0, text.characterCount())
        assert interface.text(QAccessible.Text.Description).startswith("Rating 0 to 10")
        if rating.value() is None:
            assert said == "not logged", row_item
    fatigue = window.checkin.row("fatigue").input
    interface = QAccessible.queryAccessibleInterface(fatigue)
    assert interface.valueInterface().currentValue() == 6
    text = interface.textInterface()
    assert text.text(0, text.characterCount()) == "6, moderate"
    # Set through the value interface, as assistive technology may: the row follows.
    interface.valueInterface().setCurrentValue(3)
    assert fatigue.value() == 3 and window.checkin.dirty
