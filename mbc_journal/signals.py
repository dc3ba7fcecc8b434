"""Safety signals: when the journal should say "call", "contact now", "within 24 hours"
or "at your next visit" — the levels acute-oncology triage uses (UKONS 24-hour triage).

Pure functions over each item's day values (``ItemDays``: one definition of a day's
value, docs/day-values.md) and thresholds: no Qt, no I/O. The wording never diagnoses;
it says what was logged and who to tell. Rules, defaults and their sources are in
docs/safety-signals.md, whose table of cases a test runs exactly.

Rules only look backwards in time (a day's signals depend on that day and the days
before it), so logging something new never takes back a signal for an earlier day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, NamedTuple

from mbc_journal.catalogue import Catalogue
from mbc_journal.errors import ValidationError
from mbc_journal.model import Band, DayRule, Entry, Item, ItemDays, ItemKind, band


class Level(StrEnum):
    """How soon the care team should hear, most urgent first."""

    EMERGENCY = "emergency"  # call your emergency number
    URGENT = "urgent"  # contact the 24-hour line now
    WITHIN_24H = "within_24h"  # speak to the care team within 24 hours
    NEXT_VISIT = "next_visit"  # tell them at the next visit
    INFO = "info"  # worth knowing, nothing new

    @property
    def rank(self) -> int:
        return LEVEL_ORDER[self]

    @property
    def is_urgent(self) -> bool:
        """Emergency or urgent: the banner, page 1's first list, the CLI in capitals."""
        return self in (Level.EMERGENCY, Level.URGENT)

    @property
    def heading(self) -> str:
        """The level in words, the same in the app, the command line and the report."""
        return HEADINGS[self]

    @property
    def advice(self) -> str:
        return ADVICE[self]

    @property
    def short(self) -> str:
        """The heading's key words, where a table column has little room (History)."""
        return SHORT[self]


LEVEL_ORDER = {level: n for n, level in enumerate(Level)}
HEADINGS = {
    Level.EMERGENCY: "Call your emergency number now",
    Level.URGENT: "Contact your 24-hour line now",
    Level.WITHIN_24H: "Speak to your care team within 24 hours",
    Level.NEXT_VISIT: "Tell your care team at your next visit",
    Level.INFO: "For your information",
}
SHORT = {  # each is a phrase of the heading above
    Level.EMERGENCY: "Emergency",
    Level.URGENT: "24-hour line",
    Level.WITHIN_24H: "Within 24 h",
    Level.NEXT_VISIT: "Next visit",
    Level.INFO: "Information",
}
ADVICE = {
    Level.EMERGENCY: "Call your emergency number now.",
    Level.URGENT: "Contact your care team's 24-hour line now.",
    Level.WITHIN_24H: "Speak to your care team within 24 hours; if you feel very unwell, "
    "contact the 24-hour line now.",
    Level.NEXT_VISIT: "Tell your care team at your next visit, or sooner if it gets worse.",
    Level.INFO: "If your care team does not know yet, tell them.",
}
# Kept for callers that name the two most common pieces of advice.
URGENT_ADVICE = ADVICE[Level.URGENT]
SOON_ADVICE = ADVICE[Level.WITHIN_24H]
TOGETHER = "With the other changes that day, it needs your care team now (see 'Several changes')."


class Kind(StrEnum):
    RED_FLAG = "red_flag"
    NEW_PROBLEM = "new_problem"
    WORSENING = "worsening"
    STILL_SEVERE = "still_severe"
    SEVERAL = "several"  # two or more "within 24 hours" on one day


ALERT_CARD_FEVERS = (37.5, 38.0)  # the two thresholds NHS acute-oncology alert cards use


def both_scales(celsius: float) -> str:
    """A temperature as the alert cards print it: "37.5 °C (99.5 °F)"."""
    return f"{celsius:.1f} °C ({celsius * 9 / 5 + 32:.1f} °F)"


@dataclass(frozen=True)
class Thresholds:
    """Defaults (see docs/safety-signals.md); the care team may give others."""

    fever_celsius: float = 38.0  # the care team's alert card says 37.5 or 38.0
    severe_rating: int = 7
    worsening_points: int = 2
    baseline_days: int = 7
    new_problem_days: int = 30
    breathless_rating: int = 7
    low_celsius: float = 36.0  # a low temperature on treatment
    weeks_after_treatment: int = 6  # fever and low temperature count this long after

    def validated(self) -> Thresholds:
        checks = [
            (36.0 <= self.fever_celsius <= 41.0, "The fever threshold must be 36.0–41.0 °C."),
            (1 <= self.severe_rating <= 10, "The 'severe' rating must be 1–10."),
            (1 <= self.worsening_points <= 10, "The worsening step must be 1–10 points."),
            (1 <= self.baseline_days <= 60, "The baseline must cover 1–60 days."),
            (1 <= self.new_problem_days <= 365, "'New' must look back 1–365 days."),
            (1 <= self.breathless_rating <= 10, "The breathlessness rating must be 1–10."),
            (34.0 <= self.low_celsius <= 37.0, "The low temperature must be 34.0–37.0 °C."),
            (
                self.low_celsius < self.fever_celsius,
                "The low temperature must be below the fever threshold.",
            ),
            (
                0 <= self.weeks_after_treatment <= 52,
                "The weeks after treatment must be 0–52.",
            ),
        ]
        for ok, message in checks:
            if not ok:
                raise ValidationError(message)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Thresholds:
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key in known:
                values[key] = float(value) if key.endswith("_celsius") else int(value)
        return replace(cls(), **values)


class Observation(NamedTuple):
    """What the rules need of an entry."""

    id: int
    item_id: str
    local_date: dt.date
    value: float
    by_caregiver: bool


def observations(entries: Iterable[Entry | Observation]) -> list[Observation]:
    out = []
    for e in entries:
        if isinstance(e, Observation):
            out.append(e)
        elif not e.deleted:
            out.append(Observation(e.id, e.item_id, e.local_date, e.value, e.person.is_caregiver))
    return out


def item_days(
    entries: Iterable[Entry | Observation], catalogue: Catalogue | None = None
) -> dict[str, ItemDays]:
    """Live entries grouped by item and day, each day's value by the item's rule
    (entries in the order of the day within each day)."""
    columns: dict[str, tuple[list[int], list[float], list[str], list[bool]]] = defaultdict(
        lambda: ([], [], [], [])
    )
    for e in observations(entries):
        ordinals, values, ids, caregiver = columns[e.item_id]
        ordinals.append(e.local_date.toordinal())
        values.append(e.value)
        ids.append(str(e.id))
        caregiver.append(e.by_caregiver)
    return {
        item_id: ItemDays.from_entries(
            *c, catalogue.day_rule(item_id) if catalogue else DayRule.WORST
        )
        for item_id, c in columns.items()
    }


@dataclass(frozen=True)
class SafetySignal:
    kind: Kind
    level: Level
    item_id: str
    day: dt.date
    title: str
    text: str
    entry_ids: tuple[int, ...] = field(default=())
    by_caregiver: bool = False

    @property
    def key(self) -> str:
        """Stable identity, used to record an acknowledgement. The level is part of it: a
        "Seen" within 24 hours never hides the same item becoming urgent that day."""
        return f"{self.kind.value}:{self.item_id}:{self.day.isoformat()}:{self.level.value}"


# What a warning sign means, in plain words and without diagnosing, and how soon.
# Sources per line: docs/safety-signals.md.
RED_FLAGS: dict[str, tuple[Level, str]] = {
    "seizure": (Level.EMERGENCY, "A seizure (fit) was logged."),
    "sudden_breathless_chest_pain": (
        Level.EMERGENCY,
        "Sudden breathlessness or chest pain was logged. This can be a sign of a blood clot.",
    ),
    "heavy_bleeding": (Level.EMERGENCY, "Heavy bleeding that does not stop was logged."),
    "coughing_blood": (Level.URGENT, "Coughing up blood was logged."),
    "jaundice": (Level.URGENT, "Yellowing of the skin or eyes was logged."),
    "bleeding_bruising": (Level.URGENT, "Bleeding or easy bruising was logged."),
    "swelling_face_neck_arms": (Level.URGENT, "Swelling of the face, neck or arms was logged."),
    "leg_swollen_red_painful": (Level.URGENT, "This can be a sign of a blood clot."),
    "extreme_thirst": (Level.URGENT, "This can be a sign of a high calcium level."),
    "new_drowsiness": (Level.URGENT, "New drowsiness was logged."),
    "cannot_eat_drink": (Level.URGENT, "A mouth or throat too sore to eat or drink was logged."),
    # Signs of pressure on the spinal cord (NICE NG234): contact the team immediately.
    "leg_numbness_weakness": (Level.URGENT, "This can be a sign of pressure on the spinal cord."),
    "bladder_bowel_control": (Level.URGENT, "This can be a sign of pressure on the spinal cord."),
    "difficulty_walking": (Level.URGENT, "This can be a sign of pressure on the spinal cord."),
    "saddle_numbness": (Level.URGENT, "This can be a sign of pressure on the spinal cord."),
    "cannot_pass_urine": (Level.URGENT, "This can be a sign of pressure on the spinal cord."),
    "back_pain": (Level.URGENT, "This can be a sign of pressure on the spinal cord."),
    # Pain that suggests the spine is involved (NG234): within 24 hours.
    "spinal_pain": (
        Level.WITHIN_24H,
        "Pain like this can come from the spine; your care team should hear of it.",
    ),
    "pain_worse_lying": (
        Level.WITHIN_24H,
        "Pain like this can come from the spine; your care team should hear of it.",
    ),
    "hand_foot_severe": (Level.WITHIN_24H, "Hands or feet too sore to use was logged."),
}
RED_FLAG_WORDS = {item: words for item, (_level, words) in RED_FLAGS.items()}

# Warning-sign ratings that count only when new, worsening or severe: a steady ache or a
# stable neuropathy logged every day is known to the team, not an alarm each day.
RED_FLAG_WHEN_CHANGING = {"back_pain", "leg_numbness_weakness", "spinal_pain"}


def needs_emergency_number(signal: SafetySignal) -> bool:
    """Does the signal tell anyone to call the emergency number (its level, or its words,
    as for severe chest pain that came on suddenly)? Then the number is shown with it."""
    return signal.level is Level.EMERGENCY or "call your emergency number" in signal.text


def can_be_quieted(item: Item) -> bool:
    """Can an expected level agreed with the care team quiet this item's signals? Only a
    rating, and never a warning sign that is one at any rating (a changing one, such as
    leg numbness, still alarms whenever it changes)."""
    return item.kind is ItemKind.RATING and (not item.red_flag or item.id in RED_FLAG_WHEN_CHANGING)


# Episodes counted over 24 hours (UKONS triage): within 24 hours from, urgent from, words.
EPISODES = {
    "vomiting_episodes": (2, 6, "Being sick"),
    "diarrhoea_episodes": (4, 7, "Loose stools more than usual"),
}

# A non-red signal is not repeated while the last week held the same value or worse.
QUIET_DAYS = 6


def evaluate(
    entries: Iterable[Entry | Observation] | Mapping[str, ItemDays],
    catalogue: Catalogue,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 (frozen, immutable)
    *,
    on_chemotherapy: Callable[[dt.date], bool] | bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    expected: Mapping[str, float] | None = None,
    first_day: dt.date | None = None,
    episodes: Iterable[Entry] | None = None,
) -> list[SafetySignal]:
    """Signals for days in [date_from, date_to] (earlier entries serve as history).

    ``entries`` are entries, or entries already grouped by item and day (``ItemDays``,
    as the journal loads years of them). ``on_chemotherapy(day)``: on a systemic
    anticancer treatment or radiotherapy then, or within the weeks after (the fever
    and low-temperature rules apply). ``expected``: per item, the level agreed with
    the care team; new, worse and severe at or below it are not signalled (a warning
    sign always is). ``first_day``: the journal's first logged day, if ``entries`` hold
    only recent history (nothing is "new" on the first day anything was logged).
    ``episodes``: the timed entries of the counted items (vomiting, diarrhoea), when
    ``entries`` are day columns: episodes are counted over any 24 hours, not only by
    calendar day (three in the late evening and three after midnight are six).
    """
    if isinstance(entries, Mapping):
        days_by_item = entries
    else:
        entries = list(entries)
        days_by_item = item_days(entries, catalogue)
        episodes = [e for e in entries if isinstance(e, Entry) and e.item_id in EPISODES]
    if episodes is not None:
        days_by_item = {**days_by_item, **counted_over_24_hours(days_by_item, episodes)}
    treated = on_chemotherapy if callable(on_chemotherapy) else (lambda _d: bool(on_chemotherapy))
    known = {i: d for i, d in days_by_item.items() if d.ordinals and catalogue.has_item(i)}
    first = min((d.ordinals[0] for d in known.values()), default=0)
    if first_day is not None:
        first = min(first, first_day.toordinal())
    vomiting_days = set()
    for item_id in ("vomiting", "vomiting_episodes"):
        if days := known.get(item_id):
            vomiting_days |= {o for o, v in zip(days.ordinals, days.values, strict=True) if v > 0}
    rules = _Rules(thresholds, expected or {}, first, vomiting_days)
    rules.all_days = sorted(set().union(*(d.ordinals for d in known.values())))
    low = date_from.toordinal() if date_from else None
    high = date_to.toordinal() if date_to else None
    signals: list[SafetySignal] = []
    for item_id, days in known.items():
        item = catalogue.item(item_id)
        series = _Series(days.ordinals, days.values, thresholds)
        first = bisect.bisect_left(days.ordinals, low) if low else 0
        last = bisect.bisect_right(days.ordinals, high) if high else len(days.ordinals)
        for i in range(first, last):
            if item.kind is ItemKind.MEASUREMENT:
                if item_id == "temperature":
                    signals += rules.temperature(days, i, treated)
                continue
            found = rules.day(item_id, item.label, item.kind, item.red_flag, days, series, i)
            if found is not None:
                signals.append(found)
    several = _several(signals, {i: catalogue.item(i).label for i in known})
    together = {s.day for s in several}
    # Each part says it is one of them, so a day reads urgent on every screen.
    signals = [
        replace(s, text=f"{s.text} {TOGETHER}")
        if s.level is Level.WITHIN_24H and s.day in together
        else s
        for s in signals
    ]
    signals += several
    signals.sort(key=lambda s: (s.day, s.level.rank, s.item_id))
    return signals


class _Rules:
    """The rules of one evaluation (thresholds, agreed levels, shared facts)."""

    def __init__(
        self,
        thresholds: Thresholds,
        expected: Mapping[str, float],
        first_day: int,
        vomiting_days: set[int],
    ) -> None:
        self.t = thresholds
        self.expected = expected
        self.first_day = first_day  # the journal's first logged day (nothing is new on it)
        self.vomiting_days = vomiting_days
        self.all_days: list[int] = []  # every day anything was logged, in order

    def day(
        self,
        item_id: str,
        label: str,
        kind: ItemKind,
        red_flag: bool,
        days: ItemDays,
        series: _Series,
        i: int,
    ) -> SafetySignal | None:
        """The one signal of an item's day, if any (the most urgent that applies)."""
        ordinal, value = days.ordinals[i], days.values[i]
        if value <= 0:
            return None  # the usual day: nothing to say (and cheap)
        t = self.t
        absent = series.absent_before(i)
        # After a break from logging, a symptom back where it was is not new: "new" needs
        # the item's last value before the window to be 0 (or none at all).
        new = (
            absent
            and ordinal > self.first_day
            and not (
                series.was_there_before(i)
                and not _logged_between(self.all_days, ordinal - t.new_problem_days, ordinal)
            )
        )
        baseline = series.baseline(i) if kind is ItemKind.RATING else None
        risen = baseline is not None and value >= baseline + t.worsening_points
        # Worse: a step to a worse band, not noise; a warning sign's rise of the points
        # alone (NG234: progressive neurological symptoms).
        rising = risen and (
            item_id in RED_FLAG_WHEN_CHANGING
            or item_id == "confusion"
            or band(value) > band(round(baseline))  # type: ignore[arg-type]
        )
        severe = kind is ItemKind.RATING and value >= t.severe_rating
        # A warning sign is judged new on the journal's first day too: missing one is
        # worse than a call too many.
        red = self._red_flag(item_id, label, red_flag, value, absent, rising, severe, series, i)
        if red is not None:
            return _context(item_id, label, days, i).signal(Kind.RED_FLAG, *red)
        if not (new or rising or severe):
            return None
        if value <= self.expected.get(item_id, -1) or series.seen_lately(i):
            return None  # agreed with the care team, or already said this week
        context = _context(item_id, label, days, i)
        when = f"{context.day:%d %b}"
        if new:
            level = Level.WITHIN_24H if band(value) >= Band.MODERATE else Level.NEXT_VISIT
            return context.signal(
                Kind.NEW_PROBLEM,
                level,
                f"New: {label}",
                f"Logged on {when}, with none (0 or nothing logged) in the "
                f"{t.new_problem_days} days before. {level.advice}",
            )
        if severe and series.severe_yesterday(i):
            return context.signal(
                Kind.STILL_SEVERE,
                Level.INFO,
                f"Still severe: {label}",
                f"Rated {value:g} on {when}, severe the day before too. {Level.INFO.advice}",
            )
        level = Level.WITHIN_24H if severe else Level.NEXT_VISIT
        if rising:
            assert baseline is not None
            return context.signal(
                Kind.WORSENING,
                level,
                f"Worse: {label}",
                f"Rated {value:g} on {when}, up from an average of {baseline:.1f} over the "
                f"{t.baseline_days} days before. {level.advice}",
            )
        return context.signal(
            Kind.WORSENING,
            level,
            f"Severe: {label}",
            f"Rated {value:g} (severe) on {when}. {level.advice}",
        )

    def _red_flag(
        self,
        item_id: str,
        label: str,
        is_red: bool,
        value: float,
        new: bool,
        rising: bool,
        severe: bool,
        series: _Series,
        index: int,
    ) -> tuple[Level, str, str] | None:
        """(level, title, text) of a warning sign on this day, or None."""
        t = self.t
        if item_id in EPISODES:
            soon, now, words = EPISODES[item_id]
            if value >= soon:
                level = Level.URGENT if value >= now else Level.WITHIN_24H
                return (
                    level,
                    f"{words}: {value:g} times in 24 hours",
                    f"{words} {value:g} times in 24 hours was logged. {level.advice}",
                )
            return None
        if is_red or item_id in RED_FLAGS:
            steady = severe and series.seen_lately(index)  # told this week already
            if item_id in RED_FLAG_WHEN_CHANGING and not (new or rising or (severe and not steady)):
                return None
            level, words = RED_FLAGS.get(item_id, (Level.URGENT, "A warning sign was logged."))
            return (level, f"Warning sign: {label}", f"{words} {level.advice}")
        if (
            item_id == "shortness_of_breath"
            and value >= t.breathless_rating
            and not series.seen_lately(index)  # the same or worse told in the last week
        ):
            return (
                Level.URGENT,
                "Severe shortness of breath",
                f"Shortness of breath was rated {value:g} (severe). {URGENT_ADVICE}",
            )
        if item_id == "chest_pain" and severe and not series.seen_lately(index):
            return (
                Level.URGENT,
                "Severe chest pain",
                f"Chest pain was rated {value:g} (severe). If it came on suddenly or you are "
                f"struggling to breathe, call your emergency number now. {URGENT_ADVICE}",
            )
        if item_id == "headache":
            vomiting = series.ordinal(index) in self.vomiting_days
            if (severe and not series.severe_before(index)) or (rising and vomiting):
                also = " It came with being sick (vomiting)." if vomiting else ""
                return (
                    Level.URGENT,
                    "New severe or worsening headache",
                    f"A new severe or worsening headache was logged ({value:g}).{also} "
                    f"{URGENT_ADVICE}",
                )
        if item_id == "confusion" and (new or rising):
            what = "New" if new else "Worsening"
            return (
                Level.URGENT,
                f"{what} confusion",
                f"{what} confusion or memory problems were logged. {URGENT_ADVICE}",
            )
        return None

    def temperature(
        self, days: ItemDays, i: int, treated: Callable[[dt.date], bool]
    ) -> list[SafetySignal]:
        """A high or a low temperature on (or in the weeks after) anticancer treatment."""
        t = self.t
        high, low = days.values[i], days.lows[i]
        hot = high >= t.fever_celsius - 1e-9
        cold = low <= t.low_celsius + 1e-9
        if not (hot or cold):
            return []
        context = _context("temperature", "Temperature", days, i)
        if not treated(context.day):
            return []
        reading = high if hot else low
        limit = (
            f"at or above {t.fever_celsius:.1f} °C"
            if hot
            else f"at or below {t.low_celsius:.1f} °C"
        )
        return [
            context.signal(
                Kind.RED_FLAG,
                Level.URGENT,
                "High temperature on treatment" if hot else "Low temperature on treatment",
                f"A temperature of {both_scales(reading)} was logged during or "
                f"after anticancer treatment ({limit} counts). {URGENT_ADVICE}",
            )
        ]


def counted_over_24_hours(
    days: Mapping[str, ItemDays], episodes: Iterable[Entry]
) -> dict[str, ItemDays]:
    """Each counted item's days, valued by the most episodes in any 24 hours ending that
    day (an untimed entry counts at midday). Everyone's episodes count together: the
    patient at night and a caregiver in the morning saw different ones, and counting
    too few is the unsafe side (a chart's day keeps each person's count apart)."""
    moments: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
    for e in episodes:
        if not e.deleted:
            when = dt.datetime.combine(e.local_date, e.time or dt.time(12))
            moments[e.item_id].append((when, e.value))
    most: dict[str, dict[int, float]] = defaultdict(dict)
    for item_id, found in moments.items():
        found.sort()
        lo, total = 0, 0.0
        for when, value in found:  # a window (when - 24 h, when] by two pointers
            total += value
            while found[lo][0] <= when - dt.timedelta(hours=24):
                total -= found[lo][1]
                lo += 1
            day = when.date().toordinal()
            most[item_id][day] = max(most[item_id].get(day, 0.0), total)
    out = {}
    for item_id, by_day in most.items():
        if (d := days.get(item_id)) is not None:
            values = [max(v, by_day.get(o, v)) for o, v in zip(d.ordinals, d.values, strict=True)]
            out[item_id] = replace(d, values=values)
    return out


def _logged_between(days: Sequence[int], first: int, before: int) -> bool:
    """Was anything at all logged from ``first`` up to (not including) ``before``?"""
    i = bisect.bisect_left(days, first)
    return i < len(days) and days[i] < before


def _several(signals: Sequence[SafetySignal], labels: Mapping[str, str]) -> list[SafetySignal]:
    """Two or more "within 24 hours" on one day make it urgent (UKONS: two ambers are red)."""
    by_day: dict[dt.date, list[SafetySignal]] = defaultdict(list)
    for s in signals:
        if s.level is Level.WITHIN_24H:
            by_day[s.day].append(s)
    out = []
    for day, unordered in by_day.items():
        if len(unordered) < 2:
            continue
        found = sorted(unordered, key=lambda s: s.item_id)
        names = ", ".join(labels.get(s.item_id, s.item_id) for s in found)
        out.append(
            SafetySignal(
                Kind.SEVERAL,
                Level.URGENT,
                "several",
                day,
                "Several changes on one day",
                f"{len(found)} changes that each need your care team within 24 hours were "
                f"logged on {day:%d %b} ({names}); together they need them now. "
                f"{URGENT_ADVICE}",
                tuple(sorted({n for s in found for n in s.entry_ids})),
                any(s.by_caregiver for s in found),
            )
        )
    return out


def _context(item_id: str, label: str, days: ItemDays, i: int) -> _Context:
    return _Context(
        item_id,
        label,
        dt.date.fromordinal(days.ordinals[i]),
        days.values[i],
        tuple(sorted(int(x) for x in days.ids[i].split(","))),
        bool(days.caregiver[i]),
    )


class _Context(NamedTuple):
    item_id: str
    label: str
    day: dt.date
    value: float
    ids: tuple[int, ...]
    caregiver: bool

    def signal(self, kind: Kind, level: Level, title: str, text: str) -> SafetySignal:
        return SafetySignal(
            kind, level, self.item_id, self.day, title, text, self.ids, self.caregiver
        )


class _Series:
    """One item's daily values, with each day's look-back windows found in one pass.

    Windows are index ranges kept by moving pointers, so each question below is a
    subtraction of prefix sums: years of days cost little.
    """

    def __init__(self, ordinals: Sequence[int], values: Sequence[float], thresholds: Thresholds):
        self.thresholds = thresholds
        self._sum = list(itertools.accumulate(values, initial=0.0))
        self._positive = list(itertools.accumulate((v > 0 for v in values), initial=0))
        severe = thresholds.severe_rating
        self._severe = list(itertools.accumulate((v >= severe for v in values), initial=0))
        self._ordinals = ordinals
        self._values = values
        self._from_quiet = _window_starts(ordinals, QUIET_DAYS)
        self._from_baseline = _window_starts(ordinals, thresholds.baseline_days)
        self._from_new = _window_starts(ordinals, thresholds.new_problem_days)

    def baseline(self, i: int) -> float | None:
        """The average over the baseline days before day ``i`` (None if none logged)."""
        lo = self._from_baseline[i]
        return (self._sum[i] - self._sum[lo]) / (i - lo) if i > lo else None

    def absent_before(self, i: int) -> bool:
        """Nothing above 0 in the 'new problem' days before day ``i``."""
        return self._positive[i] == self._positive[self._from_new[i]]

    def severe_before(self, i: int) -> bool:
        return self._severe[i] > self._severe[self._from_baseline[i]]

    def ordinal(self, i: int) -> int:
        return self._ordinals[i]

    def was_there_before(self, i: int) -> bool:
        """Above 0 the last time it was logged before day ``i``'s look-back window (so a
        gap in it is a break from logging, not the symptom going away)."""
        lo = self._from_new[i]
        return lo > 0 and self._values[lo - 1] > 0 and i == lo

    def seen_lately(self, i: int) -> bool:
        """The same value or a worse one in the week before day ``i``: a signal for
        it was given then (or it was agreed), so it is not repeated today."""
        lo = self._from_quiet[i]
        value = self._values[i]
        return any(self._values[j] >= value for j in range(lo, i))

    def severe_yesterday(self, i: int) -> bool:
        logged = i > 0 and self._ordinals[i - 1] == self._ordinals[i] - 1
        return logged and self._severe[i] > self._severe[i - 1]


def _window_starts(ordinals: Sequence[int], days: int) -> list[int]:
    """For each day, the index of the first day in [day - days, day): two pointers."""
    starts, lo = [], 0
    for ordinal in ordinals:
        while ordinals[lo] < ordinal - days:
            lo += 1
        starts.append(lo)
    return starts


def urgent(signals: Iterable[SafetySignal]) -> list[SafetySignal]:
    """Emergency and urgent signals."""
    return [s for s in signals if s.level.is_urgent]
