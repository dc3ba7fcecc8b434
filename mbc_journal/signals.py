"""Safety signals: when the journal should say "contact your care team".

Pure functions over entries and thresholds: no Qt, no I/O. The wording
never diagnoses; it says what was logged and who to tell. Rules, defaults and
their sources are documented in docs/safety-signals.md.

Rules only look backwards in time (a day's signals depend on that day and the
days before it), so logging something new never takes back an urgent signal
for an earlier day.
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
from mbc_journal.model import DayRule, Entry, ItemDays, ItemKind


class Level(StrEnum):
    URGENT = "urgent"  # contact your care team now
    NEXT_CONTACT = "next_contact"  # tell your care team soon / at the next contact
    INFO = "info"  # worth knowing, nothing new


class Kind(StrEnum):
    RED_FLAG = "red_flag"
    NEW_PROBLEM = "new_problem"
    WORSENING = "worsening"
    STILL_SEVERE = "still_severe"


LEVEL_ORDER = {Level.URGENT: 0, Level.NEXT_CONTACT: 1, Level.INFO: 2}


@dataclass(frozen=True)
class Thresholds:
    """Defaults (see docs/safety-signals.md); the care team may give others."""

    fever_celsius: float = 38.0
    severe_rating: int = 7
    worsening_points: int = 2
    baseline_days: int = 7
    new_problem_days: int = 30
    breathless_rating: int = 7

    def validated(self) -> Thresholds:
        checks = [
            (36.0 <= self.fever_celsius <= 41.0, "The fever threshold must be 36.0–41.0 °C."),
            (1 <= self.severe_rating <= 10, "The 'severe' rating must be 1–10."),
            (1 <= self.worsening_points <= 10, "The worsening step must be 1–10 points."),
            (1 <= self.baseline_days <= 60, "The baseline must cover 1–60 days."),
            (1 <= self.new_problem_days <= 365, "'New' must look back 1–365 days."),
            (1 <= self.breathless_rating <= 10, "The breathlessness rating must be 1–10."),
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
                values[key] = float(value) if key == "fever_celsius" else int(value)
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
        """Stable identity, used to record an acknowledgement."""
        return f"{self.kind.value}:{self.item_id}:{self.day.isoformat()}"


URGENT_ADVICE = "Contact your care team now."
SOON_ADVICE = "Tell your care team; if you feel very unwell, contact them now."

# Extra words for red flags, in plain language and without diagnosing.
RED_FLAG_WORDS = {
    "seizure": "A seizure (fit) was logged.",
    "coughing_blood": "Coughing up blood was logged.",
    "back_pain": "This can be a sign of pressure on the spinal cord.",
    "leg_numbness_weakness": "This can be a sign of pressure on the spinal cord.",
    "bladder_bowel_control": "This can be a sign of pressure on the spinal cord.",
    "jaundice": "Yellowing of the skin or eyes was logged.",
    "bleeding_bruising": "Bleeding or easy bruising was logged.",
    "swelling_face_neck_arms": "Swelling of the face, neck or arms was logged.",
    "leg_swollen_red_painful": "This can be a sign of a blood clot.",
    "sudden_breathless_chest_pain": "This can be a sign of a blood clot.",
    "extreme_thirst": "This can be a sign of a high calcium level.",
    "new_drowsiness": "New drowsiness was logged.",
}

# Red-flag ratings that fire only when new, worsening or severe (not for a
# steady ache logged every day); the others fire whenever above 0.
RED_FLAG_WHEN_CHANGING = {"back_pain"}


def evaluate(
    entries: Iterable[Entry | Observation] | Mapping[str, ItemDays],
    catalogue: Catalogue,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 (frozen, immutable)
    *,
    on_chemotherapy: Callable[[dt.date], bool] | bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[SafetySignal]:
    """Signals for days in [date_from, date_to] (earlier entries serve as history).

    ``entries`` are entries, or entries already grouped by item and day (``ItemDays``,
    as the journal loads years of them).
    """
    days_by_item = entries if isinstance(entries, Mapping) else item_days(entries, catalogue)
    chemo = on_chemotherapy if callable(on_chemotherapy) else (lambda _d: bool(on_chemotherapy))
    known = {i: d for i, d in days_by_item.items() if d.ordinals and catalogue.has_item(i)}
    sorted_days = sorted(set().union(*(d.ordinals for d in known.values())))
    vomiting = known.get("vomiting")
    vomiting_days = (
        {o for o, v in zip(vomiting.ordinals, vomiting.values, strict=True) if v > 0}
        if vomiting
        else set()
    )
    low = date_from.toordinal() if date_from else None
    high = date_to.toordinal() if date_to else None
    signals: list[SafetySignal] = []
    for item_id, days in known.items():
        item = catalogue.item(item_id)
        series = _Series(days.ordinals, days.values, thresholds)
        first = bisect.bisect_left(days.ordinals, low) if low else 0
        last = bisect.bisect_right(days.ordinals, high) if high else len(days.ordinals)
        for i in range(first, last):
            ordinal, value = days.ordinals[i], days.values[i]
            if item.kind is ItemKind.MEASUREMENT:
                if item_id == "temperature" and value >= thresholds.fever_celsius - 1e-9:
                    context = _context(item_id, item.label, days, i)
                    signals += _measurement_rules(context, thresholds, chemo(context.day))
                continue
            # Cheapest tests first: most days of most items raise nothing.
            new = (
                value > 0
                and series.absent_before(i)
                and _observed_before(sorted_days, ordinal, thresholds.new_problem_days)
            )
            baseline = series.baseline(i) if item.kind is ItemKind.RATING else None
            rising = baseline is not None and value >= baseline + thresholds.worsening_points
            severe = item.kind is ItemKind.RATING and value >= thresholds.severe_rating
            red = _red_flag(
                item_id,
                item.label,
                item.red_flag,
                value,
                new,
                rising,
                severe,
                series,
                i,
                ordinal in vomiting_days,
            )
            if red is None and not (new or rising or severe):
                continue  # the usual day: nothing to say
            context = _context(item_id, item.label, days, i)
            day = context.day
            if red is not None:
                signals.append(context.signal(Kind.RED_FLAG, Level.URGENT, *red))
                continue
            if new:
                signals.append(
                    context.signal(
                        Kind.NEW_PROBLEM,
                        Level.NEXT_CONTACT,
                        f"New: {item.label}",
                        f"Logged on {day:%d %b} and not in the "
                        f"{thresholds.new_problem_days} days before. {SOON_ADVICE}",
                    )
                )
            elif rising:
                assert baseline is not None
                signals.append(
                    context.signal(
                        Kind.WORSENING,
                        Level.NEXT_CONTACT,
                        f"Worse: {item.label}",
                        f"Rated {value:g} on {day:%d %b}, up from an average of "
                        f"{baseline:.1f} over the {thresholds.baseline_days} days before. "
                        f"{SOON_ADVICE}",
                    )
                )
            elif severe:
                if series.severe_yesterday(i):
                    signals.append(
                        context.signal(
                            Kind.STILL_SEVERE,
                            Level.INFO,
                            f"Still severe: {item.label}",
                            f"Rated {value:g} on {day:%d %b}, severe the day before too. "
                            f"If your care team does not know yet, tell them.",
                        )
                    )
                else:
                    signals.append(
                        context.signal(
                            Kind.WORSENING,
                            Level.NEXT_CONTACT,
                            f"Severe: {item.label}",
                            f"Rated {value:g} (severe) on {day:%d %b}. {SOON_ADVICE}",
                        )
                    )
    signals.sort(key=lambda s: (s.day, LEVEL_ORDER[s.level], s.item_id))
    return signals


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


def _observed_before(sorted_days: Sequence[int], day: int, days: int) -> bool:
    """Was anything at all logged in the window before ``day`` (ordinals)? (A
    first-ever check-in cannot tell what is new.)"""
    start = bisect.bisect_left(sorted_days, day - days)
    return start < len(sorted_days) and sorted_days[start] < day


def _red_flag(
    item_id: str,
    label: str,
    is_red: bool,
    value: float,
    new: bool,
    rising: bool,
    severe: bool,
    series: _Series,
    index: int,
    vomiting_today: bool,
) -> tuple[str, str] | None:
    label_words = RED_FLAG_WORDS.get(item_id, "A warning sign was logged.")
    if is_red and value > 0:
        if item_id in RED_FLAG_WHEN_CHANGING and not (new or rising or severe):
            return None
        return (f"Warning sign: {label}", f"{label_words} {URGENT_ADVICE}")
    if item_id == "shortness_of_breath" and value >= series.thresholds.breathless_rating:
        return (
            "Severe shortness of breath",
            f"Shortness of breath was rated {value:g} (severe). {URGENT_ADVICE}",
        )
    if item_id == "headache":
        new_severe = severe and not series.severe_before(index)
        if new_severe or (rising and vomiting_today):
            also = " It came with being sick (vomiting)." if vomiting_today else ""
            return (
                "New severe or worsening headache",
                f"A new severe or worsening headache was logged ({value:g}).{also} {URGENT_ADVICE}",
            )
    if item_id == "confusion" and value > 0 and new:
        return ("New confusion", f"New confusion or memory problems were logged. {URGENT_ADVICE}")
    return None


def _measurement_rules(
    context: _Context, thresholds: Thresholds, on_chemo: bool
) -> list[SafetySignal]:
    if (
        context.item_id == "temperature"
        and on_chemo
        and context.value >= thresholds.fever_celsius - 1e-9
    ):
        return [
            context.signal(
                Kind.RED_FLAG,
                Level.URGENT,
                "High temperature during chemotherapy",
                f"A temperature of {context.value:.1f} °C was logged while on chemotherapy "
                f"(the threshold is {thresholds.fever_celsius:.1f} °C). {URGENT_ADVICE}",
            )
        ]
    return []


def urgent(signals: Iterable[SafetySignal]) -> list[SafetySignal]:
    return [s for s in signals if s.level is Level.URGENT]
