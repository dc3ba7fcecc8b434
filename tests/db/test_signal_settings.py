"""The journal feeds the rules what the care plan and Settings say (issue 16): which
treatments make a fever urgent and for how long after, the emergency number, levels
agreed with the care team, and the retired bowel item."""

from __future__ import annotations

import datetime as dt

import pytest

from mbc_journal.errors import ValidationError
from mbc_journal.journal import Journal
from mbc_journal.signals import Level, Thresholds
from tests.conftest import day_offset


def fever_today(journal: Journal) -> list[Level]:
    journal.add_entry(journal.draft("temperature", 38.3), day=day_offset(0))
    today = dt.date.today()
    return [s.level for s in journal.signals(today, today) if s.item_id == "temperature"]


@pytest.mark.parametrize("kind", ["chemotherapy", "targeted", "immunotherapy", "radiation"])
def test_a_fever_is_urgent_on_any_anticancer_treatment(journal: Journal, kind: str) -> None:
    journal.add_treatment(kind, "Treatment", day_offset(30))
    assert fever_today(journal) == [Level.URGENT]


def test_a_fever_on_hormone_therapy_alone_is_not_the_24_hour_rule(journal: Journal) -> None:
    journal.add_treatment("hormone", "Letrozole", day_offset(30))
    assert fever_today(journal) == []


@pytest.mark.parametrize(
    ("ended", "weeks", "urgent"), [(41, 6, True), (43, 6, False), (43, 7, True)]
)
def test_the_weeks_after_the_last_treatment_count(
    journal: Journal, ended: int, weeks: int, urgent: bool
) -> None:
    journal.set_thresholds(Thresholds(weeks_after_treatment=weeks))
    journal.add_treatment("chemotherapy", "Chemo", day_offset(90), end=day_offset(ended))
    assert fever_today(journal) == ([Level.URGENT] if urgent else [])


def test_the_emergency_number_from_the_welcome_and_settings(journal: Journal) -> None:
    assert "999 in the UK" in journal.emergency_number()  # before one is set
    journal.save_welcome(profile_name="Ada", caregiver=None, my_sites=[], contact=None,
                         emergency_number=" 112 ")  # fmt: skip
    assert journal.emergency_number() == "112"
    with pytest.raises(ValidationError, match="not a phone number"):
        journal.set_emergency_number("call someone")
    assert journal.emergency_number() == "112"


def test_an_expected_level_is_saved_and_quiets_only_change(journal: Journal) -> None:
    for offset in range(1, 8):
        journal.add_entry(journal.draft("bone_pain", 3), day=day_offset(offset))
    journal.add_entry(journal.draft("bone_pain", 6), day=day_offset(0))
    today = dt.date.today()
    assert any(s.item_id == "bone_pain" for s in journal.signals(today, today))
    journal.set_expected_level("bone_pain", 6)
    assert journal.expected_levels() == {"bone_pain": 6.0}
    assert not any(s.item_id == "bone_pain" for s in journal.signals(today, today))
    with pytest.raises(ValidationError, match="rating"):
        journal.set_expected_level("seizure", 1)  # a warning sign is never quieted
    with pytest.raises(ValidationError):
        journal.check_settings({"expected_levels": {"bone_pain": 11}})


def test_the_old_bowel_item_keeps_its_history_but_leaves_the_check_in(journal: Journal) -> None:
    old = journal.add_entry(journal.draft("bowel_changes", 4), day=day_offset(200))
    general = [i.id for i in journal.visible_items("general")]
    assert "bowel_changes" not in general
    assert {"diarrhoea_episodes", "constipation", "vomiting_episodes"} <= set(general)
    assert journal.entry(old.id).value == 4.0  # never rewritten
    assert journal.catalogue.item("bowel_changes").label == "Diarrhoea or constipation"
