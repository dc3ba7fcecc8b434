"""Right-to-left text (Arabic, Hebrew) for the PDF report, in the right order and joined.

ReportLab lays out right-to-left paragraphs itself when a bidi module named ``rlbidi``
can be imported; that module is not on PyPI, so :func:`install` gives ReportLab one
built on python-bidi (the Unicode bidirectional algorithm, UAX #9). Arabic letters are
joined first with arabic-reshaper (their initial, middle and final forms).

Kept free of ReportLab imports, so it is tested on its own.
"""

from __future__ import annotations

import re
import sys
import types
import unicodedata
from html import unescape
from typing import Any
from xml.sax.saxutils import escape

_RTL = frozenset(("R", "AL"))
_TAG = re.compile(r"(<[^>]*>)")


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _RTL for c in text)


def starts_rtl(text: str) -> bool:
    """Is the paragraph right-to-left (its first strong character, UAX #9 P2)?"""
    for char in _TAG.sub("", text):
        kind = unicodedata.bidirectional(char)
        if kind in _RTL:
            return True
        if kind == "L":
            return False
    return False


def joined(text: str) -> str:
    """Arabic letters in their joined forms (other scripts unchanged)."""
    if not any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text):
        return text
    import arabic_reshaper  # type: ignore[import-untyped]

    return str(arabic_reshaper.reshape(text))


def log2vis(
    text: str,
    base_direction: str = "LTR",
    clean: bool = True,
    positions_V_to_L: list[int] | None = None,  # noqa: N803 (ReportLab's name)
    **_ignored: Any,
) -> str:
    """The visual order of one line (ReportLab's rlbidi interface): the characters as
    drawn from left to right, with where each came from in ``positions_V_to_L``."""
    from bidi import algorithm as uba  # type: ignore[import-untyped]

    base = 1 if str(base_direction).upper() == "RTL" else 0
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if base else "L"
    for index, char in enumerate(text):
        kind = uba.bidirectional(char)
        storage["chars"].append(
            {"ch": char, "level": base, "type": kind, "orig": kind, "index": index}
        )
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [c["index"] for c in chars]
    return "".join(c["ch"] for c in chars)


def visual_markup(markup: str) -> str:
    """A left-to-right paragraph's right-to-left runs in drawing order, segment by
    segment between tags (for a line that ReportLab will not reorder itself)."""
    return "".join(
        part
        if part.startswith("<") or not has_rtl(part)
        else escape(log2vis(unescape(part), "LTR"))
        for part in _TAG.split(markup)
    )


def install() -> None:
    """Give ReportLab its bidi module, before ReportLab's text modules are imported."""
    if "rlbidi" not in sys.modules:
        module = types.ModuleType("rlbidi")
        module.log2vis = log2vis  # type: ignore[attr-defined]
        sys.modules["rlbidi"] = module
