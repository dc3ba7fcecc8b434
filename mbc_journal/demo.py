"""A deterministic demo journal: realistic, invented, never a real person.

The story (for tests, screenshots and benchmarks): a woman with bone
metastases (her "my sites": bone), followed by her partner Sam as caregiver.
Bone pain creeps up over the first part of the period; a treatment change
(at 60 % of a short demo, seven weeks before the end of a long one) brings
the pain down, but tiredness, sickness and reduced mobility get worse for a
while. There are gaps (days not logged), a fall
noted by Sam, weekly weights, and one red-flag day shortly after the change:
a temperature of 38.4 °C with new back pain.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from mbc_journal.errors import ValidationError
from mbc_journal.journal import CareContact, Journal
from mbc_journal.model import EntryDraft, Person, Role, Value

MAX_DAYS = 20 * 366
PATIENT = Person("", Role.PATIENT)
CAREGIVER = Person("Sam", Role.CAREGIVER)


@dataclass(frozen=True)
class DemoStory:
    start: dt.date
    end: dt.date
    treatment_change: dt.date
    red_flag_day: dt.date


def story(days: int, end: dt.date) -> DemoStory:
    start = end - dt.timedelta(days=days - 1)
    # At 60 % of a short demo; in a long one, 48 days before the end, so that the
    # default report ("since the last appointment", six weeks) always tells the story.
    change = start + dt.timedelta(days=int(days * 0.6) if days <= 120 else days - 48)
    red = min(change + dt.timedelta(days=min(10, max(1, days // 10))), end)
    return DemoStory(start, end, change, red)


def _clamp(x: float) -> float:
    return float(max(0, min(10, round(x))))


def generate(
    journal: Journal, *, days: int = 120, end: dt.date | None = None, seed: int = 7
) -> DemoStory:
    """Fill an empty journal with ``days`` days of demo entries ending at ``end``."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"The demo can cover 1 to {MAX_DAYS} days (20 years), not {days}.")
    if journal.count_entries(include_deleted=True) > 0:
        raise ValidationError(
            "This journal already has entries; demo data only goes into a new, empty journal."
        )
    end = end or dt.date.today()
    plot = story(days, end)
    rng = random.Random(seed)
    rows: list[tuple[dt.date, EntryDraft, Person]] = []

    def add(
        day: dt.date, item: str, number: float, who: Person = PATIENT, *,
        time: dt.time | None = None, note: str = "",
    ) -> None:  # fmt: skip
        rows.append((day, EntryDraft(item, Value(number), time, note), who))

    weight = 68.0
    for offset in range(days):
        day = plot.start + dt.timedelta(days=offset)
        # Days not logged: about one in nine, and a whole week away once a year.
        if rng.random() < 0.11 or (offset % 365) in range(200, 207):
            continue
        after = day >= plot.treatment_change
        since = (day - plot.treatment_change).days
        before_frac = offset / max(1, (plot.treatment_change - plot.start).days)
        wobble = math.sin(offset / 5.0)
        if not after:
            bone = 2 + 4 * min(1.0, before_frac) + wobble + rng.gauss(0, 0.7)
            fatigue = 3 + rng.gauss(0, 0.8)
            sick = 1 + rng.gauss(0, 0.6)
            mobility = 2 + 2 * min(1.0, before_frac) + rng.gauss(0, 0.6)
        else:
            settle = math.exp(-since / 20.0)
            bone = 2.5 + 3 * settle + wobble * 0.5 + rng.gauss(0, 0.7)
            fatigue = 5 + 2 * settle + rng.gauss(0, 0.8)
            sick = 1.5 + 4 * settle + rng.gauss(0, 0.7)
            mobility = 5.6 + 1.5 * settle + rng.gauss(0, 0.6)
        add(day, "bone_pain", _clamp(bone))
        add(day, "reduced_mobility", _clamp(mobility))
        add(day, "fatigue", _clamp(fatigue))
        add(day, "treatment_nausea", _clamp(sick))
        add(day, "wellbeing", _clamp((bone + fatigue) / 2 + rng.gauss(0, 0.5)))
        add(day, "sleep_problems", _clamp(3 + rng.gauss(0, 1.2)))
        add(day, "anxiety", _clamp(3 + (1.5 if after and since < 14 else 0) + rng.gauss(0, 1)))
        add(day, "shortness_of_breath", _clamp(0.6 + rng.gauss(0, 0.6)))
        add(day, "hot_flushes", _clamp((1 if after else 4) + rng.gauss(0, 1)))
        add(day, "pain_relief_doses", float(max(0, min(8, round(bone / 2 + rng.gauss(0, 0.6))))))
        if offset % 7 == 0:
            weight += rng.gauss(-0.05 if after else 0.0, 0.3)
            add(day, "weight", round(weight, 1), time=dt.time(8, 0))
        if rng.random() < 0.25:
            add(day, "behaviour_change", _clamp(rng.choice([0, 0, 0, 1])), CAREGIVER)
        if day == plot.red_flag_day:
            add(day, "temperature", 38.4, time=dt.time(19, 30), note="Felt shivery after the drip.")
            add(day, "back_pain", 5.0, note="New ache low in the back.")
        elif rng.random() < 0.08:
            # Normal readings (kept above the 36.0 °C low-temperature rule: the demo's one
            # planned warning day is the fever below).
            normal = min(37.3, max(36.2, round(36.6 + rng.gauss(0, 0.25), 1)))
            add(day, "temperature", normal, time=dt.time(20, 0))
        if offset == days // 3:
            add(
                day,
                "fall",
                1.0,
                CAREGIVER,
                time=dt.time(7, 15),
                note="Slipped getting out of bed, no injury.",
            )
    journal.bulk_add(rows)
    for offset in range(0, days, 9):
        day = plot.start + dt.timedelta(days=offset)
        journal.set_day_note(day, "Quiet day at home." if offset % 2 else "Walked to the park.")
    journal.set_day_note(plot.treatment_change, "First day of the new treatment.")
    journal.set_profile_name("Alex Demo")
    journal.set_my_sites(["bone"])
    _care_plan(journal, plot, rng)
    journal.set_caregivers(["Sam"])
    journal.set_care_team(
        [
            CareContact("Breast care nurse", "Specialist nurse", "0100 000 0001"),
            CareContact("Oncology triage line (24 h)", "Hospital", "0100 000 0002"),
        ]
    )
    return plot


def _care_plan(journal: Journal, plot: DemoStory, rng: random.Random) -> None:
    """Treatments (with the change), appointments, questions and results."""
    before = plot.start - dt.timedelta(days=60)
    last_day_before = plot.treatment_change - dt.timedelta(days=1)
    journal.add_treatment(
        "hormone", "Hormone tablets", before, end=last_day_before, details="One tablet a day"
    )
    journal.add_treatment(
        "targeted",
        "Targeted therapy tablets",
        before,
        end=last_day_before,
        details="Three weeks on, one week off",
    )
    journal.add_treatment(
        "chemotherapy",
        "Chemotherapy tablets",
        plot.treatment_change,
        details="Two weeks on, one week off",
    )
    journal.add_treatment(
        "bone_strengthening",
        "Bone-strengthening drip",
        before,
        details="Every four weeks at the day unit",
    )
    journal.add_treatment(
        "pain_relief", "Regular pain relief", plot.start, details="Up to four times a day as needed"
    )
    # Follow-ups every four weeks, the last one six weeks ago (so the default
    # report period, "since the last appointment", covers the red-flag day).
    day = plot.end - dt.timedelta(days=42)
    while day - dt.timedelta(days=28) >= plot.start + dt.timedelta(days=5):
        day -= dt.timedelta(days=28)
    n = 0
    while day <= plot.end - dt.timedelta(days=42):
        journal.add_appointment(day - dt.timedelta(days=2), "blood_test", with_whom="Day unit")
        journal.add_appointment(
            day,
            "follow_up",
            time=dt.time(10, 30),
            with_whom="Dr Rivera, oncologist",
            notes="Reviewed symptoms and blood results.",
        )
        if n % 3 == 2:
            journal.add_appointment(day - dt.timedelta(days=5), "scan", with_whom="Imaging")
            journal.add_result(
                "CT scan",
                day - dt.timedelta(days=5),
                summary="Bone areas stable; no new areas reported.",
            )
        days_since_change = (day - plot.treatment_change).days
        marker = (
            38 + (day - plot.start).days * 0.05
            if days_since_change < 0
            else max(
                25.0,
                38 + (plot.treatment_change - plot.start).days * 0.05 - days_since_change * 0.2,
            )
        )
        journal.add_result(
            "CA 15-3 (tumour marker)",
            day - dt.timedelta(days=2),
            value=round(marker + rng.gauss(0, 1.5), 1),
            unit="U/mL",
            ref_low=0,
            ref_high=30,
        )
        journal.add_result(
            "Calcium (adjusted)",
            day - dt.timedelta(days=2),
            value=round(2.4 + rng.gauss(0, 0.06), 2),
            unit="mmol/L",
            ref_low=2.2,
            ref_high=2.6,
        )
        day += dt.timedelta(days=28)
        n += 1
    upcoming = journal.add_appointment(
        plot.end + dt.timedelta(days=9),
        "follow_up",
        time=dt.time(11, 0),
        with_whom="Dr Rivera, oncologist",
    )
    for text in (
        "Is the new ache low in my back something to check?",
        "Can anything help with the tiredness on the new treatment?",
        "When is my next scan?",
    ):
        journal.add_question(text, appointment_id=upcoming.id)
    answered = journal.add_question("Can I keep walking every day?")
    journal.answer_question(answered.id, "Yes, gently, and stop if the pain gets worse.")
