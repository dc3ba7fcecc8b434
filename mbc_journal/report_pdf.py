"""The follow-up report as a PDF (reportlab platypus).

All user text is escaped for reportlab's markup and shown exactly as typed;
characters the fonts cannot draw become a visible □ with a note on the page,
never silently dropped. Written to a temporary file and moved into place.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import tempfile
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from mbc_journal import bidi_text
from mbc_journal.careplan import Result
from mbc_journal.model import Entry, ItemKind
from mbc_journal.paths import check_output_file
from mbc_journal.report import (
    CHANGE_POINTS,
    FOOTER,
    MAX_SCANS,
    TREND_BEFORE_DAYS,
    Progress,
    ReportData,
    page_one,
)
from mbc_journal.wording import plural

bidi_text.install()  # before ReportLab's text modules are first imported


_FONTS_LOCK = threading.Lock()  # the fonts are registered once, by whichever thread is first


class _Fonts:
    """DejaVu Sans (shipped with matplotlib) and, if the system has one, a CJK fallback."""

    _registered = False
    regular = "MBCSans"
    bold = "MBCSans-Bold"
    fallback: str | None = None
    _fallback_tried = False
    _faces: dict[str, Any] = {}

    @classmethod
    def register(cls) -> None:
        if cls._registered:
            return
        import matplotlib
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics, ttfonts
        from reportlab.pdfbase.ttfonts import TTFont

        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        ttfonts.SUBSETN = _subset_tag

        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        regular = TTFont(cls.regular, str(folder / "DejaVuSans.ttf"))
        bold = TTFont(cls.bold, str(folder / "DejaVuSans-Bold.ttf"))
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        addMapping(cls.regular, 0, 0, cls.regular)
        addMapping(cls.regular, 1, 0, cls.bold)
        addMapping(cls.regular, 0, 1, cls.regular)
        addMapping(cls.regular, 1, 1, cls.bold)
        cls._faces[cls.regular] = regular.face.charToGlyph
        cls._registered = True

    @classmethod
    def fallback_for(cls, char: str) -> str | None:
        """A system font that draws ``char`` (Chinese, Japanese, Korean), read the first
        time one is needed: such a font is large, and most reports never need it."""
        with _FONTS_LOCK:
            if not cls._fallback_tried:
                cls._fallback_tried = True
                cls._register_fallback()
        return cls.fallback if cls.fallback and cls.covers(cls.fallback, char) else None

    @classmethod
    def _register_fallback(cls) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for path in _fallback_candidates():
            try:
                font = TTFont("MBCFallback", path, subfontIndex=0)
            except Exception:  # noqa: BLE001 — an unreadable system font is simply skipped
                continue
            pdfmetrics.registerFont(font)
            cls.fallback = "MBCFallback"
            cls._faces["MBCFallback"] = font.face.charToGlyph
            break

    @classmethod
    def covers(cls, name: str, char: str) -> bool:
        return ord(char) in cls._faces.get(name, {})


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """The ToUnicode CMap of a TrueType subset (in place of ReportLab's), which says what
    text each drawn glyph stands for when the PDF is copied, searched or read aloud.

    Arabic is drawn in joined presentation forms (``bidi_text.joined``); each one maps
    to its base letter(s) (lam-alef to two), so readers get ordinary Arabic (U+06xx),
    not U+FExx. A character beyond U+FFFF (an emoji) is written in UTF-16 as the PDF
    standard wants ("<D83DDE00>"); ReportLab wrote "<1F600>", which readers reject."""
    entries = [f"<{n:02X}> <{_utf16(bidi_text.base_letter(chr(v)))}>" for n, v in enumerate(subset)]
    blocks = []
    for start in range(0, len(entries), 100):  # at most 100 entries a block (PDF 1.7, 9.10.3)
        chunk = entries[start : start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({fontname}) /Ordering ({fontname}) /Supplement 0 >> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


_SUBSET_TAGS = itertools.count()


def _subset_tag(_n: int) -> bytes:
    """A font subset's six-letter tag ("AAAAAB+DejaVuSans"), a new one for each subset
    written: ReportLab numbered subsets per font, so every font's first subset was
    "AAAAAA+", and the PDF standard (ISO 32000-1, 9.6.4) wants different subsets of a
    file to have different tags."""
    n = next(_SUBSET_TAGS)
    letters = []
    for _ in range(6):
        n, digit = divmod(n, 26)
        letters.append(chr(ord("A") + digit))
    return "".join(reversed(letters)).encode("ascii")


def _utf16(text: str) -> str:
    """Text as the hex digits of UTF-16BE, as a PDF hex string holds it."""
    return text.encode("utf-16-be", "surrogatepass").hex().upper()


def _fallback_candidates() -> list[str]:
    """System fonts likely to cover Chinese, Japanese and Korean (if installed)."""
    keys = ("notosanscjk", "notoserifcjk", "droidsansfallback", "wqy", "sourcehansans", "unifont")
    found = []
    for folder in (
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        str(Path.home() / ".fonts"),
        "/Library/Fonts",
        "/System/Library/Fonts",
        "C:/Windows/Fonts",
    ):
        if not os.path.isdir(folder):
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                flat = name.lower().replace("-", "").replace("_", "")
                if flat.endswith((".ttf", ".otf", ".ttc")) and any(k in flat for k in keys):
                    found.append(os.path.join(root, name))
    return sorted(found)


class _Text:
    """Makes user text safe for reportlab Paragraphs, and notes what it could not draw."""

    def __init__(self) -> None:
        self.missing = False

    def __call__(self, text: str) -> str:
        text = bidi_text.joined(text)  # Arabic letters joined; the order comes at layout
        out: list[str] = []
        run: list[str] = []
        run_font: str | None = None

        def flush() -> None:
            if run:
                chunk = escape("".join(run))
                out.append(f'<font name="{run_font}">{chunk}</font>' if run_font else chunk)
                run.clear()

        for char in text:
            if char == "\n":
                flush()
                out.append("<br/>")
                continue
            if char in "\t\r" or _Fonts.covers(_Fonts.regular, char) or ord(char) < 32:
                font = None
                char = " " if char in "\t\r" or ord(char) < 32 else char
            elif fallback := _Fonts.fallback_for(char):
                font = fallback
            else:
                self.missing = True
                font, char = None, "□"
            if font != run_font:
                flush()
                run_font = font
            run.append(char)
        flush()
        return "".join(out)


def _register_fonts() -> None:
    """Register the fonts once, whichever thread comes first: the Report screen's warm-up
    and a report the person asked for at once can both get here together, and ReportLab's
    font registry and the ToUnicode hook must be set up exactly once."""
    with _FONTS_LOCK:
        _Fonts.register()


def warm_up() -> None:
    """Pay the report's one-off costs (ReportLab, matplotlib, the fonts) ahead of time,
    e.g. off the GUI thread when the Report screen opens, so the first report is quick."""
    _register_fonts()
    import reportlab.platypus  # noqa: F401

    from mbc_journal import charts  # noqa: F401 (matplotlib's figure and Agg backend)


def write_pdf(data: ReportData, path: Path | str, progress: Progress | None = None) -> int:
    """Write the report; returns the number of pages. Written to a temporary file
    first and moved into place, so a failed report never leaves half a file."""
    path = Path(path)
    path = check_output_file(path, "report.pdf")
    report = progress or (lambda _f, _s: None)
    report(0.05, "Preparing fonts")
    _register_fonts()
    from reportlab.lib.pagesizes import A4, LETTER

    story, text = _story(data, report)
    structure = _tag_story(story)  # tagged PDF: what each flowable is
    page = A4 if data.options.page_size == "A4" else LETTER
    fd, temp = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        pages = _build(story, temp, page, data, text.missing, structure)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    report(1.0, "Done")
    return pages


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle(
        "body",
        fontName=_Fonts.regular,
        bulletFontName=_Fonts.regular,
        fontSize=10,
        leading=13,
        splitLongWords=True,
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "rtl_note": ParagraphStyle("rtl_note", parent=base, rightIndent=12, spaceAfter=2),
        "title": ParagraphStyle(
            "title", parent=base, fontName=_Fonts.bold, fontSize=17, leading=21, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=_Fonts.bold,
            fontSize=12.5,
            leading=16,
            spaceBefore=9,
            spaceAfter=3,
            keepWithNext=1,  # a heading never ends a page alone
        ),
        "alert": ParagraphStyle(  # the level in bold (the lead), the words plain
            "alert",
            parent=base,
            fontSize=10.5,
            leading=13.5,
            spaceBefore=1,
            textColor=colors.HexColor("#8B0000"),
        ),
        # A list item: wrapped lines start under the text, not under the bullet.
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=10, bulletIndent=0),
        "alert_more": ParagraphStyle(
            "alert_more", parent=base, fontSize=8.5, leading=11, leftIndent=12, spaceAfter=2
        ),
        # "Also on …" under a warning that is not urgent: indented as under an urgent one
        "more": ParagraphStyle(
            "more", parent=base, fontSize=8.5, leading=11, leftIndent=12, spaceAfter=2
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle(
            "head", parent=base, fontName=_Fonts.bold, fontSize=8.5, leading=10.5
        ),
    }


def _story(data: ReportData, report: Progress) -> tuple[list[Any], _Text]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        CondPageBreak,
        Image,
        KeepTogether,
        PageBreak,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    st = _styles()
    t = _Text()
    story: list[Any] = []

    rtl_styles: dict[str, Any] = {}
    ltr_bidi, rtl_bidi = _bidi_paragraphs()

    def paragraph(markup: str, style: str, **extra: Any) -> Any:
        """A Paragraph whose right-to-left text reads in the right order: one with Arabic
        or Hebrew in it is broken into lines in logical order and each line is then put
        in drawing order (UAX #9 L1-L2 per line); one that starts in Arabic or Hebrew is
        right to left, aligned right."""
        if not bidi_text.has_rtl(markup):
            return Paragraph(markup, st[style], **extra)
        if bidi_text.starts_rtl(markup):
            if style not in rtl_styles:
                rtl_styles[style] = ParagraphStyle(
                    f"{style}-rtl", parent=st[style], alignment=TA_RIGHT
                )
            return rtl_bidi(markup, rtl_styles[style], **extra)
        return ltr_bidi(markup, st[style], **extra)

    def para(markup: str, style: str = "body") -> Any:
        return paragraph(markup, style)

    def table(
        headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> Any:
        cells = [[paragraph(h, "head") for h in headers]]
        cells += [[paragraph(c, "cell") for c in row] for row in rows]
        tbl = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
        tbl.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), _Fonts.regular),  # never Helvetica
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    (
                        "ROWBACKGROUNDS",
                        (0, 1),
                        (-1, -1),
                        [colors.white, colors.HexColor("#f6f6f6")],
                    ),
                ]
            )
        )
        return tbl

    # page 1 ----------------------------------------------------------------
    for block in page_one(data):
        markup = (f"<b>{t(block.lead)}</b> " if block.lead else "") + t(block.text)
        if block.style == "bullet":
            story.append(paragraph(markup, "bullet", bulletText="•"))
        elif block.style == "none":
            story.append(para(f"<i>{markup}</i>"))
        else:
            story.append(para(markup, "body" if block.style == "line" else block.style))
    report(0.2, "Page 1")

    # per-site tables --------------------------------------------------------
    if "sites" in data.options.sections and data.site_tables:
        story.append(PageBreak())
        story.append(para("Symptoms by organ site", "h2"))
        story.append(
            para(
                "Ratings are 0 (none) to 10 (worst imaginable): mild 1–3, moderate "
                f"4–6, severe 7–10. Trend: the average in the {TREND_BEFORE_DAYS} days before "
                "the period (or its first third) against its last week; a change of "
                f"{CHANGE_POINTS:g} points or "
                "more counts as worse or better.",
                "small",
            )
        )
        for label, rows in data.site_tables:
            body = [
                [
                    t(r.item.label)
                    + (  # a caregiver's observations are marked wherever they appear
                        f'<br/><font size="7.5" color="#555555">caregiver on {r.caregiver_days}'
                        f" of {plural(r.days_logged, 'day')}</font>"
                        if r.caregiver_days
                        else ""
                    ),
                    str(r.days_logged),
                    _dated(r.item.format_value(r.latest), data.day(r.latest_day)),
                    r.worst_text,
                    f"{r.average:.1f}" if r.item.kind is ItemKind.RATING else "–",
                    r.trend,
                ]
                for r in rows
            ]
            story.append(
                KeepTogether(
                    [
                        para(t(label), "h2"),
                        table(
                            ["Symptom", "Days", "Latest", "Worst", "Average", "Trend"],
                            body,
                            (44, 14, 28, 26, 20, 48),
                        ),
                    ]
                )
            )
    report(0.35, "Tables")

    # charts -----------------------------------------------------------------------
    if "charts" in data.options.sections and data.charts:
        from mbc_journal import charts

        story.append(PageBreak())
        story.append(para("Charts", "h2"))
        for n, (label, chart_data) in enumerate(data.charts):
            fig = charts.build(chart_data, width=7.2, dpi=110, title=label)
            width_in, height_in = fig.get_size_inches()
            width = 175 * mm
            story.append(CondPageBreak(width * height_in / width_in + 10))
            picture = io.BytesIO()  # uncompressed: the PDF's own Flate is the one compression
            charts.to_image(fig).save(picture, format="BMP")
            picture.seek(0)
            story.append(Image(picture, width=width, height=width * height_in / width_in))
            story.append(para(t(data.chart_text(label, chart_data)), "small"))
            story.append(Spacer(1, 4 * mm))
            report(0.35 + 0.4 * (n + 1) / len(data.charts), f"Chart {label}")
    # measurements and results -------------------------------------------------------
    if "measurements" in data.options.sections and data.measurements:
        story.append(para("Measurements", "h2"))
        measure_rows = [
            [
                t(m.item.label),
                str(m.readings),
                _dated(
                    data.value(m.item, m.latest),
                    data.day(m.latest_day)
                    + (f" · {t(m.latest_by)} (caregiver)" if m.latest_by else ""),
                ),
                data.value(m.item, m.lowest),
                data.value(m.item, m.highest),
            ]
            for m in data.measurements
        ]
        story.append(
            table(
                ["Measurement", "Readings", "Latest", "Lowest", "Highest"],
                measure_rows,
                (50, 20, 40, 35, 35),
            )
        )
        temperatures = data.temperatures
        if temperatures:
            item = data.item_labels["temperature"]
            total = next(m.readings for m in data.measurements if m.item.id == "temperature")
            story.append(
                para(
                    "Temperature readings"
                    + (
                        f" (the last {len(temperatures)} of {total})"
                        if total > len(temperatures)
                        else ""
                    )
                    + ": "
                    + "; ".join(
                        f"{e.local_date:%d %b}"
                        + (f" {e.time:%H:%M}" if e.time else "")
                        # One unit for every reading, and who took a caregiver's.
                        + f" {data.value(item, e.value)}"
                        + (f" ({t(e.person.name)})" if e.person.is_caregiver else "")
                        for e in temperatures
                    )
                    + ".",
                    "small",
                )
            )
    if "results" in data.options.sections and data.results:
        story.append(para("Results", "h2"))
        labs: dict[str, list[Result]] = {}
        scans: list[Result] = []
        for r in data.results:
            if r.kind.value == "lab":
                labs.setdefault(r.name.casefold(), []).append(r)  # as page 1 groups them
            else:
                scans.append(r)
        if labs:
            # One row per test (latest, and how it began in the period): a doctor reads
            # the direction, and the size does not grow with the period.
            lab_rows = []
            for rs in labs.values():
                within = [r for r in rs if r.day >= data.date_from]
                first = (
                    f"{within[0].day:%d %b %Y}: {within[0].value:g} {t(within[0].unit)}"
                    if len(within) > 1
                    else ""
                )
                lab_rows.append([t(rs[-1].name),
                                 f"{rs[-1].day:%d %b %Y}{data.before_period(rs[-1].day)}: "
                                 f"{t(rs[-1].display)}",
                                 first, str(len(within))])  # fmt: skip
            story.append(table(["Test", "Latest", "First in this period", "In this period"],
                               lab_rows, (45, 65, 50, 20)))  # fmt: skip
        if scans:
            recent = scans[-MAX_SCANS:]
            note = (
                f" (the {len(recent)} most recent of {len(scans)})"
                if len(recent) < len(scans)
                else ""
            )
            story.append(para(f"<b>Scans</b>{note}:", "body"))
            for r in reversed(recent):
                early = " (before this period)" if r.day < data.date_from else ""
                when = f"{r.day:%d %b %Y}{early}"
                story.append(para(f"{when} — {t(r.name)}: {t(r.summary)}"))
    report(0.8, "Results")
    # notes and caregiver observations ---------------------------------------------
    if "notes" in data.options.sections and data.notes:
        story.append(para("Notes, in date order", "h2"))
        if data.hidden_notes:
            story.append(
                para(
                    f"<i>The {len(data.notes)} most recent notes; {data.hidden_notes} "
                    f"earlier ones are in the journal.</i>",
                    "small",
                )
            )
        for day, about, text_, who_ in data.notes:
            lead = f"<b>{day:%d %b %Y} — {t(about)}</b> ({t(who_)}):"
            if bidi_text.starts_rtl(text_):  # a note of its own, wrapped right to left
                story.append(KeepTogether([para(lead), para(t(text_), "rtl_note")]))
            else:
                story.append(para(f"{lead} {t(text_)}"))
    if "caregiver" in data.options.sections and data.caregiver_entries:
        story.append(para("Caregiver observations", "h2"))
        groups: dict[tuple[str, str], list[Entry]] = {}
        for e in data.caregiver_entries:
            if e.item_id in data.item_labels:
                groups.setdefault((e.person.name, e.item_id), []).append(e)
        caregiver_rows = []
        for (who, item_id), found in groups.items():
            item = data.item_labels[item_id]
            last = found[-1]
            caregiver_rows.append([
                t(who), t(item.label), str(len({e.local_date for e in found})),
                _dated(data.value(item, last.value), data.day(last.local_date)),  # one unit
                data.value(item, max(e.value for e in found)),
            ])  # fmt: skip
        story.append(table(["Who", "What they noticed", "Days", "Latest", "Worst"],
                           caregiver_rows, (30, 60, 15, 40, 30)))  # fmt: skip
        carers_wrote = any(who.endswith("(caregiver)") for _d, _a, _t, who in data.notes)
        if "notes" in data.options.sections and carers_wrote:
            story.append(para("Caregivers' notes are in the notes above, marked with their "
                              "name.", "small"))  # fmt: skip
    if not data.has_entries:
        story.append(para("<i>Nothing was logged in this period.</i>"))
    report(0.9, "Laying out pages")
    return story, t


_BIDI_CLASSES: tuple[Any, Any] | None = None


def _bidi_paragraphs() -> tuple[Any, Any]:
    """Paragraph classes (left-to-right, right-to-left) that ReportLab breaks into lines
    with the text in logical order, and that draw each line in visual order: reordering
    before the breaking (as ReportLab does for a paragraph of several fonts, or as we
    did) puts the last words of a long Hebrew phrase on its first line. The lines are
    kept logical (a paragraph split over two pages is split in reading order); only
    drawing sees them reordered."""
    global _BIDI_CLASSES
    if _BIDI_CLASSES is not None:
        return _BIDI_CLASSES
    from reportlab.platypus import Paragraph

    class LeftToRight(Paragraph):  # type: ignore[misc]
        rtl = False

        def drawPara(self, debug: int = 0) -> Any:  # noqa: N802 (reportlab's name)
            logical: Any = self.blPara  # type: ignore[has-type]
            self.blPara = _visual_lines(logical, self.rtl)
            try:
                return super().drawPara(debug)
            finally:
                self.blPara = logical

    class RightToLeft(LeftToRight):
        rtl = True

    _BIDI_CLASSES = (LeftToRight, RightToLeft)
    return _BIDI_CLASSES


_OBJECT = "\ufffc"  # stands for a piece with no text of its own (an image, an anchor)


def _visual_lines(para: Any, rtl: bool) -> Any:
    """ReportLab's broken lines (``blPara``), each reordered for drawing."""
    if para.kind == 0:  # one font: lines of (extra space, words)
        pieces = [[" ".join(words)] for _extra, words in para.lines]
        visual = bidi_text.reorder_lines(pieces, rtl)
        lines = [
            (line[0], [w for w in "".join(chunk for _n, chunk in chunks).split(" ") if w])
            for line, chunks in zip(para.lines, visual, strict=True)
        ]
        return para.clone(lines=lines)
    frag_pieces = [
        [f.text if getattr(f, "text", "") and not hasattr(f, "cbDefn") else _OBJECT
         for f in line.words]
        for line in para.lines
    ]  # fmt: skip
    breaks = [bool(getattr(line, "lineBreak", False)) for line in para.lines]
    visual = bidi_text.reorder_lines(frag_pieces, rtl, breaks)
    out = []
    for line, texts, chunks in zip(para.lines, frag_pieces, visual, strict=True):
        words = [
            line.words[n] if texts[n] == _OBJECT else line.words[n].clone(text=chunk)
            for n, chunk in chunks
        ]
        out.append(line.clone(words=words))
    return para.clone(lines=out)


def _dated(value: str, day: str) -> str:
    """A table cell: the value, and its day below it in small type (markup: no user text)."""
    return f'{value}<br/><font size="7.5" color="#555555">{day}</font>'


TITLE = "MBC Journal follow-up summary"
SUBJECT = "Patient-reported symptom summary"
PRODUCER = "ReportLab (MBC Journal)"
LANG = "en"  # the report's words are English; user text keeps its own script


def _xmp(author: str, when: dt.datetime) -> str:
    """XMP metadata (Dublin Core and PDF), the same facts as the document information."""
    stamp = when.astimezone().isoformat(timespec="seconds")
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(TITLE)}</rdf:li></rdf:Alt>'
        "</dc:title>\n"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>\n"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(SUBJECT)}</rdf:li>'
        "</rdf:Alt></dc:description>\n"
        f"<dc:language><rdf:Bag><rdf:li>{LANG}</rdf:li></rdf:Bag></dc:language>\n"
        "<dc:format>application/pdf</dc:format>\n"
        f"<pdf:Producer>{PRODUCER}</pdf:Producer>\n"
        "<xmp:CreatorTool>MBC Journal</xmp:CreatorTool>\n"
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate>\n"
        f"<xmp:ModifyDate>{stamp}</xmp:ModifyDate>\n"
        f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def _build(
    story: list[Any],
    path: str,
    page: tuple[float, float],
    data: ReportData,
    missing_glyphs: bool,
    structure: _Element | None = None,
) -> int:
    from reportlab import rl_config
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfdoc import XMP
    from reportlab.pdfgen import canvas as canvas_module
    from reportlab.platypus import SimpleDocTemplate

    # Binary image streams: ASCII85 text encoding is done in pure Python without
    # reportlab's optional C accelerator, and was a third of a report's time.
    rl_config.useA85 = 0

    note = (
        "Characters shown as □ could not be drawn with the fonts on this computer."
        if missing_glyphs
        else ""
    )
    generated = f"Generated {data.generated:%d %b %Y %H:%M}"
    author = data.patient or "Patient"
    metadata = _xmp(author, data.generated)

    class NumberedCanvas(canvas_module.Canvas):  # type: ignore[misc]
        """Two passes: 'page X of Y' needs the total."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Every font embedded: the canvas's own first font is ours, not Helvetica.
            kwargs["initialFontName"] = _Fonts.regular
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._doc.Catalog.Metadata = XMP(creator=lambda _doc: metadata.encode("utf-8"))
            # A viewer's title bar shows the title, not the file name (PDF/UA).
            self.setViewerPreference("DisplayDocTitle", "true")
            self._mbc_tags = _Tags(structure) if structure else None

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.addLiteral("/Artifact <</Type /Pagination /Subtype /Footer>> BDC")
                self.setFont(_Fonts.regular, 7.5)
                width = self._pagesize[0]
                self.drawString(15 * mm, 10 * mm, f"{generated}. {FOOTER}")
                if note:  # a line of its own, clear of the page number
                    self.drawString(15 * mm, 6.5 * mm, note)
                self.drawRightString(
                    width - 15 * mm, 10 * mm, f"page {self._pageNumber} of {total}"
                )
                self.addLiteral("EMC")
                number = self._pageNumber
                super().showPage()
                if self._mbc_tags:
                    self._mbc_tags.pages[number] = self._doc.Pages.pages[-1]
            if self._mbc_tags:
                self._mbc_tags.write(self._doc)
            super().save()

    doc = SimpleDocTemplate(
        path,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=18 * mm,
        title=TITLE,
        author=author,
        subject=SUBJECT,
        creator="MBC Journal",
        producer=PRODUCER,  # the same in the document information and XMP
        lang=LANG,
    )
    doc.build(story, canvasmaker=NumberedCanvas)
    return int(doc.page)


# Tagged PDF ----------------------------------------------------------------------------
# ReportLab has no tagging API. The story is walked once before layout: each flowable
# that draws content is given its structure element (a heading, a paragraph, a table
# cell, a chart) and a class whose drawOn wraps the drawing in marked content
# (BDC/EMC with an MCID); the canvas records which element each MCID on each page
# belongs to, and at save time the structure tree, the parent tree and the pages'
# /StructParents are written into the document. Headers and footers are artifacts.


class _Element:
    """A structure element: its type, alternative text, children, and the marked
    content (page number, MCID) drawn for it, in reading order."""

    __slots__ = ("tag", "alt", "actual", "kids", "marks", "bbox")

    def __init__(self, tag: str, parent: _Element | None = None, alt: str | None = None) -> None:
        self.tag = tag
        self.alt = alt
        # The element's text in reading order (/ActualText): the drawn text has no space
        # where a line wraps ("acknowledgedin" to a reader of the structure), and a
        # right-to-left line with a number is drawn in visual order.
        self.actual: str | None = None
        self.kids: list[_Element] = []
        self.marks: list[tuple[int, int]] = []
        self.bbox: list[float] | None = None  # a Figure's box on its page
        if parent is not None:
            parent.kids.append(self)

    def used(self) -> bool:
        return bool(self.marks) or any(k.used() for k in self.kids)


_HEADINGS = {"title": "H1", "h2": "H2"}


def _tag_story(story: list[Any]) -> _Element:
    """The document's structure, in story order: headings H1/H2, paragraphs P, tables as
    Table/TR/TH/TD, each chart a Figure whose /Alt is the description printed under it."""
    from reportlab.platypus import Image, KeepTogether, Paragraph, Table

    document = _Element("Document")

    def paragraph_tag(para: Any) -> str:
        return _HEADINGS.get(str(para.style.name).split("-")[0], "P")

    def visit(items: list[Any], parent: _Element) -> None:
        for n, item in enumerate(items):
            if isinstance(item, KeepTogether):
                visit(item._content, parent)
            elif isinstance(item, Paragraph):
                element = _Element(paragraph_tag(item), parent)
                element.actual = _reading_text(item)
                _mark(item, element)
            elif isinstance(item, Table):
                table = _Element("Table", parent)
                for r, row in enumerate(item._cellvalues):
                    tr = _Element("TR", table)
                    for cell in row:
                        td = _Element("TH" if r < item.repeatRows else "TD", tr)
                        parts = cell if isinstance(cell, list | tuple) else [cell]
                        words = [_reading_text(p) for p in parts if isinstance(p, Paragraph)]
                        td.actual = " ".join(w for w in words if w) or None
                        for part in parts:
                            if hasattr(part, "drawOn"):
                                _mark(part, td)
            elif isinstance(item, Image):
                after = items[n + 1] if n + 1 < len(items) else None
                alt = after.getPlainText() if isinstance(after, Paragraph) else "Chart"
                _mark(item, _Element("Figure", parent, bidi_text.base_letters(alt)))

    visit(story, document)
    return document


def _reading_text(paragraph: Any) -> str:
    """A paragraph's words as a reader should hear them: in logical order (ReportLab
    keeps it until layout), Arabic presentation forms as letters (NFKC), one space
    where a line wraps; a bullet's own mark left out."""
    text = " ".join(str(paragraph.getPlainText()).split())
    return "".join(
        unicodedata.normalize("NFKC", c) if bidi_text.is_presentation_form(c) else c for c in text
    )


_TAGGED: dict[type, type] = {}


def _mark(flowable: Any, element: _Element) -> None:
    """Make ``flowable`` draw itself as marked content of ``element``."""
    cls = type(flowable)
    if not getattr(cls, "_mbc_tagged", False):
        if cls not in _TAGGED:
            _TAGGED[cls] = type(
                cls.__name__,
                (cls,),
                {
                    "_mbc_tagged": True,
                    "_mbc_element": None,
                    "_mbc_drawn": False,
                    "drawOn": _tagged_draw_on,
                    "split": _tagged_split,
                },
            )
        flowable.__class__ = _TAGGED[cls]
    flowable._mbc_element = element


def _tagged_draw_on(self: Any, canvas: Any, x: float, y: float, _sW: float = 0) -> Any:  # noqa: N803
    base: Any = type(self).__mro__[1]
    tags: _Tags | None = getattr(canvas, "_mbc_tags", None)
    element: _Element | None = self._mbc_element
    if tags is None or element is None:
        return base.drawOn(self, canvas, x, y, _sW)
    if self._mbc_drawn:  # drawn again: a table's header row repeated on a new page
        canvas.addLiteral("/Artifact BMC")
    else:
        self._mbc_drawn = True
        if element.tag == "Figure":
            left = self._hAlignAdjust(x, _sW)
            element.bbox = [left, y, left + self.drawWidth, y + self.drawHeight]
        canvas.addLiteral(f"/{element.tag} <</MCID {tags.mark(canvas, element)}>> BDC")
    try:
        return base.drawOn(self, canvas, x, y, _sW)
    finally:
        canvas.addLiteral("EMC")


def _tagged_split(self: Any, *args: Any, **kwargs: Any) -> Any:
    """A paragraph split over two pages: both parts belong to its one element."""
    base: Any = type(self).__mro__[1]
    parts = base.split(self, *args, **kwargs)
    for part in parts:
        if getattr(type(part), "_mbc_tagged", False):
            part._mbc_element = self._mbc_element
    return parts


class _Tags:
    """The marked content drawn on each page, and the structure tree written at save."""

    def __init__(self, document: _Element) -> None:
        self.document = document
        self.next_mcid: dict[int, int] = {}
        self.owners: dict[int, list[_Element]] = {}  # page number -> element of each MCID
        self.pages: dict[int, Any] = {}  # page number -> ReportLab's page object

    def mark(self, canvas: Any, element: _Element) -> int:
        page = int(canvas._pageNumber)
        mcid = self.next_mcid.get(page, 0)
        self.next_mcid[page] = mcid + 1
        self.owners.setdefault(page, []).append(element)
        element.marks.append((page, mcid))
        return mcid

    def write(self, doc: Any) -> None:
        """/StructTreeRoot, /MarkInfo, each page's /StructParents, the /ParentTree."""
        from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFPage, PDFString

        page_refs = {number: doc.Reference(page) for number, page in self.pages.items()}
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = doc.Reference(root)
        refs: dict[int, Any] = {}

        def build(element: _Element, parent_ref: Any) -> Any:
            entry = PDFDictionary(
                {"Type": PDFName("StructElem"), "S": PDFName(element.tag), "P": parent_ref}
            )
            ref = doc.Reference(entry)
            refs[id(element)] = ref
            kids = [build(k, ref) for k in element.kids if k.used()]
            kids += [
                PDFDictionary({"Type": PDFName("MCR"), "Pg": page_refs[page], "MCID": mcid})
                for page, mcid in element.marks
                if page in page_refs
            ]
            if element.marks and element.marks[0][0] in page_refs:
                entry.dict["Pg"] = page_refs[element.marks[0][0]]
            entry.dict["K"] = PDFArray(kids)
            if element.alt is not None:
                entry.dict["Alt"] = PDFString(element.alt)
            if element.actual:
                entry.dict["ActualText"] = PDFString(element.actual)
            if element.bbox:
                entry.dict["A"] = PDFDictionary(
                    {
                        "O": PDFName("Layout"),
                        "Placement": PDFName("Block"),
                        "BBox": PDFArray([round(v, 2) for v in element.bbox]),
                    }
                )
            return ref

        top = build(self.document, root_ref)
        nums: list[Any] = []
        for number, page in sorted(self.pages.items()):
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = number - 1
            page.Tabs = PDFName("S")  # tab order follows the structure
            nums += [number - 1, PDFArray([refs[id(e)] for e in self.owners.get(number, [])])]
        root.dict["K"] = PDFArray([top])
        root.dict["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        root.dict["ParentTreeNextKey"] = len(self.pages)
        doc.Catalog.StructTreeRoot = root_ref
        doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})
