"""First use: the welcome's choices are saved together, and it shows only once."""

from __future__ import annotations

import pytest

from mbc_journal.errors import ValidationError
from mbc_journal.journal import CareContact, Journal


def test_a_new_journal_needs_the_welcome_until_it_is_done(journal: Journal) -> None:
    assert journal.welcome_needed()
    journal.save_welcome(
        profile_name="Ana",
        caregiver="Sam",
        my_sites=["bone", "liver"],
        contact=CareContact("Oncology", "24-hour line", "0800 123 456"),
    )
    assert not journal.welcome_needed()
    assert journal.profile_name() == "Ana"
    assert journal.my_sites() == ["bone", "liver"]
    assert "Sam" in journal.people()
    assert journal.care_team()[0].phone == "0800 123 456"


def test_skipping_is_remembered(journal: Journal) -> None:
    journal.skip_welcome()
    assert not journal.welcome_needed()


def test_a_journal_with_entries_is_not_welcomed(journal: Journal) -> None:
    journal.add_entry(journal.draft_from_text("fatigue", "3"))
    assert not journal.welcome_needed()


def test_a_bad_phone_saves_nothing(journal: Journal) -> None:
    with pytest.raises(ValidationError):
        journal.save_welcome(
            profile_name="Ana",
            caregiver=None,
            my_sites=["bone"],
            contact=CareContact("Oncology", "", "call me"),
        )
    assert journal.profile_name() == ""
    assert journal.my_sites() == []
    assert journal.welcome_needed()
