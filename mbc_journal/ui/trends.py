"""Trends: symptoms over time beside treatments and appointments.

matplotlib is imported only when this screen first draws (start-up never pays
for it); the chart itself is built by the Qt-free ``mbc_journal.charts``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mbc_journal.errors import JournalError
from mbc_journal.journal import Journal
from mbc_journal.model import Item, ItemDays, ItemKind
from mbc_journal.ui import dates, errors
from mbc_journal.ui.qsettings import last_folder, remember_folder, text_scale
from mbc_journal.ui.widgets.checkbox import frame_item_checks

RANGES = (
    ("7 days", 7),
    ("30 days", 30),
    ("90 days", 90),
    ("1 year", 365),
    ("All", 0),
    ("Custom", -1),
)
Index = QModelIndex | QPersistentModelIndex
EMPTY_TEXT = (
    "Nothing logged for these symptoms in this period yet.\n\n"
    "Each check-in adds a point; over the days they become lines you can compare "
    "with your treatments and appointments."
)


class DayTableModel(QAbstractTableModel):
    """The chart's data as a table: one row per logged day (newest first), one column
    per item shown. The same period and items as the chart, for reading by keyboard
    and screen reader."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.days: list[int] = []  # ordinals, newest first
        self.cells: dict[tuple[int, str], str] = {}

    def show(self, items: Sequence[Item], series: Mapping[str, ItemDays]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.cells = {}
        for item in self.items:
            days = series.get(item.id)
            if days is None:
                continue
            for n, ordinal in enumerate(days.ordinals):
                text = item.format_value(days.values[n])
                if days.lows[n] != days.values[n]:
                    text += f" (lowest {item.format_value(days.lows[n])})"
                if days.caregiver[n]:
                    text += " (caregiver)"
                self.cells[ordinal, item.id] = text
        self.days = sorted({ordinal for ordinal, _ in self.cells}, reverse=True)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.days)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return "Day" if section == 0 else self.items[section - 1].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        day = dt.date.fromordinal(self.days[index.row()])
        if index.column() == 0:
            return dates.show(day)
        text = self.cells.get((self.days[index.row()], self.items[index.column() - 1].id), "")
        if role == Qt.ItemDataRole.AccessibleTextRole and not text:
            return "not logged"
        return text


def describe_changes(items: Sequence[Item], series: Mapping[str, ItemDays]) -> str:
    """What changed over the period, in words (the chart's accessible description):
    each item's average in the first and the last third of its logged days, its highest
    day and its latest value."""
    parts = []
    for item in items:
        days = series.get(item.id)
        if days is None or not len(days):
            continue
        n = len(days)
        latest = dt.date.fromordinal(days.ordinals[-1])
        text = f"{item.label}: {n} day{'s' if n != 1 else ''} logged"
        if n >= 3:
            third = max(1, n // 3)
            before = math.fsum(days.values[:third]) / third
            after = math.fsum(days.values[-third:]) / third
            step = 0.5 if item.kind is ItemKind.RATING else 0.05 * max(abs(before), 1e-9)
            way = "up" if after - before > step else "down" if before - after > step else "steady"
            text += f", {way} (average {before:.1f} at first, {after:.1f} lately)"
        top = max(range(n), key=lambda i: days.values[i])
        text += (
            f", highest {item.format_value(days.values[top])} on "
            f"{dt.date.fromordinal(days.ordinals[top]):%d %b}"
            f", latest {item.format_value(days.values[-1])} on {latest:%d %b}"
        )
        parts.append(text)
    return ". ".join(parts) + "." if parts else "Nothing logged in this period."


class TrendsScreen(QWidget):
    """Signals: chart_drawn() — the chart (or the empty state) was redrawn."""

    chart_drawn = Signal()

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.canvas: Any = None
        self.figure: Any = None
        self._stale = True
        self._hover_day: dt.date | None = None
        self.description = ""
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.site = QComboBox()
        self.site.setAccessibleName("Organ site to chart")
        self.site.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.site.setMinimumContentsLength(12)
        mine = journal.my_sites()
        sites = sorted(journal.catalogue.sites, key=lambda s: s.id not in mine)
        for site in sites:
            self.site.addItem(site.label, site.id)
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.site)
        self.range_group = QButtonGroup(self)
        self.range_buttons: dict[str, QPushButton] = {}
        for n, (label, _days) in enumerate(RANGES):
            b = QPushButton(label)
            b.setCheckable(True)
            b.setAccessibleName(f"Show {label.lower()}")
            self.range_group.addButton(b, n)
            self.range_buttons[label] = b
            bar.addWidget(b)
        self.range_buttons["90 days"].setChecked(True)
        today = QDate.currentDate()
        self.custom_from = QDateEdit(today.addDays(-29))
        self.custom_to = QDateEdit(today)
        for edit, name in (
            (self.custom_from, "Custom range from"),
            (self.custom_to, "Custom range to"),
        ):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(dates.QT_FORMAT)
            edit.setMaximumDate(today)
            edit.setAccessibleName(name)
            edit.setVisible(False)
        bar.addStretch(1)
        layout.addLayout(bar)
        # A second row, so choosing Custom never widens the window.
        row = QHBoxLayout()
        self.custom_label = QLabel("From")
        self.custom_label.setVisible(False)
        self.custom_to_label = QLabel("to")
        self.custom_to_label.setVisible(False)
        row.addWidget(self.custom_label)
        row.addWidget(self.custom_from)
        row.addWidget(self.custom_to_label)
        row.addWidget(self.custom_to)
        row.addStretch(1)
        self.table_button = QPushButton("Table (Ctrl+T)")
        self.table_button.setCheckable(True)
        # An action, not the button's own shortcut (that clicks after an animation).
        self.table_action = QAction("Show as a table", self)
        self.table_action.setShortcut(QKeySequence("Ctrl+T"))
        self.table_action.triggered.connect(self._on_table_action_triggered)
        self.addAction(self.table_action)
        self.table_button.setAccessibleName("Show the chart's data as a table (Ctrl+T)")
        self.table_button.setToolTip("The same days and symptoms as a table, to read or copy")
        row.addWidget(self.table_button)
        self.save_button = QPushButton("Save chart…")
        self.save_button.setAccessibleName("Save the chart as PNG or SVG")
        row.addWidget(self.save_button)
        layout.addLayout(row)

        split = QSplitter()
        self.items = QListWidget()
        frame_item_checks(self.items)  # its tick boxes seen on any palette
        self.items.setAccessibleName("Symptoms shown in the chart")
        self.items.setMaximumWidth(280)
        # Long labels wrap (their whole text is also the tooltip): the list never
        # scrolls sideways on a small screen.
        self.items.setWordWrap(True)
        self.items.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view = QStackedWidget()
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No data to chart")
        self.view.addWidget(self.empty)
        self.table_model = DayTableModel()
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Trend data by day")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.view.addWidget(self.table)
        split.addWidget(self.items)
        split.addWidget(self.view)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.hover = QLabel("Point at the chart to read a day's values.")
        self.hover.setTextFormat(Qt.TextFormat.PlainText)
        self.hover.setWordWrap(True)
        self.hover.setAccessibleName("Values on the day under the pointer")
        layout.addWidget(self.hover)

        self.site.currentIndexChanged.connect(self._on_site_changed)
        self.range_group.idClicked.connect(self._on_range_clicked)
        self.custom_from.dateChanged.connect(lambda _d: self.redraw())
        self.custom_to.dateChanged.connect(lambda _d: self.redraw())
        self.items.itemChanged.connect(lambda _i: self.redraw())
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.table_button.toggled.connect(lambda _on: self.redraw())
        self._fill_items()

    def _on_table_action_triggered(self) -> None:
        """Ctrl+T: the table, with the keyboard in it, so a screen reader reads it (the
        focus stayed on the site box, and nothing was read); again: back to the chart."""
        self.table_button.toggle()
        if self.table_button.isChecked():
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if not self.table.currentIndex().isValid() and self.table_model.rowCount() > 0:
                self.table.setCurrentIndex(self.table_model.index(0, 0))

    # choices ----------------------------------------------------------------

    def _on_site_changed(self) -> None:
        self._fill_items()
        self.redraw()

    def _fill_items(self) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        for item in self.journal.catalogue.items_for_site(self.site.currentData()):
            row = QListWidgetItem(item.label)
            row.setToolTip(item.label)
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked)
            self.items.addItem(row)
        self.items.blockSignals(False)

    def set_site(self, site_id: str) -> None:
        self.site.setCurrentIndex(self.site.findData(site_id))

    def set_range(self, label: str) -> None:
        self.range_buttons[label].click()

    def only_items(self, item_ids: set[str]) -> None:
        self.items.blockSignals(True)
        for i in range(self.items.count()):
            row = self.items.item(i)
            wanted = row.data(Qt.ItemDataRole.UserRole) in item_ids
            row.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.items.blockSignals(False)
        self.redraw()

    def chosen_items(self) -> list[Item]:
        catalogue = self.journal.catalogue
        return [
            catalogue.item(self.items.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.items.count())
            if self.items.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _on_range_clicked(self, n: int) -> None:
        custom = RANGES[n][1] == -1
        self.custom_from.setVisible(custom)
        self.custom_to.setVisible(custom)
        self.custom_label.setVisible(custom)
        self.custom_to_label.setVisible(custom)
        self.redraw()

    def period(self) -> tuple[dt.date, dt.date]:
        today = dt.date.today()
        days = RANGES[max(0, self.range_group.checkedId())][1]
        if days > 0:
            return today - dt.timedelta(days=days - 1), today
        if days == 0:
            first = self.journal.first_day() or today
            return min(first, today - dt.timedelta(days=6)), today
        f, t = self.custom_from.date(), self.custom_to.date()
        start, end = dt.date(f.year(), f.month(), f.day()), dt.date(t.year(), t.month(), t.day())
        return (start, end) if start <= end else (end, start)

    # drawing ----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.redraw()

    def mark_stale(self) -> None:
        """New data: redraw now if visible, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.redraw()

    def redraw(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        from mbc_journal import charts

        start, end = self.period()
        items = self.chosen_items()
        try:
            data = charts.ChartData(
                items,
                self.journal.item_days(start, end, [i.id for i in items]),
                start,
                end,
                self.journal.treatments(),
                self.journal.appointments(),
            )
        except JournalError as error:
            errors.show_error(self, error)
            return
        self.description = describe_changes(items, data.series)
        if data.empty:
            self.view.setCurrentWidget(self.empty)
            self.figure = None
            self.chart_drawn.emit()
            return
        if self.table_button.isChecked():  # the table needs no matplotlib
            self.table_model.show(items, data.series)
            self.table.setAccessibleDescription(self.description)
            self.view.setCurrentWidget(self.table)
            self.chart_drawn.emit()
            return
        self._ensure_canvas()
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        site = self.site.currentText()
        title = f"{site}: {start:%d %b %Y} – {end:%d %b %Y}"
        scale = text_scale()  # the chart's text follows the app's text size
        figure = charts.build(
            data,
            width=10 / scale,
            dpi=100 * scale,
            theme=charts.DARK if dark else charts.LIGHT,
            title=title,
        )
        self._data = data
        self._show_figure(figure)
        self.chart_drawn.emit()

    def _ensure_canvas(self) -> None:
        if self.canvas is not None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        self._canvas_class = FigureCanvasQTAgg

    def _show_figure(self, figure: Any) -> None:
        old = self.canvas
        self.canvas = self._canvas_class(figure)
        self.canvas.setAccessibleName("Trend chart")
        self.canvas.setAccessibleDescription(self.description)
        # A Tab stop, so a screen reader reaches the chart and reads what changed.
        self.canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.canvas.mpl_connect("motion_notify_event", self._on_canvas_motion)
        self.view.addWidget(self.canvas)
        self.view.setCurrentWidget(self.canvas)
        if old is not None:
            self.view.removeWidget(old)
            old.deleteLater()
        self.figure = figure

    def _on_canvas_motion(self, event: Any) -> None:
        if event.xdata is None:
            return
        import matplotlib.dates as mdates

        day = mdates.num2date(round(event.xdata)).date()
        if day != self._hover_day:
            self._hover_day = day
            self.hover.setText(self.describe_day(day))

    def describe_day(self, day: dt.date) -> str:
        """The chosen items' values (and notes) on ``day``, in words."""
        wanted = {i.id for i in self.chosen_items()}
        try:
            entries = [e for e in self.journal.entries_on(day) if e.item_id in wanted]
        except JournalError:
            return ""
        if not entries:
            return f"{day:%a %d %b %Y}: nothing logged."
        parts = []
        for e in entries:
            item = self.journal.catalogue.item(e.item_id)
            text = f"{item.label} {item.format_value(e.value, e.unit)}"
            if e.time is not None and item.kind is not ItemKind.RATING:
                text += f" at {e.time:%H:%M}"  # each reading of the day with its time
            if e.person.is_caregiver:
                text += f" (by {e.person.name})"
            if e.note:
                text += f" — “{e.note}”"
            parts.append(text)
        return f"{day:%a %d %b %Y}: " + "; ".join(parts)

    # saving ----------------------------------------------------------------

    def _on_save_button_clicked(self) -> None:
        if self.figure is None:
            errors.show_message(
                self, "There is no chart to save yet: nothing is logged in this period."
            )
            return
        suggested = last_folder("chart") / f"trend-{dt.date.today().isoformat()}.png"
        name, _ = QFileDialog.getSaveFileName(
            self, "Save chart", str(suggested), "PNG image (*.png);;SVG image (*.svg)"
        )
        if name and self.save_chart(name):
            remember_folder("chart", Path(name))

    def save_chart(self, path: str) -> bool:
        from mbc_journal import charts

        if self.figure is None:
            return False
        if not path.lower().endswith((".png", ".svg")):
            path += ".png"
        try:
            charts.save(self.figure, path)
        except OSError as error:
            errors.show_message(self, f"The chart could not be saved there ({error.strerror}).")
            return False
        return True
