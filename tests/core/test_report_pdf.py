"""The report PDF as other programs read it (issue 18): text extracted by pypdf and by
poppler's pdftotext, the tagged structure (headings, tables, charts with alternative
text), and that it renders. The poppler tests are skipped only where poppler-utils is
not installed; a pypdf test beside each one covers the same thing."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from mbc_journal import bidi_text, demo, report
from mbc_journal.journal import Journal
from tests.conftest import day_offset

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed (pypdf tests cover it)"
)

ARABIC = "ضغط 38.5 درجة"
HEBREW = "חום 38.5 היום"
MIXED = "Pain after مرحبا بالعالم 38.5 today"
PLAIN_HEBREW = "שלום עולם היום"
LAM_ALEF = "لا أستطيع النوم ثلاثة أيام"  # lam-alef, one glyph, in three words


def make(journal: Journal, path: Path) -> Path:
    start, end, why = report.default_period(journal)
    report.write_pdf(report.collect(journal, report.ReportOptions(start, end), why), path)
    return path


@pytest.fixture
def rtl_pdf(journal: Journal, tmp_path: Path) -> Path:
    journal.add_entry(journal.draft("cough", 2, note=ARABIC))
    journal.add_entry(journal.draft("fatigue", 3, note=HEBREW))
    journal.add_entry(journal.draft("bone_pain", 4, note=MIXED))
    journal.add_entry(journal.draft("nausea", 2, note=PLAIN_HEBREW))
    journal.add_entry(journal.draft("cough", 3, note=LAM_ALEF), day=day_offset(1))
    return make(journal, tmp_path / "rtl.pdf")


def _plain(text: str) -> str:
    """Without the bidi controls (RLE, PDF, LRM) pdftotext puts around right-to-left runs."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _words_intact(text: str) -> None:
    """Every word of the samples reads in its own letter order, in ordinary letters (a
    lam-alef is one character, the same text as its two letters under NFKC)."""
    assert all("\ufef5" <= c <= "\ufefc" for c in text if bidi_text.is_presentation_form(c))
    text = unicodedata.normalize("NFKC", text)
    for sample in (ARABIC, HEBREW, MIXED, PLAIN_HEBREW, LAM_ALEF):
        for word in sample.split():
            assert word in text, word
            if len(word) > 2 and bidi_text.has_rtl(word):  # "لا" turned is the "ال" of a word
                assert word[::-1] not in text, word
    assert "5.83" not in text  # a number is never turned around


def test_right_to_left_words_extract_intact_with_pypdf(rtl_pdf: Path) -> None:
    _words_intact(" ".join(p.extract_text() for p in PdfReader(rtl_pdf).pages))


@needs_poppler
def test_right_to_left_words_extract_intact_with_pdftotext(rtl_pdf: Path) -> None:
    text = _plain(subprocess.run(["pdftotext", str(rtl_pdf), "-"], capture_output=True,
                                 text=True, check=True).stdout)  # fmt: skip
    _words_intact(text)
    assert PLAIN_HEBREW in text  # a right-to-left line without numbers: in reading order
    assert LAM_ALEF in unicodedata.normalize("NFKC", text)  # and with lam-alef in it


def _tree(reader: PdfReader) -> dict[str, Any]:
    root = reader.trailer["/Root"]
    return root["/StructTreeRoot"].get_object()  # type: ignore[no-any-return]


def _elements(element: Any) -> list[Any]:
    """Every structure element under ``element``, in reading order."""
    found = []
    for kid in element.get("/K", []):
        kid = kid.get_object()
        if kid.get("/Type") == "/StructElem":
            found.append(kid)
            found += _elements(kid)
    return found


def _text_of(element: Any) -> int:
    return sum(1 for k in element.get("/K", []) if k.get_object().get("/Type") == "/MCR")


def test_the_pdf_is_tagged_and_each_chart_has_its_description_as_alt_text(
    journal: Journal, tmp_path: Path
) -> None:
    demo.generate(journal, days=120)
    path = make(journal, tmp_path / "tagged.pdf")
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf object)
    tree = _tree(reader)
    [document] = [k.get_object() for k in tree["/K"]]
    assert document["/S"] == "/Document"
    elements = _elements(document)
    kinds = [e["/S"] for e in elements]
    assert kinds[0] == "/H1" and {"/H2", "/P", "/Table", "/TR", "/TH", "/TD"} <= set(kinds)
    figures = [e for e in elements if e["/S"] == "/Figure"]
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert figures and len(figures) == sum(
        1 for page in reader.pages for name in page["/Resources"].get("/XObject", {})
    )
    for figure in figures:
        alt = str(figure["/Alt"])
        assert alt.startswith("Chart of ") and alt in text  # the words printed under it
        assert figure["/A"]["/O"] == "/Layout" and len(figure["/A"]["/BBox"]) == 4
    # Marked content: each page's MCIDs are its parent tree entry, in order.
    nums = tree["/ParentTree"]["/Nums"]
    parents = dict(zip(nums[::2], nums[1::2], strict=True))
    for n, page in enumerate(reader.pages):
        assert page["/StructParents"] == n
        content = page.get_contents().get_data().decode("latin-1")
        mcids = [int(m) for m in re.findall(r"<</MCID (\d+)>> BDC", content)]
        assert mcids == list(range(len(parents[n])))
        assert "/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in content
    # Every element holding content says where: a page and an MCID on it.
    for element in elements:
        for kid in element.get("/K", []):
            kid = kid.get_object()
            if kid.get("/Type") == "/MCR":
                owners = parents[reader.get_page_number(kid["/Pg"].get_object())]
                assert owners[kid["/MCID"]].get_object() == element
    headings = [e for e in elements if e["/S"] in ("/H1", "/H2") and _text_of(e)]
    assert len(headings) >= 5


@needs_poppler
def test_poppler_reads_the_structure_and_renders_every_page(
    journal: Journal, tmp_path: Path
) -> None:
    demo.generate(journal, days=120)
    path = make(journal, tmp_path / "tagged.pdf")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"Tagged:\s+yes", info.stdout)
    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    lines = [line.strip() for line in tree.stdout.splitlines()]
    assert lines[0] == "Document" and "H1 (block)" in lines and "Figure" in " ".join(lines)
    assert '"Symptom summary for Alex Demo"' in lines
    assert any(line.startswith('"Chart of ') for line in lines)
    assert "TD" in lines and "TH" in lines
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    out = subprocess.run(["pdftoppm", "-png", "-r", "20", str(path), str(tmp_path / "p")],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert out.stderr == ""
    assert len(list(tmp_path.glob("p-*.png"))) == pages


def test_a_common_arabic_phrase_is_drawn_whole(journal: Journal, tmp_path: Path) -> None:
    journal.add_entry(journal.draft("fatigue", 3, note="أشعر بتحسن والحمد لله، إن شاء الله"))
    pages = PdfReader(make(journal, tmp_path / "a.pdf")).pages
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pages))
    assert "□" not in text and "could not be drawn" not in text
    assert "الله" in text


def test_each_tagged_text_carries_its_words_in_reading_order(
    rtl_pdf: Path, journal: Journal
) -> None:
    """A reader of the structure (a screen reader through Acrobat) got the drawn text:
    no space where a line wraps ("not acknowledgedin the app", a tester) and a
    right-to-left line with a number in visual order. Each P, heading and cell carries
    /ActualText: its words in reading order, Arabic as letters."""
    elements = _elements(next(k.get_object() for k in _tree(PdfReader(rtl_pdf))["/K"]))
    said = [str(e["/ActualText"]) for e in elements if "/ActualText" in e]
    assert len(said) >= 10
    assert not any(bidi_text.is_presentation_form(c) for t in said for c in t)
    notes = [t for t in said if "38.5" in t]
    assert any(ARABIC in t for t in notes) and any(HEBREW in t for t in notes), notes
    assert any(MIXED in t for t in notes), notes
    assert any(unicodedata.normalize("NFKC", LAM_ALEF) in t for t in said)
    # a paragraph that wraps reads with its spaces
    long = [t for t in said if t.startswith("Ratings are 0 (none) to 10")]
    assert long and "30 days before" in long[0] and "worse or better" in long[0]
