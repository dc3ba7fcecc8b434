"""Safety rules, table-driven: what must fire, and near misses that must not."""

from __future__ import annotations

import datetime as dt
import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from mbc_journal import catalogue
from mbc_journal.model import Entry, EntryFilter, Person, Role
from mbc_journal.signals import ItemDays, SafetySignal, Thresholds, evaluate

CAT = catalogue.load()
DAY = dt.date(2026, 6, 30)
_ids = itertools.count(1)


def e(item: str, value: float, days_ago: int = 0, caregiver: bool = False) -> Entry:
    when = dt.datetime(2026, 6, 30)
    person = Person("Sam", Role.CAREGIVER) if caregiver else Person("")
    n = next(_ids)
    return Entry(
        n,
        f"u{n}",
        item,
        DAY - dt.timedelta(days=days_ago),
        None,
        float(value),
        None,
        "",
        person,
        when,
        when,
    )


def background(days: int = 35) -> list[Entry]:
    """Something logged every day before, so 'new' can be judged."""
    return [e("fatigue", 3, d) for d in range(1, days + 1)]


def on_day(signals: list[SafetySignal], item: str) -> list[SafetySignal]:
    return [s for s in signals if s.item_id == item and s.day == DAY]


# The table of cases is the oracle in docs/safety-signals.md (test_signal_oracle.py).


def test_wording_never_diagnoses() -> None:
    entries = [
        *background(),
        *(
            e(i.id, 8 if i.kind.value == "rating" else 1)
            for i in CAT.items
            if i.kind.value != "measurement"
        ),
        e("temperature", 39),
    ]
    for signal in evaluate(entries, CAT, on_chemotherapy=True):
        lowered = signal.text.lower()
        assert "you have" not in lowered and "diagnos" not in lowered
        assert signal.level.advice in signal.text  # says how soon, in the level's words


def test_thresholds_from_settings_change_the_rules() -> None:
    strict = Thresholds(fever_celsius=37.5)
    assert on_day(
        evaluate([e("temperature", 37.6)], CAT, strict, on_chemotherapy=True), "temperature"
    )
    assert not on_day(evaluate([e("temperature", 37.6)], CAT, on_chemotherapy=True), "temperature")


def test_caregiver_flag_is_carried() -> None:
    [signal] = evaluate([e("seizure", 1, caregiver=True)], CAT)
    assert signal.by_caregiver


def test_deleted_entries_raise_nothing() -> None:
    entry = e("seizure", 1)
    deleted = Entry(**{**entry.__dict__, "deleted_at": dt.datetime(2026, 6, 30)})
    assert evaluate([deleted], CAT) == []


ITEMS = [i.id for i in CAT.items if i.kind.value != "measurement"] + ["temperature"]


@st.composite
def journals(draw: st.DrawFn) -> list[Entry]:
    n = draw(st.integers(0, 40))
    out = []
    for _ in range(n):
        item = draw(st.sampled_from(ITEMS))
        value = draw(st.floats(36, 40)) if item == "temperature" else draw(st.integers(0, 10))
        if CAT.item(item).kind.value == "event":
            value = draw(st.integers(1, 3))
        out.append(e(item, value, draw(st.integers(1, 60))))
    return out


@settings(max_examples=150, deadline=None)
@given(journals(), st.sampled_from(ITEMS), st.integers(0, 10), st.booleans())
def test_adding_an_entry_never_removes_an_earlier_urgent_signal(
    earlier: list[Entry], item: str, value: int, chemo: bool
) -> None:
    before = {s.key for s in evaluate(earlier, CAT, on_chemotherapy=chemo) if s.level.is_urgent}
    number: float = value
    if item == "temperature":
        number = 38.5
    elif CAT.item(item).kind.value == "event":
        number = max(1, value)
    after = {
        s.key
        for s in evaluate([*earlier, e(item, number, 0)], CAT, on_chemotherapy=chemo)
        if s.level.is_urgent
    }
    assert before <= after


def test_the_demo_red_flag_day_fires(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mbc_journal import demo
    from mbc_journal.journal import Journal

    with Journal.open(tmp_path / "d.sqlite3") as journal:
        story = demo.generate(journal, days=120)
        journal.set_on_chemotherapy(True)
        urgent = [s for s in journal.signals() if s.level.is_urgent]
        assert {(s.day, s.item_id) for s in urgent} >= {
            (story.red_flag_day, "temperature"),
            (story.red_flag_day, "back_pain"),
        }


@settings(max_examples=40, deadline=None)
@given(journals(), st.booleans(), st.integers(0, 3))
def test_the_journal_gives_the_signals_of_its_entries(
    entries: list[Entry], chemo: bool, deleted: int
) -> None:
    """The journal loads entries as per-item columns in SQL; the rules must say
    exactly what they say of the same entries one by one."""
    import tempfile
    from pathlib import Path

    from mbc_journal.journal import Journal
    from mbc_journal.model import EntryDraft, Value

    with tempfile.TemporaryDirectory() as folder, Journal.open(Path(folder, "j.sqlite3")) as j:
        j.set_on_chemotherapy(chemo)
        rows = [(x.local_date, EntryDraft(x.item_id, Value(x.value)), x.person) for x in entries]
        j.bulk_add(rows)
        stored = j.entries()
        for gone in stored[:deleted]:
            j.delete_entry(gone.id)
        live = j.entries(EntryFilter(include_deleted=True))
        expected = evaluate(live, CAT, on_chemotherapy=chemo, date_from=DAY - dt.timedelta(30))
        assert j.signals(DAY - dt.timedelta(30), None) == expected


def test_a_rating_day_is_the_patients_own_with_the_caregivers_beside_it() -> None:
    days = ItemDays.from_entries([12, 10, 12, 11], [5.0, 1.0, 7.0, 2.0], ["4", "1", "9", "2"],
                                 [False, False, True, False])  # fmt: skip
    assert days.ordinals == [10, 11, 12] and days.ids == ["1", "2", "4,9"]
    assert days.values == [1.0, 2.0, 5.0]  # the patient's 5, not the caregiver's 7
    assert days.others[2] == 7.0 and math.isnan(days.others[0])
    assert days.caregiver == [False, False, False]
    low, high = e("temperature", 37.0), e("temperature", 38.5)
    [signal] = evaluate([high, low], CAT, on_chemotherapy=True)
    assert "38.5 °C" in signal.text and signal.entry_ids == tuple(sorted((low.id, high.id)))


def test_values_reach_the_rules_exactly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Values cross SQL as text on the way to the rules: every digit must survive."""
    import sqlite3

    from mbc_journal.journal import Journal

    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as journal:
        journal.add_entry(journal.draft("temperature", 37.5))
    exact = (100.0 - 32) * 5 / 9  # 37.77777777777778: 16 significant digits
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE entries SET value = ?", (exact,))
    raw.close()
    with Journal.open(path) as journal:
        (days,) = journal.item_days().values()
        assert days.values == [exact]
