from __future__ import annotations

import datetime as dt

import pytest

from mbc_journal import catalogue
from mbc_journal.errors import ValidationError
from mbc_journal.model import Band, band, check_text, parse_date, parse_time, parse_value

CAT = catalogue.load()


@pytest.mark.parametrize(
    "rating, expected",
    [
        (0, Band.NONE),
        (1, Band.MILD),
        (3, Band.MILD),
        (4, Band.MODERATE),
        (6, Band.MODERATE),
        (7, Band.SEVERE),
        (10, Band.SEVERE),
    ],
)
def test_bands_follow_the_verbal_scale(rating: int, expected: Band) -> None:
    assert band(rating) is expected


@pytest.mark.parametrize(
    "item_id, text, number, unit",
    [
        ("headache", "0", 0.0, None),
        ("headache", " 10 ", 10.0, None),
        ("seizure", "yes", 1.0, None),
        ("seizure", "3", 3.0, None),
        ("temperature", "38.2", 38.2, None),
        ("temperature", "38,2", 38.2, None),
        ("temperature", "100.4F", 38.0, "°F"),
        ("temperature", "100.4 °F", 38.0, "°F"),
        ("weight", "154 lb", 69.853, "lb"),
        ("weight", "70kg", 70.0, None),
        ("pain_relief_doses", "4", 4.0, None),
    ],
)
def test_values_are_parsed_into_canonical_units(
    item_id: str, text: str, number: float, unit: str | None
) -> None:
    value = parse_value(CAT.item(item_id), text)
    assert value.number == pytest.approx(number, abs=1e-3)
    assert value.unit == unit


@pytest.mark.parametrize(
    "item_id, text, message",
    [
        ("headache", "11", "0 \\(none\\) to 10"),
        ("headache", "-1", "0 \\(none\\) to 10"),
        ("headache", "5.5", "whole number"),
        ("headache", "bad", "not a rating"),
        ("headache", "nan", "not a rating"),
        ("seizure", "0", "from 1 to"),
        ("seizure", "no", "not a count"),
        ("temperature", "48", "plausible range"),
        ("temperature", "380", "plausible range"),
        ("temperature", "38 kg", "recorded in"),
        ("temperature", "hot", "not a number"),
        ("weight", "5 lb", "plausible range"),
        ("pain_relief_doses", "2.5", "whole number"),
    ],
)
def test_bad_values_get_one_clear_sentence(item_id: str, text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        parse_value(CAT.item(item_id), text)
    assert str(info.value).endswith(".") and "\n" not in str(info.value)


def test_format_shows_the_unit_typed() -> None:
    temp = CAT.item("temperature")
    assert temp.format_value(38.0, "°F") == "100.4 °F"
    assert temp.format_value(38.0) == "38.0 °C"
    assert CAT.item("headache").format_value(7) == "7 (severe)"
    doses = CAT.item("pain_relief_doses")
    assert (doses.format_value(1), doses.format_value(3)) == ("1 dose", "3 doses")


def test_dates() -> None:
    now = dt.date(2026, 6, 15)
    assert parse_date("2026-06-01", now=now) == dt.date(2026, 6, 1)
    assert parse_date("yesterday", now=now) == dt.date(2026, 6, 14)
    with pytest.raises(ValidationError, match="in the future"):
        parse_date("2026-06-16", now=now)
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        parse_date("15/06/2026", now=now)
    assert parse_time("7:05") == dt.time(7, 5)
    with pytest.raises(ValidationError, match="HH:MM"):
        parse_time("25:00")


def test_text_is_kept_exactly_but_bounded() -> None:
    typed = "<b>&amp; ünïcödé 😀 مرحبا 漢字\n  spaces  "
    assert check_text(typed) == typed
    with pytest.raises(ValidationError, match="limit"):
        check_text("x" * 20_001)
