"""Trend charts as matplotlib Figures (no Qt, no pyplot): used by the Trends
screen and by the PDF report.

Ratings share a 0–10 panel with the severity bands drawn behind them; events
are markers on their own strip; each measurement has its own panel with its
unit. Days not logged are gaps (NaN), never zeros. Colours are the Okabe–Ito
colour-blind-safe palette, and every series also has its own marker shape
and line style, so nothing is told by colour alone.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from mbc_journal.model import DayRule, Item, ItemDays, ItemKind

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from mbc_journal.careplan import Appointment, Treatment

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")
SPAN_KINDS = {"chemotherapy", "hormone", "targeted", "radiation"}
SPAN_HATCHES = ("//", "\\\\", "..", "xx")
MARKERS_UP_TO = 120  # points per line; beyond this, lines only (markers would be noise)
RARE_UP_TO = 10  # a line with this few points is drawn larger and on top of the others
SUMMARY_AFTER_DAYS = 180  # longer periods are drawn by week ...
WEEKLY_UP_TO_DAYS = 3 * 366  # ... and beyond three years by four weeks
RANGE_ALPHA = 0.14
FULL_APPOINTMENT_LINES = 40  # more appointments than this are marked along the top only


@dataclass(frozen=True)
class Style:
    """Look of a series: colour, marker shape and line style (three cues)."""

    color: str
    marker: str
    linestyle: str


def style(index: int) -> Style:
    return Style(
        OKABE_ITO[index % len(OKABE_ITO)],
        MARKERS[index % len(MARKERS)],
        LINESTYLES[(index // len(MARKERS)) % len(LINESTYLES)],
    )


class Dense(NamedTuple):
    """One series laid out on the chart's buckets (NaN where nothing was logged)."""

    high: np.ndarray  # the highest day of each bucket
    low: np.ndarray  # the lowest day
    mean: np.ndarray  # the average of its days (for one-day buckets: that day)
    caregiver: np.ndarray  # a caregiver's observation is in it
    lowest: np.ndarray  # the lowest reading of any of its days (temperature)
    other: np.ndarray  # a caregiver's rating beside the patient's (highest; NaN: none)


@dataclass(frozen=True)
class ChartData:
    items: Sequence[Item]
    series: Mapping[str, ItemDays]
    date_from: dt.date
    date_to: dt.date
    treatments: Sequence[Treatment] = field(default=())
    appointments: Sequence[Appointment] = field(default=())

    @property
    def empty(self) -> bool:
        return not any(self.series.get(i.id) for i in self.items)


@dataclass(frozen=True)
class Theme:
    background: str = "#ffffff"
    foreground: str = "#1a1a1a"
    grid: str = "#d0d0d0"
    band: str = "#000000"
    band_alpha: float = 0.05


LIGHT = Theme()
DARK = Theme("#202124", "#e8eaed", "#4a4d52", "#ffffff", 0.07)


def _figure(width: float, height: float, dpi: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


def bucket_days(n_days: int) -> int:
    """How many days one point stands for: a day, a week, or four weeks.

    A year of daily ratings is a band of noise on a screen or a page; the average of
    each week, with the range of its days shaded, shows the change.
    """
    if n_days <= SUMMARY_AFTER_DAYS:
        return 1
    return 7 if n_days <= WEEKLY_UP_TO_DAYS else 28


def bucket_words(bucket: int) -> str:
    return {1: "a day", 7: "a week"}.get(bucket, f"{bucket // 7} weeks")


def build(
    data: ChartData,
    *,
    width: float = 10.0,
    dpi: float = 100.0,
    theme: Theme = LIGHT,
    title: str = "",
) -> Figure:
    """A Figure for ``data``: one panel for ratings, one strip for events, one per measurement.

    Periods longer than ``SUMMARY_AFTER_DAYS`` are drawn by week (or four weeks): a
    rating's line is the average of the days logged in it, with the lowest to the
    highest day shaded; measurements show each bucket's highest day (a fever is never
    averaged away; temperature has a bar down to its lowest reading). A caregiver's
    rating beside the patient's is a ring of its own. A bucket with nothing logged
    stays a gap. Each day's value is the item's ``DayRule`` (``model.day_value``).

    Every text on it is drawn as typed: labels, treatment names and the title are
    user text, so mathtext is off for the whole build (``Cost $100, copay $20`` is
    no formula, and ``$\\alpha_$`` does not break the chart).
    """
    import matplotlib

    # Every Text made while the chart is built draws its string literally.
    with matplotlib.rc_context({"text.parse_math": False}):
        return _build(data, width=width, dpi=dpi, theme=theme, title=title)


def _build(data: ChartData, *, width: float, dpi: float, theme: Theme, title: str) -> Figure:
    import matplotlib.dates as mdates
    import numpy as np

    ratings = [i for i in data.items if i.kind is ItemKind.RATING and data.series.get(i.id)]
    events = [i for i in data.items if i.kind is ItemKind.EVENT and data.series.get(i.id)]
    measures = [i for i in data.items if i.kind is ItemKind.MEASUREMENT and data.series.get(i.id)]
    panels: list[tuple[str, float]] = []
    if ratings:
        panels.append(("ratings", 3.2))
    if events:
        panels.append(("events", 0.45 + 0.28 * len(events)))
    panels += [(f"m:{m.id}", 1.4) for m in measures]
    if not panels:
        panels = [("ratings", 3.2)]
    fig = _figure(width, sum(h for _, h in panels) + 0.9, dpi)
    fig.set_facecolor(theme.background)
    axes = fig.subplots(
        len(panels),
        1,
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": [h for _, h in panels]},
    )[:, 0]
    start = data.date_from.toordinal()
    n_days = data.date_to.toordinal() - start + 1
    bucket = bucket_days(n_days)
    n_slots = -(-n_days // bucket)
    first_x = float(mdates.date2num(data.date_from))
    x = first_x + np.arange(n_slots) * bucket + (bucket - 1) / 2  # the middle of each bucket
    shown = [*ratings, *events, *measures]
    styles = {item.id: style(i) for i, item in enumerate(shown)}

    def dense(points: ItemDays) -> Dense:
        high = np.full(n_slots, np.nan)
        low = np.full(n_slots, np.nan)
        lowest = np.full(n_slots, np.nan)
        other = np.full(n_slots, np.nan)
        total = np.zeros(n_slots)
        count = np.zeros(n_slots)
        caregiver = np.zeros(n_slots, dtype=bool)
        if not points:
            return Dense(high, low, high.copy(), caregiver, lowest, other)
        # Day columns, not an object per day.
        ordinals = np.asarray(points.ordinals, dtype=np.int64)
        values = np.asarray(points.values, dtype=float)
        by_caregiver = np.asarray(points.caregiver, dtype=bool)
        slots = (ordinals - start) // bucket
        keep = (slots >= 0) & (slots < n_slots)
        slots, values, by_caregiver = slots[keep], values[keep], by_caregiver[keep]
        np.fmax.at(high, slots, values)  # each value is a day's value; NaN stays a gap
        np.fmin.at(low, slots, values)
        np.fmin.at(lowest, slots, np.asarray(points.lows, dtype=float)[keep])
        np.fmax.at(other, slots, np.asarray(points.others, dtype=float)[keep])
        np.add.at(total, slots, values)
        np.add.at(count, slots, 1)
        np.logical_or.at(caregiver, slots, by_caregiver)
        mean = np.full(n_slots, np.nan)
        np.divide(total, count, out=mean, where=count > 0)
        return Dense(high, low, mean, caregiver, lowest, other)

    any_caregiver = False
    # The legend's entries, kept here: matplotlib would skip a label starting with "_".
    handles: list[Artist] = []
    labels: list[str] = []
    for (kind, _h), ax in zip(panels, axes, strict=True):
        _style_axes(ax, theme)
        if kind == "ratings":
            _bands(ax, theme)
            for item in ratings:
                d = dense(data.series[item.id])
                values, caregiver = d.mean, d.caregiver
                s = styles[item.id]
                if bucket > 1:  # the range of the bucket's days, behind its average
                    ax.fill_between(x, d.low, d.high, where=~np.isnan(d.mean), step="mid",
                                    color=s.color, alpha=RANGE_ALPHA, linewidth=0)  # fmt: skip
                logged = int(np.count_nonzero(~np.isnan(values)))
                rare = logged <= RARE_UP_TO  # drawn larger and on top, never hidden
                (line,) = ax.plot(
                    x,
                    values,
                    color=s.color,
                    linestyle=s.linestyle,
                    linewidth=1.8,
                    marker=s.marker if logged <= MARKERS_UP_TO else None,
                    markersize=7 if rare else 4,
                    markeredgecolor=theme.background if rare else s.color,
                    zorder=3 if rare else 2,
                    label=_shown(item.label),
                )
                handles.append(line)
                labels.append(_shown(item.label))
                if caregiver.any():
                    any_caregiver = True
                    _ring(ax, x[caregiver], values[caregiver], s, 8)
                beside = ~np.isnan(d.other)
                if beside.any():  # a caregiver's rating on a day the patient rated too
                    any_caregiver = True
                    _ring(ax, x[beside], d.other[beside], s, 8)
            ax.set_ylim(-0.3, 10.3)
            ax.set_yticks(range(0, 11, 2))
            ax.set_ylabel("Rating (0 none – 10 worst)", color=theme.foreground)
        elif kind == "events":
            for row, item in enumerate(events):
                d = dense(data.series[item.id])
                values, caregiver = d.high, d.caregiver
                s = styles[item.id]
                hit = ~np.isnan(values)
                (line,) = ax.plot(
                    x[hit],
                    np.full(int(hit.sum()), row),
                    linestyle="none",
                    marker=s.marker,
                    markersize=8,
                    color=s.color,
                    label=_shown(item.label),
                )
                handles.append(line)
                labels.append(_shown(item.label))
                if caregiver.any():
                    any_caregiver = True
                    _ring(ax, x[caregiver], np.full(int(caregiver.sum()), row), s, 12)
            ax.set_yticks(range(len(events)), [_shown(i.label) for i in events])
            ax.set_ylim(-0.6, len(events) - 0.4)
            ax.tick_params(axis="y", labelsize=8)
        else:
            item = next(m for m in measures if f"m:{m.id}" == kind)
            d = dense(data.series[item.id])
            values = d.high
            s = styles[item.id]
            if item.day_rule is DayRule.HIGH_LOW:
                # Several readings a day: a bar from the lowest to the highest, the
                # line through the highest (a fever is never averaged away).
                spread = ~np.isnan(d.lowest) & (d.lowest < values)
                if spread.any():
                    ax.vlines(x[spread], d.lowest[spread], values[spread], color=s.color,
                              linewidth=2.2, alpha=0.55)  # fmt: skip
            logged = int(np.count_nonzero(~np.isnan(values)))
            # Measurements are sparse: connect the readings, but mark each one.
            ok = ~np.isnan(values)
            (line,) = ax.plot(
                x[ok],
                values[ok],
                color=s.color,
                linestyle=s.linestyle,
                linewidth=1.2,
                marker=s.marker if logged <= MARKERS_UP_TO * 3 else None,
                markersize=3.5,
                label=_shown(item.label),
            )
            handles.append(line)
            labels.append(_shown(item.label))
            caregiver = d.caregiver & ok
            if caregiver.any():  # a point that is a caregiver's reading says so
                any_caregiver = True
                _ring(ax, x[caregiver], values[caregiver], s, 7)
            ax.set_ylabel(
                f"{_shown(item.label)}\n({item.unit})", color=theme.foreground, fontsize=8
            )
            if item.id == "temperature":
                ax.axhline(38.0, color=theme.foreground, linewidth=0.8, linestyle=":")
        _care_plan(ax, data, theme, label=(ax is axes[0]))
        ax.set_xlim(first_x - 0.5, first_x + n_slots * bucket - 0.5)
    bottom = axes[-1]
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if any_caregiver:
        from matplotlib.lines import Line2D

        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=8,
                markerfacecolor="none",
                markeredgecolor=theme.foreground,
            )
        )
        labels.append("ringed: entered by a caregiver")
    if handles:
        # As many columns as the longest label lets fit across the figure (8 pt text is
        # about 4.4 pt a character, plus the marker and the gap).
        column = 4.4 * max(len(label) for label in labels) + 34
        legend = fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=max(1, min(4, len(labels), int(width * 72 * 0.95 // column))),
            fontsize=8,
            frameon=False,
            # Over months, say what a point and its shading stand for.
            title=summary_caption(bucket) if bucket > 1 and ratings else None,
            title_fontsize=8,
        )
        for text in [*legend.get_texts(), legend.get_title()]:
            text.set_color(theme.foreground)
    if title:
        fig.suptitle(_shown(title), color=theme.foreground, fontsize=11)
    return fig


def _shown(text: str) -> str:
    """User text as a chart draws it: control characters (an escape, a bell) as their
    visible pictures (␛, ␇), never as a missing glyph."""
    from mbc_journal.wording import printable

    return printable(text, keep_line_ends=False)


def summary_caption(bucket: int) -> str:
    """What a line and its shading mean when a point stands for several days."""
    every = bucket_words(bucket)
    return f"Each point: the average of the days logged in {every}; shaded: their range."


def _ring(ax: Axes, x: np.ndarray, y: np.ndarray, s: Style, size: float) -> None:
    """Hollow markers around points a caregiver entered."""
    ax.plot(x, y, linestyle="none", marker=s.marker, markersize=size,
            markerfacecolor="none", markeredgecolor=s.color, markeredgewidth=1.5)  # fmt: skip


def _style_axes(ax: Axes, theme: Theme) -> None:
    ax.set_facecolor(theme.background)
    ax.grid(True, axis="x", color=theme.grid, linewidth=0.5)
    ax.tick_params(colors=theme.foreground, labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(theme.grid)


def _bands(ax: Axes, theme: Theme) -> None:
    """Severity bands behind the ratings, named in words on the right."""
    for low, high, name, alpha in (
        (0.5, 3.5, "mild", 1),
        (3.5, 6.5, "moderate", 2),
        (6.5, 10.3, "severe", 3),
    ):
        ax.axhspan(low, high, color=theme.band, alpha=theme.band_alpha * alpha, linewidth=0)
        ax.text(
            1.005,
            (low + min(high, 10)) / 2,
            name,
            transform=ax.get_yaxis_transform(),
            fontsize=7,
            va="center",
            color=theme.foreground,
        )


def _care_plan(ax: Axes, data: ChartData, theme: Theme, *, label: bool) -> None:
    """Treatment periods as hatched bands; follow-ups and scans as dotted lines."""
    import matplotlib.dates as mdates

    first = data.date_from
    last = data.date_to
    # Treatments given together (same start and end) share one band and one label.
    spans: dict[tuple[dt.date, dt.date], list[str]] = {}
    for t in data.treatments:
        if t.kind.value not in SPAN_KINDS:
            continue
        begin, end = max(t.start, first), min(t.end or last, last)
        if begin <= end:
            spans.setdefault((begin, end), []).append(t.name or t.kind.label)
    for n, ((begin, end), names) in enumerate(sorted(spans.items())):
        ax.axvspan(
            mdates.date2num(begin) - 0.5,
            mdates.date2num(end) + 0.5,
            facecolor="none",
            edgecolor=theme.foreground,
            alpha=0.10,
            hatch=SPAN_HATCHES[n % len(SPAN_HATCHES)],
            linewidth=0,
        )
        ax.axvline(mdates.date2num(begin) - 0.5, color=theme.foreground, linewidth=1.2, alpha=0.8)
        if label:
            ax.text(
                mdates.date2num(begin),
                1.01,
                "▶ " + " + ".join(_shown(n) for n in names),
                transform=ax.get_xaxis_transform(),
                fontsize=7,
                color=theme.foreground,
                va="bottom",
                clip_on=False,
            )
    long_range = (last - first).days > 370
    days = [
        mdates.date2num(a.day)
        for a in data.appointments
        if first <= a.day <= last
        and a.kind.value != "blood_test"
        and (not long_range or a.kind.value == "scan")
    ]
    if days:  # one artist for all the lines: years of appointments stay cheap to draw
        # Many years of them would hatch the whole chart: then short marks along the top.
        bottom = 0.0 if len(days) <= FULL_APPOINTMENT_LINES else 0.96
        ax.vlines(
            days,
            bottom,
            1,
            transform=ax.get_xaxis_transform(),
            colors=theme.foreground,
            linewidth=0.7,
            linestyles=(0.0, (1.0, 2.0)),
            alpha=0.6,
        )


def to_image(fig: Figure) -> Any:
    """The chart drawn at the figure's own dpi, as a Pillow RGB image (for the report:
    a PNG written and read back would be compressed twice); a character the font lacks
    is a box, without matplotlib's warning (see ``save``)."""
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        canvas.draw()
    return Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")


def save(fig: Figure, path: str | io.BytesIO, *, dpi: float = 150, fmt: str | None = None) -> None:
    """Save as PNG or SVG by the file's extension (or ``fmt``). A character the font
    lacks (an emoji) is drawn as a box; matplotlib's warning about it, with the app's
    file paths in it, is not printed to the person's terminal."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        fig.savefig(path, dpi=dpi, facecolor=fig.get_facecolor(), format=fmt)
