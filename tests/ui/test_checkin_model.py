"""A model-based run over the check-in: random edits, saves and day changes; after
every save the journal holds exactly what the form shows (nothing lost, nothing extra).

MBC_MODEL_STEPS=1500 makes a longer run (passed 2026-12-01 with PySide6 6.11.3)."""

from __future__ import annotations

import datetime as dt
import os
import random

import pytest
from PySide6.QtWidgets import QMessageBox

from mbc_journal.model import ItemKind
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.widgets.entry_inputs import EventInput, MeasurementInput
from mbc_journal.ui.widgets.rating import RatingInput


def form_values(window: MainWindow) -> dict[str, float]:
    screen = window.checkin
    out: dict[str, float] = {}
    for item_id, rows in screen._rows.items():
        widget = rows[0].input
        if isinstance(widget, RatingInput | EventInput):
            value = widget.value()
            if value is not None:
                out[item_id] = float(value)
        elif isinstance(widget, MeasurementInput) and widget.value() is not None:
            out[item_id] = round(float(widget.number.text()), 1)
    return out


def stored_values(window: MainWindow, day: dt.date) -> dict[str, float]:
    values: dict[str, float] = {}
    for e in window.journal.entries_on(day):
        item = window.journal.catalogue.item(e.item_id)
        values[e.item_id] = round(e.value, 1) if item.kind is ItemKind.MEASUREMENT else e.value
    return values


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_checkins_lose_nothing(
    window: MainWindow, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    screen = window.checkin
    ratings = [i for i, rows in screen._rows.items() if isinstance(rows[0].input, RatingInput)]
    events = [i for i, rows in screen._rows.items() if isinstance(rows[0].input, EventInput)]
    days = [dt.date.today() - dt.timedelta(days=n) for n in range(4)]
    for _step in range(int(os.environ.get("MBC_MODEL_STEPS", "150"))):
        action = rng.random()
        if action < 0.5:
            item_id = rng.choice(ratings)
            screen.row(item_id).input.set_value(rng.choice([None, *range(11)]))
        elif action < 0.6:
            item_id = rng.choice(events)
            event = screen.row(item_id).input
            assert isinstance(event, EventInput)
            event.happened.setChecked(not event.happened.isChecked())
        elif action < 0.7:
            temp = screen.row("temperature").input
            assert isinstance(temp, MeasurementInput)
            temp.number.setText(rng.choice(["", "36.8", "37.5", "38.1"]))
        elif action < 0.8:
            screen.fill_same_as_yesterday()
        elif action < 0.9:
            assert screen.save()
            assert stored_values(window, screen.day()) == form_values(window)
        else:
            answer = rng.choice(
                [QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard]
            )
            monkeypatch.setattr(screen, "ask_unsaved", lambda a=answer: a)
            before_day, before_form = screen.day(), form_values(window)
            was_dirty = screen.dirty
            target = rng.choice([d for d in days if d != before_day])
            screen.set_day(target)
            assert screen.day() == target
            if was_dirty and answer == QMessageBox.StandardButton.Save:
                assert stored_values(window, before_day) == before_form
            # Saved or discarded, the form now shows what is stored for the new day.
            assert form_values(window) == stored_values(window, target)
            assert not screen.dirty
    assert screen.save()
    assert stored_values(window, screen.day()) == form_values(window)
    assert window.journal.check().ok
