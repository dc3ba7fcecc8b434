"""What each signal says, word for word, and the thresholds' limits: the words are what a
frightened person reads, so a change to them must be a decision, not an accident (and
mutation testing showed they were not pinned down; docs/mutation-testing.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from mbc_journal.errors import ValidationError
from mbc_journal.signals import (
    TOGETHER,
    Kind,
    Level,
    Thresholds,
    can_be_quieted,
    evaluate,
    needs_emergency_number,
)
from tests.core.test_signal_oracle import CAT, DAY, entry, history

CALL = "Call your emergency number now."
LINE = "Contact your care team's 24-hour line now."
DAY24 = (
    "Speak to your care team within 24 hours; if you feel very unwell, contact the 24-hour "
    "line now."
)
VISIT = "Tell your care team at your next visit, or sooner if it gets worse."
NEW = "Logged on 30 Jun, with none (0 or nothing logged) in the 30 days before."

WORDS = [
    ("seizure 1", False, "seizure", Kind.RED_FLAG, Level.EMERGENCY,
     "Warning sign: Seizure (fit)", f"A seizure (fit) was logged. {CALL}"),
    ("shortness_of_breath 8", False, "shortness_of_breath", Kind.RED_FLAG, Level.URGENT,
     "Severe shortness of breath", f"Shortness of breath was rated 8 (severe). {LINE}"),
    ("bg, chest_pain 8", False, "chest_pain", Kind.RED_FLAG, Level.URGENT,
     "Severe chest pain", "Chest pain was rated 8 (severe). If it came on suddenly or you are "
     f"struggling to breathe, call your emergency number now. {LINE}"),
    ("headache 8", False, "headache", Kind.RED_FLAG, Level.URGENT,
     "New severe or worsening headache",
     f"A new severe or worsening headache was logged (8). {LINE}"),
    ("headache 2@-7..-1, headache 4, vomiting_episodes 1", False, "headache", Kind.RED_FLAG,
     Level.URGENT, "New severe or worsening headache",
     f"A new severe or worsening headache was logged (4). It came with being sick "
     f"(vomiting). {LINE}"),
    ("bg, confusion 2", False, "confusion", Kind.RED_FLAG, Level.URGENT, "New confusion",
     f"New confusion or memory problems were logged. {LINE}"),
    ("bg, confusion 2@-7..-1, confusion 5", False, "confusion", Kind.RED_FLAG, Level.URGENT,
     "Worsening confusion", f"Worsening confusion or memory problems were logged. {LINE}"),
    ("vomiting_episodes 3", False, "vomiting_episodes", Kind.RED_FLAG, Level.WITHIN_24H,
     "Being sick: 3 times in 24 hours", f"Being sick 3 times in 24 hours was logged. {DAY24}"),
    ("diarrhoea_episodes 7", False, "diarrhoea_episodes", Kind.RED_FLAG, Level.URGENT,
     "Loose stools more than usual: 7 times in 24 hours",
     f"Loose stools more than usual 7 times in 24 hours was logged. {LINE}"),
    ("temperature 38.5", True, "temperature", Kind.RED_FLAG, Level.URGENT,
     "High temperature on treatment",
     "A temperature of 38.5 °C (101.3 °F) was logged during or after anticancer treatment "
     f"(at or above 38.0 °C counts). {LINE}"),
    ("temperature 35.5", True, "temperature", Kind.RED_FLAG, Level.URGENT,
     "Low temperature on treatment",
     "A temperature of 35.5 °C (95.9 °F) was logged during or after anticancer treatment "
     f"(at or below 36.0 °C counts). {LINE}"),
    ("temperature 35.5, temperature 38.6", True, "temperature", Kind.RED_FLAG, Level.URGENT,
     "High temperature on treatment",
     "A temperature of 38.6 °C (101.5 °F) was logged during or after anticancer treatment "
     f"(at or above 38.0 °C counts). {LINE}"),
    ("bg, cough 3", False, "cough", Kind.NEW_PROBLEM, Level.NEXT_VISIT, "New: Cough",
     f"{NEW} {VISIT}"),
    ("bg, cough 5", False, "cough", Kind.NEW_PROBLEM, Level.WITHIN_24H, "New: Cough",
     f"{NEW} {DAY24}"),
    ("bone_pain 3@-7..-1, bone_pain 5", False, "bone_pain", Kind.WORSENING, Level.NEXT_VISIT,
     "Worse: Bone pain",
     f"Rated 5 on 30 Jun, up from an average of 3.0 over the 7 days before. {VISIT}"),
    ("bone_pain 6@-7..-1, bone_pain 7", False, "bone_pain", Kind.WORSENING, Level.WITHIN_24H,
     "Severe: Bone pain", f"Rated 7 (severe) on 30 Jun. {DAY24}"),
    ("bone_pain 7@-1, bone_pain 8", False, "bone_pain", Kind.STILL_SEVERE, Level.INFO,
     "Still severe: Bone pain",
     "Rated 8 on 30 Jun, severe the day before too. If your care team does not know yet, "
     "tell them."),
    ("bone_pain 7@-2, bone_pain 8", False, "bone_pain", Kind.WORSENING, Level.WITHIN_24H,
     "Severe: Bone pain", f"Rated 8 (severe) on 30 Jun. {DAY24}"),
    ("bg, cough 5, hand_foot_severe 1", False, "several", Kind.SEVERAL, Level.URGENT,
     "Several changes on one day",
     "2 changes that each need your care team within 24 hours were logged on 30 Jun (Cough, "
     "Hands or feet too sore to use or to walk on); together they need them now. "
     f"{LINE}"),
]  # fmt: skip


@pytest.mark.parametrize(("past", "treated", "item", "kind", "level", "title", "text"), WORDS,
                         ids=[w[0] for w in WORDS])  # fmt: skip
def test_what_each_signal_says(
    past: str, treated: bool, item: str, kind: Kind, level: Level, title: str, text: str
) -> None:
    found = [
        s
        for s in evaluate(history(past), CAT, on_chemotherapy=treated)
        if s.day == DAY and s.item_id == item
    ]
    assert [(s.kind, s.level, s.title, s.text) for s in found] == [(kind, level, title, text)]


def test_several_carries_every_entry_and_who_entered_them() -> None:
    cough, hands = entry("cough", 5), entry("hand_foot_severe", 1, caregiver=True)
    found = evaluate([*history("bg"), cough, hands], CAT)
    [several] = [s for s in found if s.kind is Kind.SEVERAL]
    assert several.entry_ids == tuple(sorted((cough.id, hands.id)))
    assert several.by_caregiver and several.day == DAY
    # Next-visit and information signals never add up to urgent.
    calm = evaluate([*history("bg, cough 3, bone_pain 7@-1"), entry("bone_pain", 8)], CAT)
    assert not [s for s in calm if s.kind is Kind.SEVERAL]


def test_each_part_of_several_says_it_needs_the_team_now_together() -> None:
    found = evaluate([*history("bg"), entry("cough", 5), entry("hand_foot_severe", 1)], CAT)
    parts = [s for s in found if s.level is Level.WITHIN_24H]
    assert len(parts) == 2 and all(s.text.endswith(TOGETHER) for s in parts)
    alone = evaluate([*history("bg"), entry("cough", 5)], CAT)
    assert not any(TOGETHER in s.text for s in alone)  # one within 24 h is not urgent


def test_the_emergency_number_is_shown_when_the_words_say_to_call_it() -> None:
    [seizure] = evaluate([entry("seizure", 1)], CAT)
    [chest] = [s for s in evaluate([*history("bg"), entry("chest_pain", 9)], CAT)]
    [breath] = evaluate([entry("shortness_of_breath", 8)], CAT)
    assert needs_emergency_number(seizure) and needs_emergency_number(chest)
    assert not needs_emergency_number(breath)  # urgent: the 24-hour line


def test_an_agreed_level_can_quiet_only_a_rating_that_is_not_always_a_warning() -> None:
    items = {i.id: i for i in CAT.items}
    assert can_be_quieted(items["fatigue"]) and can_be_quieted(items["leg_numbness_weakness"])
    assert not can_be_quieted(items["seizure"])  # an event
    assert not can_be_quieted(items["temperature"])  # a measurement
    always = dataclasses.replace(items["fatigue"], red_flag=True)
    assert not can_be_quieted(always)


def test_no_treatment_given_means_no_fever_rule() -> None:
    assert evaluate([entry("temperature", 39.5)], CAT) == []  # on_chemotherapy defaults off


def test_the_vomiting_that_makes_a_headache_urgent_must_be_above_0() -> None:
    quiet = history("headache 2@-7..-1, headache 4, vomiting 0")
    [signal] = [s for s in evaluate(quiet, CAT) if s.item_id == "headache"]
    assert signal.level is Level.NEXT_VISIT and "vomiting" not in signal.text


def test_items_the_catalogue_does_not_know_are_left_alone() -> None:
    stray = dataclasses.replace(entry("cough", 9), item_id="custom_gone")
    assert evaluate([*history("bg"), stray], CAT) == []
    assert evaluate([], CAT) == []


LIMITS = [
    ("fever_celsius", 36.0, 41.0, 0.1),
    ("severe_rating", 1, 10, 1),
    ("worsening_points", 1, 10, 1),
    ("baseline_days", 1, 60, 1),
    ("new_problem_days", 1, 365, 1),
    ("breathless_rating", 1, 10, 1),
    ("low_celsius", 34.0, 37.0, 0.1),
    ("weeks_after_treatment", 0, 52, 1),
]


@pytest.mark.parametrize(("name", "low", "high", "step"), LIMITS, ids=[x[0] for x in LIMITS])
def test_each_threshold_has_its_limits(name: str, low: float, high: float, step: float) -> None:
    other = {"low_celsius": 34.0} if name == "fever_celsius" else {}  # low stays below fever
    for good in (low, high):
        assert getattr(Thresholds(**{name: good, **other}).validated(), name) == good
    for bad in (round(low - step, 1), round(high + step, 1)):
        with pytest.raises(ValidationError):
            Thresholds(**{name: bad, **other}).validated()


def test_the_low_temperature_stays_below_the_fever_one() -> None:
    with pytest.raises(ValidationError, match="below the fever threshold"):
        Thresholds(fever_celsius=36.5, low_celsius=36.5).validated()
    assert Thresholds(fever_celsius=36.5, low_celsius=36.4).validated().low_celsius == 36.4


def test_thresholds_survive_settings_exactly() -> None:
    t = Thresholds(fever_celsius=37.5, low_celsius=35.5, worsening_points=3,
                   weeks_after_treatment=8)  # fmt: skip
    stored = t.to_dict()
    assert set(stored) == {f.name for f in dataclasses.fields(Thresholds)}
    again = Thresholds.from_dict({**stored, "from_a_newer_app": 1})
    assert again == t
    assert isinstance(again.fever_celsius, float) and isinstance(again.low_celsius, float)
    assert isinstance(Thresholds.from_dict({"severe_rating": 7.0}).severe_rating, int)
    assert Thresholds.from_dict({}) == Thresholds()


def test_the_week_of_quiet_is_six_days() -> None:
    """Severe 7 six days ago quiets today's 7; seven days ago it does not."""
    for days_ago, said in ((6, False), (7, True)):
        found = [
            s
            for s in evaluate(history(f"bone_pain 7@-{days_ago}, bone_pain 7"), CAT)
            if s.day == DAY
        ]
        assert bool(found) is said, days_ago


def test_a_rating_given_on_two_separate_days_is_not_severe_yesterday() -> None:
    entries = history("bone_pain 7@-3, bone_pain 1@-2, bone_pain 8")
    [signal] = [s for s in evaluate(entries, CAT) if s.day == DAY]
    assert signal.kind is Kind.WORSENING  # severe again, not "still severe"
    assert dt.date(2026, 6, 30) == DAY


MESSAGES = {
    "fever_celsius": "The fever threshold must be 36.0–41.0 °C.",
    "severe_rating": "The 'severe' rating must be 1–10.",
    "worsening_points": "The worsening step must be 1–10 points.",
    "baseline_days": "The baseline must cover 1–60 days.",
    "new_problem_days": "'New' must look back 1–365 days.",
    "breathless_rating": "The breathlessness rating must be 1–10.",
    "low_celsius": "The low temperature must be 34.0–37.0 °C.",
    "weeks_after_treatment": "The weeks after treatment must be 0–52.",
}


@pytest.mark.parametrize(("name", "low", "high", "step"), LIMITS, ids=[x[0] for x in LIMITS])
def test_each_threshold_says_its_own_limits(
    name: str, low: float, high: float, step: float
) -> None:
    other = {"low_celsius": 34.0} if name == "fever_celsius" else {}
    with pytest.raises(ValidationError) as caught:
        Thresholds(**{name: round(high + step, 1), **other}).validated()
    assert str(caught.value) == MESSAGES[name]


def test_signals_are_only_for_the_days_asked_and_earlier_days_are_history() -> None:
    entries = history("bg, seizure 1@-3, seizure 1")
    days = {s.day for s in evaluate(entries, CAT, date_from=DAY, date_to=DAY)}
    assert days == {DAY}
    earlier = DAY - dt.timedelta(days=3)
    only = evaluate(entries, CAT, date_from=earlier, date_to=earlier)
    assert [s.day for s in only] == [earlier]


def test_a_new_rating_of_1_is_told_without_an_agreed_level() -> None:
    [signal] = [s for s in evaluate(history("bg, cough 1"), CAT) if s.day == DAY]
    assert signal.level is Level.NEXT_VISIT


def test_an_event_has_no_average_to_worsen_from() -> None:
    """Events are counted, not rated: two falls after a week of one a day are not 'worse'."""
    found = [s for s in evaluate(history("bg, fall 1@-7..-1, fall 3"), CAT) if s.day == DAY]
    assert not [s for s in found if s.kind is Kind.WORSENING]


def test_a_low_reading_is_named_even_when_the_day_also_had_a_normal_one() -> None:
    [signal] = [
        s
        for s in evaluate(history("temperature 36.8, temperature 35.6"), CAT, on_chemotherapy=True)
    ]
    assert signal.title == "Low temperature on treatment" and "35.6 °C" in signal.text


def test_treatment_is_asked_about_the_day_of_the_reading() -> None:
    asked: list[dt.date] = []
    evaluate(
        [entry("temperature", 38.4, 2)], CAT, on_chemotherapy=lambda d: asked.append(d) or True
    )
    assert asked == [DAY - dt.timedelta(days=2)]


def _timed(value: float, days_ago: int, at: dt.time | None) -> object:
    n = 10_000 + len(_made)
    _made.append(n)
    when = dt.datetime(2026, 6, 30)
    day = DAY - dt.timedelta(days=days_ago)
    from mbc_journal.model import Entry, Person

    return Entry(n, f"t{n}", "vomiting_episodes", day, at, value, None, "", Person(""), when, when)


_made: list[int] = []


@pytest.mark.parametrize(
    ("yesterday_at", "level"),
    [(dt.time(12, 0), Level.WITHIN_24H), (dt.time(12, 1), Level.URGENT)],
)
def test_24_hours_means_24_hours(yesterday_at: dt.time, level: Level) -> None:
    """Four yesterday at 12:00 and two today at 12:00 are 24 hours apart: not in one
    window (two: within 24 h); from 12:01 yesterday they are (six: urgent)."""
    entries = [_timed(4, 1, yesterday_at), _timed(2, 0, dt.time(12, 0))]
    today = [s.level for s in evaluate(entries, CAT) if s.day == DAY]  # type: ignore[arg-type]
    assert today == [level]


def test_an_untimed_episode_counts_at_midday() -> None:
    entries = [_timed(4, 1, dt.time(12, 30)), _timed(2, 0, None)]  # today's at 12:00
    assert [s.level for s in evaluate(entries, CAT) if s.day == DAY] == [Level.URGENT]  # type: ignore[arg-type]
    later = [_timed(4, 1, dt.time(11, 30)), _timed(2, 0, None)]
    assert [s.level for s in evaluate(later, CAT) if s.day == DAY] == [Level.WITHIN_24H]  # type: ignore[arg-type]


def test_every_window_is_counted_not_only_the_first() -> None:
    spread = [_timed(1, 0, dt.time(h)) for h in (1, 5, 9, 13, 17, 21)]  # six in one day
    assert [s.level for s in evaluate(spread, CAT)] == [Level.URGENT]  # type: ignore[arg-type]
    days = [_timed(3, d, dt.time(9)) for d in (3, 2, 1, 0)]  # three a day, 24 h apart
    assert {s.level for s in evaluate(days, CAT)} == {Level.WITHIN_24H}  # type: ignore[arg-type]


def test_several_is_judged_day_by_day() -> None:
    """A day with one 'within 24 hours' before a day with two: only the second is urgent."""
    entries = history("bg, hand_foot_severe 1@-1, cough 5, pain_worse_lying 1")
    several = [s.day for s in evaluate(entries, CAT) if s.kind is Kind.SEVERAL]
    assert several == [DAY]


def test_back_where_it_was_after_a_break_even_from_the_first_entry() -> None:
    """Found by mutation testing: the earlier value at the journal's very first entry,
    and an earlier value of 1 (mild), must also count as 'there before the break'."""
    assert not evaluate(history("cough 1@-60, cough 1"), CAT)
    assert not evaluate(history("cough 4@-60, cough 4"), CAT)
    [new] = evaluate(history("cough 0@-60, cough 4"), CAT)  # 0 before: new
    assert new.kind is Kind.NEW_PROBLEM
