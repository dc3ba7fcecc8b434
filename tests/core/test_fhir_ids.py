"""FHIR ids a server can trust: made from the journal's own random id and each record's
uid, so they never move when an entry is back-dated and never collide across journals
(a PUT from one journal must not overwrite another patient's data)."""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from mbc_journal import exchange
from mbc_journal.db.schema import SettingRow
from mbc_journal.journal import JOURNAL_ID, Journal
from mbc_journal.model import Person, Role
from mbc_journal.operations import open_for_reading
from tests.conftest import day_offset


def _ids(bundle: dict[str, Any]) -> list[str]:
    ids = [e["resource"]["id"] for e in bundle["entry"]]
    assert [e["fullUrl"] for e in bundle["entry"]] == [f"urn:uuid:{i}" for i in ids]
    return ids


def _ids_by_kind(bundle: dict[str, Any]) -> dict[str, str]:
    """Each resource's id by what it is: the patient, a caregiver, an entry's note."""
    out = {}
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Observation":
            out[r["note"][0]["text"]] = r["id"]
        else:
            out[r["resourceType"]] = r["id"]
    return out


def _seed(journal: Journal) -> None:
    sam = Person("Sam", Role.CAREGIVER)
    journal.add_entry(journal.draft("fatigue", 4, note="first"), day=day_offset(5))
    journal.add_entry(journal.draft("confusion", 3, note="sam's"), day=day_offset(3), person=sam)
    journal.add_entry(journal.draft("temperature", 37.2, note="warm"), day=day_offset(2))


def test_a_new_journal_gets_a_random_id_that_stays(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "a.sqlite3") as a:
        first = a.journal_id()
    with Journal.open(tmp_path / "a.sqlite3") as a:
        assert a.journal_id() == first
    with Journal.open(tmp_path / "b.sqlite3") as b:
        assert b.journal_id() not in (None, first)
    assert first is not None and first.version == 4


def test_back_dating_an_entry_keeps_every_id(journal: Journal) -> None:
    _seed(journal)
    before = _ids_by_kind(exchange.fhir_bundle(journal))
    journal.add_entry(journal.draft("cough", 2, note="long ago"), day=day_offset(300))
    first = journal.entries()[0]
    journal.update_entry(first.id, day=day_offset(400))  # and an old one moved earlier still
    after = _ids_by_kind(exchange.fhir_bundle(journal))
    assert {k: after[k] for k in before} == before
    assert set(before) == {"Patient", "RelatedPerson", "first", "sam's", "warm"}


def test_two_journals_made_from_the_same_csv_share_no_id(tmp_path: Path) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text(
        "date,time,item_id,value,uid,entered_by,role\n"
        f"{day_offset(9)},,fatigue,4,a,,patient\n"
        f"{day_offset(8)},,confusion,3,b,Sam,caregiver\n",
        encoding="utf-8",
    )
    bundles = []
    for name in ("one", "two"):
        with Journal.open(tmp_path / f"{name}.sqlite3") as j:
            exchange.import_file(j, csv)
            bundles.append(exchange.fhir_bundle(j))
    one, two = (_ids(b) for b in bundles)
    assert len(one) == len(two) == 4  # patient, caregiver, two observations
    assert not set(one) & set(two)


def test_two_journals_made_from_the_same_json_share_no_id(tmp_path: Path) -> None:
    """The journal's id does not travel in a JSON export, and an import never takes one
    (not even written into the file by hand): the importing journal keeps its own."""
    with Journal.open(tmp_path / "a.sqlite3") as a:
        _seed(a)
        exchange.export(a, "json", tmp_path / "a.json")
        a_id, a_ids = a.journal_id(), _ids(exchange.fhir_bundle(a))
    bundle = json.loads((tmp_path / "a.json").read_text("utf-8"))
    assert JOURNAL_ID not in bundle["settings"]
    assert str(a_id) not in (tmp_path / "a.json").read_text("utf-8")
    bundle["settings"][JOURNAL_ID] = str(a_id)  # put there by hand: still not taken
    (tmp_path / "a.json").write_text(json.dumps(bundle), "utf-8")
    with Journal.open(tmp_path / "b.sqlite3") as b:
        b_id = b.journal_id()
        exchange.import_file(b, tmp_path / "a.json")
        assert b.journal_id() == b_id != a_id
        b_ids = _ids(exchange.fhir_bundle(b))
    assert len(a_ids) == len(b_ids) == 5
    assert not set(a_ids) & set(b_ids)


def test_two_exports_of_one_journal_are_identical(journal_path: Path) -> None:
    with Journal.open(journal_path) as j:
        _seed(j)
        first = exchange.fhir_bundle(j, transaction=True)
    with Journal.open(journal_path) as j:  # opened again, later
        second = exchange.fhir_bundle(j, transaction=True)
    for bundle in (first, second):
        bundle.pop("timestamp")  # when it was made: the one thing that differs
    assert first == second
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in _ids(first))


def test_every_id_is_a_name_based_uuid_of_the_journal_id(journal: Journal) -> None:
    _seed(journal)
    namespace = journal.journal_id()
    assert namespace is not None
    uids = {e.note: e.uid for e in journal.entries()}
    ids = _ids_by_kind(exchange.fhir_bundle(journal))
    assert ids["Patient"] == str(uuid.uuid5(namespace, "patient"))
    assert ids["RelatedPerson"] == str(uuid.uuid5(namespace, "caregiver:sam"))
    for note, uid in uids.items():
        assert ids[note] == str(uuid.uuid5(namespace, f"entry:{uid}"))  # not the uid itself


def _without_id(path: Path) -> None:
    with Journal.open(path) as j, j.write_session() as session:
        session.delete(session.get(SettingRow, JOURNAL_ID))


def test_a_journal_without_an_id_gets_one_when_next_opened_for_writing(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journal from before: opened read-only it keeps the ids earlier versions made
    (from its first entry); its next writable open gives it its own id, kept after."""
    with Journal.open(journal_path) as j:
        _seed(j)
        first_uid = j.entries()[0].uid
    _without_id(journal_path)
    real_access = os.access

    def read_only(target: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and str(target).startswith(str(tmp_path)):
            return False
        return real_access(target, mode, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "access", read_only)
        with open_for_reading(journal_path) as j:
            assert j.journal_id() is None
            legacy = exchange.fhir_bundle(j)
    old_patient = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mbc-journal:patient:{first_uid}")
    assert _ids(legacy)[0] == str(old_patient)
    with Journal.open(journal_path) as j:
        given = j.journal_id()
        assert given is not None
        now = _ids(exchange.fhir_bundle(j))
    with Journal.open(journal_path) as j:
        assert j.journal_id() == given
        assert _ids(exchange.fhir_bundle(j)) == now
    assert now[0] == str(uuid.uuid5(given, "patient"))


def test_an_unreadable_stored_id_is_replaced_at_the_next_writable_open(
    journal_path: Path,
) -> None:
    with Journal.open(journal_path) as j:
        j.set_setting(JOURNAL_ID, "not a uuid")
        assert j.journal_id() is None
    with Journal.open(journal_path) as j:
        assert isinstance(j.journal_id(), uuid.UUID)
        assert exchange.fhir_bundle(j)["entry"][0]["resource"]["id"]


def test_back_dating_does_not_change_the_time_stamps_either(journal: Journal) -> None:
    """Nothing else in an export moves because of an earlier entry: the entries that
    were there export exactly as before."""
    _seed(journal)
    before = exchange.fhir_bundle(journal)["entry"]
    journal.add_entry(journal.draft("cough", 1, note="older"), day=day_offset(60))
    after = {e["resource"]["id"]: e for e in exchange.fhir_bundle(journal)["entry"]}
    assert all(after[e["resource"]["id"]] == e for e in before)
