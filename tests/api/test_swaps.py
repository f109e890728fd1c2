"""Swaps over HTTP: refused with the rule named, or approved into a draft that changes nothing until published."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from oncall.roster import Roster
from oncall.swaps import GiveAway
from tests.api.helpers import assert_error, publish_solved, upload
from tests.api.helpers import first_give_away as _first
from tests.factories import make_scenario


def _roster(client: TestClient, headers: dict[str, str], path: str) -> Roster:
    return Roster.model_validate_json(client.get(path, headers=headers).content)


def _propose(client: TestClient, headers: dict[str, str], sid: int, proposal: GiveAway, **extra: Any) -> Any:
    body = {"proposal": proposal.model_dump(mode="json"), **extra}
    return client.post(f"/scenarios/{sid}/swaps", json=body, headers=headers)


def test_a_swap_that_breaks_the_rest_is_refused_with_the_rule_named(client: TestClient, staff: dict[str, str]) -> None:
    scenario = make_scenario(days=3)
    scenario.rules.min_rest_hours = scenario.rules.min_rest_hours_employed = 12
    sid, rid = publish_solved(client, staff, scenario)
    roster = _roster(client, staff, f"/revisions/{rid}")
    proposal = _first(scenario, roster, allowed=False)
    r = _propose(client, staff, sid, proposal, lang="en")
    error = assert_error(r, 422, "rule_broken", "min_rest")
    assert "min_rest" in error["message"]
    assert client.get(f"/scenarios/{sid}/swaps", headers=staff).json() == []
    actions = [e["action"] for e in client.get("/audit", params={"kind": "swap"}, headers=staff).json()]
    assert actions == []  # a refused proposal changes nothing


def test_an_allowed_swap_becomes_a_draft_is_audited_and_changes_nothing_until_published(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    scenario = make_scenario(days=3)
    sid, rid = publish_solved(client, staff, scenario)
    published = client.get(f"/scenarios/{sid}/published", headers=staff).content
    roster = Roster.model_validate_json(published)
    proposal = _first(scenario, roster, allowed=True)

    r = _propose(client, staff, sid, proposal, requested_by=proposal.physician, reason="法事")
    assert r.status_code == 201, r.text
    swap = r.json()
    assert (
        swap["state"] == "proposed" and swap["base_revision_id"] == rid and swap["requested_by"] == proposal.physician
    )
    assert r.headers["Location"] == f"/swaps/{swap['id']}"
    assert_error(client.post(f"/swaps/{swap['id']}/approve", headers=hospital), 403, "forbidden")

    r = client.post(f"/swaps/{swap['id']}/approve", json={"note": "了承"}, headers=staff)
    assert r.status_code == 200, r.text
    approved = r.json()
    assert (
        approved["state"] == "approved" and approved["note"] == "了承" and approved["decided_by"].endswith("(office)")
    )
    draft = approved["revision_id"]
    assert draft is not None
    # The published roster has not moved: same revision, same bytes.
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["published_revision_id"] == rid
    assert client.get(f"/scenarios/{sid}/published", headers=staff).content == published
    info = client.get(f"/revisions/{draft}/info", headers=staff).json()
    assert info["published"] is False and info["violations"] == 0 and info["job_id"] is None
    diff = client.get(f"/revisions/{draft}/diff", params={"against": rid}, headers=staff).json()
    assert [(c["duty"], c["changes"]) for c in diff["changes"]] == [
        (proposal.duty, [{"role": "primary", "before": proposal.physician, "after": proposal.to}])
    ]
    assert_error(client.post(f"/swaps/{swap['id']}/approve", headers=staff), 409, "conflict", "swap_id")

    entries = client.get("/audit", params={"scenario_id": sid}, headers=staff).json()
    by_action = {e["action"]: e for e in entries}
    assert {"swap.propose", "swap.approve", "revision.create", "publication.create"} <= by_action.keys()
    assert by_action["swap.propose"]["reason"] == "法事" and by_action["swap.approve"]["reason"] == "了承"
    assert by_action["swap.approve"]["detail"]["revision"] == draft
    assert by_action["swap.propose"]["actor"].endswith("(office)")

    # Published through the usual path, with its base; then undone by a new draft.
    assert client.post(f"/revisions/{draft}/publish", json={"base": rid}, headers=staff).status_code == 200
    r = client.post(f"/swaps/{swap['id']}/undo", headers=staff)
    assert r.status_code == 200, r.text
    undo = r.json()["undo_revision_id"]
    assert r.json()["state"] == "undone" and r.json()["note"] == "了承"
    assert client.post(f"/revisions/{undo}/publish", json={"base": draft}, headers=staff).status_code == 200
    after = _roster(client, staff, f"/scenarios/{sid}/published")
    assert [(d.primary, d.secondary) for d in after.duties] == [(d.primary, d.secondary) for d in roster.duties]
    assert_error(client.post(f"/swaps/{swap['id']}/undo", headers=staff), 409, "conflict", "swap_id")


def test_refuse_withdraw_and_undo_of_an_unpublished_swap(client: TestClient, staff: dict[str, str]) -> None:
    scenario = make_scenario(days=3)
    sid, _ = publish_solved(client, staff, scenario)
    roster = _roster(client, staff, f"/scenarios/{sid}/published")
    proposal = _first(scenario, roster, allowed=True)
    first = _propose(client, staff, sid, proposal).json()["id"]
    second = _propose(client, staff, sid, proposal).json()["id"]
    third = _propose(client, staff, sid, proposal).json()["id"]

    r = client.post(f"/swaps/{first}/refuse", json={"note": "人手不足"}, headers=staff)
    assert r.status_code == 200 and r.json()["state"] == "refused"
    assert client.post(f"/swaps/{second}/withdraw", headers=staff).json()["state"] == "withdrawn"
    body = assert_error(client.post(f"/swaps/{first}/approve", headers=staff), 409, "conflict")
    assert body["message"] == f"swap {first} is refused: only a proposed swap can be approved"
    body = assert_error(client.post(f"/swaps/{first}/withdraw", headers=staff), 409, "conflict")
    assert body["message"].endswith("only a proposed swap can be withdrawn")
    states = {s["id"]: s["state"] for s in client.get(f"/scenarios/{sid}/swaps", headers=staff).json()}
    assert states == {first: "refused", second: "withdrawn", third: "proposed"}
    listed = client.get(f"/scenarios/{sid}/swaps", params={"state": "proposed"}, headers=staff).json()
    assert [s["id"] for s in listed] == [third]

    assert client.post(f"/swaps/{third}/approve", headers=staff).status_code == 200
    # Approved but never published: there is nothing in the published roster to undo.
    assert_error(client.post(f"/swaps/{third}/undo", headers=staff), 409, "conflict", "swap_id")
    body = assert_error(client.post(f"/swaps/{second}/undo", headers=staff), 409, "conflict", "swap_id")
    assert body["message"] == f"swap {second} is withdrawn: only an approved swap can be undone"


def test_swap_errors(client: TestClient, staff: dict[str, str]) -> None:
    unpublished = upload(client, staff, make_scenario(days=2))["id"]
    proposal = GiveAway(duty="north-20270104T0900Z", role="primary", physician="n1a", to="n1b")
    assert_error(_propose(client, staff, unpublished, proposal), 409, "conflict", "scenario_id")
    assert_error(_propose(client, staff, 999, proposal), 404, "not_found", "scenario_id")
    assert_error(client.get("/swaps/999", headers=staff), 404, "not_found", "swap_id")
    assert_error(client.post("/swaps/999/approve", headers=staff), 404, "not_found", "swap_id")

    sid, _ = publish_solved(client, staff, make_scenario(days=2))
    wrong = GiveAway(duty="north-nope", role="primary", physician="n1a", to="n1b")
    assert_error(_propose(client, staff, sid, wrong), 422, "invalid_change", "proposal.duty")
    assert_error(_propose(client, staff, sid, proposal, requested_by="nobody"), 422, "invalid_change", "requested_by")
    r = client.post(f"/scenarios/{sid}/swaps", json={"proposal": {"kind": "trade"}}, headers=staff)
    assert_error(r, 422, "invalid_request")
