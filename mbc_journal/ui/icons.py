"""The app's icon as PNG files of given sizes, for the desktop menu (``desktop.install``).

Needs no display and no QApplication: QSvgRenderer paints into a QImage.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer


def render_pngs(svg: bytes, sizes: Iterable[int]) -> dict[int, bytes]:
    """``svg`` drawn square at each size, as PNG bytes; an SVG Qt cannot read is an error."""
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("the icon is not an SVG image Qt can read")
    pngs: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stubs say bytes; Qt wants str
            raise ValueError(f"the icon could not be written as a {size}px PNG")
        buffer.close()
        pngs[size] = bytes(data.data())
    return pngs
