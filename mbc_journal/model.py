"""Domain value types and the one place where user input is validated.

Everything that crosses a layer (core <-> ui, core <-> cli) is a frozen
dataclass or an enum from this module. The GUI, the CLI and importers all
call the ``parse_*`` / ``check_*`` functions here, so a rule is written once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from mbc_journal.errors import ValidationError

MAX_NOTE_LENGTH = 20_000
MAX_NAME_LENGTH = 100
MAX_EVENT_COUNT = 100
EARLIEST_DATE = dt.date(1900, 1, 1)


class ItemKind(StrEnum):
    RATING = "rating"
    EVENT = "event"
    MEASUREMENT = "measurement"


class DayRule(StrEnum):
    """How several readings of one item on one day make that day's value: the one
    definition Trends, the report, the safety rules and the exports use
    (docs/day-values.md)."""

    WORST = "worst"  # ratings: the worst (highest); self-report first
    HIGH_LOW = "high_low"  # temperature: the highest, and the lowest beside it
    TOTAL = "total"  # events and doses: counted over the day
    LAST = "last"  # weight: the last reading of the day


class Role(StrEnum):
    PATIENT = "patient"
    CAREGIVER = "caregiver"


class Band(StrEnum):
    """Verbal bands for a 0-10 rating."""

    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


def band(rating: float) -> Band:
    """The verbal band of a rating: 0 none, 1-3 mild, 4-6 moderate, 7-10 severe."""
    if rating <= 0:
        return Band.NONE
    if rating < 4:
        return Band.MILD
    if rating < 7:
        return Band.MODERATE
    return Band.SEVERE


@dataclass(frozen=True)
class Person:
    """Who entered something: the patient, or a caregiver by name."""

    name: str
    role: Role = Role.PATIENT

    @property
    def is_caregiver(self) -> bool:
        return self.role is Role.CAREGIVER

    @property
    def key(self) -> tuple[str, str]:
        """Who this is, for "one rating per person per item per day": the patient is
        one person whatever name was saved; a caregiver is their name, in any case."""
        return (self.role.value, self.name.strip().casefold() if self.is_caregiver else "")


PATIENT = Person("", Role.PATIENT)
CLEAR = None  # in a check-in, "this item is not logged on this day"


@dataclass(frozen=True)
class Value:
    """A validated value in the item's canonical unit, and the unit typed."""

    number: float
    unit: str | None = None


@dataclass(frozen=True)
class EntryDraft:
    """A validated entry not yet stored."""

    item_id: str
    value: Value
    time: dt.time | None = None
    note: str = ""


@dataclass(frozen=True)
class Entry:
    """A stored entry. ``value`` is in the item's canonical unit."""

    id: int
    uid: str
    item_id: str
    local_date: dt.date
    time: dt.time | None
    value: float
    unit: str | None
    note: str
    person: Person
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None
    # Minutes east of UTC where and when it was made (None: an entry from before the
    # journal kept it, or imported without it; see ``utc_offset``).
    utc_offset_minutes: int | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


# UTC offsets run from -12:00 to +14:00; FHIR's dateTime allows -14:00 to +14:00.
MAX_UTC_OFFSET_MINUTES = 14 * 60


def local_utc_offset(day: dt.date, time: dt.time | None) -> int:
    """The UTC offset, in minutes, that this computer's time zone has at ``time`` on
    ``day`` (noon for an entry without a time), daylight saving time as it was then.

    Stored with an entry when it is written, where the person is, so an export made
    later or in another time zone still gives the entry's own local time its offset.
    """
    moment = dt.datetime.combine(day, time or dt.time(12, 0)).astimezone()
    offset = moment.utcoffset() or dt.timedelta(0)
    return round(offset.total_seconds() / 60)


def utc_offset(day: dt.date, time: dt.time | None, minutes: int | None) -> dt.timezone:
    """The offset an entry's local time is in: the one stored with it, or for an entry
    without one (or with one no time zone has, from a damaged file), this computer's
    time-zone rules for that day and time."""
    if minutes is None or abs(minutes) > MAX_UTC_OFFSET_MINUTES:
        minutes = local_utc_offset(day, time)
    return dt.timezone(dt.timedelta(minutes=minutes))


class Change(StrEnum):
    """Why an entry's version was replaced (``EntryVersion.change``)."""

    EDITED = "edited"
    DELETED = "deleted"
    UNDELETED = "undeleted"
    BROUGHT_BACK = "brought back"  # an earlier version was brought back over it
    UNDONE = "undone"

    @property
    def words(self) -> str:
        return {
            Change.EDITED: "changed",
            Change.DELETED: "deleted",
            Change.UNDELETED: "brought back from deleted",
            Change.BROUGHT_BACK: "replaced by an earlier version",
            Change.UNDONE: "undone",
        }[self]


@dataclass(frozen=True)
class EntryVersion:
    """An earlier version of an entry: what it held from ``saved_at`` until a change
    (``change``) replaced it at ``replaced_at``."""

    id: int
    entry_id: int
    item_id: str
    local_date: dt.date
    time: dt.time | None
    value: float
    unit: str | None
    note: str
    person: Person
    deleted_at: dt.datetime | None
    saved_at: dt.datetime
    replaced_at: dt.datetime
    change: Change
    utc_offset_minutes: int | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class DayNote:
    local_date: dt.date
    text: str
    person: Person = field(default=PATIENT)


@dataclass(frozen=True)
class EntryFilter:
    """What to select in queries; ``None`` means "any"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    site_id: str | None = None
    item_ids: tuple[str, ...] | None = None
    entered_by: str | None = None
    role: Role | None = None
    include_deleted: bool = False
    with_note: bool = False


# --- text and dates ------------------------------------------------------


def check_text(text: str, what: str = "A note", limit: int = MAX_NOTE_LENGTH) -> str:
    """Text is kept exactly as typed; only its length and NUL bytes are refused."""
    if not isinstance(text, str):
        raise ValidationError(f"{what} must be text.")
    if len(text) > limit:
        raise ValidationError(f"{what} is {len(text):,} characters long; the limit is {limit:,}.")
    if "\x00" in text:
        raise ValidationError(f"{what} contains an invisible NUL character; remove it.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            f"{what} contains a broken character (half of a pair); type it again."
        ) from None
    return text


def check_name(name: str) -> str:
    name = check_text(name, "A name", MAX_NAME_LENGTH).strip()
    if "\n" in name or "\r" in name:
        raise ValidationError("A name must fit on one line.")
    return name


def today() -> dt.date:
    return dt.date.today()


def check_date(day: dt.date, *, now: dt.date | None = None) -> dt.date:
    """A journal date: not in the future, not absurdly old."""
    limit = now or today()
    if day > limit:
        raise ValidationError(f"{day.isoformat()} is in the future; give today or an earlier day.")
    if day < EARLIEST_DATE:
        raise ValidationError(f"{day.isoformat()} is too far in the past to be a journal date.")
    return day


def clock() -> dt.datetime:
    """Now, on this computer's clock (one place, so tests can set it)."""
    return dt.datetime.now()


# A clock a little behind, or a reading written down a few minutes early, is not refused.
CLOCK_SLACK = dt.timedelta(minutes=10)


def check_moment(day: dt.date, time: dt.time | None, *, now: dt.datetime | None = None) -> None:
    """A reading's day and time: not later than now (a reading at 23:00 logged at 18:00
    would be a reading that has not happened)."""
    now = now or clock()
    check_date(day, now=now.date())
    if time is None:
        return
    if dt.datetime.combine(day, time) > now + CLOCK_SLACK:
        raise ValidationError(
            f"{time:%H:%M} on {day.isoformat()} is later than now; a reading can only be "
            f"logged for a time that has passed."
        )


def parse_date(text: str, *, now: dt.date | None = None, allow_future: bool = False) -> dt.date:
    """Parse ``YYYY-MM-DD``, ``today`` or ``yesterday``."""
    base = now or today()
    cleaned = text.strip().lower()
    if cleaned == "today":
        day = base
    elif cleaned == "yesterday":
        day = base - dt.timedelta(days=1)
    else:
        try:
            day = dt.date.fromisoformat(cleaned)
        except ValueError:
            raise ValidationError(
                f"'{text}' is not a date; write it as YYYY-MM-DD, for example {base.isoformat()}."
            ) from None
    if allow_future:
        if day < EARLIEST_DATE:
            raise ValidationError(f"{day.isoformat()} is too far in the past.")
        return day
    return check_date(day, now=base)


def parse_time(text: str) -> dt.time:
    """Parse ``HH:MM`` (24-hour clock)."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValidationError(f"'{text}' is not a time; write it as HH:MM, for example 14:30.")


def check_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError(
            f"The period starts ({date_from.isoformat()}) after it ends "
            f"({date_to.isoformat()}); swap the two dates."
        )


# --- values --------------------------------------------------------------

_UNIT_ALIASES = {
    "c": "°C", "°c": "°C", "degc": "°C", "celsius": "°C",
    "f": "°F", "°f": "°F", "degf": "°F", "fahrenheit": "°F",
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "dose": "doses", "doses": "doses",
}  # fmt: skip

_POUND_KG = 0.45359237
_TO_CANONICAL: dict[tuple[str, str], Callable[[float], float]] = {
    ("°F", "°C"): lambda f: (f - 32.0) * 5.0 / 9.0,
    ("lb", "kg"): lambda lb: lb * _POUND_KG,
}
_FROM_CANONICAL: dict[tuple[str, str], Callable[[float], float]] = {
    ("°C", "°F"): lambda c: c * 9.0 / 5.0 + 32.0,
    ("kg", "lb"): lambda kg: kg / _POUND_KG,
}


def normalise_unit(text: str) -> str:
    key = text.strip().lower().replace(" ", "")
    return _UNIT_ALIASES.get(key, text.strip())


def to_canonical(number: float, unit: str, canonical: str) -> float:
    if unit == canonical:
        return number
    return float(_TO_CANONICAL[(unit, canonical)](number))


def from_canonical(number: float, canonical: str, unit: str) -> float:
    if unit == canonical:
        return number
    return float(_FROM_CANONICAL[(canonical, unit)](number))


def _parse_number(text: str) -> float | None:
    try:
        number = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def check_rating(number: float) -> Value:
    if not math.isfinite(number) or number != int(number) or not 0 <= number <= 10:
        raise ValidationError(
            f"A rating must be a whole number from 0 (none) to 10 (worst imaginable); "
            f"{_fmt(number)} is not."
        )
    return Value(float(int(number)))


def check_event_count(number: float) -> Value:
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= MAX_EVENT_COUNT:
        raise ValidationError(
            f"An event is logged when it happened: give how many times, from 1 to "
            f"{MAX_EVENT_COUNT} (or 'yes'); {_fmt(number)} is not."
        )
    return Value(float(int(number)))


def _fmt(number: float) -> str:
    if not math.isfinite(number):
        return f"{number}"
    return str(int(number)) if number == int(number) else f"{number:g}"


# --- catalogue types -----------------------------------------------------


@dataclass(frozen=True)
class Site:
    id: str
    label: str
    description: str = ""
    always_offer: bool = False


@dataclass(frozen=True)
class Item:
    """A symptom, event or measurement the journal can record."""

    id: str
    label: str
    kind: ItemKind
    sites: tuple[str, ...]
    red_flag: bool = False
    group: str = ""
    hint: str = ""
    unit: str | None = None
    units: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    decimals: int = 0
    custom: bool = False
    day: DayRule | None = None  # None: by kind (events count, the rest take the worst)
    retired: bool = False  # no longer offered in the check-in; its entries stay

    @property
    def day_rule(self) -> DayRule:
        """How this item's readings of a day make the day's value."""
        if self.day is not None:
            return self.day
        return DayRule.TOTAL if self.kind is ItemKind.EVENT else DayRule.WORST

    def format_value(self, number: float, unit: str | None = None) -> str:
        """Human text for a stored value, in the unit the user typed if given."""
        if self.kind is ItemKind.RATING:
            return f"{int(number)} ({band(number).value})"
        if self.kind is ItemKind.EVENT:
            return "yes" if number == 1 else "twice" if number == 2 else f"{int(number)} times"
        canonical = self.unit or ""
        shown_unit = unit if unit and unit in self.units else canonical
        shown = from_canonical(number, canonical, shown_unit) if shown_unit else number
        text = f"{shown:.{self.decimals}f}"
        if text == f"{1:.{self.decimals}f}":
            shown_unit = SINGULAR_UNITS.get(shown_unit, shown_unit)
        return f"{text} {shown_unit}".strip()

    def format_both(self, number: float, unit: str | None = None) -> str:
        """In ``unit`` (the preferred one), the other in brackets: "38.0 °C (100.4 °F)";
        a measurement with one unit, a rating or an event as :meth:`format_value`."""
        first = self.format_value(number, unit)
        shown = unit if unit in self.units else self.unit
        other = next((u for u in self.units if u != shown), None)
        if self.kind is not ItemKind.MEASUREMENT or other is None:
            return first
        return f"{first} ({self.format_value(number, other)})"


SINGULAR_UNITS = {"doses": "dose"}  # "1 dose", not "1 doses"


_YES = {"yes", "y", "true", "x"}


def parse_value(item: Item, text: str, unit_if_none: str | None = None) -> Value:
    """Validate what a user typed for ``item`` (CLI, import, and GUI text fields). A
    measurement typed without a unit is in ``unit_if_none`` (the person's preferred
    unit), else in the catalogue's own."""
    raw = text.strip()
    if item.kind is ItemKind.EVENT:
        if raw.lower() in _YES:
            return Value(1.0)
        number = _parse_number(raw)
        if number is None:
            raise ValidationError(
                f"'{text}' is not a count for {item.label}; give how many times (1 or more) "
                f"or 'yes'."
            )
        return check_event_count(number)
    if item.kind is ItemKind.RATING:
        number = _parse_number(raw)
        if number is None:
            raise ValidationError(
                f"'{text}' is not a rating for {item.label}; give a whole number from "
                f"0 (none) to 10 (worst imaginable)."
            )
        return check_rating(number)
    match = re.fullmatch(r"([-+]?[0-9]+(?:[.,][0-9]+)?)\s*(.*)", raw)
    if not match:
        raise ValidationError(
            f"'{text}' is not a number for {item.label}; for example {_example(item)}."
        )
    number = _parse_number(match.group(1))
    if number is None:  # digits beyond any float (hundreds of them)
        raise ValidationError(f"'{text[:40]}' is not a plausible number for {item.label}.")
    typed = normalise_unit(match.group(2)) if match.group(2) else None
    unit = typed or (unit_if_none if unit_if_none in item.units else item.unit) or ""
    return check_measurement(item, number, unit)


def check_measurement(item: Item, number: float, unit: str | None) -> Value:
    canonical = item.unit or ""
    unit = unit or canonical
    if unit not in (item.units or (canonical,)):
        accepted = ", ".join(item.units or (canonical,))
        raise ValidationError(f"{item.label} is recorded in {accepted}, not '{unit}'.")
    if not math.isfinite(number):
        raise ValidationError(f"{item.label} must be a number.")
    value = to_canonical(number, unit, canonical) if canonical else number
    value = round(value, max(item.decimals, 0) + 3) + 0.0  # + 0.0: never -0 ("-0 doses")
    if (item.min is not None and value < item.min - 1e-9) or (
        item.max is not None and value > item.max + 1e-9
    ):
        low = from_canonical(item.min or 0.0, canonical, unit)
        high = from_canonical(item.max or 0.0, canonical, unit)
        raise ValidationError(
            f"{item.label} {_fmt(number)} {unit} is outside the plausible range "
            f"{low:.{item.decimals}f}–{high:.{item.decimals}f} {unit}; check the number "
            f"and the unit."
        )
    if item.decimals == 0 and value != int(value):
        raise ValidationError(f"{item.label} must be a whole number.")
    return Value(value, unit if unit != canonical else None)


def check_value(item: Item, number: float, unit: str | None = None) -> Value:
    """Validate a number from a widget or an import file."""
    if item.kind is ItemKind.RATING:
        return check_rating(number)
    if item.kind is ItemKind.EVENT:
        return check_event_count(number)
    return check_measurement(item, number, unit)


def _example(item: Item) -> str:
    if item.min is not None and item.max is not None:
        mid = (item.min + item.max) / 2
        return f"{mid:.{item.decimals}f} {item.unit or ''}".strip()
    return "1"


class ItemStats(NamedTuple):
    """One item over a period, from its days' values (``ItemDays.stats``)."""

    days: int  # days logged
    entries: int
    latest_day: dt.date
    latest: float  # the latest day's value
    worst: float  # the highest day's value
    lowest: float  # the lowest reading of any day
    average: float  # mean of the days' values


@dataclass
class ItemDays:
    """One item's logged days as columns, oldest first: what Trends, the safety rules
    and the report read.

    Each day's value follows the item's ``DayRule`` (``day_value``): the one
    definition of a day's value. Columns of plain numbers rather than an object per
    entry, so years of entries load and evaluate without filling the garbage collector.
    """

    ordinals: list[int]  # date.toordinal() of each logged day
    values: list[float]  # that day's value (``day_value``)
    ids: list[str]  # that day's entry ids, comma-separated
    caregiver: list[bool]  # the day's value holds a caregiver's observation
    lows: list[float] = field(default_factory=list)  # the day's lowest reading
    # A caregiver's worst rating of the day, beside the patient's own (NaN: none).
    others: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.lows:
            self.lows = list(self.values)
        if not self.others:
            self.others = [math.nan] * len(self.values)

    def __len__(self) -> int:
        return len(self.ordinals)

    def between(self, first: dt.date, last: dt.date) -> ItemDays:
        """The days from ``first`` to ``last``, both included."""
        lo = bisect.bisect_left(self.ordinals, first.toordinal())
        hi = bisect.bisect_right(self.ordinals, last.toordinal())
        return ItemDays(
            self.ordinals[lo:hi],
            self.values[lo:hi],
            self.ids[lo:hi],
            self.caregiver[lo:hi],
            self.lows[lo:hi],
            self.others[lo:hi],
        )

    def mean(self) -> float:
        """The average of the days' values (the days must not be empty)."""
        return math.fsum(self.values) / len(self.values)

    def stats(self) -> ItemStats | None:
        """Days logged, latest, worst, lowest and average of the days (None if none)."""
        if not self.ordinals:
            return None
        days = len(self.ordinals)
        return ItemStats(
            days,
            days + sum(ids.count(",") for ids in self.ids),
            dt.date.fromordinal(self.ordinals[-1]),
            self.values[-1],
            max(self.values),
            min(self.lows),
            self.mean(),
        )

    @classmethod
    def from_entries(
        cls,
        ordinals: Sequence[int],
        values: Sequence[float],
        ids: Sequence[str],
        caregiver: Sequence[bool],
        rule: DayRule = DayRule.WORST,
    ) -> ItemDays:
        """From one item's entries as columns, in any order of days but in the order
        of the day within each day (by time, then as entered); several entries on one
        day become that day's value by ``rule``."""
        if all(a < b for a, b in itertools.pairwise(ordinals)):
            return cls(list(ordinals), list(values), list(ids), list(caregiver))
        days: dict[int, list[int]] = {}
        for i, ordinal in enumerate(ordinals):
            days.setdefault(ordinal, []).append(i)
        out = cls([], [], [], [], [], [])
        for ordinal in sorted(days):
            rows = days[ordinal]
            value, low, other, by_caregiver = day_value(
                rule, [values[i] for i in rows], [caregiver[i] for i in rows]
            )
            out.ordinals.append(ordinal)
            out.values.append(value)
            out.lows.append(low)
            out.others.append(other)
            out.ids.append(",".join(ids[i] for i in rows))
            out.caregiver.append(by_caregiver)
        return out


def day_value(
    rule: DayRule, values: Sequence[float], caregiver: Sequence[bool]
) -> tuple[float, float, float, bool]:
    """A day's value from its readings (in the order of the day), by ``rule``.

    Returns (value, lowest, a caregiver's value beside the patient's or NaN, whether
    the value holds a caregiver's observation):

    - WORST (ratings): the patient's own worst rating; a caregiver's worst only on a
      day the patient rated nothing. A caregiver's rating beside the patient's is kept
      as the third value, shown beside it, never mixed in.
    - HIGH_LOW (temperature): the highest reading of anyone, and the lowest (a
      caregiver's when the highest was theirs alone).
    - TOTAL (events, doses): the patient's total and the caregivers' are counted
      apart (they usually saw the same episodes), and the larger is the day's count.
    - LAST (weight): the last reading of the day.
    """
    if len(values) == 1:
        return values[0], values[0], math.nan, caregiver[0]
    own = [v for v, c in zip(values, caregiver, strict=True) if not c]
    theirs = [v for v, c in zip(values, caregiver, strict=True) if c]
    if rule is DayRule.HIGH_LOW:  # marked a caregiver's when the highest is theirs alone
        high = max(values)
        return high, min(values), math.nan, high not in own
    if rule is DayRule.LAST:
        return values[-1], min(values), math.nan, caregiver[-1]
    if rule is DayRule.TOTAL:
        mine, seen = math.fsum(own), math.fsum(theirs)
        total = max(mine, seen)
        return total, total, math.nan, seen > mine
    if own:
        return max(own), min(own), max(theirs) if theirs else math.nan, False
    return max(theirs), min(theirs), math.nan, True
