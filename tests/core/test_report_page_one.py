"""Page 1 of the follow-up report as the clinician reads it (issue 18, second review):
warning signs in correct English, the latest results, scans and weight even when older
than the period."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mbc_journal import report, signals
from mbc_journal.journal import Journal
from mbc_journal.model import ItemKind
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
