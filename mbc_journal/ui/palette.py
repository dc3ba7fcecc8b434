"""The app's palette made readable: selected text meets WCAG AA (4.5:1).

The usual highlight blues with white text reach about 3.6:1 (Fusion's light palette,
Breeze Dark), below the 4.5:1 text needs. Only Highlight is changed, darkened or
lightened from the desktop's own colour until HighlightedText on it is readable, so
the theme's look stays.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from mbc_journal.ui.widgets.rating import readable_fill

TEXT_RATIO = 4.5
GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)


def readable_highlight(palette: QPalette) -> QPalette:
    """A copy of ``palette`` whose Highlight carries HighlightedText at 4.5:1 or more."""
    fixed = QPalette(palette)
    role, ink_role = QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText
    for group in GROUPS:
        fill = readable_fill(palette.color(group, role), palette.color(group, ink_role), TEXT_RATIO)
        fixed.setColor(group, role, fill)
    return fixed


def apply_readable_highlight(app: QApplication) -> None:
    app.setPalette(readable_highlight(app.palette()))
