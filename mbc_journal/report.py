"""The follow-up report: what the doctor reads in the first minute of a visit.

``collect`` gathers plain values from the journal (every entry read once, as day
columns); ``page_one`` says what is new, what is worse and what needs attention,
the same in the PDF and in the app's preview; ``write_pdf`` lays it all out
(``report_pdf``, reportlab platypus, loaded only when a PDF is made).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mbc_journal.careplan import Appointment, Question, Result, Treatment
from mbc_journal.errors import ValidationError
from mbc_journal.model import (
    DayRule,
    Entry,
    EntryFilter,
    Item,
    ItemDays,
    ItemKind,
    ItemStats,
    Person,
    band,
    check_range,
)
from mbc_journal.signals import (
    EPISODES,
    RED_FLAG_WORDS,
    Kind,
    Level,
    SafetySignal,
    counted_over_24_hours,
)
from mbc_journal.wording import plural

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
RECENT_DAYS_IN_FULL = 28  # "within 24 hours" warnings of these last days: always in full
MAX_SOON_ON_PAGE_ONE = 4  # "within 24 hours" warnings told in full on page 1
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
    worst_in_24_hours: bool = False  # episodes: the most in any 24 hours, as the rules count
    caregiver_days: int = 0  # days whose value holds a caregiver's observation

    @property
    def worst_text(self) -> str:
        text = self.item.format_value(self.worst)
        return f"{text} in 24\u00a0h" if self.worst_in_24_hours else text  # never "24 / h"


@dataclass(frozen=True)
class MeasureSummary:
    item: Item
    readings: int
    latest: float  # the last reading of the period (by day and time), in canonical units
    latest_by: str  # the caregiver who took it ("" for the patient)
    latest_day: dt.date
    lowest: float  # the lowest reading
    highest: float  # the highest day's value (temperature: the highest reading)


@dataclass(frozen=True)
class Change:
    item: Item
    before: float
    after: float
    caregiver: bool = False  # a compared day's value holds a caregiver's observation

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
    # The period's first and last weight readings; none in it: the latest before it.
    weights: tuple[Entry, ...] = ()
    # Page 1: each lab test's latest result up to the end of the period (however old)
    # with the one before it, and the most recent scan.
    latest_labs: tuple[tuple[Result, Result | None], ...] = ()
    latest_scan: Result | None = None
    seen: dict[str, dt.datetime] = field(default_factory=dict)  # signal key -> marked seen
    # The entries behind each signal page 1 tells in full (by entry id): its value, time
    # and who entered it; and for a temperature signal's day, the treatment it was on.
    signal_entries: dict[int, Entry] = field(default_factory=dict)
    treatment_on: dict[dt.date, str] = field(default_factory=dict)
    # The unit each measurement is shown in (Journal.preferred_units): one unit per
    # measurement wherever it appears, whatever unit each reading was entered in.
    units: dict[str, str] = field(default_factory=dict)

    def value(self, item: Item, number: float) -> str:
        """A stored value as the report shows it: measurements in the preferred unit."""
        return item.format_value(number, self.units.get(item.id))

    def value_both(self, item: Item, number: float) -> str:
        """In the preferred unit, with the clinical (SI) one in brackets when they differ:
        "154.3 lb (70.0 kg)", "38.0 °C"."""
        unit = self.units.get(item.id)
        if unit is None or unit == item.unit:
            return item.format_value(number)
        return item.format_both(number, unit)

    def seen_words(self, signal: SafetySignal) -> str:
        """Whether the warning was acknowledged in the app ("I have seen this"), and when
        (local time): the doctor's first question is whether anyone acted on it."""
        when = self.seen.get(signal.key)
        if when is None:  # a part of a day's "several" seen as a whole was seen with it
            when = next(
                (
                    self.seen[whole.key]
                    for whole in (g.latest for g in self.urgent)
                    if whole.kind is Kind.SEVERAL
                    and whole.day == signal.day
                    and whole.key in self.seen
                    and set(signal.entry_ids) <= set(whole.entry_ids)
                ),
                None,
            )
        if when is None:
            return "not acknowledged in the app"
        local = when.replace(tzinfo=dt.UTC).astimezone()
        return f"acknowledged in the app {self.day(local.date())} {local:%H:%M}"

    def reported(self, signal: SafetySignal) -> str:
        """A signal told to the clinician, in the third person and without the advice the
        app gave the patient: "Reported a temperature of 38.4 °C on chemotherapy
        (Capecitabine) on 26 Oct at 18:10", "Sam (caregiver) rated tiredness (fatigue) at 7
        (severe) on 01 Dec, up from an average of 4.8 over the 7 days before"."""
        entries = [self.signal_entries[i] for i in signal.entry_ids if i in self.signal_entries]
        item = self.item_labels.get(signal.item_id)
        on = self.day(signal.day)
        if signal.kind is Kind.SEVERAL:
            names = sorted({self.item_labels[e.item_id].label for e in entries
                            if e.item_id in self.item_labels})  # fmt: skip
            return (
                f"{_count_words(len(names) or 2).capitalize()} changes on {on} that are each "
                f"to be seen within 24 hours ({', '.join(names)}): together, urgent"
                + _with(entries, always=True)
            )
        if signal.item_id in EPISODES:
            words = EPISODES[signal.item_id][2]
            count = _number_in(signal.title)
            times = _times(count) if count is not None else "repeatedly"
            what = f"{_subject(entries, 'reported')} {_lower(words)} {times} in 24 hours"
            what += f", up to {on}"
            return what + _with(entries)
        if item is None or not entries:
            return f"{signal.title} on {on}"
        if signal.item_id == "temperature":
            low = signal.title.startswith("Low")
            reading = (min if low else max)(entries, key=lambda e: e.value)
            treatment = self.treatment_on.get(signal.day, "on anticancer treatment")
            return (
                f"{_subject([reading], 'reported')} a {'low ' if low else ''}temperature of "
                f"{self.value_both(item, reading.value)} {treatment} on {on}{_at(reading)}"
            )
        if item.kind is ItemKind.EVENT:
            total = sum(e.value for e in entries)
            timed = entries[0] if len(entries) == 1 else None
            what = f"{_subject(entries, 'reported')} {_lower(item.label)}, {_times(total)}, on {on}"
            what += _at(timed) if timed else ""
        else:
            lead = _lead_rating(entries)
            what = (
                f"{_subject([lead], 'rated')} {_lower(item.label)} at "
                f"{self.value(item, lead.value)} on {on}"
            )
        rise = re.search(r"up from an average of [\d.]+ over the \d+ days before", signal.text)
        if rise:
            what += f", {rise.group(0)}"
        title = signal.title.split(": ", 1)[0] if ": " in signal.title else signal.title
        if signal.kind is Kind.RED_FLAG and title not in ("Warning sign", item.label):
            what += f": {title[0].lower()}{title[1:]}"  # "new severe or worsening headache"
        if signal.kind is Kind.RED_FLAG:
            what += " — " + warning_sign(signal.item_id)
            if "with being sick" in signal.text:
                what += ", with vomiting the same day"
        if item.kind is ItemKind.RATING:
            return what + _other_ratings(item, entries)
        return what + _with(entries)

    @property
    def has_entries(self) -> bool:
        return bool(self.site_tables or self.measurements or self.urgent or self.notes)

    def before_period(self, day: dt.date) -> str:
        """ ", before this period" for a reading or result older than the period, else ""."""
        return ", before this period" if day < self.date_from else ""

    def day(self, day: dt.date) -> str:
        """A date as page 1 writes it: with the year when the period spans years."""
        same_year = self.date_from.year == self.date_to.year == day.year
        return f"{day:%d %b}" if same_year else f"{day:%d %b %Y}"

    def chart_text(self, label: str, chart: Any) -> str:
        """A chart in words, printed under it: its alternative text for anyone who cannot
        see it (a screen reader reads the PDF's text, not its pictures)."""
        parts = []
        for item in chart.items:
            days = chart.series.get(item.id)
            if not days:
                continue
            peak = max(range(len(days.values)), key=lambda n: days.values[n])
            high, low = days.values[peak], min(days.values)
            when = self.day(dt.date.fromordinal(days.ordinals[peak]))
            span = (
                f"from {self.value(item, low)} to {self.value(item, high)} (highest on {when})"
                if high != low
                else f"at {self.value(item, high)}"
            )
            parts.append(
                f"{item.label} on {len(days)} day{'' if len(days) == 1 else 's'}, {span}, "
                f"latest {self.value(item, days.values[-1])}"
            )
        treated = [
            t.name
            for t in chart.treatments
            if t.start <= chart.date_to and (t.end is None or t.end >= chart.date_from)
        ]
        return (
            f"Chart of {label}, {self.day(chart.date_from)} to {self.day(chart.date_to)}: "
            + ("; ".join(parts) or "nothing logged")
            + "."
            + (f" Treatments marked: {', '.join(treated)}." if treated else "")
        )

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


def warning_sign(item_id: str) -> str:
    """What a warning sign may mean, for the clinician: "a warning sign (possible blood
    clot)", from the words the patient was shown ("This can be a sign of a blood clot.")."""
    why = RED_FLAG_WORDS.get(item_id, "")
    if "sign of " in why:
        meaning = why.split("sign of ", 1)[1].rstrip(".")
        for article in ("a ", "an "):  # "possible a blood clot" -> "possible blood clot"
            meaning = meaning.removeprefix(article)
        return f"a warning sign (possible {meaning})"
    if "from the spine" in why:
        return "a warning sign (pain that can come from the spine)"
    return "a warning sign"


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
    most_in_24_hours = _most_in_24_hours(journal, in_period, start, end)
    signals = journal.signals(start, end, days=days)
    entries_with_notes = journal.entries(EntryFilter(date_from=start, date_to=end, with_note=True))
    caregiver = journal.entries(EntryFilter(date_from=start, date_to=end, role=_caregiver()))
    measured = [i for i in catalogue.items_for_site("measurements") if i.id in stats]
    last: dict[str, Entry] = {}  # entries come oldest first (day, time, as entered)
    if measured:
        for e in journal.entries(
            EntryFilter(date_from=start, date_to=end, item_ids=tuple(i.id for i in measured))
        ):
            last[e.item_id] = e
    measurements = [
        MeasureSummary(
            item,
            s.entries,
            last[item.id].value if item.day_rule is not DayRule.TOTAL else s.latest,
            last[item.id].person.name if last[item.id].person.is_caregiver else "",
            s.latest_day,
            s.lowest,
            s.worst,
        )
        for item in measured
        if (s := stats[item.id])
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
            replace(
                _summary(item, s, changes_found.get(item.id), most_in_24_hours.get(item.id)),
                caregiver_days=sum(in_period[item.id].caregiver),
            )
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
    urgent = group_signals(s for s in signals if s.level.is_urgent or s.level is Level.WITHIN_24H)
    new_problems = group_signals(s for s in signals if s.kind is Kind.NEW_PROBLEM)
    told = [g.latest for g in (*urgent, *new_problems)]
    signal_entries = _entries_behind(journal, told, signals, end)
    latest_labs, scans = _latest_results(journal, end)
    return ReportData(
        patient=journal.profile_name(),
        date_from=start,
        date_to=end,
        period_note=period_note,
        generated=dt.datetime.now(),
        treatments=active,
        treatment_changes=sorted(changes),
        urgent=urgent,
        seen=journal.acknowledged(),
        new_problems=new_problems,
        signal_entries=signal_entries,
        treatment_on={
            s.day: _treatment_words(journal, treatments, s.day)
            for s in told
            if s.item_id == "temperature"
        },
        worse=worse,
        better=better,
        questions=journal.questions(open_only=True),
        # the next one from today: for a past period, not one that has already been
        next_appointment=journal.next_appointment(max(end, dt.date.today())),
        caregiver_entries=caregiver,
        site_tables=tables,
        charts=chart_list,
        measurements=measurements,
        temperatures=temperatures,
        results=_results(journal, start, end),
        latest_labs=latest_labs,
        latest_scan=scans[-1] if scans else None,
        notes=notes,
        options=options,
        hidden_notes=hidden_notes,
        item_labels=items,
        new_problem_days=journal.thresholds().new_problem_days,
        weights=_weights(journal, start, end),
        units=journal.preferred_units(),
    )


def _entries_behind(
    journal: Journal, told: Sequence[SafetySignal], every: Sequence[SafetySignal], end: dt.date
) -> dict[int, Entry]:
    """The entries behind the signals page 1 tells in full (their values, times, who)."""
    wanted = {i for s in told for i in s.entry_ids}
    if not wanted:
        return {}
    several = {s.day for s in told if s.kind is Kind.SEVERAL}
    items = {s.item_id for s in told if s.kind is not Kind.SEVERAL}
    items |= {s.item_id for s in every if s.day in several and s.kind is not Kind.SEVERAL}
    found = journal.entries(
        EntryFilter(date_from=min(s.day for s in told), date_to=end, item_ids=tuple(sorted(items)))
    )
    return {e.id: e for e in found if e.id in wanted}


def _treatment_words(journal: Journal, treatments: Sequence[Treatment], day: dt.date) -> str:
    """The treatment a fever or low temperature was on (or after), for the clinician:
    "on chemotherapy (Capecitabine)", "after radiation therapy (ended 03 Oct)"."""
    from mbc_journal.careplan import FEVER_TREATMENTS

    after = dt.timedelta(weeks=journal.thresholds().weeks_after_treatment)
    for t in sorted(treatments, key=lambda t: t.start, reverse=True):
        if t.kind not in FEVER_TREATMENTS or t.start > day:
            continue
        name = f" ({t.name})" if t.name else ""
        if t.end is None or day <= t.end:
            return f"on {t.kind.label.lower()}{name}"
        if day <= t.end + after:
            return f"after {t.kind.label.lower()}{name}, ended {t.end:%d %b}"
    return "on anticancer treatment (as set in the app)"


def _weights(journal: Journal, start: dt.date, end: dt.date) -> tuple[Entry, ...]:
    """The period's first and last weight readings; with one reading in the period, the
    latest before it and that one (so the change still shows); when nobody weighed in
    the period, the latest reading before it, so page 1 still says the weight."""
    found = journal.entries(EntryFilter(date_to=end, item_ids=("weight",)))
    before = [e for e in found if e.local_date < start]
    in_period = [e for e in found if e.local_date >= start]
    if not in_period:
        return tuple(found[-1:])
    if len(in_period) == 1:
        return tuple(before[-1:] + in_period)
    return (in_period[0], in_period[-1])


def _results(journal: Journal, start: dt.date, end: dt.date) -> list[Result]:
    """The period's results, and for a lab test or a scan with none of its name in it,
    its latest before: the doctor sees the last CA 15-3 even when it was taken two days
    before the period, and the last bone scan however long ago it was."""
    results = journal.results(None, end)
    in_period = [r for r in results if r.day >= start]
    seen = {(r.kind, r.name.casefold()) for r in in_period}
    latest: dict[tuple[Any, str], Result] = {}
    for r in results:
        if r.day < start and (r.kind, r.name.casefold()) not in seen:
            latest[(r.kind, r.name.casefold())] = r  # oldest first: the last one wins
    return sorted([*latest.values(), *in_period], key=lambda r: (r.day, r.id))


def _latest_results(
    journal: Journal, end: dt.date
) -> tuple[tuple[tuple[Result, Result | None], ...], list[Result]]:
    """Each lab test's latest result up to ``end`` with the one before it (tests in the
    order of their latest, most recent first), and every scan up to ``end``."""
    labs: dict[str, list[Result]] = {}
    scans = []
    for r in journal.results(None, end):  # oldest first
        if r.kind.value == "lab":
            labs.setdefault(r.name.casefold(), []).append(r)
        else:
            scans.append(r)
    latest = sorted(
        ((rs[-1], rs[-2] if len(rs) > 1 else None) for rs in labs.values()),
        key=lambda pair: (pair[0].day, pair[0].id),
        reverse=True,
    )
    return tuple(latest), scans


def _caregiver() -> Any:
    from mbc_journal.model import Role

    return Role.CAREGIVER


def _who(person: Any) -> str:
    return f"{person.name} (caregiver)" if person.is_caregiver else (person.name or "patient")


def _most_in_24_hours(
    journal: Journal, in_period: Mapping[str, ItemDays], start: dt.date, end: dt.date
) -> dict[str, float]:
    """Per counted item (vomiting, diarrhoea), the most episodes in any 24 hours of the
    period, counted as the safety rules count them (across midnight, everyone's)."""
    counted = [i for i in EPISODES if i in in_period]
    if not counted:
        return {}
    episodes = journal.entries(
        EntryFilter(date_from=start - dt.timedelta(days=1), date_to=end, item_ids=tuple(counted))
    )
    found = counted_over_24_hours({i: in_period[i] for i in counted}, episodes)
    return {i: max(d.values) for i, d in found.items() if d.values}


def _summary(
    item: Item, stats: ItemStats, change: Change | None, most_in_24_hours: float | None = None
) -> ItemSummary:
    """One table row. The trend is the same comparison page 1 uses, so they never disagree."""
    if item.kind is ItemKind.EVENT:  # episodes counted over the period ("once", "5 times")
        times = round(stats.average * stats.days)
        trend = "once" if times == 1 else f"{times} times"
        if stats.days > 1:
            trend += f" on {stats.days} days"
    elif change is None:
        trend = "→ not enough days to compare"
    else:
        words = _trend_words(change.diff)
        trend = f"{words} ({change.before:.1f} → {change.after:.1f})"
    if most_in_24_hours is not None:
        return ItemSummary(
            item, stats.days, stats.latest, stats.latest_day, most_in_24_hours,
            stats.average, trend, worst_in_24_hours=True,
        )  # fmt: skip
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
            carer = any(before.caregiver) or any(after.caregiver)
            found[item.id] = Change(item, before.mean(), after.mean(), carer)
    return found


# --- plain-text summary (the app's preview of page 1) ------------------------------


class Block(NamedTuple):
    """One line of page 1, as plain text (escaped by whoever draws it)."""

    style: str  # title, line, small, h2, alert, alert_more, more, bullet, none (nothing to list)
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
    if data.weights:  # weight on page 1: loss is one of the first things a doctor asks
        item = data.item_labels["weight"]
        last = data.weights[-1]
        text = f"{data.value_both(item, last.value)} on {data.day(last.local_date)}"
        if last.local_date < data.date_from:
            text += " (the latest; nobody weighed in this period)"
        if len(data.weights) > 1:
            first = data.weights[0]
            change = last.value - first.value
            shown = data.value(item, abs(change))
            moved = (  # as printed: a change that rounds to 0.0 kg is no change
                "no change"
                if shown == data.value(item, 0.0)
                else f"{'+' if change > 0 else '−'}{shown}"
            )
            text += (
                f" ({moved} since {data.value(item, first.value)} on "
                f"{data.day(first.local_date)}{data.before_period(first.local_date)})"
            )
        if last.person.is_caregiver:
            text += f" (weighed by {last.person.name}, caregiver)"
        blocks.append(Block("line", text, "Weight:"))

    def listed(heading: str, lines: list[Block], empty: str) -> None:
        blocks.append(Block("h2", heading))
        blocks.extend(lines or [Block("none", empty)])

    urgent = []
    # Most urgent first. Written to the clinician, in the third person: how soon the
    # app's rules said the care team should hear (not the advice the patient was given),
    # what was reported, by whom when not the patient, and whether it was acknowledged.
    ordered = sorted(data.urgent, key=lambda g: g.latest.level.rank)
    # Every urgent and emergency warning is told, and every "within 24 hours" one of the
    # last four weeks; older ones beyond the most recent few are named in one line, so
    # page 1 stays one page over a long period.
    soon = [g for g in ordered if not g.latest.level.is_urgent]
    recent = data.date_to - dt.timedelta(days=RECENT_DAYS_IN_FULL)
    untold = [g for g in soon[MAX_SOON_ON_PAGE_ONE:] if g.latest.day < recent]
    for g in ordered:
        if g in untold:
            continue
        level = g.latest.level
        urgent.append(
            Block(
                "alert" if level.is_urgent else "bullet",
                f"{data.reported(g.latest)}; {data.seen_words(g.latest)}.",
                f"{'⚠ ' if level.is_urgent else ''}{CLINICIAN_LEVELS[level]} —",
            )
        )
        if g.earlier:
            urgent.append(Block("alert_more" if level.is_urgent else "more", data.also_on(g)))
    if untold:
        names = sorted({data.item_labels[g.latest.item_id].label if g.latest.item_id in
                        data.item_labels else g.latest.title for g in untold})  # fmt: skip
        days = sum(g.count for g in untold)
        urgent.append(
            Block(
                "more",
                f"Also to be seen within 24 hours, earlier in this period: {', '.join(names)} "
                f"({plural(days, 'day')} in all; each is in the journal's History).",
            )
        )
    listed(
        "Needs attention (as the app's rules grade it)",
        urgent,
        "No warning signs were logged in this period.",
    )
    listed(
        f"New problems (none, or nothing logged, in the {data.new_problem_days} days before)",
        [
            Block(
                "bullet",
                f"{data.day(g.latest.day)}: {_new_problem(data, g.latest)}"
                + (f" — {data.also_on(g)}" if g.earlier else ""),
            )
            for g in data.new_problems
        ],
        "None.",
    )
    blocks.append(Block("h2", "What got worse, and what got better"))
    blocks.append(
        Block(
            "small",
            f"Average daily ratings (0 none – 10 worst): the {TREND_BEFORE_DAYS} days before "
            "this period (or its first third) against its last week.",
        )
    )
    carers = " (includes a caregiver's observations)"
    blocks += [
        Block(
            "bullet",
            f"{c.item.label}, average {c.before:.1f} → {c.after:.1f} ({band(c.after).value})"
            + (carers if c.caregiver else ""),
            "↑ Worse:",
        )
        for c in data.worse
    ] or [Block("none", f"Nothing got worse by {CHANGE_POINTS:g} points or more.")]
    blocks += [
        Block(
            "bullet",
            f"{c.item.label}, average {c.before:.1f} → {c.after:.1f}"
            + (carers if c.caregiver else ""),
            "↓ Better:",
        )
        for c in data.better
    ] or [Block("none", f"Nothing got better by {CHANGE_POINTS:g} points or more.")]
    if "results" in data.options.sections and (data.latest_labs or data.latest_scan):
        listed("Latest results", _result_lines(data), "")
    today = data.generated.date()
    listed(
        "Current treatments"
        if data.date_to >= today
        else f"Treatments on {data.day(data.date_to)}, the end of this period",
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
                f"{plural(len(data.caregiver_entries), 'entry')} by {', '.join(people)} "
                f"(caregiver{'s' if len(people) > 1 else ''}): {', '.join(labels)}. Details "
                "in the caregiver section.",
            )
        )
    return blocks


# How soon the app's rules say the care team should hear, as the clinician reads it
# (the app's own headings speak to the patient: "Contact your 24-hour line now").
CLINICIAN_LEVELS = {
    Level.EMERGENCY: "Emergency",
    Level.URGENT: "Urgent (24-hour line)",
    Level.WITHIN_24H: "Within 24 hours",
    Level.NEXT_VISIT: "Next visit",
    Level.INFO: "For information",
}


def _times(count: float) -> str:
    """A plain count: once, twice, 3 times."""
    if count == 1:
        return "once"
    return "twice" if count == 2 else f"{count:g} times"


def _count_words(count: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(count, str(count))


def _number_in(text: str) -> float | None:
    found = re.search(r"(\d+(?:\.\d+)?) times", text)
    return float(found.group(1)) if found else None


def _at(entry: Entry) -> str:
    return f" at {entry.time:%H:%M}" if entry.time else ""


def _carers(entries: Sequence[Entry]) -> str:
    names = sorted({e.person.name for e in entries if e.person.is_caregiver})
    return f"{', '.join(names)} (caregiver{'s' if len(names) > 1 else ''})" if names else ""


def _subject(entries: Sequence[Entry], verb: str) -> str:
    """The sentence's subject and verb: the patient's own report is "Reported …"; what
    only caregivers entered says who: "Sam (caregiver) reported …"."""
    carers = _carers(entries)
    if carers and all(e.person.is_caregiver for e in entries):
        return f"{carers} {verb}"
    return verb.capitalize()


def _with(entries: Sequence[Entry], *, always: bool = False) -> str:
    """The caregivers beside the patient's own entries: marked wherever they are."""
    carers = _carers(entries)
    if carers and (always or not all(e.person.is_caregiver for e in entries)):
        return f", with observations by {carers}"
    return ""


def _lead_rating(entries: Sequence[Entry]) -> Entry:
    """The rating a signal is told by: the patient's own highest (the day's value the
    rules use), else the highest a caregiver gave."""
    own = [e for e in entries if not e.person.is_caregiver]
    return max(own or entries, key=lambda e: e.value)


def _other_ratings(item: Item, entries: Sequence[Entry]) -> str:
    """Beside the rating told first (``_lead_rating``, with who gave it), each other
    person's highest: a caregiver's 9 is never told as the patient's ("; Sam (caregiver)
    rated it 9 (severe)", "; the patient rated it 4 (moderate)")."""
    if not entries:
        return ""
    lead = _lead_rating(entries)
    best: dict[Person, Entry] = {}
    for e in entries:
        if e.person != lead.person and (e.person not in best or e.value > best[e.person].value):
            best[e.person] = e
    parts = [
        f"{'the patient' if not p.is_caregiver else _carers([e])} rated it "
        f"{item.format_value(e.value)}"
        for p, e in sorted(best.items(), key=lambda pe: (pe[0].is_caregiver, pe[0].name))
    ]
    return "".join(f"; {part}" for part in parts)


def _lower(label: str) -> str:
    """A label inside a sentence ("tiredness (fatigue)"); "CA 15-3" or "PICC" stays."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _result_lines(data: ReportData) -> list[Block]:
    """Page 1's results: one line per lab test (its latest, dated, however old, and the
    one before it), and the most recent scan."""

    def when(result: Result) -> str:
        return f"{data.day(result.day)}{data.before_period(result.day)}"

    lines = []
    for latest, previous in data.latest_labs:
        text = f"{latest.name} ({when(latest)}): {latest.display}"
        if previous is not None and previous.value is not None:
            was = f"{previous.value:g} {previous.unit}".strip()
            text += f"; previous {was} ({data.day(previous.day)})"
        lines.append(Block("bullet", text))
    scan = data.latest_scan
    if scan is not None:
        lines.append(Block("bullet", f"{scan.name} ({when(scan)}): {scan.summary}", "Scan:"))
    return lines


def _new_problem(data: ReportData, signal: SafetySignal) -> str:
    item = data.item_labels.get(signal.item_id)
    if item is None:
        return signal.title
    entries = [data.signal_entries[i] for i in signal.entry_ids if i in data.signal_entries]
    if not entries:
        return item.label
    if item.kind is ItemKind.EVENT:
        value = _times(sum(e.value for e in entries))
    else:
        lead = _lead_rating(entries)
        by = f" by {_carers([lead])}" if lead.person.is_caregiver else ""
        return f"{item.label}, rated {item.format_value(lead.value)}{by}" + _other_ratings(
            item, entries
        )
    carers = _carers(entries)
    if carers and all(e.person.is_caregiver for e in entries):
        return f"{item.label}, {value} — observed by {carers}"
    return f"{item.label}, {value}" + _with(entries)


_HTML = {
    "title": '<h2 style="margin:0">{}</h2>',
    "line": '<p style="margin:2px 0">{}</p>',
    "small": '<p style="margin:0 0 2px 0;font-size:small">{}</p>',
    "h2": '<h3 style="margin:12px 0 2px 0">{}</h3>',
    "alert": '<p style="margin:2px 0;color:{alert}">{}</p>',
    "alert_more": '<p style="margin:0 0 4px 16px;color:{alert}">{}</p>',
    "more": '<p style="margin:0 0 4px 16px;font-size:small">{}</p>',
    "bullet": '<p style="margin:1px 0 1px 12px">• {}</p>',
    "none": '<p style="margin:1px 0"><i>{}</i></p>',
}


def summary_html(data: ReportData, *, dark: bool = False) -> str:
    """Page 1 as simple HTML, for the app's preview (Qt rich text); warning signs in a
    red that reads on the background (dark red on light, light red on dark)."""
    import html

    alert = "#ff8a80" if dark else "#8B0000"
    out = []
    for block in page_one(data):
        text = html.escape(block.text).replace("\n", "<br>")
        if block.lead:
            text = f"<b>{html.escape(block.lead)}</b> {text}"
        out.append(_HTML[block.style].format(text, alert=alert))
    return "\n".join(out)


# --- the PDF ------------------------------------------------------------------------


def write_pdf(data: ReportData, path: Path | str, progress: Progress | None = None) -> int:
    """Write the report; returns the number of pages (see ``report_pdf.write_pdf``)."""
    from mbc_journal import report_pdf

    return report_pdf.write_pdf(data, path, progress)
