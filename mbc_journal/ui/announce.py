"""Say something to a screen reader now: what was saved, deleted or brought back."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say ``text`` now (politely: after what it is saying)."""
    if not QAccessible.isActive():
        return
    try:  # Qt 6.8 and newer
        from PySide6.QtGui import QAccessibleAnnouncementEvent
    except ImportError:  # older Qt: the status label's new text is read as it changes
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    QAccessible.updateAccessibility(event)
