"""Page 1 of the follow-up report as the clinician reads it (issue 18, second review):
warning signs in correct English, the latest results, scans and weight even when older
than the period."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from mbc_journal import report, signals
from mbc_journal.journal import Journal
from mbc_journal.model import ItemKind, Person, Role
from tests.conftest import day_offset

SPINAL_CORD = "a warning sign (possible pressure on the spinal cord)"
SPINE = "a warning sign (pain that can come from the spine)"
MEANING = {  # what page 1 says each warning sign may mean (wording: signals.RED_FLAGS)
    "sudden_breathless_chest_pain": "a warning sign (possible blood clot)",
    "leg_swollen_red_painful": "a warning sign (possible blood clot)",
    "extreme_thirst": "a warning sign (possible high calcium level)",
    **dict.fromkeys(
        ("leg_numbness_weakness", "bladder_bowel_control", "difficulty_walking",
         "saddle_numbness", "cannot_pass_urine", "back_pain"),
        SPINAL_CORD,
    ),
    "spinal_pain": SPINE,
    "pain_worse_lying": SPINE,
}  # fmt: skip


def page_one_text(journal: Journal, start: dt.date, end: dt.date | None = None) -> str:
    data = report.collect(journal, report.ReportOptions(start, end or dt.date.today()))
    return "\n".join(f"{b.lead} {b.text}".strip() for b in report.page_one(data))


@pytest.mark.parametrize("item_id", sorted(signals.RED_FLAGS))
def test_every_warning_sign_reads_correctly_on_page_one(journal: Journal, item_id: str) -> None:
    kind = journal.catalogue.item(item_id).kind
    journal.add_entry(journal.draft(item_id, 8 if kind is ItemKind.RATING else 1),
                      day=day_offset(1))  # fmt: skip
    [line] = [x for x in page_one_text(journal, day_offset(10)).splitlines() if "warning" in x]
    expected = MEANING.get(item_id, "a warning sign")
    assert f" — {expected}; not acknowledged in the app." in line, line
    assert not re.search(r"possible (a|an|the) ", line), line


def test_each_lab_tests_latest_result_is_on_page_one_dated_however_old(
    journal: Journal, tmp_path: Path
) -> None:
    """The latest CA 15-3 (high, a month before the period) reaches page 1 with its date
    and the one before it; each test is one line, however many results it has."""
    start = day_offset(29)
    for days, value in ((120, 22.0), (70, 31.0), (31, 48.0)):
        journal.add_result("CA 15-3", day_offset(days), value=value, unit="U/mL", ref_high=30.0)
    journal.add_result("calcium", day_offset(40), value=2.5, unit="mmol/L")
    journal.add_result("Calcium", day_offset(3), value=2.4, unit="mmol/L", ref_low=2.2,
                       ref_high=2.6)  # fmt: skip
    journal.add_entry(journal.draft("fatigue", 3), day=day_offset(1))
    lines = page_one_text(journal, start).splitlines()
    day = _data(journal, start).day  # as page 1 writes a date (the year when it differs)
    ca = [x for x in lines if x.startswith("CA 15-3")]
    calcium = [x for x in lines if x.casefold().startswith("calcium")]
    assert len(ca) == 1 and len(calcium) == 1  # one line per test
    assert ca[0] == (
        f"CA 15-3 ({day(day_offset(31))}, before this period): 48 U/mL (range up to 30) — "
        f"high; previous 31 U/mL ({day(day_offset(70))})"
    )
    assert calcium[0] == (
        f"Calcium ({day(day_offset(3))}): 2.4 mmol/L (range 2.2–2.6); previous 2.5 mmol/L "
        f"({day(day_offset(40))})"
    )
    assert lines.index(calcium[0]) < lines.index(ca[0])  # the most recent first
    assert lines[lines.index(ca[0]) - 2] == "Latest results"
    # The PDF's page 1 says the same (read back with pypdf).
    path = tmp_path / "r.pdf"
    report.write_pdf(_data(journal, start), path)
    first = " ".join(PdfReader(path).pages[0].extract_text().split())
    assert "Latest results" in first and "48 U/mL (range up to 30) — high" in first


def _data(journal: Journal, start: dt.date, **options: object) -> report.ReportData:
    return report.collect(journal, report.ReportOptions(start, dt.date.today(), **options))  # type: ignore[arg-type]


def test_the_most_recent_scan_is_on_page_one_and_kept_in_the_results_however_old(
    journal: Journal, tmp_path: Path
) -> None:
    """A bone scan months before the period disappeared from the report."""
    start = day_offset(29)
    journal.add_result("Bone scan", day_offset(200), summary="Two lesions in the spine.")
    journal.add_result("Bone scan", day_offset(90), summary="No new lesions <b> & stable.")
    journal.add_result("CT chest", day_offset(150), summary="Clear.")
    journal.add_entry(journal.draft("fatigue", 3), day=day_offset(1))
    data = _data(journal, start)
    page = page_one_text(journal, start)
    [scan] = [x for x in page.splitlines() if x.startswith("Scan:")]
    assert scan == (
        f"Scan: Bone scan ({data.day(day_offset(90))}, before this period): "
        "No new lesions <b> & stable."
    )
    assert "Clear." not in page and "Two lesions" not in page  # only the most recent
    # The results pages keep the latest of each scan, the earlier bone scan not.
    assert [(r.name, r.summary) for r in data.results] == [
        ("CT chest", "Clear."),
        ("Bone scan", "No new lesions <b> & stable."),
    ]
    path = tmp_path / "r.pdf"
    report.write_pdf(data, path)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]
    assert "Bone scan (" in pages[0] and "No new lesions <b> & stable." in pages[0]
    later = " ".join(pages[1:])
    assert (
        f"{day_offset(90):%d %b %Y} (before this period) — Bone scan: No new lesions <b> & stable."
    ) in later
    assert f"{day_offset(150):%d %b %Y} (before this period) — CT chest: Clear." in later


def test_results_after_the_period_or_left_out_are_not_on_page_one(journal: Journal) -> None:
    start, end = day_offset(40), day_offset(10)
    journal.add_result("CA 15-3", day_offset(20), value=30.0, unit="U/mL")
    journal.add_result("CA 15-3", day_offset(5), value=99.0, unit="U/mL")  # after the end
    journal.add_result("Liver scan", day_offset(2), summary="After the period.")
    journal.add_entry(journal.draft("fatigue", 3), day=day_offset(12))
    page = page_one_text(journal, start, end)
    assert "30 U/mL" in page and "99" not in page and "Liver scan" not in page
    data = report.collect(
        journal, report.ReportOptions(start, end, sections=frozenset({"sites", "notes"}))
    )
    text = "\n".join(b.text for b in report.page_one(data))
    assert "CA 15-3" not in text and "Latest results" not in text  # results not chosen


def test_the_latest_weight_is_on_page_one_when_nobody_weighed_in_the_period(
    journal: Journal,
) -> None:
    journal.add_entry(journal.draft("weight", 66.0), day=day_offset(80))
    journal.add_entry(journal.draft("weight", 64.5), day=day_offset(45))
    journal.add_entry(journal.draft("fatigue", 3), day=day_offset(1))
    start = day_offset(29)
    [weight] = [x for x in page_one_text(journal, start).splitlines() if x.startswith("Weight")]
    day = _data(journal, start).day(day_offset(45))
    assert weight == f"Weight: 64.5 kg on {day} (the latest; nobody weighed in this period)"


@pytest.mark.parametrize(("later", "change"), [(64.5, "no change"), (64.52, "no change"),
                                               (64.61, "+0.1 kg"), (63.0, "−1.5 kg")])  # fmt: skip
def test_a_weight_change_reads_as_printed(journal: Journal, later: float, change: str) -> None:
    journal.add_entry(journal.draft("weight", 64.5), day=day_offset(20))
    journal.add_entry(journal.draft("weight", later), day=day_offset(2))
    [weight] = [x for x in page_one_text(journal, day_offset(29)).splitlines()
                if x.startswith("Weight")]  # fmt: skip
    assert f"({change} since 64.5 kg on " in weight, weight
    assert "+0.0" not in weight and "−0.0" not in weight


def test_a_test_written_in_another_case_is_one_row_in_the_results_table(
    journal: Journal, tmp_path: Path
) -> None:
    """Page 1 groups "calcium" and "Calcium" as one test; the results table does too."""
    journal.add_result("calcium", day_offset(12), value=2.5, unit="mmol/L")
    journal.add_result("Calcium", day_offset(3), value=2.4, unit="mmol/L")
    journal.add_entry(journal.draft("fatigue", 3), day=day_offset(1))
    path = tmp_path / "r.pdf"
    report.write_pdf(_data(journal, day_offset(29)), path)
    later = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages[1:]).split())
    assert later.count("alcium") == 1 and "Calcium" in later
    assert f"{day_offset(12):%d %b %Y}: 2.5 mmol/L 2" in later  # first in the period; two


def test_a_new_problem_rated_by_two_people_says_whose_rating_is_whose(journal: Journal) -> None:
    """Found by a tester: the patient's 4 and a caregiver's 7 on one day read "rated 7
    (severe), with observations by Sam" — the 7 told as the patient's."""
    sam = Person("Sam", Role.CAREGIVER)
    journal.add_entry(journal.draft("cough", 1), day=day_offset(20))  # logging before
    journal.add_entry(journal.draft("fatigue", 4), day=day_offset(1))
    journal.add_entry(journal.draft("fatigue", 7), day=day_offset(1), person=sam)
    text = page_one_text(journal, day_offset(5))
    assert "Tiredness (fatigue), rated 4 (moderate); Sam (caregiver) rated it 7 (severe)" in text
    assert "rated 7 (severe), with" not in text


def test_the_parts_of_an_acknowledged_several_read_as_acknowledged(journal: Journal) -> None:
    """Found by a tester: after "I have seen this" on the day's urgent "two changes",
    page 1 said the two changes were acknowledged and, just below, that each was not."""
    journal.add_entry(journal.draft("cough", 1), day=day_offset(20))  # logging before
    journal.add_entry(journal.draft("hand_foot_severe", 1), day=day_offset(1))
    journal.add_entry(journal.draft("pain_worse_lying", 1), day=day_offset(1))
    found = journal.signals(day_offset(5), dt.date.today())
    [several] = [s for s in found if s.kind is signals.Kind.SEVERAL]
    parts = [s for s in found if s.level is signals.Level.WITHIN_24H and s.day == several.day]
    assert len(parts) >= 2
    before = [b.text for b in report.page_one(_data(journal, day_offset(5)))]
    assert sum("not acknowledged" in t for t in before) >= 3
    journal.acknowledge(several)
    after = [b.text for b in report.page_one(_data(journal, day_offset(5)))]
    told = [t for t in after if "acknowledged" in t]
    assert len(told) >= 3 and not any("not acknowledged" in t for t in told), told


def test_one_weight_in_the_period_is_compared_with_the_one_before(journal: Journal) -> None:
    """Found by a tester: one reading in the period gave no change, though the doctor
    asks first whether weight is being lost."""
    journal.add_entry(journal.draft("weight", 71.2), day=day_offset(40))
    journal.add_entry(journal.draft("weight", 70.0), day=day_offset(2))
    data = _data(journal, day_offset(20))
    [weight] = [b.text for b in report.page_one(data) if b.lead == "Weight:"]
    assert weight == (
        f"70.0 kg on {data.day(day_offset(2))} (−1.2 kg since 71.2 kg on "
        f"{data.day(day_offset(40))}, before this period)"
    )


def test_page_one_tells_the_most_recent_within_24_hours_warnings_and_names_the_rest(
    journal: Journal,
) -> None:
    """Over a long period the "within 24 hours" warnings filled page 1 and pushed the
    treatments and questions over (a tester): those of the last four weeks, and the most
    recent few, are told in full, older ones named in one line; urgent ones all told."""
    items = ["cough", "fatigue", "sleep_problems", "hot_flushes", "mouth_sores", "neuropathy"]
    for item in items:
        journal.add_entry(journal.draft(item, 1), day=day_offset(90))
    for n, item in enumerate(items):
        journal.add_entry(journal.draft(item, 8), day=day_offset(2 + 10 * n))
    data = _data(journal, day_offset(70))
    soon = [g for g in data.urgent if not g.latest.level.is_urgent]
    assert len(soon) == len(items)
    blocks = report.page_one(data)
    told = [b for b in blocks if b.lead.startswith("Within 24 hours")]
    assert len(told) == report.MAX_SOON_ON_PAGE_ONE
    assert "cough" in told[0].text  # the most recent first
    [rest] = [b.text for b in blocks if b.text.startswith("Also to be seen within 24 hours")]
    assert "Mouth sores" in rest and "Numbness or tingling in hands or feet" in rest


def test_every_within_24_hours_warning_of_the_last_four_weeks_is_told_in_full(
    journal: Journal,
) -> None:
    """A second tester: in an ordinary six-week report the fifth recent warning (bone
    pain a week ago) was cut to a name."""
    items = ["cough", "fatigue", "sleep_problems", "hot_flushes", "mouth_sores", "neuropathy"]
    for item in items:
        journal.add_entry(journal.draft(item, 1), day=day_offset(60))
    for n, item in enumerate(items):
        journal.add_entry(journal.draft(item, 8), day=day_offset(2 + 3 * n))
    blocks = report.page_one(_data(journal, day_offset(42)))
    assert len([b for b in blocks if b.lead.startswith("Within 24 hours")]) == len(items)
    assert not any(b.text.startswith("Also to be seen within 24 hours") for b in blocks)
