"""An entry's versions: what it holds now and every earlier version, each with who
entered it, when it was saved and what replaced it; one can be brought back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mbc_journal.errors import JournalError
from mbc_journal.journal import Journal
from mbc_journal.model import Entry, EntryVersion, Item
from mbc_journal.ui import dates, errors
from mbc_journal.ui.readings import who

VERSION_COLUMNS = (
    "Version",
    "Value",
    "Day and time",
    "Entered by",
    "Note",
    "Saved",
    "What replaced it",
)


def local_stamp(stamp: dt.datetime) -> str:
    """A stored instant (UTC) in the user's local time, short: "2 Dec 17:38" this
    year, "2 Dec 2025 17:38" before."""
    local = stamp.replace(tzinfo=dt.UTC).astimezone()
    year = "" if local.year == dt.date.today().year else f" {local.year}"
    return f"{local.day} {local:%b}{year} {local:%H:%M}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class VersionsDialog(QDialog):
    """The versions of one entry, newest first; the current one is on top.

    ``bring_back`` makes a chosen earlier version current (the History screen does it,
    so it goes on the undo stack) and returns the entry as it is then, or None.
    """

    def __init__(
        self,
        journal: Journal,
        entry: Entry,
        bring_back: Callable[[EntryVersion], Entry | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal, self.entry, self._bring_back = journal, entry, bring_back
        catalogue = journal.catalogue
        self.item: Item | None = (
            catalogue.item(entry.item_id) if catalogue.has_item(entry.item_id) else None
        )
        label = self.item.label if self.item else entry.item_id
        self.setWindowTitle(f"Versions — {label}")
        self.versions: list[EntryVersion] = []
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        explain = QLabel(
            "Every change or delete keeps the version before it. Choose an earlier "
            "version and press “Bring back this version” to make it current again; "
            "what it replaces is kept as a version too."
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.table = QTableWidget(0, len(VERSION_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(VERSION_COLUMNS))
        self.table.setAccessibleName("Versions of this entry, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)  # the note
        # What replaced it wraps in a column of its own width, so the note keeps room.
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(6, self.fontMetrics().horizontalAdvance("M") * 14)
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Versions status")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.bring_back_button = QPushButton("Bring back this version")
        self.bring_back_button.setAccessibleName("Bring back the chosen earlier version")
        self.bring_back_button.setToolTip(
            "Make the chosen version current again (Ctrl+Z in History undoes it)"
        )
        buttons.addButton(self.bring_back_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close the versions")
        layout.addWidget(buttons)
        self.bring_back_button.clicked.connect(self.bring_back_selected)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.resize(min(980, max(760, (parent.width() - 80) if parent else 820)), 420)
        self.reload()

    # showing -------------------------------------------------------------------

    def _value(self, number: float, unit: str | None, deleted: bool) -> str:
        text = self.item.format_value(number, unit) if self.item else f"{number:g}"
        return text + ("  (deleted)" if deleted else "")

    @staticmethod
    def _when(day: dt.date, time: dt.time | None) -> str:
        return dates.show(day) + (f" {time:%H:%M}" if time else "")

    def reload(self) -> None:
        try:
            self.entry = self.journal.entry(self.entry.id)
            self.versions = list(reversed(self.journal.entry_versions(self.entry.id)))
        except JournalError as error:
            errors.show_error(self, error)
            return
        e = self.entry
        label = self.item.label if self.item else e.item_id
        now = self._value(e.value, e.unit, e.deleted)
        self.heading.setText(
            f"{label}: {now} on {self._when(e.local_date, e.time)}"
            f" — {plural(len(self.versions), 'earlier version')}"
        )
        patient = self.journal.profile_name()
        rows = [
            (
                "Now",
                self._value(e.value, e.unit, e.deleted),
                self._when(e.local_date, e.time),
                who(e.person, patient),
                e.note,
                local_stamp(e.updated_at),
                "still current",
            )
        ]
        for n, v in enumerate(self.versions):
            rows.append(
                (
                    f"Earlier {len(self.versions) - n}",
                    self._value(v.value, v.unit, v.deleted),
                    self._when(v.local_date, v.time),
                    who(v.person, patient),
                    v.note,
                    local_stamp(v.saved_at),
                    f"{v.change.words}, {local_stamp(v.replaced_at)}",
                )
            )
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(" ".join(text.split()) if c == 4 else text)
                cell.setToolTip(text or "")
                if r == 0:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(r, c, cell)
        self.table.resizeRowsToContents()
        self.table.selectRow(1 if self.versions else 0)
        self._update_button()

    def chosen_version(self) -> EntryVersion | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() == 0:
            return None
        return self.versions[rows[0].row() - 1]

    def select_version(self, version_id: int) -> bool:
        for n, version in enumerate(self.versions):
            if version.id == version_id:
                self.table.selectRow(n + 1)
                return True
        return False

    def _update_button(self) -> None:
        chosen = self.chosen_version()
        self.bring_back_button.setEnabled(chosen is not None and not chosen.deleted)
        if chosen is not None and chosen.deleted:
            self.message.setText(
                "That version is of the entry deleted; choose another one to bring back."
            )

    # acting ----------------------------------------------------------------------

    def bring_back_selected(self) -> bool:
        chosen = self.chosen_version()
        if chosen is None or chosen.deleted:
            return False
        after = self._bring_back(chosen)
        if after is None:
            return False
        self.reload()
        self.message.setText(
            f"Brought back {self._value(chosen.value, chosen.unit, False)}, the version "
            f"saved {local_stamp(chosen.saved_at)}. The one it replaced is kept above."
        )
        self.table.selectRow(0)
        return True
