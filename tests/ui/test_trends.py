"""The Trends screen on real widgets and real journals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from mbc_journal import demo
from mbc_journal.journal import Journal
from mbc_journal.ui.main_window import MainWindow
from mbc_journal.ui.trends import TrendsScreen


@pytest.fixture
def trends(qtbot: QtBot, journal: Journal) -> TrendsScreen:
    screen = TrendsScreen(journal)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    return screen


def test_empty_journal_shows_a_friendly_empty_state(trends: TrendsScreen) -> None:
    assert trends.view.currentWidget() is trends.empty
    assert "Nothing logged" in trends.empty.text()
    assert not trends.save_chart("/tmp/never.png")


def test_one_entry_journal_draws(trends: TrendsScreen, journal: Journal) -> None:
    journal.add_entry(journal.draft("headache", 4))
    trends.set_site("brain")
    trends.mark_stale()  # as the main window does after a check-in
    assert trends.view.currentWidget() is trends.canvas
    assert trends.figure is not None


def test_range_switch_and_item_selection(trends: TrendsScreen, journal: Journal) -> None:
    story = demo.generate(journal, days=200)
    trends.set_site("bone")
    assert trends.period() == (dt.date.today() - dt.timedelta(days=89), dt.date.today())
    trends.set_range("7 days")
    assert trends.period()[0] == dt.date.today() - dt.timedelta(days=6)
    trends.set_range("All")
    assert trends.period()[0] == story.start
    trends.only_items({"bone_pain"})
    assert [i.id for i in trends.chosen_items()] == ["bone_pain"]
    labels = [line.get_label() for line in trends.figure.axes[0].get_lines()]
    assert "Bone pain" in labels and "Harder to move around" not in labels
    trends.set_range("Custom")
    assert trends.custom_from.isVisible()


def test_hover_describes_the_day_with_notes(trends: TrendsScreen, journal: Journal) -> None:
    journal.add_entry(journal.draft("headache", 6, note="after the scan"))
    trends.set_site("brain")
    text = trends.describe_day(dt.date.today())
    assert "Headache 6 (moderate)" in text and "after the scan" in text
    assert "nothing logged" in trends.describe_day(dt.date.today() - dt.timedelta(days=3))


def test_save_chart(trends: TrendsScreen, journal: Journal, tmp_path: Path) -> None:
    journal.add_entry(journal.draft("cough", 3))
    trends.set_site("lungs")
    assert trends.save_chart(str(tmp_path / "lungs"))
    assert (tmp_path / "lungs.png").stat().st_size > 1000


@pytest.mark.slow
def test_twenty_year_journal(qtbot: QtBot, tmp_path: Path) -> None:
    with Journal.open(tmp_path / "big.sqlite3") as journal:
        demo.generate(journal, days=20 * 365)
        screen = TrendsScreen(journal)
        qtbot.addWidget(screen)
        screen.show()
        screen.set_site("bone")
        screen.set_range("All")
        # Twenty years are drawn by four weeks: an average line, its days' range shaded.
        line = screen.figure.axes[0].get_lines()[0]
        first, last = screen.period()
        assert len(line.get_xdata()) == -(-((last - first).days + 1) // 28)
        caption = screen.figure.legends[0].get_title().get_text()
        assert "average of the days logged in 4 weeks" in caption


def test_trends_redraw_after_a_checkin(window: MainWindow) -> None:
    window.show_screen("Trends")
    window.trends.set_site("lungs")
    assert window.trends.view.currentWidget() is window.trends.empty
    window.checkin.row("cough").input.set_value(4)
    assert window.checkin.save()
    window.show_screen("Trends")
    assert window.trends.figure is not None


def test_the_chart_shows_a_caregivers_rating_beside_and_every_temperature(
    trends: TrendsScreen, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: drawn from item_days, the one definition of a day's value — the
    patient's own 5 as the line with Sam's 8 ringed beside it, and three temperatures
    as a bar from the lowest to the highest with the line through the highest."""
    import math

    import numpy as np
    from matplotlib.collections import LineCollection

    from mbc_journal.model import Person, Role

    today = dt.date.today()
    sam = Person("Sam", Role.CAREGIVER)
    journal.save_checkin(today, {"fatigue": journal.draft("fatigue", 5)})
    journal.save_checkin(today, {"fatigue": journal.draft("fatigue", 8)}, person=sam)
    journal.save_checkin(
        today,
        {},
        readings=[
            journal.draft("temperature", 37.2, time=dt.time(7, 10)),
            journal.draft("temperature", 38.9, time=dt.time(18, 5)),
        ],
    )
    journal.save_checkin(
        today, {}, person=sam, readings=[journal.draft("temperature", 38.4, time=dt.time(12, 30))]
    )
    asked: list[list[str]] = []
    item_days = journal.item_days

    def spy(date_from, date_to, item_ids=None):  # type: ignore[no-untyped-def]
        asked.append(list(item_ids or []))
        return item_days(date_from, date_to, item_ids)

    monkeypatch.setattr(journal, "item_days", spy)

    # Ratings: the patient's 5 is the line; Sam's 8 a hollow ring on the same day.
    trends.set_site("general")
    trends.only_items({"fatigue"})
    assert asked[-1] == ["fatigue"]
    days = trends._data.series["fatigue"]
    assert days.values == [5] and days.others == [8]
    ax = trends.figure.axes[0]
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "Tiredness (fatigue)")
    ydata = np.asarray(line.get_ydata(), dtype=float)
    assert 5 in ydata[~np.isnan(ydata)] and 8 not in ydata
    x_today = np.asarray(line.get_xdata())[~np.isnan(ydata)][0]
    rings = [
        ln
        for ln in ax.get_lines()
        if ln.get_markerfacecolor() == "none" and ln.get_linestyle() == "None"
    ]
    assert any(list(ln.get_ydata()) == [8] and list(ln.get_xdata()) == [x_today] for ln in rings), (
        "the caregiver's 8 is ringed beside the patient's 5"
    )
    assert "5 (moderate)" in trends.describe_day(today)
    assert "8 (severe) (by Sam)" in trends.describe_day(today)

    # Temperature: the highest of the three readings is the day's point, with a bar
    # down to the lowest; the hover lists all three with their times.
    trends.set_site("measurements")
    trends.only_items({"temperature"})
    assert asked[-1] == ["temperature"]
    temps = trends._data.series["temperature"]
    assert temps.values == [38.9] and temps.lows == [37.2] and math.isnan(temps.others[0])
    ax = trends.figure.axes[0]
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "Temperature")
    assert list(line.get_ydata()) == [38.9]
    [bar] = [c for c in ax.collections if isinstance(c, LineCollection) and c.get_segments()]
    [segment] = bar.get_segments()
    assert sorted(segment[:, 1]) == [37.2, 38.9]
    text = trends.describe_day(today)
    for reading in ("37.2 °C at 07:10", "38.4 °C at 12:30 (by Sam)", "38.9 °C at 18:05"):
        assert reading in text
