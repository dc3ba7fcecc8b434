"""The urgent banner: contact your care team now, with their numbers.

Kept free of core imports, so the main window can build it before the journal loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface
from PySide6.QtWidgets import (
    QAccessibleWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from mbc_journal.signals import SafetySignal


MAX_TITLES = 2  # urgent signals listed by title below the first one


def _alert_role(key: str, obj: QObject) -> QAccessibleInterface | None:
    """Screen readers hear the banner as an alert (AT-SPI "alert"), not a plain panel."""
    if isinstance(obj, UrgentBanner):
        return QAccessibleWidget(obj, QAccessible.Role.AlertMessage, "")
    return None


_factory_installed = False


def _install_alert_role() -> None:
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_alert_role)
        _factory_installed = True


class UrgentBanner(QFrame):
    """A prominent banner for urgent signals, with the care team's numbers.

    Signals: acknowledged() — the user confirmed they have seen it.
    """

    acknowledged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        _install_alert_role()
        super().__init__(parent)
        self.setObjectName("urgentBanner")
        # Strong colour and a symbol and words: never colour alone.
        self.setStyleSheet(
            "#urgentBanner { background: #B00020; border-radius: 6px; }"
            "#urgentBanner QLabel { color: white; }"
        )
        layout = QHBoxLayout(self)
        icon = QLabel("⚠")
        font = icon.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        icon.setFont(font)
        text_box = QVBoxLayout()
        self.title = QLabel()
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        self.title.setFont(title_font)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)  # at 200 % text the banner must not widen the window
        self.phones = QLabel()
        self.phones.setWordWrap(True)
        self.phones.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phones.setFont(title_font)
        for label in (self.title, self.details, self.phones):
            text_box.addWidget(label)
        self.ack_button = QPushButton("I have seen this")
        self.ack_button.setAccessibleName("I have seen this warning")
        layout.addWidget(icon)
        layout.addLayout(text_box, 1)
        layout.addWidget(self.ack_button)
        self.setAccessibleName("Urgent: contact your care team now")
        self.ack_button.clicked.connect(self.acknowledged)
        self.signals: list[SafetySignal] = []
        self.shown: list[SafetySignal] = []
        self.announced: list[str] = []  # what screen readers were told, newest last
        self._told: set[str] = set()  # signal keys already announced
        self.hide()

    def show_signals(self, signals: list[SafetySignal], phones: str) -> None:
        """Show the urgent ones of ``signals`` (the caller picks them)."""
        self.signals = sorted((s for s in signals if s.level.is_urgent), key=lambda s: s.level.rank)
        if not self.signals:
            self.hide()
            return
        # The most urgent level, in the words the command line and the report use.
        heading = self.signals[0].level.heading
        self.title.setText(heading)
        self.setAccessibleName(f"Warning: {heading}")
        # Bounded, so the check-in keeps its room: the newest in full, the rest by title.
        first, rest = self.signals[0], self.signals[1:]
        # "I have seen this" is only for what the banner shows (the rest stay in it).
        self.shown = self.signals[: 1 + MAX_TITLES]
        who = " (entered by a caregiver)" if first.by_caregiver else ""
        lines = [f"{first.day:%a %d %b}: {first.title} — {first.text}{who}"]
        # A less urgent one under a higher heading says its own level.
        lines += [
            f"{s.day:%a %d %b}: {s.title}"
            + ("" if s.level is first.level else f" ({s.level.heading})")
            for s in rest[:MAX_TITLES]
        ]
        if len(rest) > MAX_TITLES:
            lines.append(f"…and {len(rest) - MAX_TITLES} more (History marks each one).")
        self.details.setText("\n".join(lines))
        self.phones.setText(phones)
        self.show()
        self._announce(heading, [s for s in self.signals if s.key not in self._told], phones)

    def _announce(self, heading: str, new: list[SafetySignal], phones: str) -> None:
        """Tell a screen reader at once, interrupting, about signals it has not heard."""
        if not new:
            return
        self._told.update(s.key for s in new)
        titles = "; ".join(s.title for s in new[: 1 + MAX_TITLES])
        message = f"{heading}. {titles}. {phones}"
        self.announced.append(message)
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))
        try:  # Qt 6.8 and newer
            from PySide6.QtGui import QAccessibleAnnouncementEvent
        except ImportError:
            return
        event = QAccessibleAnnouncementEvent(self, message)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)
