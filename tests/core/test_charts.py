"""Chart building in the core (no Qt)."""

from __future__ import annotations

import datetime as dt
import math

from mbc_journal import catalogue, charts
from mbc_journal.careplan import Appointment, AppointmentKind, Treatment, TreatmentKind
from mbc_journal.journal import Journal
from mbc_journal.model import ItemDays, ItemKind

CAT = catalogue.load()
END = dt.date(2026, 6, 30)
START = END - dt.timedelta(days=29)


def days(start: dt.date, values: dict[int, float], caregiver: set[int] = frozenset()) -> ItemDays:  # type: ignore[assignment]
    ordered = sorted(values.items())
    return ItemDays(
        [(start + dt.timedelta(days=d)).toordinal() for d, _ in ordered],
        [v for _, v in ordered],
        [str(d) for d, _ in ordered],
        [d in caregiver for d, _ in ordered],
    )


def points(values: dict[int, float], caregiver: set[int] = frozenset()) -> ItemDays:  # type: ignore[assignment]
    return days(START, values, caregiver)


def data(**series: ItemDays) -> charts.ChartData:
    items = [CAT.item(i) for i in series]
    return charts.ChartData(
        items,
        series,
        START,
        END,
        [
            Treatment(
                1,
                TreatmentKind.CHEMOTHERAPY,
                "Chemo tablets",
                "",
                START + dt.timedelta(days=10),
                None,
            )
        ],
        [Appointment(1, START + dt.timedelta(days=20), None, "Dr Lee", AppointmentKind.FOLLOW_UP)],
    )


def test_days_not_logged_are_gaps_not_zeros() -> None:
    fig = charts.build(data(bone_pain=points({0: 3, 1: 0, 5: 6})))
    line = fig.axes[0].get_lines()[0]
    y = list(line.get_ydata())
    assert len(y) == 30
    assert y[0] == 3 and y[1] == 0 and y[5] == 6
    assert all(math.isnan(v) for v in y[2:5])


def test_series_differ_by_more_than_colour() -> None:
    fig = charts.build(data(bone_pain=points({0: 3}), fatigue=points({0: 4}), cough=points({0: 1})))
    lines = fig.axes[0].get_lines()[:3]
    assert len({line.get_marker() for line in lines}) == 3
    assert len({line.get_color() for line in lines}) == 3


def test_bands_treatments_and_appointments_are_drawn() -> None:
    fig = charts.build(data(bone_pain=points({0: 3, 15: 7})))
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"mild", "moderate", "severe"} <= texts
    assert any("Chemo tablets" in t for t in texts)
    vertical = [ln for ln in fig.axes[0].get_lines() if len(set(ln.get_xdata())) == 1]
    assert vertical  # the treatment start
    from matplotlib.collections import LineCollection

    appointments = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    assert appointments and len(appointments[0].get_segments()) == 1  # the follow-up


def test_events_and_measurements_get_their_own_panels() -> None:
    fig = charts.build(
        data(bone_pain=points({0: 3}), seizure=points({4: 1}), temperature=points({2: 38.4}))
    )
    assert len(fig.axes) == 3
    assert "°C" in fig.axes[2].get_ylabel()
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["Seizure (fit)"]


def test_caregiver_entries_are_ringed() -> None:
    fig = charts.build(data(confusion=points({0: 2, 3: 3}, caregiver={3})))
    ringed = [ln for ln in fig.axes[0].get_lines() if ln.get_markerfacecolor() == "none"]
    assert ringed and list(ringed[0].get_ydata()) == [3]
    legend = fig.legends[0]
    assert any("caregiver" in t.get_text() for t in legend.get_texts())


def test_save_png_and_svg(tmp_path) -> None:  # type: ignore[no-untyped-def]
    fig = charts.build(data(bone_pain=points({0: 3, 1: 4})))
    charts.save(fig, str(tmp_path / "c.png"))
    charts.save(fig, str(tmp_path / "c.svg"))
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "c.svg").read_bytes()[:500]


def test_a_year_is_drawn_by_week_with_the_range_of_its_days() -> None:
    from matplotlib.collections import PolyCollection

    start = END - dt.timedelta(days=364)
    week_one = {0: 2.0, 1: 6.0, 3: 4.0}  # three days logged: average 4, range 2 to 6
    week_ten = {63: 7.0}
    series = days(start, {**week_one, **week_ten})
    chart = charts.ChartData([CAT.item("bone_pain")], {"bone_pain": series}, start, END)
    fig = charts.build(chart)
    line = fig.axes[0].get_lines()[0]
    y = list(line.get_ydata())
    assert len(y) == 53  # 365 days in weeks
    assert y[0] == 4.0 and y[9] == 7.0
    assert all(math.isnan(v) for v in y[1:9])  # weeks with nothing logged stay gaps
    (shaded,) = [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]
    low, high = (
        shaded.get_paths()[0].vertices[:, 1].min(),
        shaded.get_paths()[0].vertices[:, 1].max(),
    )
    assert (low, high) == (2.0, 6.0)
    caption = fig.legends[0].get_title().get_text()
    assert caption == "Each point: the average of the days logged in a week; shaded: their range."


def test_a_fever_is_never_averaged_away() -> None:
    start = END - dt.timedelta(days=364)
    readings = [(0, 36.6), (1, 38.9), (2, 36.7)]
    series = days(start, dict(readings))
    chart = charts.ChartData([CAT.item("temperature")], {"temperature": series}, start, END)
    line = charts.build(chart).axes[0].get_lines()[0]
    assert list(line.get_ydata()) == [38.9]


def test_user_text_is_drawn_as_typed_never_as_mathtext(journal: Journal) -> None:
    """Treatment names and own items are text: ``$...$`` is no formula, ``_x`` no hidden label."""
    import io

    from matplotlib.text import Text

    dollars = journal.add_custom_item("Cost $100, copay $20", "bone")
    formula = journal.add_custom_item(r"$\alpha_$ twitch", "bone", ItemKind.EVENT)
    hidden = journal.add_custom_item("_not hidden", "bone")
    chart = charts.ChartData(
        [dollars, formula, hidden],
        {
            dollars.id: points({0: 3, 4: 5}),
            formula.id: points({2: 1}),
            hidden.id: points({1: 2}),
        },
        START,
        END,
        [Treatment(1, TreatmentKind.CHEMOTHERAPY, r"$\alpha_$", "", START, None)],
    )
    fig = charts.build(chart, title="Costs $5 & <b>")
    png = io.BytesIO()
    fig.savefig(png, format="png")  # mathtext would raise on "$\alpha_$"
    assert png.getvalue()[:4] == b"\x89PNG"
    drawn = {t.get_text(): t for t in fig.findobj(Text) if t.get_text()}
    for typed in (
        "Cost $100, copay $20",
        r"$\alpha_$ twitch",
        "▶ " + r"$\alpha_$",
        "Costs $5 & <b>",
        "_not hidden",
    ):
        assert typed in drawn, typed
        assert not drawn[typed].get_parse_math(), typed
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Cost $100, copay $20",
        "_not hidden",
        r"$\alpha_$ twitch",
    ]


def test_a_caregivers_temperature_is_ringed_and_the_legend_says_so() -> None:
    series = days(START, {3: 38.9, 4: 37.0}, caregiver={3})
    fig = charts.build(charts.ChartData([CAT.item("temperature")], {"temperature": series},
                                        START, END))  # fmt: skip
    rings = [line for line in fig.axes[0].get_lines() if line.get_markerfacecolor() == "none"]
    assert len(rings) == 1 and list(rings[0].get_ydata()) == [38.9]
    assert "ringed: entered by a caregiver" in [t.get_text() for t in fig.legends[0].get_texts()]
