"""Today: the daily check-in, one screen, saved in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mbc_journal.day_view import DaySource, DayView
from mbc_journal.errors import JournalError, ValidationError
from mbc_journal.model import CLEAR, Entry, EntryDraft, Item, ItemKind, Person, Role
from mbc_journal.ui import dates, errors
from mbc_journal.ui.announce import announce
from mbc_journal.ui.qsettings import ui_settings
from mbc_journal.ui.readings import ReadingsView, reading_text, who
from mbc_journal.ui.signals_view import SignalsList, acknowledge, current_signals
from mbc_journal.ui.widgets.entry_inputs import EventInput, MeasurementInput
from mbc_journal.ui.widgets.rating import RatingInput
from mbc_journal.wording import plural

if TYPE_CHECKING:  # the journal (and SQLAlchemy) open after the rows are painted
    from mbc_journal.journal import Journal

WARNING_TIP = "A warning sign: if this happens, contact your care team now."


@dataclass(frozen=True)
class RowState:
    value: float | str | None
    time: dt.time | None
    note: str


class ItemRow(QWidget):
    """One item: its label, its input, and an optional note. A measurement's or an
    event's row adds readings (each with its time) and lists the day's readings; a
    rating's row shows beside it what others rated that day.

    Signals:
        changed(str) — the item id, when the user changes anything.
        add_requested(str) — the item id: add what is typed as a reading.
        remove_requested(str, int) — the item id and the index of an unsaved reading.
        step_requested(int) — Down (1) or Up (-1): move to the next or previous row.
    """

    changed = Signal(str)
    add_requested = Signal(str)
    remove_requested = Signal(str, int)
    step_requested = Signal(int)

    def __init__(self, item: Item, unit: str | None = None, parent: QWidget | None = None) -> None:
        """``unit``: a measurement's preferred unit (Settings › Units), offered first."""
        super().__init__(parent)
        self.item = item
        self.today = True  # a new reading's time follows the clock only on today's page
        self._time_touched = False
        self._had_value = False
        root = QVBoxLayout(self)
        root.setContentsMargins(4, 1, 4, 1)
        root.setSpacing(2)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        root.addLayout(layout)
        text = item.label + ("  ⚠ warning sign" if item.red_flag else "")
        self.label = QLabel(text)
        self.label.setMinimumWidth(160)  # wraps; the row fits 960 px (200 % scaling)
        self.label.setWordWrap(True)
        tips = [t for t in (item.hint, WARNING_TIP if item.red_flag else "") if t]
        if tips:
            self.label.setToolTip("\n".join(tips))
        # Others' ratings of the day under the label, beside this person's own: in the
        # label's column, so the rating buttons stay in line with the other rows.
        self.beside = QLabel()
        self.beside.setTextFormat(Qt.TextFormat.PlainText)
        self.beside.setWordWrap(True)
        self.beside.setStyleSheet("font-weight: bold;")
        self.beside.setVisible(False)
        label_column = QVBoxLayout()
        label_column.setContentsMargins(0, 0, 0, 0)
        label_column.setSpacing(0)
        label_column.addWidget(self.label)
        label_column.addWidget(self.beside)
        layout.addLayout(label_column, 3)
        self.time_edit: QTimeEdit | None = None
        self.add_button: QPushButton | None = None
        self.readings: ReadingsView | None = None
        if item.kind is ItemKind.RATING:
            self.input: RatingInput | EventInput | MeasurementInput = RatingInput(item.label)
            layout.addWidget(self.input, 5)
        else:
            inputs = QHBoxLayout()
            inputs.setContentsMargins(0, 0, 0, 0)
            inputs.setSpacing(4)
            if item.kind is ItemKind.EVENT:
                self.input = EventInput(item)
                self.time_edit = self.input.time
            else:
                self.input = MeasurementInput(item, unit)
                self.time_edit = QTimeEdit()
                self.time_edit.setDisplayFormat("HH:mm")
                self.time_edit.setAccessibleName(f"{item.label}: time of this reading")
                self.time_edit.setToolTip("When it was measured (now, unless you change it)")
                self.input.number.returnPressed.connect(lambda: self.add_requested.emit(item.id))
                box = self.input.layout()
                assert isinstance(box, QHBoxLayout)
                box.insertWidget(box.count() - 1, QLabel("at"))  # before its stretch
                box.insertWidget(box.count() - 1, self.time_edit)
            self.time_edit.setAccessibleName(f"{item.label}: time of this reading")
            self.time_edit.timeChanged.connect(self._on_time_edit_time_changed)
            self.add_button = QPushButton("Add")
            self.add_button.setAccessibleName(f"{item.label}: add this reading")
            self.add_button.setToolTip(
                "Add it to this day's readings (each keeps its time); add as many as you "
                "need, then save the check-in"
            )
            self.add_button.clicked.connect(lambda: self.add_requested.emit(item.id))
            inputs.addWidget(self.input)
            inputs.addWidget(self.add_button)
            inputs.addStretch(1)
            layout.addLayout(inputs, 5)
            self.reset_time()
            self.add_button.setEnabled(False)
        # The note opens with Alt+N from anywhere in the row (a shortcut, so a number
        # field never types the "n"), and with N alone on a rating or a tick box; the
        # key is shown on the button, which is for the mouse and no Tab stop of its own.
        self.note_button = QToolButton()
        self.note_button.setText("Note (Alt+N)")
        self.note_button.setCheckable(True)
        self.note_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.note_button.setAccessibleName(f"{item.label}: add a note (Alt+N)")
        self.note_button.setToolTip(
            "Write a note about this item (Alt+N"
            + ("; N alone on the rating)" if item.kind is ItemKind.RATING else ")")
        )
        layout.addWidget(self.note_button)
        self._root = root
        self._note: QLineEdit | None = None  # made when first needed (``note``)
        self.note_button.toggled.connect(self._on_note_button_toggled)
        self.input.value_changed.connect(self._on_input_value_changed)
        if item.kind is not ItemKind.RATING:
            self.readings = ReadingsView(item)
            self.readings.remove_requested.connect(
                lambda index: self.remove_requested.emit(item.id, index)
            )
            root.addWidget(self.readings)
        if not isinstance(self.input, RatingInput):
            # A tick box would move Down into its own time field, and on into the time's
            # hours; Up/Down go to the next or previous row, as from a rating.
            self.focus_target().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and watched is self.focus_target()
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.step_requested.emit(1 if event.key() == Qt.Key.Key_Down else -1)
            return True
        return super().eventFilter(watched, event)

    def focus_target(self) -> QWidget:
        """Where the keyboard lands in this row: its rating, tick box or number."""
        if isinstance(self.input, EventInput):
            return self.input.happened
        if isinstance(self.input, MeasurementInput):
            return self.input.number
        return self.input

    @property
    def note(self) -> QLineEdit:
        """The row's note field, on a line of its own (the row's whole width to write
        in), made the first time it is needed: most rows never have a note, and 58
        hidden fields cost the start about 7 ms."""
        if self._note is None:
            label = self.item.label
            note = QLineEdit()
            note.setPlaceholderText(
                f"Note about {label.lower()} (Enter or Esc: back to the {label.lower()})"
            )
            note.setAccessibleName(f"{label}: note")
            note.setVisible(False)
            note.returnPressed.connect(self.focus_input)
            note.textEdited.connect(lambda _t: self.changed.emit(self.item.id))
            self._root.insertWidget(1, note)  # under the row's line, above its readings
            # Made late, it would be last in the Tab order: put it after the row's own.
            last = self.focus_target()
            after = last.nextInFocusChain()
            while after is not None and after is not last and self.isAncestorOf(after):
                if after.focusPolicy() & Qt.FocusPolicy.TabFocus:
                    last = after
                after = after.nextInFocusChain()
            QWidget.setTabOrder(last, note)
            self._note = note
        return self._note

    def note_text(self) -> str:
        return "" if self._note is None else self._note.text()

    def clear_note(self) -> None:
        if self._note is not None:
            self._note.clear()
            self._note.setVisible(False)

    def focus_input(self) -> None:
        self.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def open_note(self) -> None:
        self.note_button.setChecked(True)
        self.note.setVisible(True)
        self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Keys the row's inputs leave alone arrive here.
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        alt = Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_N and mods in (Qt.KeyboardModifier.NoModifier, alt):
            self.open_note()
        elif key == Qt.Key.Key_Escape and self._note is not None and self._note.hasFocus():
            if not self.note.text():
                self.note_button.setChecked(False)
                self.note.setVisible(False)
            self.focus_input()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and mods == Qt.KeyboardModifier.NoModifier:
            self.step_requested.emit(1 if key == Qt.Key.Key_Down else -1)
        else:
            super().keyPressEvent(event)

    @property
    def takes_readings(self) -> bool:
        """Measurements and events: each value is a reading added to the day."""
        return self.item.kind is not ItemKind.RATING

    def _on_note_button_toggled(self, checked: bool) -> None:
        if not checked and self._note is None:
            return
        self.note.setVisible(checked or bool(self.note.text()))
        if checked:
            self.note.setFocus()

    def _on_input_value_changed(self, value: object) -> None:
        started = value is not None and not self._had_value
        self._had_value = value is not None
        if started and not self._time_touched:
            self.reset_time()  # the time it was typed, not when the page opened
        self._update_add_button()
        self.changed.emit(self.item.id)

    def _update_add_button(self) -> None:
        # Enabled only with something to add: an empty row costs no extra Tab stop.
        if self.add_button is not None:
            self.add_button.setEnabled(self.input.value() is not None)

    def _on_time_edit_time_changed(self, _time: QTime) -> None:
        self._time_touched = True

    def reset_time(self) -> None:
        """A new reading's time: now on today's page; midday on a past day (to set)."""
        if self.time_edit is None:
            return
        now = dt.datetime.now()
        when = QTime(now.hour, now.minute) if self.today else QTime(12, 0)
        self.time_edit.blockSignals(True)
        self.time_edit.setTime(when)
        self.time_edit.blockSignals(False)
        self._time_touched = False

    def reading_time(self) -> dt.time | None:
        if self.time_edit is None:
            return None
        t = self.time_edit.time()
        return dt.time(t.hour(), t.minute())

    def state(self) -> RowState:
        if self.takes_readings:
            return RowState(self.input.value(), self.reading_time(), self.note_text())
        return RowState(self.input.value(), None, self.note_text())

    def set_state(self, state: RowState) -> None:
        self.blockSignals(True)
        if self.time_edit is not None:
            self.time_edit.blockSignals(True)
        if isinstance(self.input, RatingInput):
            self.input.set_value(
                None if state.value is None else int(float(state.value)), notify=False
            )
        elif isinstance(self.input, EventInput):
            self.input.set_value(
                None if state.value is None else int(float(state.value)), state.time
            )
        else:
            self.input.number.setText("" if state.value is None else str(state.value).split(" ")[0])
            if isinstance(state.value, str) and " " in state.value:
                self.input.unit.setCurrentText(state.value.split(" ", 1)[1])
        if self.time_edit is not None and state.time is not None:
            self.time_edit.setTime(QTime(state.time.hour, state.time.minute))
        if self.time_edit is not None:
            self.time_edit.blockSignals(False)
        if state.note or self._note is not None:
            self.note.setText(state.note)
            self.note.setVisible(bool(state.note) or self.note_button.isChecked())
        self._had_value = state.value is not None
        self._update_add_button()
        self.blockSignals(False)

    def clear_reading(self) -> None:
        """Empty the inputs for the next reading (its time back to now)."""
        self.blockSignals(True)
        if isinstance(self.input, EventInput):
            self.input.set_value(None)
        elif isinstance(self.input, MeasurementInput):
            self.input.number.blockSignals(True)
            self.input.number.clear()
            self.input.number.blockSignals(False)
        self.reset_time()
        self.note_button.setChecked(False)
        self.clear_note()
        self._had_value = False
        self._update_add_button()
        self.blockSignals(False)

    def show_entry(self, entry: Entry | None) -> None:
        """Fill the row from a saved rating (or clear it). A reading row's inputs are
        for the next reading: they start empty, the saved ones are listed under it."""
        if self.takes_readings:
            self.clear_reading()
            return
        self.blockSignals(True)
        assert isinstance(self.input, RatingInput)
        self.input.set_value(None if entry is None else int(entry.value), notify=False)
        self.note_button.setChecked(False)
        if entry is not None and entry.note:
            self.note.setText(entry.note)
            self.note.setVisible(True)
        else:
            self.clear_note()
        self.blockSignals(False)

    def show_beside(self, others: Sequence[tuple[str, float]]) -> None:
        """Others' ratings of the day, beside this one: (who, value)."""
        if not others:
            self.beside.clear()
            self.beside.setToolTip("")
            self.beside.setAccessibleName("")
            self.beside.setVisible(False)
            return
        self.beside.setText("   ".join(f"{person}: {value:g}" for person, value in others))
        said = "; ".join(
            f"{person} rated it {self.item.format_value(value)}" for person, value in others
        )
        self.beside.setToolTip(f"Also entered this day: {said}. Kept beside this rating.")
        self.beside.setAccessibleName(f"{self.item.label}, also entered this day: {said}")
        self.beside.setVisible(True)


class DayEdit(QDateEdit):
    """A date edit that is one Tab stop (Left/Right move between day, month and year)."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt names)
        return QWidget.focusNextPrevChild(self, next)


class Section(QWidget):
    """A collapsible organ-site section."""

    def __init__(self, title: str, description: str, expanded: bool, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        self.header = QToolButton()
        self.header.setText(title)
        self.header.setCheckable(True)
        self.header.setChecked(expanded)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.header.setAccessibleName(f"{title} section")
        self.header.setAccessibleDescription(description)
        font = self.header.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.header.setFont(font)
        # No frame, but a clear ring when the keyboard is on it (a stop you can see).
        self.header.setStyleSheet(
            "QToolButton { border: 2px solid transparent; border-radius: 4px;"
            " text-align: left; padding: 2px; }"
            " QToolButton:focus { border-color: palette(highlight); }"
        )
        self.body = QFrame()
        self.body.setFrameShape(QFrame.Shape.StyledPanel)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(6, 4, 6, 4)
        self.body_layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.header.toggled.connect(self._on_header_toggled)
        self._on_header_toggled(expanded)

    def _on_header_toggled(self, expanded: bool) -> None:
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    @property
    def expanded(self) -> bool:
        return self.header.isChecked()


class CheckInScreen(QWidget):
    """The daily check-in.

    Signals:
        checkin_saved(object): the date (datetime.date) whose check-in was saved.
        dirty_changed(bool): whether there are unsaved changes.
    """

    checkin_saved = Signal(object)
    dirty_changed = Signal(bool)

    def __init__(self, journal: Journal | DayView, parent: QWidget | None = None) -> None:
        """``journal``: the open Journal, or the day read before it opens (``DayView``):
        then the rows can be filled in at once, and saving waits for ``set_journal``."""
        super().__init__(parent)
        self.source: DaySource = journal  # what the rows are read from
        self.journal: Journal | None = None if isinstance(journal, DayView) else journal
        self._save_held = False  # Save pressed before the journal was open
        self._rows: dict[str, list[ItemRow]] = {}
        self._saved: dict[str, Entry] = {}  # this person's ratings of the day
        self._readings: dict[str, list[Entry]] = {}  # the day's readings, everyone's
        self._pending: dict[str, list[EntryDraft]] = {}  # readings added, not saved yet
        self._dirty = False
        self._own_count = 0
        self._day = dt.date.today()
        self._focused_once = False

        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.prev_day = QToolButton()
        self.prev_day.setArrowType(Qt.ArrowType.LeftArrow)
        self.prev_day.setAccessibleName("Previous day")
        self.prev_day.setToolTip("Previous day")
        self.date_edit = DayEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(dates.QT_FORMAT)
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setAccessibleName("Day of this check-in")
        self.next_day = QToolButton()
        self.next_day.setArrowType(Qt.ArrowType.RightArrow)
        self.next_day.setAccessibleName("Next day")
        self.next_day.setToolTip("Next day")
        self.person = QComboBox()
        self.person.setAccessibleName("Who is entering this check-in")
        self.person.setMinimumWidth(200)
        self.same_as_yesterday = QPushButton("Same as yesterday")
        self.same_as_yesterday.setAccessibleName("Fill empty rows with the last day's ratings")
        self.same_as_yesterday.setToolTip(
            "Fill empty rows with the ratings of the last day you logged"
        )
        bar.addWidget(self.prev_day)
        bar.addWidget(self.date_edit)
        bar.addWidget(self.next_day)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Entered by"))
        bar.addWidget(self.person)
        bar.addStretch(1)
        bar.addWidget(self.same_as_yesterday)
        outer.addLayout(bar)
        self.plan_summary = QLabel()
        self.plan_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.plan_summary.setWordWrap(True)
        self.plan_summary.setAccessibleName("Next appointment and questions to ask")
        outer.addWidget(self.plan_summary)
        self.signals_list = SignalsList()
        outer.addWidget(self.signals_list)
        self.signals_list.acknowledged.connect(self._on_signals_list_acknowledged)

        # Alt+N opens the note of the row the keyboard is in: one shortcut for the whole
        # check-in (one per row cost 17 ms of the start for nothing).
        self.note_action = QAction(self)
        self.note_action.setShortcut(QKeySequence("Alt+N"))
        self.note_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.note_action.triggered.connect(self._open_focused_note)
        self.addAction(self.note_action)

        self.scroll_area = QScrollArea()
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its rows are the stops
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.sections_layout = QVBoxLayout(content)
        self.sections: dict[str, Section] = {}
        self._build_sections()
        day_label = QLabel("Notes about the day")
        day_label.setStyleSheet("font-weight: bold;")
        self.day_note = QPlainTextEdit()
        self.day_note.setTabChangesFocus(True)
        self.day_note.setPlaceholderText(
            "Anything else about today: how you slept, what helped, what you want to remember."
        )
        self.day_note.setAccessibleName("Notes about the day")
        self.day_note.setMaximumHeight(110)
        self.sections_layout.addWidget(day_label)
        self.sections_layout.addWidget(self.day_note)
        self.sections_layout.addStretch(1)
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area, 1)

        bottom = QHBoxLayout()
        self.status = QLabel("")
        # No fixed name: a screen reader reads the label's text, which says what happened.
        self.status.setAccessibleDescription("Check-in status")
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save check-in")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save check-in (Ctrl+S)")
        self.save_button.setToolTip("Save the whole check-in (Ctrl+S)")
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)

        self.save_button.clicked.connect(self.save)
        self.same_as_yesterday.clicked.connect(self.fill_same_as_yesterday)
        self.date_edit.dateChanged.connect(self._on_date_edit_date_changed)
        self.prev_day.clicked.connect(
            lambda: self.date_edit.setDate(self.date_edit.date().addDays(-1))
        )
        self.next_day.clicked.connect(
            lambda: self.date_edit.setDate(self.date_edit.date().addDays(1))
        )
        self.person.activated.connect(self._on_person_activated)
        self.day_note.textChanged.connect(self._mark_dirty)
        # What needs the journal itself (another day, an earlier day's values).
        self._needs_journal: list[QWidget] = [
            self.prev_day,
            self.date_edit,
            self.next_day,
            self.same_as_yesterday,
        ]
        self._fill_people()
        self.load_day(self._day)
        self.refresh_signals()
        self.refresh_plan()
        if self.journal is None:
            for widget in self._needs_journal:
                widget.setEnabled(False)

    def _open_focused_note(self) -> None:
        """Alt+N: the note of the row that holds the keyboard focus, if any."""
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, ItemRow):
            widget = widget.parentWidget()
        if isinstance(widget, ItemRow) and self.isAncestorOf(widget):
            widget.open_note()

    def set_journal(self, journal: Journal) -> None:
        """The journal is open: the check-in read before it now works on it. What was
        typed meanwhile stays in the form (the day shown is the journal's same day), and
        a save asked for meanwhile is made now."""
        self.journal = journal
        self.source = journal
        for widget in self._needs_journal:
            widget.setEnabled(True)
        self.next_day.setEnabled(self._day < dt.date.today())
        self.refresh_signals()
        if self._save_held:
            self._save_held = False
            self.save()

    # building ----------------------------------------------------------------

    def _site_order(self) -> list[tuple[str, bool]]:
        mine = [s for s in self.source.my_sites()]
        catalogue = self.source.catalogue
        order = [(s, True) for s in mine]
        for site in catalogue.sites:
            if site.id not in mine:
                order.append((site.id, site.always_offer))
        return order

    def _build_sections(self) -> None:
        catalogue = self.source.catalogue
        mine = set(self.source.my_sites())
        units = self.source.preferred_units()
        for site_id, expanded in self._site_order():
            site = catalogue.site(site_id)
            items = self.source.visible_items(site_id)
            if not items:
                continue
            title = site.label + ("  — my site" if site_id in mine else "")
            section = Section(title, site.description, expanded)
            self.sections[site_id] = section
            warning_header_added = False
            for item in items:
                if item.group == "warning" and not warning_header_added:
                    heading = QLabel(
                        "Other warning signs — contact your care team now if any happens"
                    )
                    heading.setStyleSheet("font-weight: bold; margin-top: 8px;")
                    section.body_layout.addWidget(heading)
                    warning_header_added = True
                row = ItemRow(item, units.get(item.id))
                row.changed.connect(self._on_row_changed)
                row.step_requested.connect(self._on_row_step_requested)
                row.add_requested.connect(self._on_row_add_requested)
                row.remove_requested.connect(self._on_row_remove_requested)
                self._rows.setdefault(item.id, []).append(row)
                section.body_layout.addWidget(row)
            section.header.installEventFilter(self)
            self.sections_layout.addWidget(section)

    # moving by keyboard ------------------------------------------------------------

    def stops(self) -> list[QWidget]:
        """Where Up/Down go, top to bottom: each shown row's input, and the header of
        each collapsed section (Space opens it)."""
        found: list[QWidget] = []
        for section in self.sections.values():
            if not section.expanded:
                found.append(section.header)
                continue
            for i in range(section.body_layout.count()):
                entry = section.body_layout.itemAt(i)
                widget = entry.widget() if entry is not None else None
                if isinstance(widget, ItemRow) and not widget.isHidden():
                    found.append(widget.focus_target())
        return found

    def step_focus(self, current: QWidget, step: int) -> bool:
        stops = self.stops()
        here = next((i for i, w in enumerate(stops) if w is current), None)
        if here is None:
            return False
        target = here + step
        if not 0 <= target < len(stops):
            return False
        stops[target].setFocus(Qt.FocusReason.TabFocusReason)
        self.scroll_area.ensureWidgetVisible(stops[target], 0, 60)
        return True

    def _on_row_step_requested(self, step: int) -> None:
        source = self.sender()
        if isinstance(source, ItemRow):
            # From the note, Up/Down go on from the row's input.
            self.step_focus(source.focus_target(), step)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Up/Down on a section header move on like on a row.
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QToolButton):
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
                down = event.key() == Qt.Key.Key_Down
                section = watched.parent()
                if down and isinstance(section, Section) and section.expanded:
                    first = next((w for w in self.stops() if section.isAncestorOf(w)), None)
                    if first is not None:
                        first.setFocus(Qt.FocusReason.TabFocusReason)
                        return True
                return self.step_focus(watched, 1 if down else -1) or True
        return super().eventFilter(watched, event)

    def first_stop(self) -> QWidget | None:
        """The first row's input (a collapsed section's header only if no row shows)."""
        stops = self.stops()
        rows = [w for w in stops if not isinstance(w, QToolButton)]
        return rows[0] if rows else stops[0] if stops else None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._focused_once:
            # The first time the check-in shows, the keyboard starts on its first row.
            self._focused_once = True
            QTimer.singleShot(0, self._focus_first_row)

    def _focus_first_row(self) -> None:
        # The window's focus widget too: it gets the keyboard once the window is active.
        focused = QApplication.focusWidget() or self.window().focusWidget()
        inside = focused is not None and self.isAncestorOf(focused)
        if not inside:  # the welcome above the rows may have the keyboard: it keeps it
            self.focus_first_row()

    def focus_first_row(self) -> None:
        """The keyboard to the first row (after the welcome panel closes, say)."""
        first = self.first_stop()
        if first is not None and self.isVisible():
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(first, 0, 60)

    def rows(self, item_id: str) -> list[ItemRow]:
        return self._rows[item_id]

    def row(self, item_id: str) -> ItemRow:
        return self._rows[item_id][0]

    # people ------------------------------------------------------------------

    def _fill_people(self) -> None:
        name = self.source.profile_name()
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem(
            f"{name} (patient)" if name else "Me (patient)", Person(name, Role.PATIENT)
        )
        for caregiver in self.source.people():
            self.person.addItem(f"{caregiver} (caregiver)", Person(caregiver, Role.CAREGIVER))
        self.person.addItem("Add a caregiver…", None)
        last = ui_settings().value("checkin/person", "")
        for i in range(self.person.count()):
            data = self.person.itemData(i)
            if data is not None and f"{data.role.value}:{data.name}" == last:
                self.person.setCurrentIndex(i)
        self.person.blockSignals(False)
        self._shown_person = self.person.currentIndex()  # whose values the form holds

    def _show_person(self, index: int) -> None:
        self.person.blockSignals(True)
        self.person.setCurrentIndex(index)
        self.person.blockSignals(False)

    def current_person(self) -> Person:
        data = self.person.currentData()
        return data if isinstance(data, Person) else Person(self.source.profile_name())

    def _on_person_activated(self, index: int) -> None:
        # What is typed belongs to the person it was typed as: save it as them (or
        # discard it) before the form shows someone else, never save it as another.
        if index != self._shown_person and self._dirty:
            self._show_person(self._shown_person)
            if not self.resolve_unsaved():
                return  # cancelled: still this person, typing kept
            self._show_person(index)
        if self.person.itemData(index) is None:
            name, ok = QInputDialog.getText(self, "Add a caregiver", "Caregiver's name:")
            self.add_caregiver(name if ok else "")
            return
        self._shown_person = index
        person = self.current_person()
        ui_settings().setValue("checkin/person", f"{person.role.value}:{person.name}")
        self.load_day(self._day)  # this person's own values

    def add_caregiver(self, name: str) -> None:
        """Add a caregiver and enter as them (what is typed is saved or discarded first)."""
        if self._dirty and not self.resolve_unsaved():
            return
        name = name.strip()
        journal = self.journal
        if name and journal is None:
            self.status.setText("The journal is still opening; add the caregiver in a moment.")
            name = ""
        if name and journal is not None:
            try:
                journal.set_caregivers([*self.source.people(), name])
            except JournalError as error:
                errors.show_error(self, error)
                name = ""
        if name:
            ui_settings().setValue("checkin/person", f"caregiver:{name}")
        self._fill_people()
        self.load_day(self._day)  # nothing unsaved here: it was saved or discarded first

    # loading -----------------------------------------------------------------

    def day(self) -> dt.date:
        return self._day

    def set_day(self, day: dt.date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def _on_date_edit_date_changed(self, qdate: QDate) -> None:
        day = dt.date(qdate.year(), qdate.month(), qdate.day())
        if day == self._day:
            return
        if self._dirty and not self.resolve_unsaved():
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(QDate(self._day.year, self._day.month, self._day.day))
            self.date_edit.blockSignals(False)
            return
        self.load_day(day)

    def resolve_unsaved(self) -> bool:
        """Ask what to do with unsaved changes; False means stay put. Discarding
        empties the form back to what is saved (readings added are dropped too)."""
        answer = self.ask_unsaved()
        if not errors.resolve_unsaved(answer, self.save):
            return False
        if answer == QMessageBox.StandardButton.Discard:
            self.discard()
        return True

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        return errors.ask_save_discard_cancel(self, "Unsaved check-in", self.unsaved_question())

    def unsaved_question(self) -> str:
        pending = self.pending_count()
        extra = (
            f" {pending} reading{'s' if pending != 1 else ''} you added "
            f"{'are' if pending != 1 else 'is'} not saved yet."
            if pending
            else ""
        )
        return f"Save the changes to your check-in for {self._day:%A %d %B}?{extra}"

    def discard(self) -> None:
        """Drop what is not saved: the form shows the saved day again."""
        self._pending.clear()
        self.load_day(self._day)

    def pending_count(self) -> int:
        """Readings added in this check-in and not saved yet."""
        return sum(len(p) for p in self._pending.values())

    def pending_readings(self) -> list[EntryDraft]:
        return [draft for drafts in self._pending.values() for draft in drafts]

    def reload_unless_typing(self) -> None:
        """After a change made elsewhere (History, an import): show it, unless something
        typed here is not saved yet. That is never thrown away: the change shows after
        Save or Discard (and a save keeps what it replaces as an earlier version)."""
        if self.dirty:
            self.status.setText(
                "Entries changed elsewhere; your unsaved check-in is kept. Save or discard "
                "it to see the changes."
            )
            return
        self.load_day(self._day)

    def load_day(self, day: dt.date) -> None:
        """Show ``day`` as saved, for the person chosen. Readings added but not saved
        stay listed when the same day is shown again (a change made in History); they
        are dropped only by a save, a discard, or moving to another day after asking."""
        if day != self._day:
            self._pending.clear()
        self._day = day
        self.next_day.setEnabled(day < dt.date.today())
        try:
            entries = self.source.entries_on(day)
            note = self.source.day_note(day)
            # "Same as yesterday" only when there is an earlier day to copy.
            self.same_as_yesterday.setVisible(self.source.latest_day_before(day) is not None)
        except JournalError as error:
            errors.show_error(self, error)
            return
        me = self.current_person().key
        patient = self.source.profile_name()
        catalogue = self.source.catalogue
        self._saved, self._readings = {}, {}
        beside: dict[str, list[tuple[str, float]]] = {}
        others: set[str] = set()
        mine = 0
        for entry in entries:
            rows = self._rows.get(entry.item_id)
            kind = (
                rows[0].item.kind
                if rows
                else catalogue.item(entry.item_id).kind
                if catalogue.has_item(entry.item_id)
                else ItemKind.RATING
            )
            own = entry.person.key == me
            if kind is not ItemKind.RATING:
                self._readings.setdefault(entry.item_id, []).append(entry)
                mine += own
            elif own:
                self._saved[entry.item_id] = entry  # this person's latest of the day wins
            else:
                beside.setdefault(entry.item_id, []).append(
                    (who(entry.person, patient), entry.value)
                )
            if not own:
                others.add(entry.person.name or "the patient")
        today = day == dt.date.today()
        for item_id, rows in self._rows.items():
            for row in rows:
                row.today = today
                row.show_entry(self._saved.get(item_id))
                if not row.takes_readings:
                    row.show_beside(beside.get(item_id, []))
            self._show_readings(item_id)
        self.day_note.blockSignals(True)
        self.day_note.setPlainText(note.text if note else "")
        self.day_note.blockSignals(False)
        self._own_count = len(self._saved) + mine
        logged = self._own_count
        text = (
            f"{logged} item{'s' if logged != 1 else ''} saved for this day."
            if logged
            else "Nothing logged for this day yet."
        )
        if others:
            # Their entries are kept beside these, never replaced by them.
            text += f" Also entered this day by {', '.join(sorted(others))} (see History)."
        self._set_dirty(bool(self._pending))  # readings still not saved keep it unsaved
        if self._pending:
            n = self.pending_count()
            text = (
                f"{n} reading{'s' if n != 1 else ''} added, not saved yet — press Ctrl+S or "
                "Save check-in. " + text
            )
        self.status.setText(text)

    def _show_readings(self, item_id: str) -> None:
        rows = self._rows[item_id]
        if not rows[0].takes_readings:
            return
        item = rows[0].item
        patient = self.source.profile_name()
        saved = [
            f"{reading_text(item, e.value, e.unit, e.time)} — {who(e.person, patient)}"
            + (f" “{' '.join(e.note.split())}”" if e.note else "")
            for e in self._readings.get(item_id, [])
        ]
        pending = [
            reading_text(item, d.value.number, d.value.unit, d.time)
            + (f" “{' '.join(d.note.split())}”" if d.note else "")
            for d in self._pending.get(item_id, [])
        ]
        for row in rows:
            assert row.readings is not None
            row.readings.show_readings(saved, pending)

    # editing -----------------------------------------------------------------

    def _on_row_changed(self, item_id: str) -> None:
        rows = self._rows[item_id]
        source = self.sender()
        if isinstance(source, ItemRow):
            state = source.state()
            for row in rows:
                if row is not source:
                    row.set_state(state)
        self._mark_dirty()

    def _mark_dirty(self) -> None:
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        if dirty:
            self.status.setText("Not saved yet — press Ctrl+S or Save check-in.")

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _on_row_add_requested(self, item_id: str) -> None:
        source = self.sender()
        row = source if isinstance(source, ItemRow) else self._rows[item_id][0]
        self.add_reading(row)

    def add_reading(self, row: ItemRow) -> bool:
        """Add what the row holds as a reading of the day (validated now, saved with
        the check-in); the inputs empty for the next one."""
        item = row.item
        state = row.state()
        if state.value is None:
            self.status.setText(
                f"Type a value for “{item.label}” first, then Add."
                if item.kind is ItemKind.MEASUREMENT
                else f"Tick “Happened” for “{item.label}” first, then Add."
            )
            row.input.setFocus()
            return False
        try:
            draft = self._draft(item, state)
        except ValidationError as error:
            errors.show_error(self, error)
            row.input.setFocus()
            return False
        self._pending.setdefault(item.id, []).append(draft)
        for each in self._rows[item.id]:
            each.clear_reading()
        self._show_readings(item.id)
        self._mark_dirty()
        n = self.pending_count()
        self.status.setText(
            f"Added {reading_text(item, draft.value.number, draft.value.unit, draft.time)} "
            f"for {item.label.lower()}: {n} reading{'s' if n != 1 else ''} not saved yet. "
            "Add another, or press Ctrl+S to save the check-in."
        )
        if isinstance(row.input, MeasurementInput):
            row.input.number.setFocus()
        elif isinstance(row.input, EventInput):
            row.input.happened.setFocus()
        return True

    def _on_row_remove_requested(self, item_id: str, index: int) -> None:
        self.remove_pending(item_id, index)

    def remove_pending(self, item_id: str, index: int) -> None:
        """Take back a reading added in this check-in (it was never saved)."""
        pending = self._pending.get(item_id, [])
        if 0 <= index < len(pending):
            del pending[index]
            if not pending:
                del self._pending[item_id]
            self._show_readings(item_id)
            self._mark_dirty()
            row = self._rows[item_id][0]  # the button pressed is gone: focus stays near
            if isinstance(row.input, MeasurementInput):
                row.input.number.setFocus()
            elif isinstance(row.input, EventInput):
                row.input.happened.setFocus()

    def fill_same_as_yesterday(self) -> None:
        """Copy the last logged day's ratings into empty rows (a temperature, a weight
        or an event is a reading of its own day, never copied)."""
        if self.journal is None:
            return  # the button waits for the journal
        try:
            previous = self.journal.latest_day_before(self._day)
            entries = self.journal.entries_on(previous) if previous else []
        except JournalError as error:
            errors.show_error(self, error)
            return
        me = self.current_person().key
        filled = 0
        for entry in entries:
            rows = self._rows.get(entry.item_id)
            if (
                not rows
                or rows[0].takes_readings
                or entry.person.key != me
                or rows[0].state().value is not None
            ):
                continue
            for row in rows:
                row.show_entry(entry)
                row.clear_note()
            filled += 1
        if filled:
            self._mark_dirty()
            self.status.setText(
                f"Filled {filled} rows from {previous:%A %d %B}. "
                "Change what is different, then save."
            )
        else:
            self.status.setText("Nothing to copy from an earlier day.")

    # saving ------------------------------------------------------------------

    def _draft(self, item: Item, state: RowState) -> EntryDraft:
        """The row's value validated by the core; the error names the item."""
        assert state.value is not None
        try:
            if isinstance(state.value, str):
                return self.source.draft_from_text(
                    item.id, state.value, time=state.time, note=state.note
                )
            return self.source.draft(item.id, float(state.value), time=state.time, note=state.note)
        except ValidationError as error:
            raise ValidationError(f"{item.label}: {error}") from None

    def collect(self) -> dict[str, EntryDraft | None]:
        """This person's ratings, validated through the core; raises ValidationError
        naming the item."""
        values: dict[str, EntryDraft | None] = {}
        for item_id, rows in self._rows.items():
            item = rows[0].item
            if rows[0].takes_readings:
                continue
            state = rows[0].state()
            if state.value is None:
                saved = self._saved.get(item_id)
                if state.note.strip() and (saved is None or saved.note != state.note):
                    raise ValidationError(
                        f"You wrote a note for “{item.label}” but gave no value; add a value or "
                        f"remove the note."
                    )
                if item_id in self._saved:
                    values[item_id] = CLEAR
                continue
            try:
                values[item_id] = self._draft(item, state)
            except ValidationError:
                rows[0].input.setFocus()
                raise
        return values

    def collect_readings(self) -> list[EntryDraft]:
        """The readings to add: those added with Add, and what is typed in a row but not
        added yet (Ctrl+S right after typing a temperature saves it)."""
        readings = self.pending_readings()
        for rows in self._rows.values():
            item = rows[0].item
            if not rows[0].takes_readings:
                continue
            state = rows[0].state()
            if state.value is None:
                if state.note.strip():
                    raise ValidationError(
                        f"You wrote a note for “{item.label}” but gave no value; add a value or "
                        f"remove the note."
                    )
                continue
            try:
                readings.append(self._draft(item, state))
            except ValidationError:
                rows[0].input.setFocus()
                raise
        return readings

    def save(self) -> bool:
        """Save the whole check-in, ratings and new readings in one transaction; on any
        error the form keeps what was typed and added. Before the journal is open
        (a moment at start-up) the save is held and made as soon as it is."""
        if self.journal is None:
            self._save_held = True
            self.status.setText("Saving as soon as the journal is open…")
            return False
        me = self.current_person().key
        earlier = [e for day in self._readings.values() for e in day if e.person.key == me]
        try:
            values = self.collect()
            readings = self.collect_readings()
            result = self.journal.save_checkin(
                self._day,
                values,
                person=self.current_person(),
                day_note=self.day_note.toPlainText(),
                readings=readings,
            )
        except JournalError as error:
            errors.show_error(self, error)
            return False
        except Exception as error:  # noqa: BLE001 — keep the form, tell the user
            errors.show_error(self, error, "saving the check-in")
            return False
        self._pending.clear()
        for rows in self._rows.values():
            for row in rows:
                if row.takes_readings:
                    row.clear_reading()
        self.load_day(self._day)
        now = dt.datetime.now()
        added = len(readings)
        # The count is of what the list names; earlier readings are named and counted
        # apart, so "2 entries:" is never followed by one.
        listed = sum(draft is not None for draft in values.values()) + added
        text = (
            f"✓ Saved at {now:%H:%M} — {plural(listed, 'entry')} for "
            f"{self._day:%A %d %B}"
            + (f", {plural(added, 'new reading')}" if added else "")
            + ("" if result.changed else " (no changes)")
        )
        self.status.setText(text + self._saved_words(values, readings, earlier))
        announce(self.status, self.status.text())  # what was saved, said aloud
        self.status.setToolTip(self.status.text())
        self.refresh_signals()
        self.checkin_saved.emit(self._day)
        return True

    def _saved_words(
        self,
        values: dict[str, EntryDraft | None],
        readings: list[EntryDraft],
        earlier: Sequence[Entry] = (),
    ) -> str:
        """ ": fatigue 6 (moderate), temperature 38.2 °C; cleared: headache; also this
        day, 1 earlier reading: temperature 37.0 °C at 08:00" — what was saved, in words,
        for the status line a screen reader reads."""
        catalogue = self.source.catalogue
        said, cleared = [], []
        for item_id, draft in [*values.items(), *((d.item_id, d) for d in readings)]:
            rows = self._rows.get(item_id)
            item = rows[0].item if rows else catalogue.item(item_id)
            if draft is None:
                cleared.append(item.label.lower())
            else:
                shown = item.format_value(draft.value.number, draft.value.unit)
                said.append(f"{item.label.lower()} {shown}")
        words = ", ".join(said)
        if cleared:
            words += ("; " if words else "") + f"cleared: {', '.join(cleared)}"
        if earlier:
            kept = []
            for entry in earlier:
                rows = self._rows.get(entry.item_id)
                when = f" at {entry.time:%H:%M}" if entry.time else ""
                if not rows and not catalogue.has_item(entry.item_id):
                    kept.append(f"{entry.item_id} {entry.value:g}{when}")  # an item gone
                    continue
                item = rows[0].item if rows else catalogue.item(entry.item_id)
                kept.append(
                    f"{item.label.lower()} {item.format_value(entry.value, entry.unit)}{when}"
                )
            words += (
                "; " if words else ""
            ) + f"also this day, {plural(len(earlier), 'earlier reading')}: {', '.join(kept)}"
        return f": {words}." if words else "."

    # care plan ---------------------------------------------------------------------

    def refresh_plan(self) -> None:
        """Show the next appointment and the open questions above the check-in."""
        try:
            upcoming = self.source.next_appointment()
            open_questions = self.source.questions(open_only=True)
        except JournalError as error:
            errors.show_error(self, error)
            return
        parts = []
        if upcoming is not None:
            parts.append(f"Next appointment: {upcoming.label}.")
        if open_questions:
            n = len(open_questions)
            listed = "  ·  ".join(q.text for q in open_questions[:3]) + ("  ·  …" if n > 3 else "")
            parts.append(f"{n} question{'s' if n != 1 else ''} to ask: {listed}")
        self.plan_summary.setText("  ".join(parts))
        self.plan_summary.setVisible(bool(parts))

    # safety signals ----------------------------------------------------------

    def refresh_signals(self) -> None:
        if self.journal is None:
            return  # signals come from the journal only (one safety logic), once open
        try:
            # Urgent signals are in the banner above with the care team's numbers; here
            # only the rest, so nothing is shown twice.
            found = current_signals(self.journal)
            self.signals_list.show_signals([s for s in found if not s.level.is_urgent])
        except JournalError as error:
            errors.show_error(self, error)

    def _on_signals_list_acknowledged(self, signal: object) -> None:
        if self.journal is not None and acknowledge(self, self.journal, [signal]):  # type: ignore[list-item]
            self.refresh_signals()
