"""The follow-up report: what the doctor reads in the first minute of a visit.

``collect`` gathers plain values from the journal (aggregates, not every
row); ``write_pdf`` lays them out with reportlab platypus. Page 1 answers
"what is new, what is worse, what needs attention". All user text is escaped
for reportlab's markup and shown exactly as typed; characters the fonts cannot
draw become a visible □ with a note on the page, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from xml.sax.saxutils import escape

from mbc_journal.careplan import Appointment, Question, Result, Treatment
from mbc_journal.errors import ValidationError
from mbc_journal.model import (
    Entry,
    EntryFilter,
    Item,
    ItemDays,
    ItemKind,
    ItemStats,
    band,
    check_range,
)
from mbc_journal.signals import Kind, Level, SafetySignal

if TYPE_CHECKING:
    from mbc_journal.journal import Journal

SECTIONS = ("sites", "charts", "measurements", "results", "notes", "caregiver")
SECTION_LABELS = {
    "sites": "Tables per organ site",
    "charts": "Charts",
    "measurements": "Measurements",
    "results": "Results (labs and scans)",
    "notes": "Notes",
    "caregiver": "Caregiver observations",
}
PAGE_SIZES = ("A4", "Letter")
DEFAULT_DAYS = 30
CHANGE_POINTS = 1.5  # average change that page 1 calls worse / better
TREND_BEFORE_DAYS = 30  # the trend compares the period with these days before it
FOOTER = "Patient-reported, not a diagnosis."
# Lists (notes, caregiver entries, readings) show the most recent this many, so a
# 5-year report stays readable and costs about what a 90-day one does.
MAX_LISTED = 40
MAX_SCANS = 5
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ReportOptions:
    date_from: dt.date
    date_to: dt.date
    sections: frozenset[str] = frozenset(SECTIONS)
    sites: tuple[str, ...] | None = None  # None: every site with data
    page_size: str = "A4"

    def validated(self) -> ReportOptions:
        check_range(self.date_from, self.date_to)
        if self.date_to > dt.date.today():
            raise ValidationError("The report cannot end in the future.")
        unknown = set(self.sections) - set(SECTIONS)
        if unknown:
            raise ValidationError(
                f"Unknown report section(s): {', '.join(sorted(unknown))}; choose from "
                f"{', '.join(SECTIONS)}."
            )
        if self.page_size not in PAGE_SIZES:
            raise ValidationError(f"The page size must be A4 or Letter, not '{self.page_size}'.")
        return self


@dataclass(frozen=True)
class ItemSummary:
    item: Item
    days_logged: int
    latest: float
    latest_day: dt.date
    worst: float
    average: float
    trend: str  # words with an arrow: never colour only


@dataclass(frozen=True)
class MeasureSummary:
    item: Item
    readings: int
    latest: float
    latest_day: dt.date
    lowest: float  # lowest of the daily highest readings
    highest: float


@dataclass(frozen=True)
class Change:
    item: Item
    before: float
    after: float

    @property
    def diff(self) -> float:
        """The change as printed (one decimal), so words and numbers always agree."""
        return round(round(self.after, 1) - round(self.before, 1), 1)


@dataclass(frozen=True)
class SignalGroup:
    """The same signal on several days, told once: the latest in full, the rest by date.

    Over a long period one symptom can be "new" or a warning sign many times; page 1
    must stay one page the doctor reads in a minute, whatever the period.
    """

    latest: SafetySignal
    earlier: tuple[dt.date, ...]  # oldest first
    by_caregiver: bool

    @property
    def count(self) -> int:
        return len(self.earlier) + 1


def group_signals(signals: Iterable[SafetySignal]) -> list[SignalGroup]:
    """One group per (kind, item, title), most recent first."""
    found: dict[tuple[str, str, str], list[SafetySignal]] = {}
    for s in sorted(signals, key=lambda s: s.day):
        found.setdefault((s.kind.value, s.item_id, s.title), []).append(s)
    groups = [
        SignalGroup(same[-1], tuple(s.day for s in same[:-1]), any(s.by_caregiver for s in same))
        for same in found.values()
    ]
    return sorted(groups, key=lambda g: (g.latest.day, g.latest.item_id), reverse=True)


@dataclass(frozen=True)
class ReportData:
    patient: str
    date_from: dt.date
    date_to: dt.date
    period_note: str
    generated: dt.datetime
    treatments: Sequence[Treatment]
    treatment_changes: Sequence[str]
    urgent: Sequence[SignalGroup]
    new_problems: Sequence[SignalGroup]
    worse: Sequence[Change]
    better: Sequence[Change]
    questions: Sequence[Question]
    next_appointment: Appointment | None
    caregiver_entries: Sequence[Entry]
    site_tables: Sequence[tuple[str, Sequence[ItemSummary]]]
    charts: Sequence[tuple[str, Any]]  # (site label, charts.ChartData)
    measurements: Sequence[MeasureSummary]
    temperatures: Sequence[Entry]
    results: Sequence[Result]
    notes: Sequence[tuple[dt.date, str, str, str]]  # day, about, text, who
    options: ReportOptions
    hidden_notes: int = 0
    item_labels: dict[str, Item] = field(default_factory=dict)
    new_problem_days: int = 30  # the care team's setting: "new" means not in these days

    @property
    def has_entries(self) -> bool:
        return bool(self.site_tables or self.measurements or self.urgent or self.notes)

    def day(self, day: dt.date) -> str:
        """A date as page 1 writes it: with the year when the period spans years."""
        same_year = self.date_from.year == self.date_to.year == day.year
        return f"{day:%d %b}" if same_year else f"{day:%d %b %Y}"

    def also_on(self, group: SignalGroup, shown: int = 6) -> str:
        """ "Also on 02 Mar, 09 Mar (3 days in all)." for a group, "" for a single day."""
        earlier = [self.day(d) for d in group.earlier]
        if not earlier:
            return ""
        if len(earlier) > shown:
            hidden = len(earlier) - shown + 1
            earlier = [earlier[0], f"… {hidden} more …", *earlier[-(shown - 2) :]]
        listed = ", ".join(earlier)
        return f"Also on {listed} ({group.count} days in all)."


def default_period(journal: Journal, today: dt.date | None = None) -> tuple[dt.date, dt.date, str]:
    """Since the last appointment, else the last 30 days; with the reason in words."""
    today = today or dt.date.today()
    last = journal.last_appointment(today)
    if last is not None:
        return last.day, today, f"since the {last.kind.label.lower()} on {last.day:%d %b %Y}"
    return today - dt.timedelta(days=DEFAULT_DAYS - 1), today, f"the last {DEFAULT_DAYS} days"


# --- collecting ----------------------------------------------------------------


def collect(journal: Journal, options: ReportOptions, period_note: str = "") -> ReportData:
    options = options.validated()
    start, end = options.date_from, options.date_to
    catalogue = journal.catalogue
    site_ids = list(options.sites) if options.sites else [s.id for s in catalogue.sites]
    for site_id in site_ids:
        catalogue.site(site_id)
    items = {i.id: i for i in catalogue.items}
    # Every live entry from the history the rules and the trends need, read once as
    # day columns: tables, trends, charts and signals all come from these.
    history = journal.signal_history_start(start) or start
    days = journal.item_days(min(history, start - dt.timedelta(days=TREND_BEFORE_DAYS)), end)
    days = {i: d for i, d in days.items() if i in items}
    in_period = {i: d.between(start, end) for i, d in days.items()}
    stats = {i: s for i, d in in_period.items() if (s := d.stats())}
    signals = journal.signals(start, end, days=days)
    entries_with_notes = journal.entries(EntryFilter(date_from=start, date_to=end, with_note=True))
    caregiver = journal.entries(EntryFilter(date_from=start, date_to=end, role=_caregiver()))
    measurements = [
        MeasureSummary(item, s.entries, s.latest, s.latest_day, s.lowest, s.worst)
        for item in catalogue.items_for_site("measurements")
        if (s := stats.get(item.id))
    ]
    temperatures = journal.entries(
        EntryFilter(date_from=start, date_to=end, item_ids=("temperature",))
    )[-MAX_LISTED:]
    changes_found = _changes(days, [i for i in items.values() if i.id in stats], start, end)
    worse = sorted(
        (c for c in changes_found.values() if c.diff >= CHANGE_POINTS),
        key=lambda c: c.before - c.after,
    )
    better = sorted(
        (c for c in changes_found.values() if c.diff <= -CHANGE_POINTS),
        key=lambda c: c.after - c.before,
    )
    tables: list[tuple[str, list[ItemSummary]]] = []
    chart_items: list[tuple[str, list[Item]]] = []
    treatments = journal.treatments()
    appointments = journal.appointments()
    for site_id in site_ids:
        if site_id == "measurements":
            continue
        site = catalogue.site(site_id)
        rows = [
            _summary(item, s, changes_found.get(item.id))
            for item in catalogue.items_for_site(site_id)
            if (s := stats.get(item.id)) and item.kind is not ItemKind.MEASUREMENT
        ]
        if rows:
            tables.append((site.label, rows))
            chart_items.append((site.label, [r.item for r in rows]))
    chart_list: list[tuple[str, Any]] = []
    if "charts" in options.sections and chart_items:
        from mbc_journal.charts import ChartData

        chart_list = [
            (
                label,
                ChartData(
                    shown, {i.id: in_period[i.id] for i in shown}, start, end, treatments,
                    appointments,
                ),
            )
            for label, shown in chart_items
        ]  # fmt: skip
    notes = [
        (d.local_date, "The day", d.text, _who(d.person)) for d in journal.day_notes(start, end)
    ]
    notes += [
        (
            e.local_date,
            items[e.item_id].label if e.item_id in items else e.item_id,
            e.note,
            _who(e.person),
        )
        for e in entries_with_notes
    ]
    notes.sort(key=lambda n: (n[0], n[1]))
    hidden_notes = max(0, len(notes) - MAX_LISTED)
    notes = notes[hidden_notes:]
    active = [t for t in treatments if t.active_on(end)]
    changes = [
        f"{t.start:%d %b %Y}: started {t.label}" for t in treatments if start <= t.start <= end
    ]
    changes += [
        f"{t.end:%d %b %Y}: ended {t.label}"
        for t in treatments
        if t.end is not None and start <= t.end <= end
    ]
    return ReportData(
        patient=journal.profile_name(),
        date_from=start,
        date_to=end,
        period_note=period_note,
        generated=dt.datetime.now(),
        treatments=active,
        treatment_changes=sorted(changes),
        urgent=group_signals(s for s in signals if s.level is Level.URGENT),
        new_problems=group_signals(s for s in signals if s.kind is Kind.NEW_PROBLEM),
        worse=worse,
        better=better,
        questions=journal.questions(open_only=True),
        next_appointment=journal.next_appointment(end),
        caregiver_entries=caregiver,
        site_tables=tables,
        charts=chart_list,
        measurements=measurements,
        temperatures=temperatures,
        results=journal.results(start, end),
        notes=notes,
        options=options,
        hidden_notes=hidden_notes,
        item_labels=items,
        new_problem_days=journal.thresholds().new_problem_days,
    )


def _caregiver() -> Any:
    from mbc_journal.model import Role

    return Role.CAREGIVER


def _who(person: Any) -> str:
    return f"{person.name} (caregiver)" if person.is_caregiver else (person.name or "patient")


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _summary(item: Item, stats: ItemStats, change: Change | None) -> ItemSummary:
    """One table row. The trend is the same comparison page 1 uses, so they never disagree."""
    if item.kind is ItemKind.EVENT:
        trend = f"{stats.entries} time(s)"
    elif change is None:
        trend = "→ not enough days to compare"
    else:
        words = _trend_words(change.diff)
        trend = f"{words} ({change.before:.1f} → {change.after:.1f})"
    return ItemSummary(
        item, stats.days, stats.latest, stats.latest_day, stats.worst, stats.average, trend
    )


def _trend_words(diff: float) -> str:
    if diff >= CHANGE_POINTS:
        return "↑ worse"
    if diff <= -CHANGE_POINTS:
        return "↓ better"
    return "→ about the same"


def _changes(
    days: Mapping[str, ItemDays], items: Sequence[Item], start: dt.date, end: dt.date
) -> dict[str, Change]:
    """Per rating, the average of its daily highest values before the period (the 30
    days before it, or its first third when fewer than 3 days were logged then)
    against its last week (or last third)."""
    length = (end - start).days + 1
    tail_start = end - dt.timedelta(days=min(7, max(1, length // 3)) - 1)
    head_end = start + dt.timedelta(days=max(1, length // 3) - 1)
    found = {}
    for item in items:
        if item.kind is not ItemKind.RATING or item.id not in days:
            continue
        series = days[item.id]
        before = series.between(
            start - dt.timedelta(days=TREND_BEFORE_DAYS), start - dt.timedelta(days=1)
        )
        if len(before) < 3:
            before = series.between(start, head_end)
        after = series.between(tail_start, end)
        if len(before) >= 2 and after:
            found[item.id] = Change(item, _mean(before.values), _mean(after.values))
    return found


# --- plain-text summary (the app's preview of page 1) ------------------------------


class Block(NamedTuple):
    """One line of page 1, as plain text (escaped by whoever draws it)."""

    style: str  # title, line, h2, alert, alert_more, bullet, none (nothing to list)
    text: str
    lead: str = ""  # a bold start ("Worse:")


def page_one(data: ReportData) -> list[Block]:
    """Page 1, the same in the PDF and in the app's preview."""
    blocks = [Block("title", f"Symptom summary for {data.patient or 'the patient'}")]
    period = f"{data.date_from:%d %b %Y} – {data.date_to:%d %b %Y}"
    if data.period_note:
        period += f" ({data.period_note})"
    blocks.append(
        Block(
            "line",
            f"{period}. Generated {data.generated:%d %b %Y %H:%M}. "
            "Patient-reported; not a diagnosis.",
            "Period:",
        )
    )
    if data.next_appointment:
        blocks.append(Block("line", data.next_appointment.label, "Next appointment:"))

    def listed(heading: str, lines: list[Block], empty: str) -> None:
        blocks.append(Block("h2", heading))
        blocks.extend(lines or [Block("none", empty)])

    urgent = []
    for g in data.urgent:
        by = " (entered by a caregiver)" if g.by_caregiver else ""
        urgent.append(
            Block("alert", f"⚠ {data.day(g.latest.day)}: {g.latest.title} — {g.latest.text}{by}")
        )
        if g.earlier:
            urgent.append(Block("alert_more", data.also_on(g)))
    listed(
        "Needs attention: warning signs logged",
        urgent,
        "No warning signs were logged in this period.",
    )
    listed(
        f"New problems (not logged in the {data.new_problem_days} days before)",
        [
            Block(
                "bullet",
                f"{data.day(g.latest.day)}: {data.item_labels[g.latest.item_id].label}"
                + (" (entered by a caregiver)" if g.by_caregiver else "")
                + (f" — {data.also_on(g)}" if g.earlier else ""),
            )
            for g in data.new_problems
        ],
        "None.",
    )
    blocks.append(Block("h2", "What got worse, and what got better"))
    blocks += [
        Block(
            "bullet",
            f"{c.item.label}, average {c.before:.1f} → {c.after:.1f} ({band(c.after).value})",
            "↑ Worse:",
        )
        for c in data.worse
    ] or [Block("none", f"Nothing got worse by {CHANGE_POINTS:g} points or more.")]
    blocks += [
        Block("bullet", f"{c.item.label}, average {c.before:.1f} → {c.after:.1f}", "↓ Better:")
        for c in data.better
    ] or [Block("none", f"Nothing got better by {CHANGE_POINTS:g} points or more.")]
    listed(
        "Current treatments",
        [
            Block(
                "bullet",
                x.label + (f" — {x.details}" if x.details else "") + f" (since {x.start:%d %b %Y})",
            )
            for x in data.treatments
        ],
        "None recorded.",
    )
    if data.treatment_changes:
        blocks.append(Block("line", "", "Changes in this period:"))
        blocks += [Block("bullet", c) for c in data.treatment_changes]
    listed(
        "Questions the patient wants to ask",
        [Block("bullet", q.text) for q in data.questions],
        "None written down.",
    )
    if data.caregiver_entries:
        people = sorted({e.person.name for e in data.caregiver_entries})
        labels = sorted(
            {
                data.item_labels[e.item_id].label
                for e in data.caregiver_entries
                if e.item_id in data.item_labels
            }
        )
        blocks.append(Block("h2", "Caregiver observations"))
        blocks.append(
            Block(
                "line",
                f"{len(data.caregiver_entries)} entries by {', '.join(people)}: "
                f"{', '.join(labels)}. Details in the caregiver section.",
            )
        )
    return blocks


_HTML = {
    "title": '<h2 style="margin:0">{}</h2>',
    "line": '<p style="margin:2px 0">{}</p>',
    "h2": '<h3 style="margin:12px 0 2px 0">{}</h3>',
    "alert": '<p style="margin:2px 0;color:#8B0000;font-weight:bold">{}</p>',
    "alert_more": '<p style="margin:0 0 4px 16px;color:#8B0000">{}</p>',
    "bullet": '<p style="margin:1px 0 1px 12px">• {}</p>',
    "none": '<p style="margin:1px 0"><i>{}</i></p>',
}


def summary_html(data: ReportData) -> str:
    """Page 1 as simple HTML, for the app's preview (Qt rich text)."""
    import html

    out = []
    for block in page_one(data):
        text = html.escape(block.text).replace("\n", "<br>")
        if block.lead:
            text = f"<b>{html.escape(block.lead)}</b> {text}"
        out.append(_HTML[block.style].format(text))
    return "\n".join(out)


# --- the PDF ------------------------------------------------------------------------


class _Fonts:
    """DejaVu Sans (shipped with matplotlib) and, if the system has one, a CJK fallback."""

    _registered = False
    regular = "MBCSans"
    bold = "MBCSans-Bold"
    fallback: str | None = None
    _faces: dict[str, Any] = {}

    @classmethod
    def register(cls) -> None:
        if cls._registered:
            return
        import matplotlib
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

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
        for path in _fallback_candidates():
            try:
                font = TTFont("MBCFallback", path, subfontIndex=0)
            except Exception:  # noqa: BLE001 — an unreadable system font is simply skipped
                continue
            pdfmetrics.registerFont(font)
            cls.fallback = "MBCFallback"
            cls._faces["MBCFallback"] = font.face.charToGlyph
            break
        cls._registered = True

    @classmethod
    def covers(cls, name: str, char: str) -> bool:
        return ord(char) in cls._faces.get(name, {})


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
            elif _Fonts.fallback and _Fonts.covers(_Fonts.fallback, char):
                font = _Fonts.fallback
            else:
                self.missing = True
                font, char = None, "□"
            if font != run_font:
                flush()
                run_font = font
            run.append(char)
        flush()
        return "".join(out)


def write_pdf(data: ReportData, path: Path | str, progress: Progress | None = None) -> int:
    """Write the report; returns the number of pages. Written to a temporary file
    first and moved into place, so a failed report never leaves half a file."""
    path = Path(path)
    _check_writable(path)
    report = progress or (lambda _f, _s: None)
    report(0.05, "Preparing fonts")
    _Fonts.register()
    from reportlab.lib.pagesizes import A4, LETTER

    story, text = _story(data, report)
    page = A4 if data.options.page_size == "A4" else LETTER
    fd, temp = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        pages = _build(story, temp, page, data, text.missing)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    report(1.0, "Done")
    return pages


def _check_writable(path: Path) -> None:
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; give a file name such as report.pdf.")
    if not path.parent.is_dir():
        raise ValidationError(f"The folder {path.parent} does not exist.")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValidationError(f"The report cannot be written to {path} (no permission).")


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle(
        "body", fontName=_Fonts.regular, fontSize=10, leading=13, splitLongWords=True
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
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
        ),
        "alert": ParagraphStyle(
            "alert",
            parent=base,
            fontName=_Fonts.bold,
            fontSize=11,
            leading=14,
            textColor=colors.HexColor("#8B0000"),
        ),
        "alert_more": ParagraphStyle(
            "alert_more", parent=base, fontSize=8.5, leading=11, leftIndent=12, spaceAfter=2
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle(
            "head", parent=base, fontName=_Fonts.bold, fontSize=8.5, leading=10.5
        ),
    }


def _story(data: ReportData, report: Progress) -> tuple[list[Any], _Text]:
    from reportlab.lib import colors
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

    def para(markup: str, style: str = "body") -> Any:
        return Paragraph(markup, st[style])

    def table(
        headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> Any:
        cells = [[Paragraph(h, st["head"]) for h in headers]]
        cells += [[Paragraph(c, st["cell"]) for c in row] for row in rows]
        tbl = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
        tbl.setStyle(
            TableStyle(
                [
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
            story.append(Paragraph(markup, st["body"], bulletText="•"))
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
                    t(r.item.label),
                    str(r.days_logged),
                    _dated(r.item.format_value(r.latest), data.day(r.latest_day)),
                    r.item.format_value(r.worst),
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
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110)
            width_in, height_in = fig.get_size_inches()
            buffer.seek(0)
            width = 175 * mm
            story.append(CondPageBreak(width * height_in / width_in + 10))
            story.append(Image(buffer, width=width, height=width * height_in / width_in))
            story.append(Spacer(1, 4 * mm))
            report(0.35 + 0.4 * (n + 1) / len(data.charts), f"Chart {label}")
    # measurements and results -------------------------------------------------------
    if "measurements" in data.options.sections and data.measurements:
        story.append(para("Measurements", "h2"))
        measure_rows = [
            [
                t(m.item.label),
                str(m.readings),
                _dated(m.item.format_value(m.latest), data.day(m.latest_day)),
                m.item.format_value(m.lowest),
                m.item.format_value(m.highest),
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
                        + f" {item.format_value(e.value, e.unit)}"
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
                labs.setdefault(r.name, []).append(r)
            else:
                scans.append(r)
        if labs:
            # One row per test (latest, and how it began in the period): a doctor reads
            # the direction, and the size does not grow with the period.
            lab_rows = [
                [t(name), f"{rs[-1].day:%d %b %Y}: {t(rs[-1].display)}",
                 f"{rs[0].day:%d %b %Y}: {rs[0].value:g} {t(rs[0].unit)}" if len(rs) > 1 else "",
                 str(len(rs))]
                for name, rs in labs.items()
            ]  # fmt: skip
            story.append(table(["Test", "Latest", "First in the period", "Results"], lab_rows,
                               (45, 62, 53, 20)))  # fmt: skip
        if scans:
            recent = scans[-MAX_SCANS:]
            note = (
                f" (the {len(recent)} most recent of {len(scans)})"
                if len(recent) < len(scans)
                else ""
            )
            story.append(para(f"<b>Scans</b>{note}:", "body"))
            for r in reversed(recent):
                story.append(para(f"{r.day:%d %b %Y} — {t(r.name)}: {t(r.summary)}"))
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
            story.append(para(f"<b>{day:%d %b %Y} — {t(about)}</b> ({t(who_)}): {t(text_)}"))
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
                _dated(item.format_value(last.value, last.unit), data.day(last.local_date)),
                item.format_value(max(e.value for e in found)),
            ])  # fmt: skip
        story.append(table(["Who", "What they noticed", "Days", "Latest", "Worst"],
                           caregiver_rows, (30, 60, 15, 40, 30)))  # fmt: skip
        story.append(para("Caregivers' notes are in the notes above, marked with their name.",
                          "small"))  # fmt: skip
    if not data.has_entries:
        story.append(para("<i>Nothing was logged in this period.</i>"))
    report(0.9, "Laying out pages")
    return story, t


def _dated(value: str, day: str) -> str:
    """A table cell: the value, and its day below it in small type (markup: no user text)."""
    return f'{value}<br/><font size="7.5" color="#555555">{day}</font>'


def _build(
    story: list[Any], path: str, page: tuple[float, float], data: ReportData, missing_glyphs: bool
) -> int:
    from reportlab import rl_config
    from reportlab.lib.units import mm
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

    class NumberedCanvas(canvas_module.Canvas):  # type: ignore[misc]
        """Two passes: 'page X of Y' needs the total."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(_Fonts.regular, 7.5)
                width = self._pagesize[0]
                self.drawString(15 * mm, 10 * mm, f"{generated}. {FOOTER}")
                if note:  # a line of its own, clear of the page number
                    self.drawString(15 * mm, 6.5 * mm, note)
                self.drawRightString(
                    width - 15 * mm, 10 * mm, f"page {self._pageNumber} of {total}"
                )
                super().showPage()
            super().save()

    doc = SimpleDocTemplate(
        path,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=18 * mm,
        title="MBC Journal follow-up summary",
        author="MBC Journal",
        subject="Patient-reported symptom summary",
    )
    doc.build(story, canvasmaker=NumberedCanvas)
    return int(doc.page)
