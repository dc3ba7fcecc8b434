"""History: every entry, filtered; edit and delete with undo; deleted entries come back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from mbc_journal.errors import JournalError
from mbc_journal.journal import Journal
from mbc_journal.model import Entry, EntryFilter, EntryVersion, ItemKind, Role, Value
from mbc_journal.signals import Level
from mbc_journal.ui import dates, errors
from mbc_journal.ui.announce import announce
from mbc_journal.ui.readings import who
from mbc_journal.ui.versions import VersionsDialog
from mbc_journal.ui.widgets.checkbox import ReadableCheckBox
from mbc_journal.wording import plural

COLUMNS = (
    "Date", "Time", "Symptom", "Sites", "Value", "Entered by", "Signal", "Versions", "Note",
)  # fmt: skip
SIGNAL_COLUMN, VERSIONS_COLUMN, NOTE_COLUMN = 6, 7, 8
# The level in the words the banner, Today, the command line and the report use.
SIGNAL_WORDS = {
    level.value: f"{'⚠' if level.is_urgent else '●' if level is not Level.INFO else '○'} "
    f"{level.short}"
    for level in Level
}
DEFAULT_SPAN_DAYS = 90
BLANK_WORDS = {1: "no time", 3: "no site", 6: "no signal", NOTE_COLUMN: "no note"}

Index = QModelIndex | QPersistentModelIndex


class EntryTableModel(QAbstractTableModel):
    """A read-only table over a list of entries (model/view: cheap for large lists)."""

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.entries: list[Entry] = []
        self.signal_levels: dict[int, str] = {}
        self.versions: dict[int, int] = {}  # earlier versions per entry id
        self.patient_name = ""
        self._day_of_row: list[int] = []
        self._day_starts: list[int] = []
        self._day_shade: QColor | None = None

    def set_day_shade(self, color: QColor) -> None:
        self._day_shade = color

    def set_entries(
        self,
        entries: list[Entry],
        flags: dict[int, str] | None = None,
        versions: dict[int, int] | None = None,
    ) -> None:
        self.beginResetModel()
        self.patient_name = self.journal.profile_name()
        self.entries = entries
        self._day_of_row, self._day_starts = [], []
        for row, entry in enumerate(entries):
            if row == 0 or entries[row - 1].local_date != entry.local_date:
                self._day_starts.append(row)
            self._day_of_row.append(len(self._day_starts) - 1)
        self.signal_levels = flags or {}
        self.versions = versions or {}
        self.endResetModel()

    def starts_day(self, row: int) -> bool:
        return row == 0 or self.entries[row - 1].local_date != self.entries[row].local_date

    def day_number(self, row: int) -> int:
        """Which day (0, 1, 2 … from the top) the row belongs to."""
        return self._day_of_row[row] if row < len(self._day_of_row) else 0

    def day_starts(self) -> list[int]:
        """The first row of each day, top to bottom."""
        return self._day_starts

    def earlier_versions(self, entry: Entry) -> int:
        return self.versions.get(entry.id, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0 and not self.starts_day(index.row()) and not entry.deleted:
                return ""  # the day is written once, on its first row: rows group by day
            return self._text(entry, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            # Days alternate in shade (not rows), so a day's entries read as one group.
            return self._day_shade if self.day_number(index.row()) % 2 else None
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text where a column cuts it
            if column == NOTE_COLUMN:
                return entry.note or None
            if column == VERSIONS_COLUMN:
                n = self.earlier_versions(entry)
                return f"{_versions_words(n)}: press Versions… to see them" if n else None
            if column == SIGNAL_COLUMN and entry.id in self.signal_levels:
                return Level(self.signal_levels[entry.id]).heading  # the words in full
            return self._text(entry, column) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # A blank cell still says something to a screen reader.
            if column == VERSIONS_COLUMN:
                return _versions_words(self.earlier_versions(entry)) or "no earlier versions"
            return self._text(entry, column) or BLANK_WORDS.get(column, "none")
        if role == Qt.ItemDataRole.FontRole and entry.deleted:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None

    def _text(self, entry: Entry, column: int) -> str:
        catalogue = self.journal.catalogue
        item = catalogue.item(entry.item_id) if catalogue.has_item(entry.item_id) else None
        if column == 0:
            return dates.show(entry.local_date) + ("  (deleted)" if entry.deleted else "")
        if column == 1:
            return entry.time.strftime("%H:%M") if entry.time else ""
        if column == 2:
            return item.label if item else entry.item_id
        if column == 3:
            return (
                ", ".join(catalogue.site(s).label.split(" ")[0] for s in item.sites) if item else ""
            )
        if column == 4:
            return item.format_value(entry.value, entry.unit) if item else f"{entry.value:g}"
        if column == 5:
            return who(entry.person, self.patient_name)
        if column == 6:
            return SIGNAL_WORDS.get(self.signal_levels.get(entry.id, ""), "")
        if column == VERSIONS_COLUMN:
            n = self.earlier_versions(entry)
            return f"{n} earlier" if n else ""
        return " ".join(entry.note.split())


def _versions_words(n: int) -> str:
    return f"{n} earlier version{'' if n == 1 else 's'}" if n else ""


class EntryCommand(QUndoCommand):
    """Undo/redo by putting entries back to saved versions: one step for all of them
    (a delete of three entries comes back in one Ctrl+Z). Each way says what it did."""

    def __init__(
        self, screen: HistoryScreen, verb: str, changes: list[tuple[Entry, Entry]]
    ) -> None:
        super().__init__(f"{verb}: {plural(len(changes), 'entry')}")
        self.screen, self.verb, self.changes = screen, verb, changes
        self._first = True

    def redo(self) -> None:
        if self._first:  # the change was already made when the command was pushed
            self._first = False
            return
        after = [a for _b, a in self.changes]
        self.screen.put_back(after, self.screen.done_words(self.verb, after, again=True))

    def undo(self) -> None:
        before = [b for b, _a in self.changes]
        self.screen.put_back(before, self.screen.undone_words(self.verb, before))


class EditEntryDialog(QDialog):
    """Change an entry's value, date, time and note; the core validates."""

    def __init__(self, journal: Journal, entry: Entry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.entry = journal, entry
        self.item = journal.catalogue.item(entry.item_id)
        self.setWindowTitle(f"Edit entry — {self.item.label}")
        form = QFormLayout(self)
        self.value = QLineEdit(self._value_text())
        self.value.setAccessibleName("Value")
        hint = {
            ItemKind.RATING: "0 (none) to 10 (worst imaginable)",
            ItemKind.EVENT: "how many times (1 or more)",
            ItemKind.MEASUREMENT: f"a number in {', '.join(self.item.units)}",
        }[self.item.kind]
        self.value.setToolTip(hint)
        self.date = QDateEdit(
            QDate(entry.local_date.year, entry.local_date.month, entry.local_date.day)
        )
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(dates.QT_FORMAT)
        self.date.setMaximumDate(QDate.currentDate())
        self.date.setAccessibleName("Date")
        self.note = QLineEdit(entry.note)
        self.note.setAccessibleName("Note")
        self.has_time = ReadableCheckBox("at")
        self.has_time.setAccessibleName("The entry has a time")
        self.has_time.setChecked(entry.time is not None)
        when = entry.time or dt.time(12, 0)
        self.time = QTimeEdit(QTime(when.hour, when.minute))
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName("Time")
        self.time.setEnabled(entry.time is not None)
        self.has_time.toggled.connect(self.time.setEnabled)
        when_row = QHBoxLayout()
        when_row.addWidget(self.date)
        when_row.addWidget(self.has_time)
        when_row.addWidget(self.time)
        form.addRow(QLabel(f"<b>{self.item.label}</b>"))
        form.addRow(f"Value ({hint})", self.value)
        form.addRow("Date", when_row)
        form.addRow("Note", self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _value_text(self) -> str:
        if self.item.kind is ItemKind.MEASUREMENT:
            return self.item.format_value(self.entry.value, self.entry.unit)
        return str(int(self.entry.value))

    def new_value(self) -> Value:
        return self.journal.draft_from_text(self.item.id, self.value.text()).value

    def new_date(self) -> dt.date:
        q = self.date.date()
        return dt.date(q.year(), q.month(), q.day())

    def new_time(self) -> dt.time | None:
        if not self.has_time.isChecked():
            return None
        t = self.time.time()
        return dt.time(t.hour(), t.minute())


COLUMN_EMS = (8.5, 5, 12, 6.5, 9, 10, 8, 6.5)  # fits 960 px; the note takes the rest
NOTE_EMS = 12  # room the note keeps before the other columns grow
MAX_GROWTH = 1.35


class HistoryScreen(QWidget):
    """Signals: entries_changed() — an entry was edited, deleted or restored."""

    entries_changed = Signal()

    def __init__(
        self, journal: Journal, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.undo_stack = undo_stack
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.site = QComboBox()
        self.site.setAccessibleName("Filter by site")
        self.site.addItem("All sites", None)
        for site in journal.catalogue.sites:
            self.site.addItem(site.label, site.id)
        self.item = QComboBox()
        self.item.setAccessibleName("Filter by symptom")
        self.who = QComboBox()
        self.who.setAccessibleName("Filter by who entered it")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-DEFAULT_SPAN_DAYS + 1))
        self.date_to = QDateEdit(today)
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(dates.QT_FORMAT)
            edit.setMaximumDate(today)
            edit.setAccessibleName(name)
        # Combos size to a short text, not to their longest item, so the window fits
        # a small laptop screen; the open list still shows whole labels.
        for combo in (self.site, self.item, self.who):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self.show_deleted = ReadableCheckBox("Show deleted")
        self.show_deleted.setAccessibleName("Show deleted entries")
        date_row = QHBoxLayout()
        for row, pairs in (
            (filters, (("Site", self.site), ("Symptom", self.item), ("By", self.who))),
            (date_row, (("From", self.date_from), ("to", self.date_to))),
        ):
            for label, widget in pairs:
                row.addWidget(QLabel(label))
                row.addWidget(widget)
        date_row.addWidget(self.show_deleted)
        for row in (filters, date_row):
            row.addStretch(1)
            layout.addLayout(row)

        self.model = EntryTableModel(journal)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Entries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleDescription(
            "Newest first, grouped by day. Ctrl+Down: next day, Ctrl+Up: previous day. "
            "Delete: delete the selected entries (Ctrl+Z undoes). Enter: edit."
        )
        palette = self.table.palette()
        self.model.set_day_shade(palette.color(QPalette.ColorRole.AlternateBase))
        self.table.installEventFilter(self)
        # Delete or Backspace on the table deletes the selection (one undo step).
        self.delete_action = QAction("Delete the selected entries", self.table)
        self.delete_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)]
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # Fixed widths: measuring every row would be slow with 20 years of entries.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._fit_columns()
        self.table.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.6))
        layout.addWidget(self.table, 1)

        actions = QHBoxLayout()
        self.count = QLabel()
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        self.restore_button = QPushButton("Bring back")
        self.versions_button = QPushButton("Versions…")
        self.versions_button.setAccessibleName("See the selected entry's earlier versions")
        self.versions_button.setToolTip(
            "Every change keeps the version before it: see them, and bring one back"
        )
        self.edit_button.setAccessibleName("Edit the selected entry")
        self.delete_button.setAccessibleName("Delete the selected entries")
        self.restore_button.setAccessibleName("Bring back the selected deleted entries")
        self.delete_button.setToolTip(
            "Deleted entries are kept and can be brought back (Ctrl+Z undoes)"
        )
        actions.addWidget(self.count, 1)
        for button in (
            self.edit_button,
            self.delete_button,
            self.restore_button,
            self.versions_button,
        ):
            actions.addWidget(button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("History status")
        self.status.setVisible(False)
        layout.addWidget(self.status)
        layout.addLayout(actions)

        self.site.currentIndexChanged.connect(self._on_site_changed)
        for signal in (
            self.item.currentIndexChanged,
            self.who.currentIndexChanged,
            self.date_from.dateChanged,
            self.date_to.dateChanged,
            self.show_deleted.toggled,
        ):
            signal.connect(lambda *_: self.refresh())
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.versions_button.clicked.connect(self.show_versions_of_selected)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._fill_items()
        self._fill_people()
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            control = event.modifiers() == Qt.KeyboardModifier.ControlModifier
            if control and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.jump_day(1 if event.key() == Qt.Key.Key_Down else -1)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.edit_selected()
                return True
        return super().eventFilter(watched, event)

    def go_to_row(self, row: int) -> None:
        """The cursor to ``row``, and the selection that row alone, whatever modifier is
        held (Ctrl would otherwise add the row to the selection, as a click with Ctrl)."""
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def jump_day(self, step: int) -> None:
        """Select the first entry of the next (1) or previous (-1) day."""
        starts = self.model.day_starts()
        if not starts:
            return
        current = self.table.currentIndex().row()
        day = self.model.day_number(current) if current >= 0 else -1
        target = starts[max(0, min(len(starts) - 1, day + step))]
        if current >= 0 and step < 0 and current != starts[day]:
            target = starts[day]  # Up from inside a day: to its first entry
        self.go_to_row(target)

    # filters -----------------------------------------------------------------

    def _on_site_changed(self) -> None:
        self._fill_items()
        self.refresh()

    def _fill_items(self) -> None:
        site_id = self.site.currentData()
        self.item.blockSignals(True)
        self.item.clear()
        self.item.addItem("All symptoms", None)
        items = (
            self.journal.catalogue.items_for_site(site_id)
            if site_id
            else self.journal.catalogue.items
        )
        for item in sorted(items, key=lambda i: i.label.lower()):
            self.item.addItem(item.label, item.id)
        self.item.blockSignals(False)

    def _fill_people(self) -> None:
        current = self.who.currentData()
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem("Anyone", None)
        self.who.addItem("The patient", ("role", Role.PATIENT))
        for name in self.journal.people():
            self.who.addItem(f"{name} (caregiver)", ("name", name))
        self.who.setCurrentIndex(max(0, self.who.findData(current)))
        self.who.blockSignals(False)

    def current_filter(self) -> EntryFilter:
        who = self.who.currentData()
        item_id = self.item.currentData()
        f, t = self.date_from.date(), self.date_to.date()
        return EntryFilter(
            date_from=dt.date(f.year(), f.month(), f.day()),
            date_to=dt.date(t.year(), t.month(), t.day()),
            site_id=self.site.currentData(),
            item_ids=(item_id,) if item_id else None,
            entered_by=who[1] if who and who[0] == "name" else None,
            role=who[1] if who and who[0] == "role" else None,
            include_deleted=self.show_deleted.isChecked(),
        )

    def _fit_columns(self) -> None:
        """Fixed widths (measuring 20 years of rows would be slow) that grow with a wider
        window, so a signal's words or a caregiver's name are not cut at 1280 px."""
        em = self.fontMetrics().horizontalAdvance("M")
        base = sum(COLUMN_EMS) * em
        room = self.width() - (NOTE_EMS + 3) * em  # the table fills the screen
        growth = max(1.0, min(MAX_GROWTH, room / base)) if base else 1.0
        for column, width in enumerate(COLUMN_EMS):
            self.table.setColumnWidth(column, int(width * em * growth))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_columns()

    def refresh(self) -> None:
        try:
            if self.who.count() - 2 != len(self.journal.people()):
                self._fill_people()
            where = self.current_filter()
            if where.date_from and where.date_to and where.date_from > where.date_to:
                self.count.setText("The 'from' date is after the 'to' date.")
                self.model.set_entries([])
                return
            entries = self.journal.entries(where)
            versions = self.journal.versions_count()  # the few with versions, not an IN list
        except JournalError as error:
            errors.show_error(self, error)
            return
        entries.reverse()  # newest first
        self.model.set_entries(entries, self._signal_flags(where), versions)
        n = len(entries)
        self.count.setText(f"{n:,} entr{'y' if n == 1 else 'ies'}")
        self._update_buttons()

    def _signal_flags(self, where: EntryFilter) -> dict[int, str]:
        """Which shown entries raised a safety signal (the most urgent level each)."""
        order = {level.value: n for n, level in enumerate(Level)}  # most urgent first
        flags: dict[int, str] = {}
        signals = self.journal.signals(where.date_from, where.date_to)
        for signal in sorted(signals, key=lambda s: order.get(s.level.value, 0), reverse=True):
            for entry_id in signal.entry_ids:
                flags[entry_id] = signal.level.value  # the most urgent is written last
        return flags

    def show_all_dates(self) -> None:
        self.date_from.setDate(QDate(1900, 1, 1))

    # actions -----------------------------------------------------------------

    def selected_entries(self) -> list[Entry]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.entries[r] for r in rows]

    def select_entry(self, entry_id: int) -> bool:
        return self.select_entries([entry_id])

    def select_entries(self, entry_ids: list[int]) -> bool:
        """Select the rows of these entries, the cursor on the first; False if none shows."""
        wanted = set(entry_ids)
        rows = [r for r, e in enumerate(self.model.entries) if e.id in wanted]
        if not rows:
            return False
        self.go_to_row(rows[0])
        selection = self.table.selectionModel()
        for row in rows[1:]:
            selection.select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        return True

    def _update_buttons(self) -> None:
        chosen = self.selected_entries()
        self.edit_button.setEnabled(len(chosen) == 1 and not chosen[0].deleted)
        self.delete_button.setEnabled(any(not e.deleted for e in chosen))
        self.restore_button.setEnabled(any(e.deleted for e in chosen))
        self.versions_button.setEnabled(
            len(chosen) == 1 and self.model.earlier_versions(chosen[0]) > 0
        )

    def delete_selected(self) -> None:
        chosen = [e for e in self.selected_entries() if not e.deleted]
        row = self.table.currentIndex().row()
        done = self._change(chosen, "Delete", self.journal.delete_entry)
        if done:
            # The keyboard stays in the list: on the entry itself if deleted ones show,
            # else on the one that took its place.
            if not self.select_entries([e.id for e in done]) and self.model.rowCount():
                self.go_to_row(min(max(row, 0), self.model.rowCount() - 1))
            self.show_status(self.done_words("Delete", done))

    def restore_selected(self) -> None:
        chosen = [e for e in self.selected_entries() if e.deleted]
        done = self._change(chosen, "Bring back", self.journal.undelete_entry)
        if done:
            self.select_entries([e.id for e in done])
            self.show_status(self.done_words("Bring back", done))

    def _change(self, chosen: list[Entry], verb: str, op: Any) -> list[Entry]:
        """Apply ``op`` to each entry, as one undo step; the entries as they are now."""
        changes: list[tuple[Entry, Entry]] = []
        try:
            for entry in chosen:
                changes.append((entry, op(entry.id)))
        except JournalError as error:
            errors.show_error(self, error)
        if changes:  # what was done before an error is undone too
            self.undo_stack.push(EntryCommand(self, verb, changes))
            self._after_change()
        return [after for _before, after in changes]

    def entries_words(self, entries: list[Entry]) -> str:
        """ "Cough 2 (mild), Mon 02 Jun; …": which entries, as a screen reader hears them."""
        shown = [
            f"{self.model._text(e, 2)} {self.model._text(e, 4)}, {dates.show(e.local_date)}"
            for e in entries[:3]
        ]
        more = f"; and {len(entries) - 3} more" if len(entries) > 3 else ""
        return "; ".join(shown) + more

    def done_words(self, verb: str, entries: list[Entry], *, again: bool = False) -> str:
        what = f"{plural(len(entries), 'entry')}: {self.entries_words(entries)}"
        if verb == "Delete":
            return (
                f"Deleted {what}. Deleted entries are kept (Show deleted, then Bring back), "
                "and Ctrl+Z undoes."
            )
        if verb == "Bring back":
            return f"Brought back {what}. Ctrl+Z deletes again."
        return f"{'Done again' if again else 'Done'}: {verb.lower()}. Now {what}. Ctrl+Z undoes."

    def undone_words(self, verb: str, entries: list[Entry]) -> str:
        what = f"{plural(len(entries), 'entry')}: {self.entries_words(entries)}"
        if verb == "Delete":
            return f"Brought back {what} (the delete is undone; Ctrl+Shift+Z deletes again)."
        if verb == "Bring back":
            return f"Deleted again {what} (bringing back is undone; Ctrl+Shift+Z redoes)."
        return f"Undone: {verb.lower()}. As before, {what}. Ctrl+Shift+Z redoes."

    def edit_selected(self) -> None:
        chosen = self.selected_entries()
        if len(chosen) != 1 or chosen[0].deleted:
            return
        self.edit_entry(chosen[0], self.open_edit_dialog)

    def open_edit_dialog(self, dialog: EditEntryDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def edit_entry(self, entry: Entry, run_dialog: Any) -> None:
        dialog = EditEntryDialog(self.journal, entry, self)
        while run_dialog(dialog):
            try:
                after = self.journal.update_entry(
                    entry.id,
                    value=dialog.new_value(),
                    note=dialog.note.text(),
                    day=dialog.new_date(),
                    time=dialog.new_time(),
                )
            except JournalError as error:
                errors.show_error(dialog, error)
                continue  # the dialog keeps what was typed
            self.undo_stack.push(EntryCommand(self, "Edit", [(entry, after)]))
            self._after_change()
            self.select_entry(after.id)
            break

    def show_versions_of_selected(self) -> None:
        chosen = self.selected_entries()
        if len(chosen) == 1:
            self.open_versions_dialog(self.versions_dialog(chosen[0]))

    def versions_dialog(self, entry: Entry) -> VersionsDialog:
        return VersionsDialog(self.journal, entry, self.bring_back, self)

    def open_versions_dialog(self, dialog: VersionsDialog) -> None:
        dialog.exec()

    def bring_back(self, version: EntryVersion) -> Entry | None:
        """Make an earlier version current (one undo step); what it replaces is kept."""
        try:
            before = self.journal.entry(version.entry_id)
            after = self.journal.bring_back(version.id)
        except JournalError as error:
            errors.show_error(self, error)
            return None
        self.undo_stack.push(EntryCommand(self, "Bring back an earlier version", [(before, after)]))
        self._after_change()
        catalogue = self.journal.catalogue
        known = catalogue.has_item(after.item_id)
        label = catalogue.item(after.item_id).label if known else after.item_id
        value = (
            catalogue.item(after.item_id).format_value(after.value, after.unit)
            if known
            else f"{after.value:g}"
        )
        self.show_status(
            f"Brought back an earlier version of {label} ({value}, on "
            f"{dates.show(after.local_date)}); the one it replaced is kept as a version "
            "(Ctrl+Z undoes)."
        )
        self.select_entry(after.id)
        return after

    def show_status(self, text: str) -> None:
        """What was done, on screen and said aloud (as the check-in says a save)."""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        if text:
            announce(self.status, text)

    def put_back(self, versions: list[Entry], status: str) -> None:
        """Undo or redo: entries back to these versions; the cursor on them, and the
        status (read aloud) says what came back or went again."""
        row = self.table.currentIndex().row()
        try:
            for version in versions:
                self.journal.restore_entry_version(version)
        except JournalError as error:
            errors.show_error(self, error)
        self._after_change()
        if not self.select_entries([v.id for v in versions]) and self.model.rowCount():
            self.go_to_row(min(max(row, 0), self.model.rowCount() - 1))
        self.show_status(status)

    def _after_change(self) -> None:
        self.refresh()
        self.entries_changed.emit()
