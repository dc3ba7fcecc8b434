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
from collections.abc import Sequence
from typing import Any

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
    return str(_reshaper().reshape(text))


def is_presentation_form(char: str) -> bool:
    """An Arabic presentation form (a joined letter or a ligature, as ``joined`` makes)."""
    return "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufeff"


def base_letter(char: str) -> str:
    """What a presentation form stands for, as a reader should copy or search it: its
    compatibility decomposition (NFKC), e.g. meem initial form U+FEE3 -> U+0645; a vowel
    mark's isolated form loses the space its decomposition starts with. Any other
    character is itself.

    A lam-alef ligature (U+FEF5-U+FEFC, one glyph for two letters) stays itself, one
    character: poppler (pdftotext, Evince, Okular) and PDFium (Chrome, Edge) turn a
    right-to-left line around character by character, and turned a two-letter entry
    around with it ("لا" read "ال", "ثلاثة" read "ثالثة", another word), while pypdf
    does not; as one character every reader puts it in its place, and it is the same
    text as lam and alef under Unicode compatibility (NFKC), which search uses."""
    if not is_presentation_form(char) or char == "\ufeff":
        return char
    letters = unicodedata.normalize("NFKC", char)
    if len(letters) > 1 and "\ufef5" <= char <= "\ufefc":
        return char
    return letters.lstrip(" ") or letters


def base_letters(text: str) -> str:
    """``text`` with its presentation forms replaced by their letters (``base_letter``)."""
    return "".join(base_letter(c) for c in text)


def _reshaper() -> Any:
    """arabic-reshaper keeping the vowel marks (harakat): by default it deletes them,
    and a patient's words are printed exactly as written."""
    global _RESHAPER
    if _RESHAPER is None:
        import arabic_reshaper  # type: ignore[import-untyped]

        # Only the lam-alef ligatures (Arabic writing needs them): the word ligature for
        # "Allah" (U+FDF2) is in few fonts (not DejaVu) and was drawn as a box (a tester).
        _RESHAPER = arabic_reshaper.ArabicReshaper(
            configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False}
        )
    return _RESHAPER


_RESHAPER: Any = None


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

    storage = _resolved_levels(text, str(base_direction).upper() == "RTL")
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [c["index"] for c in chars]
    return "".join(c["ch"] for c in chars)


def _resolved_levels(text: str, rtl: bool) -> Any:
    """python-bidi's storage for ``text`` with UAX #9 applied up to rule I2 (levels)."""
    from bidi import algorithm as uba

    base = 1 if rtl else 0
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
    return storage


def paragraph_levels(text: str, rtl: bool) -> list[int]:
    """Each character's embedding level in a paragraph (UAX #9 up to rule I2): even
    left to right, odd right to left. Characters the algorithm removes (X9: format
    controls) take the level before them."""
    storage = _resolved_levels(text, rtl)
    found = {c["index"]: c["level"] for c in storage["chars"]}
    levels: list[int] = []
    for index in range(len(text)):
        levels.append(found.get(index, levels[-1] if levels else int(rtl)))
    return levels


# L1 resets these to the paragraph's level: separators, and whitespace (or isolate
# controls) before a separator or at the end of a line.
_SEPARATORS = frozenset(("S", "B"))
_TRAILING = frozenset(("WS", "FSI", "LRI", "RLI", "PDI", "BN"))


def line_order(text: str, levels: Sequence[int], rtl: bool) -> list[int]:
    """The drawing order (left to right) of one line's characters, as indices into
    ``text``: UAX #9 rules L1 and L2, applied to the line after the paragraph was broken
    into lines, with the levels the whole paragraph resolved (``paragraph_levels``)."""
    base = 1 if rtl else 0
    level = list(levels)
    trailing = True  # L1: from the end of the line backwards
    for i in range(len(text) - 1, -1, -1):
        kind = unicodedata.bidirectional(text[i])
        if kind in _SEPARATORS:
            level[i] = base
            trailing = True
        elif trailing and kind in _TRAILING:
            level[i] = base
        else:
            trailing = False
    order = list(range(len(text)))
    odd = [v for v in level if v % 2]
    if not odd:
        return order
    # L2: from the highest level to the lowest odd one, reverse every run at or above it.
    for at_least in range(max(level), min(odd) - 1, -1):
        i = 0
        while i < len(order):
            if level[order[i]] < at_least:
                i += 1
                continue
            j = i
            while j < len(order) and level[order[j]] >= at_least:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


def reorder_lines(
    lines: Sequence[Sequence[str]], rtl: bool, breaks: Sequence[bool] = ()
) -> list[list[tuple[int, str]]]:
    """A paragraph already broken into lines, each line in logical order as pieces of
    text (a piece: a run in one font, or a word), in drawing order: for each line, its
    pieces' characters from left to right as (piece number, text) chunks; a piece split
    by the reordering gives several chunks. Right-to-left characters are mirrored where
    Unicode says so (L4: "(" in Hebrew is drawn ")").

    The levels come from the whole paragraph (lines joined by the space the break took,
    or a paragraph separator where ``breaks`` marks a forced break), and the lines are
    reordered one by one (L1-L2): a long Hebrew phrase in an English sentence that wraps
    keeps its first words on the first line.
    """
    from bidi.mirror import MIRRORED  # type: ignore[import-untyped]

    texts = ["".join(line) for line in lines]
    joiners = ["\u2029" if i < len(breaks) and breaks[i] else " " for i in range(len(texts))]
    levels = paragraph_levels("".join(t + j for t, j in zip(texts, joiners, strict=True)), rtl)
    out: list[list[tuple[int, str]]] = []
    start = 0
    for line, text in zip(lines, texts, strict=True):
        line_levels = levels[start : start + len(text)]
        start += len(text) + 1
        owner = [n for n, piece in enumerate(line) for _ in piece]
        chunks: list[list[Any]] = []
        for i in line_order(text, line_levels, rtl):
            char = text[i]
            if line_levels[i] % 2:
                char = MIRRORED.get(char, char)
            if chunks and chunks[-1][0] == owner[i]:
                chunks[-1][1] += char
            else:
                chunks.append([owner[i], char])
        out.append([(n, chunk) for n, chunk in chunks])
    return out


def install() -> None:
    """Give ReportLab its bidi module, before ReportLab's text modules are imported."""
    if "rlbidi" not in sys.modules:
        module = types.ModuleType("rlbidi")
        module.log2vis = log2vis  # type: ignore[attr-defined]
        sys.modules["rlbidi"] = module
