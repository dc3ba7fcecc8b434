"""The app's palette made readable: selected text meets WCAG AA (4.5:1).

The usual highlight blues with white text reach about 3.6:1 (Fusion's light palette,
Breeze Dark), below the 4.5:1 text needs. Only Highlight is changed, darkened or
lightened from the desktop's own colour until HighlightedText on it is readable, so
the theme's look stays.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

TEXT_RATIO = 4.5
GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)


# WCAG 2 colour arithmetic (also the rating control's colours); kept here, light, since
# the palette is set before the first paint.


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0-1) of the way towards ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_fill(fill: QColor, ink: QColor, ratio: float = 4.5) -> QColor:
    """``fill`` darkened or lightened until ``ink`` on it reaches ``ratio``."""
    toward = QColor("black") if luminance(ink) > 0.5 else QColor("white")
    step = 0.0
    while contrast(fill, ink) < ratio and step < 1:
        step += 0.05
        fill = mix(fill, toward, 0.05)
    return fill


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
