"""The command line, run as a user runs it."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mbc_journal import cli
from mbc_journal.journal import Journal


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = cli.main(list(argv), out, err)
    except SystemExit as exit_:  # argparse errors
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_log_then_list(journal_path: Path) -> None:
    db = str(journal_path)
    code, out, _ = run("log", "headache", "5", "--db", db, "--note", "after <lunch> & tea")
    assert code == 0 and "Headache: 5 (moderate)" in out
    code, out, _ = run("log", "Temperature", "100.4F", "--db", db, "--by", "Sam", "--time", "19:30")
    assert code == 0 and "100.4 °F" in out and "Sam" in out
    code, out, _ = run("list", "--db", db)
    assert code == 0
    assert "after <lunch> & tea" in out and "Sam (caregiver)" in out and "19:30" in out
    code, out, _ = run("list", "--db", db, "--by", "sam")
    assert "Temperature" in out and "Headache" not in out


def test_env_var_picks_the_journal(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MBC_JOURNAL_DB", str(journal_path))
    assert run("log", "fatigue", "4")[0] == 0
    with Journal.open(journal_path) as journal:
        assert [e.item_id for e in journal.entries()] == ["fatigue"]


def test_default_journal_lives_in_the_data_folder(private_home: Path) -> None:
    assert run("log", "fatigue", "4")[0] == 0
    assert (private_home / "journal.sqlite3").exists()


BAD_INPUTS = [
    (["log", "hedache", "3"], "not a symptom"),
    (["log", "headache", "11"], "0 (none) to 10"),
    (["log", "headache", "five"], "not a rating"),
    (["log", "temperature", "48"], "plausible range"),
    (["log", "seizure", "no"], "not a count"),
    (["log", "fatigue", "3", "--date", "2999-01-01"], "in the future"),
    (["log", "fatigue", "3", "--date", "31/12/2025"], "YYYY-MM-DD"),
    (["log", "fatigue", "3", "--time", "26:00"], "HH:MM"),
    (["log", "fatigue", "3", "--note", "x" * 20_001], "limit"),
    (["log", "fatigue"], "required"),
    (["list", "--site", "kidney"], "not an organ site"),
    (["list", "--from", "2026-02-01", "--to", "2026-01-01"], "after it ends"),
    (["demo", "--days", "0"], "1 to"),
    (["demo", "--days", "many"], "not a number"),
    (["frobnicate"], "invalid choice"),
]


@pytest.mark.parametrize("argv, message", BAD_INPUTS)
def test_bad_input_is_one_sentence_exit_2_nothing_written(
    journal_path: Path, argv: list[str], message: str
) -> None:
    assert run("log", "fatigue", "2", "--db", str(journal_path))[0] == 0
    code, out, err = run(*argv, "--db", str(journal_path))
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""
    with Journal.open(journal_path) as journal:
        assert [(e.item_id, e.value) for e in journal.entries()] == [("fatigue", 2)]


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"garbage" * 500, "damaged or is not")],
)
def test_unreadable_journal_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "j.sqlite3"
    path.write_bytes(content)
    code, _, err = run("list", "--db", str(path))
    assert code == 2 and message in err
    assert path.read_bytes() == content


def test_demo_then_list_by_site(private_home: Path) -> None:
    code, out, _ = run("demo", "--days", "90")
    assert code == 0 and "demo.sqlite3" in out
    since = (dt.date.today() - dt.timedelta(days=6)).isoformat()
    code, out, _ = run("list", "--demo", "--site", "bone", "--from", since)
    assert code == 0
    days = [f[1] for line in out.splitlines() if len(f := line.split()) > 1 and f[0].isdigit()]
    assert days and all(day >= since for day in days)
    assert {"Bone pain" in out, "Harder to move around" in out} == {True}
    assert "Tiredness" not in out
    # The real journal was not touched.
    assert not (private_home / "journal.sqlite3").exists()


def test_demo_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    assert run("demo", "--days", "60", "--db", str(a))[0] == 0
    assert run("demo", "--days", "60", "--db", str(b))[0] == 0
    with Journal.open(a) as ja, Journal.open(b) as jb:
        rows_a = [(e.item_id, e.local_date, e.value, e.note) for e in ja.entries()]
        rows_b = [(e.item_id, e.local_date, e.value, e.note) for e in jb.entries()]
    assert rows_a == rows_b and len(rows_a) > 300


def test_demo_refuses_a_journal_with_entries(journal_path: Path) -> None:
    run("log", "fatigue", "2", "--db", str(journal_path))
    code, _, err = run("demo", "--db", str(journal_path))
    assert code == 2 and "already has entries" in err


def test_check_reports_health(journal_path: Path) -> None:
    run("log", "fatigue", "2", "--db", str(journal_path))
    code, out, _ = run("check", "--db", str(journal_path))
    assert code == 0 and "Integrity: ok" in out and "Entries:   1" in out


def test_symptoms_lists_the_catalogue(journal_path: Path) -> None:
    code, out, _ = run("symptoms", "--db", str(journal_path))
    assert code == 0
    assert "bone_pain" in out and "Lungs (lungs)" in out and "°C/°F" in out


def test_console_script_runs_as_a_process(journal_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mbc_journal", "log", "headache", "12", "--db", str(journal_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "0 (none) to 10" in result.stderr


def test_signals_command(journal_path: Path) -> None:
    Journal.open(journal_path).close()  # signals only reads: it never makes the journal
    db = str(journal_path)
    code, out, _ = run("signals", "--db", db)
    assert code == 0 and "No safety signals" in out
    run("log", "seizure", "yes", "--db", db, "--by", "Sam")
    code, out, _ = run("signals", "--db", db)
    assert code == 0
    assert "CALL YOUR EMERGENCY NUMBER NOW" in out and "caregiver" in out
    assert "Emergency number: your local emergency number" in out
    assert "not a diagnosis" in out
    code, _, err = run("signals", "--db", db, "--from", "2026-02-01", "--to", "2026-01-01")
    assert code == 2 and "after it ends" in err


def test_report_command(tmp_path: Path) -> None:
    db = str(tmp_path / "d.sqlite3")
    assert run("demo", "--days", "90", "--db", db)[0] == 0
    out_file = tmp_path / "report.pdf"
    code, out, err = run("report", "--db", db, "-o", str(out_file))
    assert code == 0, err
    assert "Wrote" in out and out_file.read_bytes()[:5] == b"%PDF-"
    code, out, _ = run(
        "report",
        "--db",
        db,
        "--sections",
        "sites",
        "--sites",
        "bone",
        "--page",
        "Letter",
        "-o",
        str(tmp_path / "short.pdf"),
    )
    assert code == 0


REPORT_BAD = [
    (["--from", "2026-02-01", "--to", "2026-01-01"], "after it ends"),
    (["--sections", "jokes"], "Unknown report section"),
    (["--sites", "kidney"], "not an organ site"),
    (["--from", "1990-01-01", "--to", "1990-02-01"], "Nothing was logged"),
]


@pytest.mark.parametrize("extra, message", REPORT_BAD)
def test_report_bad_input(
    journal_path: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    run("log", "fatigue", "3", "--db", str(journal_path))
    target = tmp_path / "r.pdf"
    code, _, err = run("report", "--db", str(journal_path), "-o", str(target), *extra)
    assert code == 2 and message in err
    assert not target.exists()


def test_report_to_an_unwritable_place(journal_path: Path, tmp_path: Path) -> None:
    run("log", "fatigue", "3", "--db", str(journal_path))
    code, _, err = run("report", "--db", str(journal_path), "-o", str(tmp_path / "no" / "r.pdf"))
    assert code == 2 and "does not exist" in err


def test_export_and_import_commands(tmp_path: Path) -> None:
    a, b = str(tmp_path / "a.sqlite3"), str(tmp_path / "b.sqlite3")
    run("log", "fatigue", "4", "--db", a, "--note", "ünï")
    for fmt in ("csv", "json", "fhir"):
        code, out, err = run("export", "--format", fmt, "-o", str(tmp_path / f"e.{fmt}"), "--db", a)
        assert code == 0, err
        assert "Exported 1 entry " in out
    code, out, _ = run("import", str(tmp_path / "e.json"), "--db", b)
    assert code == 0 and "Imported 1 entry." in out
    code, out, _ = run("import", str(tmp_path / "e.json"), "--db", b)
    assert "Skipped 1 entry already in this journal" in out
    code, out, _ = run("list", "--db", b)
    assert "ünï" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["export", "--format", "xml", "-o", "x"], "invalid choice"),
        (["export", "--format", "csv", "-o", "/nonexistent/x.csv"], "does not exist"),
        (["import", "/nonexistent/file.json"], "no file"),
    ],
)
def test_export_import_bad_input(journal_path: Path, argv: list[str], message: str) -> None:
    run("log", "fatigue", "4", "--db", str(journal_path))
    code, _, err = run(*argv, "--db", str(journal_path))
    assert code == 2 and message in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland are Linux's")
def test_opening_the_app_without_a_display_is_one_sentence() -> None:
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "mbc_journal"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "No display was found" in result.stderr and "Traceback" not in result.stderr


def test_missing_x11_libraries_are_named_with_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ctypes.util

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(
        ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else f"lib{name}.so"
    )
    assert cli.entry_point([]) == 2
    err = capsys.readouterr().err
    assert "xcb-cursor" in err and "sudo apt install libxcb-cursor0" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "command",
    [
        ["report", "-o"],
        ["export", "--format", "csv", "-o"],
        ["export", "--format", "fhir", "-o"],
        ["backup", "-o"],
    ],
)
def test_a_device_or_pipe_is_never_replaced(tmp_path: Path, command: list[str]) -> None:
    """Run as root, replacing /dev/null with a PDF would break the whole system."""
    import stat

    db = str(tmp_path / "d.sqlite3")
    run("log", "fatigue", "3", "--db", db)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run(*command, str(fifo), "--db", db)
    assert code == 2 and "is not an ordinary file" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["check"],
        ["signals"],
        ["treatment", "list"],
        ["export", "--format", "json", "-o", "out.json"],
    ],
)
def test_read_only_commands_never_create_the_journal(
    private_home: Path, tmp_path: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(*argv)
    assert code == 2
    assert "no journal" in err.lower() and "Traceback" not in err
    assert not (private_home / "journal.sqlite3").exists()


def test_symptoms_without_a_journal_lists_the_catalogue(private_home: Path) -> None:
    code, out, _err = run("symptoms")
    assert code == 0
    assert "fatigue" in out and "Bone" in out
    assert not (private_home / "journal.sqlite3").exists()


def test_a_caregivers_rating_never_replaces_the_patients(journal_path: Path) -> None:
    db = str(journal_path)
    assert run("log", "fatigue", "5", "--db", db)[0] == 0
    code, out, _ = run("log", "fatigue", "8", "--by", "Sam", "--db", db)
    assert code == 0 and out.startswith("Logged") and "Sam" in out
    code, out, _ = run("log", "fatigue", "6", "--db", db)
    assert code == 0 and "Updated" in out and "(was 5" in out
    code, out, _ = run("log", "fatigue", "7", "--by", "sam", "--db", db)
    assert code == 0 and "Updated" in out and "(was 8" in out
    with Journal.open(journal_path) as journal:
        kept = sorted((e.value, e.person.role.value) for e in journal.entries())
    assert kept == [(6, "patient"), (7, "caregiver")]


def test_units_shown_and_chosen(journal_path: Path) -> None:
    db = str(journal_path)
    code, _, err = run("units", "--db", db)
    assert code == 2 and "There is no journal" in err and not journal_path.exists()
    run("log", "weight", "154lb", "--db", db)
    code, out, _ = run("units", "--db", db)
    assert code == 0 and out == "Temperature: °C\nWeight: lb\n"
    code, out, _ = run("units", "--temperature", "f", "--weight", "KG", "--db", db)
    assert code == 0 and out == "Temperature: °F\nWeight: kg\n"
    code, out, err = run("units", "--weight", "stone", "--temperature", "C", "--db", db)
    assert (code, out) == (2, "") and "Weight can be shown in kg or lb, not 'stone'." in err
    assert "Traceback" not in err
    code, out, _ = run("units", "--db", db)  # nothing of the refused command was saved
    assert out == "Temperature: °F\nWeight: kg\n"


def test_a_number_without_a_unit_is_logged_in_the_persons_unit(journal_path: Path) -> None:
    """Found by a tester: someone who had chosen pounds typed 'log weight 154' and got
    154 kg, and the report then showed a weight loss of 187 lb."""
    db = str(journal_path)
    run("log", "weight", "70", "--db", db)  # nothing chosen, nothing typed before: kg
    run("units", "--weight", "lb", "--temperature", "F", "--db", db)
    code, out, _ = run("log", "weight", "154", "--db", db)
    assert code == 0 and "154.0 lb" in out
    code, out, _ = run("log", "temperature", "100.4", "--db", db)
    assert code == 0 and "100.4 °F" in out
    code, out, _ = run("log", "temperature", "38.2C", "--db", db)  # a unit typed wins
    assert code == 0 and "38.2 °C" in out
    with Journal.open(journal_path) as journal:
        weights = [round(e.value, 2) for e in journal.entries() if e.item_id == "weight"]
    assert weights == [70.0, 69.85]  # 154 lb, stored in kg


def test_a_report_that_cannot_be_written_names_the_report_not_the_journal(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a tester: '-o /proc/x.pdf' said "The journal x.pdf could not be used"
    and showed the temporary file's name."""
    from mbc_journal import report

    db = str(journal_path)
    run("log", "fatigue", "3", "--db", db)

    def refused(_data: object, path: Path, _progress: object = None) -> int:
        hidden = Path(path).parent / ".report-1a2b3c.pdf"
        raise FileNotFoundError(2, "No such file or directory", str(hidden))

    monkeypatch.setattr(report, "write_pdf", refused)
    code, _, err = run("report", "--db", db, "-o", str(tmp_path / "visit.pdf"))
    assert code == 2
    assert err.startswith("mbc-journal: visit.pdf could not be written in ")
    assert "The journal" not in err and ".report-" not in err and "Traceback" not in err


def test_a_report_period_in_the_future_is_told_without_talk_of_logging(
    journal_path: Path,
) -> None:
    db = str(journal_path)
    run("log", "fatigue", "3", "--db", db)
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    code, _, err = run("report", "--db", db, "--from", later, "-o", "x.pdf")
    assert code == 2 and f"{later} is in the future; give today or an earlier day" in err
    assert "log" not in err.replace("mbc-journal", "")
