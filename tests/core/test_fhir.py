"""FHIR R4 export against the official R4 JSON schema and the vital-signs profiles.

The schema is HL7's own (tests/fixtures/fhir/README.md says where it came from); the
profile rules are those of http://hl7.org/fhir/R4/vitalsigns.html for body temperature
(bodytemp) and body weight (bodyweight), written out below so a failure names the rule.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from mbc_journal import demo, exchange
from mbc_journal.journal import Journal
from mbc_journal.model import Person, Role
from tests.conftest import day_offset

SCHEMA = Path(__file__).parents[1] / "fixtures" / "fhir" / "fhir.schema.json"


@functools.cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(resource: dict[str, Any]) -> list[str]:
    """What the official schema finds wrong: the bundle as a whole, and each resource on
    its own against its own definition (so a failure names the field, not only the
    Bundle's 'oneOf')."""
    import jsonschema

    validator = _validator()
    found = [e.message[:300] for e in validator.iter_errors(resource)]
    for entry in resource.get("entry", []):
        if "resource" not in entry:  # a transaction's DELETE: the whole-bundle check has it
            continue
        inner = entry["resource"]
        definition = {"$ref": f"#/definitions/{inner.get('resourceType')}"}
        for error in validator.evolve(schema={**validator.schema, **definition}).iter_errors(inner):
            best = jsonschema.exceptions.best_match([error])
            found.append(
                f"{inner.get('resourceType')}: {list(best.absolute_path)} {best.message}"[:300]
            )
    return found


def test_the_vendored_schema_is_the_r4_one() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    definitions = schema["definitions"]
    resources = {r["$ref"].rsplit("/", 1)[1] for r in definitions["ResourceList"]["oneOf"]}
    assert len(resources) == 146
    assert {"Observation", "Patient", "RelatedPerson", "Bundle"} <= resources
    assert not {"DeviceComponent", "ExpansionProfile"} & resources  # gone in R4
    assert "effectiveInstant" in definitions["Observation"]["properties"]  # new in R4


def _journal_with_readings(journal: Journal) -> None:
    demo.generate(journal, days=12)
    yesterday = day_offset(1)
    sam = Person("Sam", Role.CAREGIVER)
    journal.add_entry(journal.draft_from_text("temperature", "101.3F", time=dt.time(6, 40)),
                      day=yesterday)  # fmt: skip
    journal.add_entry(journal.draft_from_text("temperature", "37.9"), day=yesterday, person=sam)
    journal.add_entry(journal.draft_from_text("weight", "154lb", time=dt.time(7, 5)),
                      day=yesterday)  # fmt: skip
    journal.add_entry(journal.draft_from_text("weight", "69.4"), day=yesterday, person=sam)
    journal.add_entry(journal.draft("seizure", 1, note="at night <b>&"), person=sam)


@pytest.mark.parametrize("transaction", [False, True], ids=["collection", "transaction"])
def test_exported_bundles_validate_against_the_official_r4_schema(
    journal: Journal, tmp_path: Path, transaction: bool
) -> None:
    _journal_with_readings(journal)
    fmt = "fhir-transaction" if transaction else "fhir"
    count = exchange.export(journal, fmt, tmp_path / "f.json")
    bundle = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert bundle["type"] == ("transaction" if transaction else "collection")
    assert count == journal.count_entries() > 20
    assert schema_errors(bundle) == []


def test_the_schema_check_finds_what_is_wrong(journal: Journal) -> None:
    """The validation above is real: a bundle broken in ways FHIR forbids fails it."""
    journal.add_entry(journal.draft_from_text("temperature", "38.4", time=dt.time(18, 0)))
    good = exchange.fhir_bundle(journal)
    assert schema_errors(good) == []
    for breaking in (
        lambda obs: obs.update(effectiveDateTime="26 Oct 18:00"),  # not a FHIR dateTime
        lambda obs: obs.update(effectiveWhen="2026-10-26"),  # no such element
        lambda obs: obs.update(status="done"),  # not an observation status
        lambda obs: obs["valueQuantity"].update(value="38.4"),  # a number as text
    ):
        bad = copy.deepcopy(good)
        breaking(bad["entry"][1]["resource"])
        assert schema_errors(bad), breaking


def test_an_imported_entry_with_an_id_that_is_no_uuid_still_gets_valid_fhir_ids(
    journal: Journal, tmp_path: Path
) -> None:
    (tmp_path / "in.csv").write_text(
        "date,time,item_id,value,uid\n"
        f"{day_offset(2)},,fatigue,4,my own id with spaces and more than sixty-four characters!!\n"
        f"{day_offset(2)},,cough,2,\n",
        encoding="utf-8",
    )
    exchange.import_file(journal, tmp_path / "in.csv")
    first, second = exchange.fhir_bundle(journal), exchange.fhir_bundle(journal)
    assert schema_errors(first) == []
    ids = [e["resource"]["id"] for e in first["entry"]]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids)
    assert ids == [e["resource"]["id"] for e in second["entry"]]  # the same every time
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in first["entry"])


# --- the vital-signs profiles (http://hl7.org/fhir/R4/vitalsigns.html) ----------------

VITALS = {  # profile, LOINC code, the units its value set allows (required binding)
    "temperature": (
        "http://hl7.org/fhir/StructureDefinition/bodytemp", "8310-5", {"Cel", "[degF]"}
    ),
    "weight": (
        "http://hl7.org/fhir/StructureDefinition/bodyweight", "29463-7", {"kg", "g", "[lb_av]"}
    ),
}  # fmt: skip
_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def vital_sign_problems(obs: dict[str, Any], kind: str, urls: dict[str, Any]) -> list[str]:
    """Each rule of the R4 vital-signs profile (and bodytemp or bodyweight) that ``obs``
    breaks, in the profile's words."""
    profile, loinc, units = VITALS[kind]
    problems = []
    if obs.get("status") not in {"registered", "preliminary", "final", "amended"}:
        problems.append("status: 1..1, an observation status")
    codings = [c for cat in obs.get("category", []) for c in cat.get("coding", [])]
    if not any(c.get("system") == _CATEGORY and c.get("code") == "vital-signs" for c in codings):
        problems.append("category: the VSCat slice (observation-category#vital-signs)")
    code = obs.get("code", {}).get("coding", [])
    if not any(c.get("system") == "http://loinc.org" and c.get("code") == loinc for c in code):
        problems.append(f"code: a coding http://loinc.org#{loinc}")
    subject = obs.get("subject", {}).get("reference")
    if not subject or urls.get(subject, {}).get("resourceType") != "Patient":
        problems.append("subject: 1..1 Reference(Patient), resolving in the bundle")
    effective = [k for k in obs if k.startswith("effective")]
    if effective not in (["effectiveDateTime"], ["effectivePeriod"]):
        problems.append("effective[x]: 1..1, dateTime or Period")
    elif "effectiveDateTime" in obs and not _DAY.match(obs["effectiveDateTime"]):
        problems.append("vs-1: a dateTime precise at least to the day")
    quantity = obs.get("valueQuantity")
    if quantity is None:
        problems.append("value[x]: valueQuantity (vs-2: a value or a dataAbsentReason)")
    else:
        if not isinstance(quantity.get("value"), int | float):
            problems.append("valueQuantity.value: 1..1, a decimal")
        if not quantity.get("unit"):
            problems.append("valueQuantity.unit: 1..1")
        if quantity.get("system") != "http://unitsofmeasure.org":
            problems.append("valueQuantity.system: 1..1, fixed http://unitsofmeasure.org")
        if quantity.get("code") not in units:
            problems.append(f"valueQuantity.code: 1..1, one of {sorted(units)}")
        if "dataAbsentReason" in obs:
            problems.append("vs-3 / obs-6: no dataAbsentReason beside a value")
    if profile not in obs.get("meta", {}).get("profile", []):
        problems.append(f"meta.profile: {profile}")
    return problems


def _vitals(bundle: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        codes = [c["code"] for c in resource.get("code", {}).get("coding", [])]
        for kind in VITALS:
            if kind in codes:
                out.append((kind, resource))
    return out


@pytest.mark.parametrize("transaction", [False, True], ids=["collection", "transaction"])
def test_temperature_and_weight_follow_the_vital_signs_profiles(
    journal: Journal, transaction: bool
) -> None:
    _journal_with_readings(journal)
    bundle = exchange.fhir_bundle(journal, transaction=transaction)
    urls = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    vitals = _vitals(bundle)
    assert {kind for kind, _ in vitals} == {"temperature", "weight"}
    units = set()
    for kind, obs in vitals:
        assert vital_sign_problems(obs, kind, urls) == [], obs
        units.add(obs["valueQuantity"]["code"])
    assert {"Cel", "[degF]", "kg", "[lb_av]"} <= units  # both units of each, as entered
    others = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] ==
              "Observation" and e["resource"] not in [o for _, o in vitals]]  # fmt: skip
    assert others and all("meta" not in o for o in others)  # no profile claimed elsewhere


def test_the_profile_check_finds_each_broken_rule(journal: Journal) -> None:
    """Each rule above is checked for real: breaking it is reported."""
    journal.add_entry(journal.draft_from_text("weight", "154lb", time=dt.time(7, 5)))
    bundle = exchange.fhir_bundle(journal)
    urls = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    [(kind, good)] = _vitals(bundle)
    assert vital_sign_problems(good, kind, urls) == []
    breaks = {
        "status": lambda o: o.pop("status"),
        "category": lambda o: o["category"][0]["coding"][0].update(code="survey"),
        "code": lambda o: o["code"]["coding"][0].update(code="3141-9"),
        "subject": lambda o: o["subject"].update(reference="urn:uuid:nobody"),
        "effective[x]": lambda o: o.pop("effectiveDateTime"),
        "vs-1": lambda o: o.update(effectiveDateTime="2026"),
        "value[x]": lambda o: o.pop("valueQuantity"),
        "valueQuantity.system": lambda o: o["valueQuantity"].pop("system"),
        "valueQuantity.code": lambda o: o["valueQuantity"].update(code="lb"),
        "meta.profile": lambda o: o.pop("meta"),
    }
    for rule, breaking in breaks.items():
        bad = copy.deepcopy(good)
        breaking(bad)
        assert any(p.startswith(rule) for p in vital_sign_problems(bad, kind, urls)), rule


# --- the UTC offset where and when an entry was made ----------------------------------

# POSIX rules (no time-zone database needed): Berlin +01:00, +02:00 in summer; New York
# -05:00, -04:00 in summer, with the changes of 2025 and 2026.
BERLIN = "CET-1CEST,M3.5.0,M10.5.0/3"
NEW_YORK = "EST5EDT,M3.2.0,M11.1.0"


def _run(code: str, zone: str) -> str:
    """``code`` in a process of its own whose computer is in ``zone``."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TZ": zone}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _effective(bundle: dict[str, Any]) -> dict[str, str]:
    return {
        e["resource"].get("note", [{}])[0].get("text", ""): e["resource"]["effectiveDateTime"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }


def test_an_entry_keeps_the_offset_where_it_was_made_when_exported_elsewhere(
    tmp_path: Path,
) -> None:
    """Made in Berlin (+02:00 in July, +01:00 in January), exported on a computer in New
    York (-05:00 now, -04:00 in July): each reading keeps its own offset — also through
    the JSON and CSV files, imported on that other computer."""
    path = tmp_path / "berlin.sqlite3"
    _run(
        "import datetime as dt\n"
        "from mbc_journal.journal import Journal\n"
        f"with Journal.open({str(path)!r}) as j:\n"
        "    j.add_entry(j.draft('temperature', 38.4, time=dt.time(14, 0), note='summer'),"
        " day=dt.date(2026, 7, 15))\n"
        "    j.add_entry(j.draft('weight', 70, time=dt.time(9, 30), note='winter'),"
        " day=dt.date(2026, 1, 10))\n",
        BERLIN,
    )
    exported = _run(
        "import json\n"
        "from pathlib import Path\n"
        "from mbc_journal import exchange\n"
        "from mbc_journal.journal import Journal\n"
        f"folder = Path({str(tmp_path)!r})\n"
        "with Journal.open(folder / 'berlin.sqlite3') as j:\n"
        "    exchange.export(j, 'json', folder / 'j.json')\n"
        "    exchange.export(j, 'csv', folder / 'j.csv')\n"
        "    print(json.dumps(exchange.fhir_bundle(j)))\n"
        "for name in ('j.json', 'j.csv'):\n"
        "    with Journal.open(folder / (name + '.sqlite3')) as other:\n"
        "        exchange.import_file(other, folder / name)\n",
        NEW_YORK,
    )
    expected = {"summer": "2026-07-15T14:00:00+02:00", "winter": "2026-01-10T09:30:00+01:00"}
    assert _effective(json.loads(exported)) == expected
    for name in ("j.json", "j.csv"):  # the offset came through the file
        with Journal.open(tmp_path / f"{name}.sqlite3") as other:
            assert _effective(exchange.fhir_bundle(other)) == expected, name
    assert json.loads((tmp_path / "j.json").read_text("utf-8"))["version"] == 3
    assert "utc_offset_minutes" in (tmp_path / "j.csv").read_text("utf-8-sig").splitlines()[0]


def test_entries_from_before_fall_back_to_this_computers_rules_for_their_date(
    tmp_path: Path,
) -> None:
    """A journal of revision 0004 has no offsets: its times get this computer's offset
    for each date, daylight saving time as it was then (New York changed on 9 March
    2025), as before the offset was kept."""
    import shutil

    path = tmp_path / "old.sqlite3"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "journal-0004.sqlite3", path)
    out = _run(
        "import json\n"
        "from mbc_journal import exchange\n"
        "from mbc_journal.journal import Journal\n"
        f"with Journal.open({str(path)!r}) as j:\n"
        "    print(json.dumps(exchange.fhir_bundle(j)))\n",
        NEW_YORK,
    )
    times = {
        e["resource"]["effectiveDateTime"]
        for e in json.loads(out)["entry"]
        if "T" in e["resource"].get("effectiveDateTime", "")
    }
    assert "2025-03-06T08:30:00-05:00" in times  # before the change
    assert "2025-03-15T13:40:00-04:00" in times  # after it
    assert all(t.endswith(("-05:00", "-04:00")) for t in times)


def test_moving_an_entry_takes_the_offset_where_it_is_moved(journal: Journal) -> None:
    """Changing only the note keeps where an entry was made; a new day or time is
    logged here and now, so it takes this computer's offset for it."""
    entry = journal.add_entry(journal.draft("temperature", 37.8, time=dt.time(8, 0)))
    assert entry.utc_offset_minutes is not None
    with journal.write_session() as session:
        from mbc_journal.db.schema import EntryRow

        session.get(EntryRow, entry.id).utc_offset_minutes = 330  # made in India
    assert journal.update_entry(entry.id, note="after breakfast").utc_offset_minutes == 330
    moved = journal.update_entry(entry.id, time=dt.time(9, 0))
    assert moved.utc_offset_minutes == round(
        dt.datetime.combine(moved.local_date, dt.time(9, 0)).astimezone().utcoffset()
        .total_seconds() / 60
    )  # fmt: skip
    versions = journal.entry_versions(entry.id)
    assert [v.utc_offset_minutes for v in versions][-1] == 330  # kept with the version


def test_an_impossible_stored_offset_falls_back_to_this_computers_rules(
    journal: Journal,
) -> None:
    """A journal file changed by hand (an offset no time zone has) still exports."""
    from mbc_journal.db.schema import EntryRow

    entry = journal.add_entry(journal.draft("temperature", 37.8, time=dt.time(8, 0)))
    with journal.write_session() as session:
        session.get(EntryRow, entry.id).utc_offset_minutes = 5000
    [obs] = [e["resource"] for e in exchange.fhir_bundle(journal)["entry"][1:]]
    expected = dt.datetime.combine(entry.local_date, dt.time(8, 0)).astimezone()
    assert obs["effectiveDateTime"] == expected.isoformat(timespec="seconds")


@pytest.mark.parametrize("bad", ["2:00", "+02:00", "900", "12.5", "abc"])
def test_a_bad_utc_offset_in_a_file_is_one_sentence(
    journal: Journal, tmp_path: Path, bad: str
) -> None:
    from mbc_journal.errors import ValidationError

    (tmp_path / "in.csv").write_text(
        f"date,time,utc_offset_minutes,item_id,value\n{day_offset(1)},08:00,{bad},fatigue,4\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="Line 2: the UTC offset"):
        exchange.import_file(journal, tmp_path / "in.csv")
    for value in (bad, True, 1.5, 10_000):
        (tmp_path / "in.json").write_text(json.dumps({"format": "mbc-journal", "version": 3,
            "entries": [{"uid": "u1", "item_id": "fatigue", "local_date": str(day_offset(1)),
                         "value": 4, "utc_offset_minutes": value}]}), encoding="utf-8")  # fmt: skip
        with pytest.raises(ValidationError, match="Entry 1: its UTC offset"):
            exchange.import_file(journal, tmp_path / "in.json")
    assert journal.count_entries() == 0


def test_a_caregivers_rating_says_a_caregiver_observed_it_and_is_not_patient_reported(
    journal: Journal,
) -> None:
    """The patient-reported pain code (LOINC 72514-3, "... - Reported") is the
    patient's own rating; a caregiver's rating of the same pain is observed, not
    reported, and says so."""
    sam = Person("Sam", Role.CAREGIVER)
    journal.add_entry(journal.draft("bone_pain", 6, note="patient pain"))
    journal.add_entry(journal.draft("bone_pain", 4, note="sam pain"), person=sam)
    journal.add_entry(journal.draft("fatigue", 5, note="sam fatigue"), person=sam)
    journal.add_entry(journal.draft("fatigue", 3, note="patient fatigue"))
    journal.add_entry(journal.draft("seizure", 1, note="sam seizure"), person=sam)
    bundle = exchange.fhir_bundle(journal)
    assert schema_errors(bundle) == []
    obs = {
        e["resource"]["note"][0]["text"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }

    def loinc(o: dict[str, Any]) -> list[str]:
        return [c["code"] for c in o["code"]["coding"] if c["system"] == "http://loinc.org"]

    assert loinc(obs["patient pain"]) == ["72514-3"]
    assert loinc(obs["sam pain"]) == []
    assert obs["sam pain"]["code"]["coding"][0]["code"] == "bone_pain"  # still which pain
    for name in ("sam pain", "sam fatigue", "sam seizure"):
        text = obs[name]["method"]["text"]
        assert "caregiver" in text and "atient-reported" not in text, (name, text)
    for name in ("patient pain", "patient fatigue"):
        assert obs[name]["method"]["text"].startswith("Patient-reported rating from 0")
    assert "0 (none) to 10 (worst imaginable)" in obs["sam pain"]["method"]["text"]
    assert obs["sam seizure"]["method"]["text"].startswith("Number of times")


def test_a_transaction_deletes_on_the_server_what_was_deleted_in_the_journal(
    journal: Journal, tmp_path: Path
) -> None:
    """A server that ingested last month's transaction still holds an entry deleted since;
    the next transaction says DELETE for it (and only in a transaction: a collection is
    a picture of what the journal holds)."""
    _journal_with_readings(journal)
    gone = journal.add_entry(journal.draft("cough", 6), day=day_offset(3))
    before = exchange.fhir_bundle(journal, transaction=True)
    ids = exchange.FhirIds.of(journal)
    url = f"Observation/{ids.observation(gone.uid)}"
    assert url in [e["request"]["url"] for e in before["entry"]]
    journal.delete_entry(gone.id)
    after = exchange.fhir_bundle(journal, transaction=True)
    deletes = [e for e in after["entry"] if e["request"]["method"] == "DELETE"]
    assert deletes == [{"request": {"method": "DELETE", "url": url}}]
    assert schema_errors(after) == []
    puts = [e["request"]["url"] for e in after["entry"] if e["request"]["method"] == "PUT"]
    assert url not in puts and len(puts) == len(before["entry"]) - 1
    collection = exchange.fhir_bundle(journal)
    assert all("request" not in e for e in collection["entry"])
    # and as a person makes it: the export command (a tester found it crashed here)
    count = exchange.export(journal, "fhir-transaction", tmp_path / "t.json")
    written = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert count == journal.count_entries() and written["entry"][-1] == deletes[0]
    assert ids.observation(gone.uid) not in [e["resource"]["id"] for e in collection["entry"]]


def test_a_caregiver_is_coded_as_a_caregiver(journal: Journal) -> None:
    _journal_with_readings(journal)
    bundle = exchange.fhir_bundle(journal)
    [carer] = [e["resource"] for e in bundle["entry"]
               if e["resource"]["resourceType"] == "RelatedPerson"]  # fmt: skip
    codes = {(c["system"], c["code"]) for c in carer["relationship"][0]["coding"]}
    assert ("http://snomed.info/sct", "133932002") in codes
    assert ("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "CAREGIVER") in codes
