"""A model-based run over the check-in: random edits, readings added, saves, person and
day changes; after every save the journal holds exactly what the form and the test's
own record say (nothing lost, nothing extra, nobody's entry over another's).

MBC_MODEL_STEPS=1500 makes a longer run (passed 2026-12-01 with PySide6 6.11.3)."""

from __future__ import annotations

import datetime as dt
import os
import random
from collections import Counter

import pytest
from PySide6.QtWidgets import QMessageBox

from mbc_journal.model import ItemKind, Person, Role
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.widgets.entry_inputs import EventInput, MeasurementInput
from mbc_journal.ui.widgets.rating import RatingInput

Reading = tuple[str, tuple[str, str], float]  # item, who (Person.key), value


def form_ratings(window: MainWindow) -> dict[str, float]:
    out: dict[str, float] = {}
    for item_id, rows in window.checkin._rows.items():
        widget = rows[0].input
        if isinstance(widget, RatingInput) and widget.value() is not None:
            out[item_id] = float(widget.value())  # type: ignore[arg-type]
    return out


def stored_ratings(window: MainWindow, day: dt.date, person: Person) -> dict[str, float]:
    catalogue = window.journal.catalogue
    return {
        e.item_id: e.value
        for e in window.journal.entries_on(day)
        if catalogue.item(e.item_id).kind is ItemKind.RATING and e.person.key == person.key
    }


def stored_readings(window: MainWindow, day: dt.date) -> Counter[Reading]:
    catalogue = window.journal.catalogue
    return Counter(
        (e.item_id, e.person.key, round(e.value, 1))
        for e in window.journal.entries_on(day)
        if catalogue.item(e.item_id).kind is not ItemKind.RATING
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_checkins_lose_nothing(
    window: MainWindow, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    screen = window.checkin
    screen.add_caregiver("Sam")
    people = [screen.person.itemData(i) for i in range(2)]
    assert [p.role for p in people] == [Role.PATIENT, Role.CAREGIVER]
    ratings = [i for i, rows in screen._rows.items() if isinstance(rows[0].input, RatingInput)]
    events = [i for i, rows in screen._rows.items() if isinstance(rows[0].input, EventInput)]
    days = [dt.date.today() - dt.timedelta(days=n) for n in range(4)]
    expected: dict[dt.date, Counter[Reading]] = {d: Counter() for d in days}
    pending: Counter[tuple[str, float]] = Counter()  # added or typed, not saved yet

    def typed() -> Counter[tuple[str, float]]:
        """What the reading rows hold but was not added: saved too by a save."""
        out: Counter[tuple[str, float]] = Counter()
        for item_id, rows in screen._rows.items():
            widget = rows[0].input
            if isinstance(widget, EventInput) and widget.value() is not None:
                out[(item_id, float(widget.value()))] += 1  # type: ignore[arg-type]
            elif isinstance(widget, MeasurementInput) and widget.value() is not None:
                out[(item_id, round(float(widget.number.text()), 1))] += 1
        return out

    def saved_now() -> None:
        who = screen.current_person().key
        for (item_id, value), n in (pending + typed()).items():
            expected[screen.day()][(item_id, who, value)] += n
        pending.clear()

    def check(day: dt.date) -> None:
        assert stored_readings(window, day) == expected[day]

    for _step in range(int(os.environ.get("MBC_MODEL_STEPS", "150"))):
        action = rng.random()
        if action < 0.4:
            item_id = rng.choice(ratings)
            screen.row(item_id).input.set_value(rng.choice([None, *range(11)]))
        elif action < 0.5:
            item_id = rng.choice(events)
            event = screen.row(item_id).input
            assert isinstance(event, EventInput)
            event.happened.setChecked(not event.happened.isChecked())
            if event.happened.isChecked() and rng.random() < 0.5:
                row = screen.row(item_id)
                assert screen.add_reading(row)
                pending[(item_id, 1.0)] += 1
        elif action < 0.62:
            temp = screen.row("temperature").input
            assert isinstance(temp, MeasurementInput)
            text = rng.choice(["", "36.8", "37.5", "38.1"])
            temp.number.setText(text)
            if text and rng.random() < 0.6:
                assert screen.add_reading(screen.row("temperature"))
                pending[("temperature", float(text))] += 1
        elif action < 0.67 and screen.pending_readings():
            item_id = screen.pending_readings()[0].item_id
            value = round(screen._pending[item_id][0].value.number, 1)
            screen.remove_pending(item_id, 0)
            pending[(item_id, value)] -= 1
            pending += Counter()  # drop zero counts
        elif action < 0.72:
            screen.fill_same_as_yesterday()
        elif action < 0.85:
            shown = form_ratings(window)
            saved_now()
            assert screen.save()
            assert stored_ratings(window, screen.day(), screen.current_person()) == shown
            check(screen.day())
            assert typed() == Counter() and not screen.pending_readings()
        elif action < 0.9 and not screen.dirty:
            index = rng.randrange(2)
            screen.person.setCurrentIndex(index)
            screen.person.activated.emit(index)
            assert form_ratings(window) == stored_ratings(window, screen.day(), people[index])
        else:
            answer = rng.choice(
                [QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard]
            )
            monkeypatch.setattr(screen, "ask_unsaved", lambda a=answer: a)
            before_day, before_form = screen.day(), form_ratings(window)
            was_dirty = screen.dirty
            if was_dirty and answer == QMessageBox.StandardButton.Save:
                saved_now()
            else:
                pending.clear()
            target = rng.choice([d for d in days if d != before_day])
            screen.set_day(target)
            assert screen.day() == target
            person = screen.current_person()
            if was_dirty and answer == QMessageBox.StandardButton.Save:
                assert stored_ratings(window, before_day, person) == before_form
            check(before_day)
            # Saved or discarded, the form now shows what is stored for the new day.
            assert form_ratings(window) == stored_ratings(window, target, person)
            assert typed() == Counter() and not screen.pending_readings()
            assert not screen.dirty
    saved_now()
    assert screen.save()
    for day in days:
        check(day)
    assert window.journal.check().ok
