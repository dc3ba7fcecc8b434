"""The rules run exactly the table of cases in docs/safety-signals.md (the oracle,
written from the sources), plus the properties a table cannot show."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from mbc_journal import catalogue
from mbc_journal.model import Entry, Person, Role
from mbc_journal.signals import Kind, Level, Thresholds, evaluate

CAT = catalogue.load()
DAY = dt.date(2026, 6, 30)
DOC = Path(__file__).parents[2] / "docs" / "safety-signals.md"
LEVELS = {
    "emergency": Level.EMERGENCY,
    "urgent": Level.URGENT,
    "within 24 h": Level.WITHIN_24H,
    "next visit": Level.NEXT_VISIT,
    "information": Level.INFO,
    "none": None,
}
_ids = itertools.count(1)


def entry(item: str, value: float, days_ago: int = 0, caregiver: bool = False) -> Entry:
    n = next(_ids)
    person = Person("Sam", Role.CAREGIVER) if caregiver else Person("")
    when = dt.datetime(2026, 6, 30)
    day = DAY - dt.timedelta(days=days_ago)
    return Entry(n, f"u{n}", item, day, None, float(value), None, "", person, when, when)


def history(text: str) -> list[Entry]:
    """``bg, cough 3@-31, seizure 1/c, bone_pain 3@-7..-1`` as entries."""
    out: list[Entry] = []
    for part in (p.strip() for p in text.split(",")):
        if part == "bg":
            out += [entry("fatigue", 3, d) for d in range(1, 36)]
            continue
        match = re.fullmatch(r"(\w+) ([\d.]+)(?:@(-?\d+)(?:\.\.(-?\d+))?)?(/c)?", part)
        assert match, f"cannot read {part!r} in the oracle table"
        item, value, first, last, caregiver = match.groups()
        assert CAT.has_item(item), f"the oracle names an unknown item {item!r}"
        start = int(first or 0)
        for day in range(start, int(last if last is not None else start) + 1):
            out.append(entry(item, float(value), -day, caregiver=bool(caregiver)))
    return out


def oracle() -> list[tuple[str, str, bool, str, Level | None]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- oracle:start -->")[1].split("<!-- oracle:end -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        name, past, treated, item, level = (c.strip() for c in line.strip("|").split("|"))
        assert treated in ("yes", "no") and level in LEVELS, line
        rows.append((name, past, treated == "yes", item, LEVELS[level]))
    return rows


CASES = oracle()


def test_the_oracle_covers_every_level_and_has_boundaries() -> None:
    assert len(CASES) >= 60
    assert {level for *_, level in CASES} == set(LEVELS.values()) - {Level.INFO}
    names = " ".join(name for name, *_ in CASES)
    for boundary in ("exactly 38.0", "37.9", "exactly 36.0", "36.1", "vomiting 5", "vomiting 6"):
        assert boundary in names


@pytest.mark.parametrize(("name", "past", "treated", "item", "level"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_oracle(name: str, past: str, treated: bool, item: str, level: Level | None) -> None:
    found = [
        s
        for s in evaluate(history(past), CAT, on_chemotherapy=treated)
        if s.item_id == item and s.day == DAY
    ]
    assert [s.level for s in found] == ([level] if level else []), [s.title for s in found]
    for signal in found:  # every signal says how soon, in the level's own words
        assert signal.level.advice in signal.text
        assert "diagnos" not in signal.text.lower() and "you have" not in signal.text.lower()


@pytest.mark.parametrize("fever", [37.5, 38.0])
def test_the_alert_cards_fever_threshold(fever: float) -> None:
    t = Thresholds(fever_celsius=fever)
    for reading, fires in [(fever - 0.1, False), (fever, True), (fever + 0.1, True)]:
        found = evaluate([entry("temperature", reading)], CAT, t, on_chemotherapy=True)
        assert bool(found) is fires, reading
    # °F is shown beside °C, so a thermometer in either reads the message.
    [signal] = evaluate([entry("temperature", 38.5)], CAT, t, on_chemotherapy=True)
    assert "38.5 °C (101.3 °F)" in signal.text


def test_episode_boundaries_sit_exactly_on_the_triage_counts() -> None:
    for item, soon, now in [("vomiting_episodes", 2, 6), ("diarrhoea_episodes", 4, 7)]:
        for count, level in [
            (soon - 1, None), (soon, Level.WITHIN_24H), (now - 1, Level.WITHIN_24H),
            (now, Level.URGENT), (now + 1, Level.URGENT),
        ]:  # fmt: skip
            found = [s.level for s in evaluate([entry(item, count)], CAT)]
            assert found == ([level] if level else []), (item, count)


def test_a_stable_chronic_symptom_does_not_alarm_every_day() -> None:
    """Fatigue 5 ± 1 for 60 days: at most one signal a week (here: none)."""
    wobble = [5, 6, 4, 5, 6, 5, 4]
    entries = [*history("bg"), *(entry("fatigue", wobble[d % 7], d) for d in range(60))]
    found = [s for s in evaluate(entries, CAT) if s.item_id == "fatigue"]
    weeks = {s.day.isocalendar()[:2] for s in found}
    assert len(found) <= len(weeks) and len(found) <= 9


def test_an_expected_level_quiets_change_but_never_a_warning_sign() -> None:
    entries = [*history("bg"), *history("bone_pain 3@-7..-1, bone_pain 6, seizure 1")]
    loud = {s.item_id for s in evaluate(entries, CAT) if s.day == DAY}
    quiet = {s.item_id for s in evaluate(entries, CAT, expected={"bone_pain": 6, "seizure": 1})}
    assert "bone_pain" in loud and "bone_pain" not in quiet
    assert "seizure" in quiet  # a warning sign is never quieted
    above = evaluate([*entries, entry("bone_pain", 8, 0)], CAT, expected={"bone_pain": 6})
    assert any(s.item_id == "bone_pain" and s.day == DAY for s in above)


def test_several_names_what_it_combines() -> None:
    [several] = [
        s
        for s in evaluate(history("bg, cough 5, hand_foot_severe 1"), CAT)
        if s.kind is Kind.SEVERAL
    ]
    assert "cough" in several.text.lower() and "hands or feet" in several.text.lower()
    assert len(several.entry_ids) == 2


def timed(item: str, value: float, days_ago: int, at: dt.time) -> Entry:
    n = next(_ids)
    when = dt.datetime(2026, 6, 30)
    day = DAY - dt.timedelta(days=days_ago)
    return Entry(n, f"u{n}", item, day, at, float(value), None, "", Person(""), when, when)


def test_episodes_are_counted_over_any_24_hours_not_only_the_calendar_day() -> None:
    evening = [timed("vomiting_episodes", 1, 1, dt.time(h)) for h in (20, 21, 22)]
    night = [timed("vomiting_episodes", 1, 0, dt.time(h)) for h in (1, 2, 3)]
    levels = [s.level for s in evaluate([*evening, *night], CAT) if s.day == DAY]
    assert levels == [Level.URGENT]  # six in seven hours, though three a calendar day
    # A day apart they are two days of three: within 24 hours each, never urgent.
    spread = [timed("vomiting_episodes", 1, 1, dt.time(h)) for h in (1, 2, 3)] + night
    assert [s.level for s in evaluate(spread, CAT)] == [Level.WITHIN_24H, Level.WITHIN_24H]


def test_the_journal_counts_timed_episodes_over_24_hours(tmp_path: Path) -> None:
    from mbc_journal.journal import Journal

    today = dt.date.today()
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        for days_ago, hours in ((1, (19, 21, 23)), (0, (0, 2, 4))):
            for hour in hours:
                draft = journal.draft("diarrhoea_episodes", 1, time=dt.time(hour))
                journal.add_entry(draft, day=today - dt.timedelta(days=days_ago))
        found = [s for s in journal.signals(today, today) if s.item_id == "diarrhoea_episodes"]
        assert [s.level for s in found] == [Level.WITHIN_24H]  # 6 in 24 h: 4–6 is amber
        journal.add_entry(journal.draft("diarrhoea_episodes", 1, time=dt.time(5)), day=today)
        found = [s for s in journal.signals(today, today) if s.item_id == "diarrhoea_episodes"]
        assert [s.level for s in found] == [Level.URGENT]  # the 7th within 24 hours
