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
