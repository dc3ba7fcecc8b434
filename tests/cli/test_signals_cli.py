"""The command line says what to do, at the level the app and the report use (issue 16)."""

from __future__ import annotations

from pathlib import Path

from mbc_journal.journal import Journal
from tests.cli.test_cli import run


def test_log_of_a_warning_sign_says_what_to_do(journal_path: Path) -> None:
    db = str(journal_path)
    code, out, _ = run("log", "coughing_blood", "yes", "--db", db)
    assert code == 0
    assert out.splitlines()[0].startswith("Added an episode of Coughing up blood: yes")
    assert "CONTACT YOUR 24-HOUR LINE NOW: Warning sign: Coughing up blood" in out
    assert "Contact your care team's 24-hour line now." in out and "not a diagnosis" in out


def test_log_of_a_seizure_gives_the_emergency_number(journal_path: Path) -> None:
    with Journal.open(journal_path) as journal:
        journal.set_emergency_number("112")
    code, out, _ = run("log", "seizure", "yes", "--by", "Sam", "--db", str(journal_path))
    assert code == 0
    assert "CALL YOUR EMERGENCY NUMBER NOW" in out and "Emergency number: 112" in out
    assert "[entered by a caregiver]" in out


def test_severe_chest_pain_says_when_to_call_the_emergency_number(journal_path: Path) -> None:
    """Chest pain 9 was only 'tell your care team'; sudden chest pain is a 999 call."""
    with Journal.open(journal_path) as journal:
        journal.set_emergency_number("999")
    code, out, _ = run("log", "chest_pain", "9", "--db", str(journal_path))
    assert code == 0
    assert "CONTACT YOUR 24-HOUR LINE NOW: Severe chest pain" in out
    assert "If it came on suddenly or you are struggling to breathe, call your" in out
    assert "Emergency number: 999" in out


def test_a_calm_log_says_nothing_more(journal_path: Path) -> None:
    code, out, _ = run("log", "fatigue", "2", "--db", str(journal_path))
    assert code == 0 and out.count("\n") == 1


def test_vomiting_counted_over_the_day(journal_path: Path) -> None:
    db = str(journal_path)
    _, first, _ = run("log", "vomiting_episodes", "1", "--time", "08:00", "--db", db)
    assert "within 24 hours" not in first.lower()
    _, second, _ = run("log", "vomiting_episodes", "1", "--time", "11:30", "--db", db)
    assert "Speak to your care team within 24 hours" in second
    assert "2 times" in second


def test_export_writes_a_fhir_transaction(journal_path: Path, tmp_path: Path) -> None:
    import json

    db = str(journal_path)
    assert run("log", "bone_pain", "5", "--db", db)[0] == 0
    code, out, _ = run(
        "export", "--format", "fhir-transaction", "-o", str(tmp_path / "t.json"), "--db", db
    )
    assert code == 0 and "Exported 1 entry" in out
    data = json.loads((tmp_path / "t.json").read_text())
    assert data["type"] == "transaction" and all("request" in e for e in data["entry"])
