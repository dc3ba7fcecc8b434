"""Privacy: no network, no symptom text in logs, round trips keep every character."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import socket
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from mbc_journal import report, report_pdf
from mbc_journal.journal import Journal


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(*args: object, **_kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError("the app tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: refuse(*a))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, *a: refuse(*a))
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_checkin_report_backup_cycle_opens_no_socket(
    journal_path: Path, tmp_path: Path, no_network: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    from mbc_journal.db import backup

    secret = "my private note about the lump"
    caplog.set_level(logging.DEBUG)
    with Journal.open(journal_path) as journal:
        journal.save_checkin(
            dt.date.today(),
            {
                "fatigue": journal.draft("fatigue", 5, note=secret),
                "temperature": journal.draft("temperature", 38.5),
            },
            day_note=secret,
        )
        journal.add_treatment("chemotherapy", "Chemo", dt.date.today())
        journal.signals()
        start, end, why = report.default_period(journal)
        data = report.collect(journal, report.ReportOptions(start, end), why)
        report.write_pdf(data, tmp_path / "r.pdf")
        backup.make_backup(journal_path, "manual")
        # The refusal is expected; what it logs is what we check.
        with contextlib.suppress(Exception):
            journal.add_entry(journal.draft("headache", 11, note=secret))
    assert no_network == []
    assert secret not in caplog.text


printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    min_size=1,
    max_size=80,
).filter(lambda s: s.strip() != "")


@given(note=printable, value=st.integers(0, 10))
def test_any_text_survives_save_load_and_the_report(tmp_path: Path, note: str, value: int) -> None:
    path = tmp_path / f"h{abs(hash((note, value)))}.sqlite3"
    with Journal.open(path) as journal:
        entry = journal.add_entry(journal.draft("cough", value, note=note))
        assert journal.entry(entry.id).note == note
        assert journal.entry(entry.id).value == value
        data = report.collect(journal, report.ReportOptions(dt.date.today(), dt.date.today()))
        assert any(n[2] == note for n in data.notes)
        out = tmp_path / "r.pdf"
        report.write_pdf(data, out)
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    # Visible characters the font draws (letters, digits, punctuation, symbols) from
    # left-to-right scripts; invisible ones such as a soft hyphen have nothing to extract.
    drawable = [
        c
        for c in note
        if report_pdf._Fonts.covers(report_pdf._Fonts.regular, c)
        and unicodedata.category(c)[0] in "LNPS"
        and ord(c) < 0x590
    ]
    shown = "".join(text.split())
    assert all(c in shown for c in drawable)
    path.unlink()
