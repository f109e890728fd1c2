"""The office's pages without a browser: the overview, new scenarios, deadlines and the collection forms
give the API's validation messages, and only a signed-in clerk reaches them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oncall.services.scenarios import add_entry
from oncall.storage import Store
from tests.web.conftest import csrf_of, sign_in


def _new_sample(client: TestClient, sample: str = "small") -> str:
    token = csrf_of(client.get("/office").text)
    r = client.post("/office/scenarios", data={"sample": sample, "csrf_token": token})
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def test_overview_lists_a_new_scenario_as_collecting_with_its_deadline(client: TestClient, office: str) -> None:
    sign_in(client, office)
    page = _new_sample(client)
    html = client.get(page).text
    r = client.post(f"{page}/deadline", data={"deadline": "2026-11-20T17:00", "csrf_token": csrf_of(html)})
    assert r.status_code == 303
    overview = client.get("/office").text
    assert "希望受付中" in overview and "2026-11-20 17:00" in overview
    assert "collecting requests" in client.get("/office?lang=en").text
    assert "collecting requests" in client.get("/office").text, "the language choice is remembered"


def test_an_invalid_upload_shows_the_apis_messages_and_stores_nothing(
    client: TestClient, office: str, store: Store
) -> None:
    sign_in(client, office)
    token = csrf_of(client.get("/office").text)
    bad = b"name: x\nperiod: {start: '2027-01-01', end: '2026-12-01'}\ndistricts: []\n"
    r = client.post("/office/scenarios", data={"csrf_token": token}, files={"file": ("bad.yaml", bad)})
    assert r.status_code == 422
    assert "period" in r.text and "districts" in r.text
    assert store.list_scenarios() == []


def test_absence_form_adds_and_refuses_with_the_api_message(client: TestClient, office: str, store: Store) -> None:
    sign_in(client, office)
    page = _new_sample(client) + "/physicians/p001"
    html = client.get(page).text
    ok = client.post(f"{page}/absences", data={"start": "2026-12-07", "end": "2026-12-08", "csrf_token": csrf_of(html)})
    assert ok.status_code == 303
    _, scenario = store.get_document(store.list_scenarios()[0].id)
    assert [str(a.start) for a in scenario.physicians[0].absences][-1] == "2026-12-07"
    bad = client.post(
        f"{page}/absences", data={"start": "2026-12-09", "end": "2026-12-01", "csrf_token": csrf_of(html)}
    )
    assert bad.status_code == 422
    assert re.search(r"end.*(before|after)", bad.text), bad.text[-800:]


def test_rules_form_refuses_a_value_out_of_range(client: TestClient, office: str) -> None:
    sign_in(client, office)
    page = _new_sample(client)
    html = client.get(page).text
    form = {"min_rest_hours": "999", "min_rest_hours_employed": "9", "max_consecutive_days": "2"}
    r = client.post(f"{page}/rules", data=form | {"csrf_token": csrf_of(html)})
    assert r.status_code == 422 and "rules.min_rest_hours" in r.text


def test_every_office_page_and_form_refuses_a_stranger_and_a_forged_token(
    client: TestClient, office: str, store: Store
) -> None:
    sign_in(client, office)
    page = _new_sample(client)
    sid = page.rsplit("/", 1)[1]
    html = client.get(page).text
    forged = client.post(f"{page}/deadline", data={"deadline": "2026-11-20T17:00", "csrf_token": "forged"})
    assert forged.status_code == 403
    gets = [
        "/office",
        page,
        f"{page}/physicians/p001",
        f"/office/scenarios/{sid}/repairs",
        "/office/swaps",
        "/office/audit",
    ]
    posts = [
        f"{page}/deadline",
        f"{page}/rules",
        f"{page}/solves",
        f"{page}/physicians/p001/absences",
        "/office/scenarios",
    ]
    stranger = TestClient(client.app, follow_redirects=False)
    r = client.post(f"{page}/solves", data={"time_limit": "1", "csrf_token": csrf_of(html)})
    job = r.headers["location"]
    assert client.post(f"{job}/cancel", data={"csrf_token": csrf_of(html)}).status_code == 303
    assert store.get_job(int(job.rsplit("/", 1)[1])).state in ("cancelled", "succeeded", "failed")
    gets += [job, f"{job}/progress", "/office/revisions/1", "/office/revisions/1/cell?duty=x&role=primary"]
    posts += [f"{job}/cancel", "/office/revisions/1/edit", "/office/revisions/1/save", "/office/revisions/1/publish"]
    posts += ["/office/swaps/1/approve"]
    for url in gets:
        assert stranger.get(url).headers.get("location") == "/login", url
    for url in posts:
        assert stranger.post(url, data={"csrf_token": csrf_of(html)}).status_code == 403, url


def _two_drafts(store: Store) -> tuple[int, int, int]:
    from tests.factories import greedy_roster, make_scenario

    scenario = make_scenario(days=3)
    record = store.create_scenario(scenario)
    roster = greedy_roster(scenario)
    first = store.add_revision(record.id, 1, roster, 0).id
    second = store.add_revision(record.id, 1, roster, 0).id
    return record.id, first, second


def test_publish_page_gives_the_apis_409_for_a_stale_base(client: TestClient, office: str, store: Store) -> None:
    sid, first, second = _two_drafts(store)
    sign_in(client, office)
    page = client.get(f"/office/revisions/{second}").text  # reviewed while nothing was published
    store.publish(first, None)  # meanwhile another clerk publishes the first
    r = client.post(f"/office/revisions/{second}/publish", data={"base": "", "csrf_token": csrf_of(page)})
    assert r.status_code == 409 and "公開できません" in r.text
    assert store.get_published(sid).id == first, "a refused publication changes nothing"
    fresh = client.get(f"/office/revisions/{second}").text
    r = client.post(f"/office/revisions/{second}/publish", data={"base": str(first), "csrf_token": csrf_of(fresh)})
    assert r.status_code == 303 and store.get_published(sid).id == second


def test_publish_page_rechecks_against_the_newest_version(client: TestClient, office: str, store: Store) -> None:
    from oncall.model import Absence

    sid, first, _ = _two_drafts(store)
    _, text = store.get_roster(first)
    holder = json.loads(text)["duties"][0]["primary"]
    day = json.loads(text)["duties"][0]["start"][:10]
    add_entry(store, sid, holder, "absences", Absence(start=day, end=day))  # declared after the solve
    sign_in(client, office)
    page = client.get(f"/office/revisions/{first}").text
    r = client.post(f"/office/revisions/{first}/publish", data={"base": "", "csrf_token": csrf_of(page)})
    assert r.status_code == 409 and "[absence]" in r.text
    assert store.get_scenario(sid).published_revision_id is None


def test_samples_are_found_in_the_folder_the_server_runs_from(
    client: TestClient, office: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A non-editable install has no samples beside the package: those of the clone it runs in are offered."""
    from api.pages import office as office_pages

    (tmp_path / "samples").mkdir()
    shutil.copy(Path(__file__).resolve().parents[2] / "samples" / "small.yaml", tmp_path / "samples" / "mine.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(office_pages, "SAMPLE_FOLDERS", (tmp_path / "nowhere", Path("samples")))
    sign_in(client, office)
    assert '<option value="mine">' in client.get("/office").text
    assert _new_sample(client, "mine").startswith("/office/scenarios/")


def test_physician_settings_form_saves_caps_roles_districts_and_share(
    client: TestClient, office: str, store: Store
) -> None:
    sign_in(client, office)
    page = _new_sample(client) + "/physicians/p001"
    html = client.get(page).text
    assert 'name="cap_duties"' in html and 'name="roles"' in html and 'name="share"' in html
    _, before = store.get_document(store.list_scenarios()[0].id)
    district = before.districts[-1].id
    form = {"cap_duties": "4", "cap_nights": "", "roles": ["secondary"], "districts": [district], "share": "0.5"}
    r = client.post(page, data=form | {"csrf_token": csrf_of(html)})
    assert r.status_code == 303 and r.headers["location"].endswith("?saved=1")
    assert "保存しました。" in client.get(r.headers["location"]).text
    record, scenario = store.get_document(store.list_scenarios()[0].id)
    p001 = scenario.physicians[0]
    assert record.version == 2 and p001.caps.duties == 4 and p001.caps.nights is None
    assert p001.roles == ["secondary"] and p001.districts == [district] and p001.share == 0.5


def test_physician_settings_form_refuses_with_the_scenarios_message(
    client: TestClient, office: str, store: Store
) -> None:
    sign_in(client, office)
    page = _new_sample(client) + "/physicians/p001"
    html = client.get(page).text
    r = client.post(page, data={"roles": ["primary"], "share": "11", "cap_duties": "-1", "csrf_token": csrf_of(html)})
    assert r.status_code == 422
    assert "physicians[0].share: Input should be less than or equal to 10" in r.text
    assert "physicians[0].caps.duties: Input should be greater than or equal to 0" in r.text
    no_role = client.post(page, data={"share": "1", "csrf_token": csrf_of(html)})
    assert no_role.status_code == 422 and "physicians[0].roles: must accept at least one role" in no_role.text
    assert store.list_scenarios()[0].version == 1, "nothing stored"
