"""Right-to-left text in the report: the bidi order ReportLab is given (issue 18)."""

from __future__ import annotations

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


def test_markup_keeps_its_tags_and_entities_whole() -> None:
    out = bidi_text.visual_markup("<b>Note:</b> abc שלום &amp; עולם def")
    assert out == "<b>Note:</b> abc םלוע &amp; םולש def"


def test_arabic_is_joined_and_other_text_is_untouched() -> None:
    assert bidi_text.joined("plain text") == "plain text"
    joined = bidi_text.joined("مرحبا")
    assert joined != "مرحبا" and all("\ufe70" <= c <= "\ufeff" for c in joined)
