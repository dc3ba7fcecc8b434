"""Right-to-left text in the report: the bidi order ReportLab is given (issue 18)."""

from __future__ import annotations

import unicodedata

from mbc_journal import bidi_text


def test_visual_order_follows_the_unicode_bidi_algorithm() -> None:
    assert bidi_text.log2vis("abc שלום עולם def", "LTR") == "abc םלוע םולש def"
    assert bidi_text.log2vis("שלום עולם 38.2", "RTL") == "38.2 םלוע םולש"
    positions: list[int] = []
    assert bidi_text.log2vis("אב", "RTL", positions_V_to_L=positions) == "בא"
    assert positions == [1, 0]


def test_a_paragraphs_direction_is_its_first_strong_letter() -> None:
    assert bidi_text.starts_rtl("  38 שלום then English")
    assert not bidi_text.starts_rtl("<b>Note</b> שלום")
    assert bidi_text.starts_rtl("<b>שלום</b> Note")
    assert not bidi_text.starts_rtl("12 34")


def test_each_line_is_reordered_after_the_paragraph_is_broken_into_lines() -> None:
    """UAX #9 L1-L2 per line: a Hebrew phrase that wraps keeps its first words on the
    first line (drawn right to left at its end), and the rest on the next."""
    lines = [["Pain after ", "אחת שתיים"], ["שלוש ארבע", " then home."]]
    visual = bidi_text.reorder_lines(lines, rtl=False)
    assert visual == [
        [(0, "Pain after "), (1, "םייתש תחא")],
        [(0, "עברא שולש"), (1, " then home.")],
    ]
    # Reordering the phrase first and breaking after (as before) put "ארבע" first.
    assert bidi_text.log2vis("Pain after אחת שתיים שלוש ארבע", "LTR").split()[2] == "עברא"


def test_a_right_to_left_line_mirrors_brackets_and_keeps_numbers_left_to_right() -> None:
    [line] = bidi_text.reorder_lines([["שלום (38.2) עולם ", "x1"]], rtl=True)
    assert "".join(text for _, text in line) == "x1 םלוע (38.2) םולש"
    assert [n for n, _ in line] == [1, 0]  # pieces keep their own text (and font)


def test_levels_come_from_the_whole_paragraph_and_trailing_spaces_from_the_line() -> None:
    text = "אבג 12"
    assert bidi_text.paragraph_levels(text, rtl=False) == [1, 1, 1, 1, 2, 2]
    # L1: the space ending a line is at the paragraph's level, so it does not move.
    assert bidi_text.line_order("אב ", [1, 1, 1], rtl=False) == [1, 0, 2]
    # Across a forced break the next line is a paragraph of its own.
    visual = bidi_text.reorder_lines([["abc"], ["אב"]], rtl=False, breaks=[True])
    assert visual == [[(0, "abc")], [(0, "בא")]]


def test_arabic_is_joined_and_other_text_is_untouched() -> None:
    assert bidi_text.joined("plain text") == "plain text"
    joined = bidi_text.joined("مرحبا")
    assert joined != "مرحبا" and all("\ufe70" <= c <= "\ufeff" for c in joined)


# Every Arabic vowel mark (harakat, U+064B-U+0652) and the dagger alef (U+0670).
VOWELLED = "مَرْحَبًا بِالْعَالَمِ، شُكْرًا مُحَمَّد: كِتَابٌ بِقَلَمٍ رَحْمٰن"


def test_arabic_vowel_marks_are_kept() -> None:
    """arabic-reshaper deletes the harakat by default: a patient's words would lose
    them. Joined, each mark is still there, after its letter."""
    joined = bidi_text.joined(VOWELLED)
    marks = [c for c in VOWELLED if "\u064b" <= c <= "\u0652" or c == "\u0670"]
    assert {chr(c) for c in range(0x064B, 0x0653)} <= set(marks)
    assert [c for c in joined if c in marks] == marks
    assert unicodedata.normalize("NFKC", joined) == unicodedata.normalize("NFKC", VOWELLED)


def test_the_word_ligature_for_allah_is_not_used() -> None:
    """Found by a tester: "إن شاء الله" printed a box, since DejaVu has no U+FDF2; the
    letters are joined one by one instead (lam-alef stays: Arabic needs it)."""
    shaped = bidi_text.joined("إن شاء الله لا")
    assert "\ufdf2" not in shaped and "\ufefb" in shaped
