"""Safety signals in the window: Today's list (the banner is ui/widgets/banner.py).

Wording comes from the core (mbc_journal.signals): it never diagnoses and
always points to the care team.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mbc_journal.errors import JournalError
from mbc_journal.signals import Level, SafetySignal, needs_emergency_number
from mbc_journal.ui import errors
from mbc_journal.ui.qsettings import ui_settings

if TYPE_CHECKING:  # the journal (and SQLAlchemy) load after the first paint
    from mbc_journal.journal import Journal

CURRENT_DAYS = 7
NBSP = "\u00a0"
MAX_SHOWN = 3  # so the check-in stays on screen
# The list never takes more of the check-in's height than this (it scrolls within it):
# at 200 % text or on a small screen it took all of it, and no rating was visible.
MAX_SHARE = 0.3
# The same words for a level in the app, the command line and the report.
LEVEL_WORDS = {level: level.heading for level in Level}
MARKS = {Level.EMERGENCY: "⚠", Level.URGENT: "⚠", Level.WITHIN_24H: "●", Level.NEXT_VISIT: "●"}


def current_signals(journal: Journal, today: dt.date | None = None) -> list[SafetySignal]:
    """Unacknowledged signals of the last week, most urgent first."""
    today = today or dt.date.today()
    found = journal.signals(today - dt.timedelta(days=CURRENT_DAYS - 1), today)
    seen = journal.acknowledged()
    return sorted(
        (s for s in found if s.key not in seen),
        key=lambda s: (s.level.rank, -s.day.toordinal()),
    )


def contacts_text(journal: Journal, signals: list[SafetySignal] | None = None) -> str:
    """The numbers to call: the emergency number when a signal says to call it, then
    the care team's."""
    emergency = ""
    if signals and any(needs_emergency_number(s) for s in signals):
        emergency = f"Emergency: {journal.emergency_number()}\n"
    team = journal.care_team()
    if not team:
        return emergency + "No care team numbers saved yet — add them in Settings."
    # A number never breaks across lines when the banner wraps (at 200 % text it is
    # narrower than the numbers): its spaces are non-breaking.
    return emergency + "   ".join(f"{c.name or c.role}: {c.phone.replace(' ', NBSP)}" for c in team)


class SignalsList(QFrame):
    """Today's list of current (unacknowledged) signals.

    Signals: acknowledged(object) — the SafetySignal the user acknowledged.
    """

    acknowledged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Never more than it holds: the room left goes to the check-in's rows.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 4, 8, 4)
        self.rows: list[tuple[SafetySignal, QPushButton]] = []
        self.toggle = QToolButton()
        self.body: QScrollArea | None = None
        self._watched: QWidget | None = None
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._watched and event.type() == QEvent.Type.Resize:
            self._limit_height()
        return False

    def _limit_height(self) -> None:
        """At most MAX_SHARE of the screen it sits in, whatever the text size."""
        holder = self.parentWidget()
        if self.body is None or holder is None:
            return
        margins = self.layout_.contentsMargins()
        chrome = (
            self.toggle.sizeHint().height()
            + margins.top()
            + margins.bottom()
            + self.layout_.spacing()
            + 2 * self.frameWidth()
        )
        room = int(holder.height() * MAX_SHARE) - chrome
        self.body.setMaximumHeight(max(room, self.fontMetrics().height() * 2))

    def show_signals(self, signals: list[SafetySignal]) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater alone leaves it painted until then
                widget.deleteLater()
        self.rows = []
        if not signals:
            self.hide()
            return
        # A heading that folds the list away (remembered), so it never crowds the check-in.
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setChecked(not bool(ui_settings().value("checkin/signals_folded", False, bool)))
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setText(f"Things to tell your care team ({len(signals)}, from the last 7 days)")
        self.toggle.setAccessibleName("Show or hide the things to tell your care team")
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.toggled.connect(self._on_toggle_toggled)
        self.layout_.addWidget(self.toggle)
        # The rows scroll inside the list when the screen is short (a low-vision user's
        # 200 % text), so the check-in's rows keep their room below.
        self.body = QScrollArea()
        self.body.setWidgetResizable(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        rows = QVBoxLayout(inner)
        rows.setContentsMargins(0, 0, 0, 0)
        self.body.setWidget(inner)
        self.layout_.addWidget(self.body)
        shown = signals[:MAX_SHOWN]  # most urgent first; the rest are in History
        for signal in shown:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            mark = MARKS.get(signal.level, "○")
            who = " (entered by a caregiver)" if signal.by_caregiver else ""
            text = QLabel(f"{mark} <b>{LEVEL_WORDS[signal.level]}:</b> ")
            body = QLabel(f"{signal.day:%a %d %b} — {signal.title}. {signal.text}{who}")
            body.setTextFormat(Qt.TextFormat.PlainText)
            body.setWordWrap(True)
            button = QPushButton("Seen")
            button.setAccessibleName(f"Mark as seen: {signal.title}")
            button.clicked.connect(lambda _=False, s=signal: self.acknowledged.emit(s))
            line.addWidget(text)
            line.addWidget(body, 1)
            line.addWidget(button)
            rows.addWidget(row)
            self.rows.append((signal, button))
        if len(signals) > len(shown):
            more = QLabel(
                f"…and {len(signals) - len(shown)} more; History marks every entry that raised one."
            )
            rows.addWidget(more)
        holder = self.parentWidget()
        if holder is not None and holder is not self._watched:
            holder.installEventFilter(self)
            self._watched = holder
        self._limit_height()
        self._on_toggle_toggled(self.toggle.isChecked())
        self.show()

    def _on_toggle_toggled(self, unfolded: bool) -> None:
        ui_settings().setValue("checkin/signals_folded", not unfolded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if unfolded else Qt.ArrowType.RightArrow)
        if self.body is not None:
            self.body.setVisible(unfolded)

    @property
    def folded(self) -> bool:
        return not self.toggle.isChecked()


def acknowledge(parent: QWidget, journal: Journal, signals: list[SafetySignal]) -> bool:
    try:
        for signal in signals:
            journal.acknowledge(signal)
    except JournalError as error:
        errors.show_error(parent, error)
        return False
    return True
