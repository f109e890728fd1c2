"""The cover plan in stored rosters: read alone over the API, re-checked when publishing a stale revision,
and planned by the job runner's solves and repairs (the same service step as ``oncall solve``)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from oncall.model import Absence
from oncall.services import publishing
from oncall.services.solving import prepare_stored_job
from oncall.storage import Store
from tests.api.helpers import assert_error, publish_solved
from tests.api.test_repairs import _wait as wait_for_repair
from tests.solving import steady
from tests.test_cover import cover_scenario, solved


def test_the_cover_plan_of_a_revision_is_read_alone_and_404_without_one(
    client: TestClient, store: Store, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    s = cover_scenario()
    sid = store.create_scenario(s).id
    roster = solved(s)
    with_plan = store.add_revision(sid, 1, roster, 0).id
    without = store.add_revision(sid, 1, roster.model_copy(update={"cover": None}), 0).id
    r = client.get(f"/revisions/{with_plan}/cover", headers=staff)
    assert r.status_code == 200, r.text
    assert roster.cover is not None and r.json() == roster.cover.model_dump(mode="json")
    assert_error(client.get(f"/revisions/{without}/cover", headers=staff), 404, "not_found", "revision_id")
    assert client.get(f"/revisions/{with_plan}/cover", headers=hospital).status_code == 403  # absences are private


def test_a_hospital_key_reads_the_roster_without_its_cover_plan(
    client: TestClient, store: Store, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    """The cover plan tells when each 主治医 is away: the whole roster, JSON or XLSX, leaves it out for hospitals."""
    s = cover_scenario()
    sid = store.create_scenario(s).id
    roster = solved(s)
    assert roster.cover is not None
    rid = store.add_revision(sid, 1, roster, 0).id
    publishing.publish_revision(store, rid, None, None, "")
    for url in (f"/revisions/{rid}", f"/scenarios/{sid}/published"):
        seen_by_staff = client.get(url, headers=staff)
        seen_by_hospital = client.get(url, headers=hospital)
        assert seen_by_staff.status_code == seen_by_hospital.status_code == 200
        assert seen_by_staff.json()["cover"] is not None
        assert seen_by_hospital.json().get("cover") is None
        assert seen_by_hospital.json()["duties"] == seen_by_staff.json()["duties"]
    xlsx = {"Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    sheets = openpyxl.load_workbook(io.BytesIO(client.get(f"/revisions/{rid}", headers={**hospital, **xlsx}).content))
    staff_sheets = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/revisions/{rid}", headers={**staff, **xlsx}).content)
    )
    assert len(sheets.sheetnames) < len(staff_sheets.sheetnames)


def test_publishing_a_stale_revision_rechecks_its_cover_plan(store: Store) -> None:
    s = cover_scenario()
    sid = store.create_scenario(s).id
    rid = store.add_revision(sid, 1, solved(s), 0).id
    later = s.model_copy(deep=True)  # since the roster was made, a 主治医 declared another absence
    later.physician("n2a").absences.append(Absence(start=dt.date(2027, 1, 8), end=dt.date(2027, 1, 8)))
    store.replace_scenario(sid, later, 1)
    with pytest.raises(publishing.StalePublication) as caught:
        publishing.publish_revision(store, rid, None, None)
    assert any("[cover_answered]" in message for _, message in caught.value.details), caught.value.details
    assert store.get_scenario(sid).published_revision_id is None  # nothing published


def test_a_stored_solve_job_plans_the_cover_when_the_scenario_has_panels(store: Store) -> None:
    s = cover_scenario()
    sid = store.create_scenario(s).id
    job = store.create_job(sid, 60, 0)
    solved_job = prepare_stored_job(store, job, steady(2))
    assert solved_job.roster.cover is not None and solved_job.roster.cover.pairs
    assert not [v for v in solved_job.report.violations if v.rule.startswith("cover_")]


def test_an_api_solve_and_repair_plan_the_cover_and_the_repair_keeps_the_pairs(
    client: TestClient, staff: dict[str, str]
) -> None:
    sid, rid = publish_solved(client, staff, cover_scenario())
    plan = client.get(f"/revisions/{rid}/cover", headers=staff)
    assert plan.status_code == 200, plan.text
    pairs = {(p["principal"], p["deputy"]) for p in plan.json()["pairs"]}
    assert {p for p, _ in pairs} == {"n1a", "n2a", "s1a", "s2a"}

    change = {"kind": "absence", "physician": "n2a", "start": "2027-01-08", "end": "2027-01-08"}
    body = {"base": rid, "changes": [change], "now": "2027-01-04T09:00:00", "time_limit": 5}
    r = client.post(f"/scenarios/{sid}/repairs", json=body, headers=staff)
    assert r.status_code == 202, r.text
    repair = wait_for_repair(client, staff, r.json()["id"])
    assert repair["state"] == "succeeded", repair
    cover = repair["summary"]["cover"]
    assert cover["pairs_dropped"] == [] and cover["answers_new"] >= 1, cover
    after = client.get(f"/revisions/{repair['revision_id']}/cover", headers=staff).json()
    assert {(p["principal"], p["deputy"]) for p in after["pairs"]} == pairs
    assert any(a["principal"] == "n2a" and a["answerer"] for a in after["answers"])
