"""Chart building in the core (no Qt)."""

from __future__ import annotations

import datetime as dt
import math

from mbc_journal import catalogue, charts
from mbc_journal.careplan import Appointment, AppointmentKind, Treatment, TreatmentKind
from mbc_journal.model import DailyPoint

CAT = catalogue.load()
END = dt.date(2026, 6, 30)
START = END - dt.timedelta(days=29)


def points(values: dict[int, float], caregiver: set[int] = frozenset()) -> list[DailyPoint]:  # type: ignore[assignment]
    return [
        DailyPoint(START + dt.timedelta(days=d), v, v, 1, int(d in caregiver))
        for d, v in sorted(values.items())
    ]


def data(**series: list[DailyPoint]) -> charts.ChartData:
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
