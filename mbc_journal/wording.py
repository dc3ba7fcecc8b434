"""Small wording helpers shared by the command line, backups and import reports:
counts with the right plural, and user text made safe to print on a terminal."""

from __future__ import annotations

import unicodedata


def plural(count: int | float, word: str) -> str:
    """``1 entry``, ``2 entries``, ``0 entries``, ``1,200 entries`` (never ``-0``)."""
    number = count + 0  # -0.0 + 0 is 0.0: never "-0 entries"
    shown = f"{number:,}" if isinstance(number, int) else f"{number:,g}"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u", ""):
        many = word[:-1] + "ies"  # entry, entries; but day, days
    else:
        many = word + "s"
    return f"{shown} {word if number == 1 else many}"


# Control characters a terminal obeys (escape sequences, carriage return, bell, backspace)
# become visible stand-ins: the Unicode "control pictures" (␛, ␍, ␇ …), one column wide,
# so tables stay aligned. Line ends and tabs pass: the output's own layout uses them.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20)} | {0x7F: "\u2421"}
_KEEP = {ord("\n"), ord("\t")}


def printable(text: str, *, keep_line_ends: bool = True) -> str:
    """``text`` as it may be printed on a terminal: control characters are shown, never
    obeyed (user text is stored exactly as typed; only what is printed changes)."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if code in _KEEP and (keep_line_ends or code == ord("\t")):
            out.append(ch)
        elif code in _PICTURES:
            out.append(_PICTURES[code])
        elif unicodedata.category(ch) == "Cc":  # C1 controls (\x80-\x9f): CSI and friends
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)
