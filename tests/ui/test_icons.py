"""The icon sizes shipped for the menu entry (resources/icon-<size>.png) are the SVG as
Qt draws it now: changing the SVG without running tools/render_icons.py fails here."""

from __future__ import annotations

import importlib.resources

import pytest
from PySide6.QtGui import QImage

from mbc_journal.desktop import PNG_SIZES, png_name
from mbc_journal.ui.icons import render_pngs


@pytest.mark.parametrize("size", PNG_SIZES)
def test_each_shipped_icon_size_is_the_svg_drawn_at_that_size(size: int) -> None:
    resources = importlib.resources.files("mbc_journal.resources")
    shipped = QImage.fromData((resources / png_name(size)).read_bytes(), "PNG")
    fresh = QImage.fromData(render_pngs((resources / "icon.svg").read_bytes(), [size])[size])
    assert (shipped.width(), shipped.height()) == (size, size)
    a = shipped.convertToFormat(QImage.Format.Format_RGBA8888)
    b = fresh.convertToFormat(QImage.Format.Format_RGBA8888)
    pixels_a = bytes(a.constBits())[: size * size * 4]
    pixels_b = bytes(b.constBits())[: size * size * 4]
    difference = sum(abs(x - y) for x, y in zip(pixels_a, pixels_b, strict=True))
    assert difference / len(pixels_a) < 2  # the same picture (anti-aliasing may vary)
