"""Personal links: a physician sees only their own duties and requests, a hospital only its own page;
neither reaches the office's pages or another's forms, and every form checks its CSRF token."""

from __future__ import annotations

import datetime as dt
import json
import re

from fastapi.testclient import TestClient

from oncall.services.swaps import list_swaps
from oncall.storage import Store
from oncall.storage.web import WebStore
from tests.factories import greedy_roster, make_scenario
from tests.web.conftest import csrf_of

WEEK = dt.date(2026, 12, 28)


def _published(store: Store, web: WebStore) -> int:
    scenario = make_scenario(WEEK, 7)
    record = store.create_scenario(scenario)
    store.publish(store.add_revision(record.id, 1, greedy_roster(scenario), 0).id, None)
    collecting = store.create_scenario(make_scenario(dt.date(2027, 1, 4), 7))
    web.set_deadline(collecting.id, dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    return collecting.id


def _open(client: TestClient, web: WebStore, kind: str, subject: str) -> TestClient:
    _, token = web.issue_link(kind, subject)  # type: ignore[arg-type]
    other = TestClient(client.app, follow_redirects=False)
    assert other.get(f"/my/{token}").status_code == 303
    return other


def test_a_physician_sees_only_their_own_duties(client: TestClient, store: Store, web: WebStore) -> None:
    _published(store, web)
    aoki = _open(client, web, "physician", "n1a").get("/me?month=2026-12").text
    ishida = _open(client, web, "physician", "n1b").get("/me?month=2026-12").text
    roster = greedy_roster(make_scenario(WEEK, 7))
    own = [d for d in roster.duties if "n1a" in (d.primary, d.secondary)]
    assert own and aoki.count('class="card duty"') == len(own)
    assert ishida.count('class="card duty"') == len([d for d in roster.duties if "n1b" in (d.primary, d.secondary)])
    shown = set(re.findall(r'name="duty" value="([^"]+)"', aoki))
    assert shown == {d.id for d in own}, "only the link's own duties, never a colleague's"


def test_a_physician_cannot_touch_another_physicians_requests(client: TestClient, store: Store, web: WebStore) -> None:
    collecting = _published(store, web)
    aoki = _open(client, web, "physician", "n1a")
    token = csrf_of(aoki.get("/me?month=2026-12").text)
    r = aoki.post(
        f"/me/requests/{collecting}/absences", data={"start": "2027-01-05", "end": "2027-01-05", "csrf_token": token}
    )
    assert r.status_code == 303
    _, scenario = store.get_document(collecting)
    absent = {p.id: len(p.absences) for p in scenario.physicians}
    assert absent["n1a"] == 1 and sum(absent.values()) == 1, "the entry went to the link's physician only"
    forged = aoki.post(f"/me/requests/{collecting}/absences", data={"start": "2027-01-06", "end": "2027-01-06"})
    assert forged.status_code == 403, "no CSRF token, no change"
    unknown = store.create_scenario(
        make_scenario(dt.date(2027, 3, 1), 2).model_copy(update={"physicians": make_scenario().physicians[3:]})
    )
    web.set_deadline(unknown.id, dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    r = aoki.post(
        f"/me/requests/{unknown.id}/absences", data={"start": "2027-03-01", "end": "2027-03-01", "csrf_token": token}
    )
    assert r.status_code == 403, "a scenario that does not name the physician"


def test_a_hospital_cannot_see_physicians_pages_nor_the_office(client: TestClient, store: Store, web: WebStore) -> None:
    collecting = _published(store, web)
    hospital = _open(client, web, "hospital", "central")
    page = hospital.get("/me?month=2026-12")
    assert page.status_code == 200 and "中央病院" in page.text and 'class="card duty"' not in page.text
    token = csrf_of(page.text)
    assert hospital.post(f"/me/requests/{collecting}/absences", data={"csrf_token": token}).status_code == 403
    assert hospital.post("/me/give", data={"csrf_token": token}).status_code == 403
    for url in ("/office", f"/office/scenarios/{collecting}", "/office/audit"):
        assert hospital.get(url).status_code == 403, url
    physician = _open(client, web, "physician", "n1a")
    assert physician.post(f"/office/scenarios/{collecting}/deadline", data={"csrf_token": token}).status_code == 403


def test_without_a_link_no_personal_page(client: TestClient) -> None:
    assert client.get("/me").status_code == 403
    assert client.post("/me/subscribe", data={"csrf_token": "x"}).status_code == 403


def test_a_give_away_goes_to_the_office_for_approval(
    client: TestClient, store: Store, web: WebStore, office: str
) -> None:
    from tests.web.conftest import sign_in

    _published(store, web)
    aoki = _open(client, web, "physician", "n1a")
    page = aoki.get("/me?month=2026-12").text
    form = re.search(
        r'name="scenario_id" value="(\d+)">\s*<input type="hidden" name="duty" value="([^"]+)">\s*'
        r'<input type="hidden" name="role" value="(\w+)">.*?<option value="(\w+)">',
        page,
        re.S,
    )
    assert form, "a duty of n1a with a colleague who may take it"
    sid, duty, role, to = form.groups()
    data = {"scenario_id": sid, "duty": duty, "role": role, "to": to, "csrf_token": csrf_of(page)}
    r = aoki.post("/me/give", data=data)
    assert r.status_code == 200 and "承認を待っています" in r.text
    sign_in(client, office)
    swaps = client.get("/office/swaps").text
    assert "proposed" in swaps and duty in swaps
    swap_id = re.search(r'action="/office/swaps/(\d+)/approve"', swaps)
    assert swap_id
    approved = client.post(f"/office/swaps/{swap_id.group(1)}/approve", data={"csrf_token": csrf_of(swaps)})
    assert approved.status_code == 303
    draft = store.list_revisions(int(sid))[0]
    assert not draft.published, "approval makes a draft; publishing stays the office's act"
    _, text = store.get_roster(draft.id)
    moved = next(d for d in json.loads(text)["duties"] if d["id"] == duty)
    assert moved[role] == to


def test_a_swap_is_checked_and_sent_to_the_office_or_refused_naming_the_rule(
    client: TestClient, store: Store, web: WebStore
) -> None:
    _published(store, web)
    aoki = _open(client, web, "physician", "n1a")
    page = aoki.get("/me?month=2026-12").text
    mine = re.findall(r'<option value="([^"|]+\|(?:primary|secondary))">', page)
    theirs = re.findall(r'<option value="([^"|]+\|(?:primary|secondary)\|\w+)">', page)
    assert mine and theirs, "my duties and the colleagues' offered for a trade"
    assert not any("|n1a" in value for value in theirs), "never my own duty on the other side"
    sid = re.search(r'action="/me/swap">\s*<input[^>]+>\s*<input type="hidden" name="scenario_id" value="(\d+)"', page)
    assert sid
    outcomes = []
    for other in theirs[:6]:
        data = {"scenario_id": sid.group(1), "mine": mine[0], "theirs": other, "csrf_token": csrf_of(page)}
        r = aoki.post("/me/swap", data=data)
        outcomes.append(r.status_code)
        assert (r.status_code, "承認を待っています" in r.text) in ((200, True), (422, False)), r.text[-500:]
        if r.status_code == 422:
            assert "に違反する" in r.text, "a refused trade names the broken rule"
    swaps = list_swaps(store, int(sid.group(1)))
    assert len(swaps) == outcomes.count(200) and all(s.proposal["kind"] == "swap" for s in swaps)
    assert {200, 422} <= set(outcomes), outcomes  # some trades fit the rules, some do not


def test_one_tap_subscribes_to_a_feed_of_my_own_duties(client: TestClient, store: Store, web: WebStore) -> None:
    import icalendar

    _published(store, web)
    aoki = _open(client, web, "physician", "n1a")
    page = aoki.post("/me/subscribe", data={"csrf_token": csrf_of(aoki.get("/me?month=2026-12").text)})
    assert page.status_code == 200 and "<svg" in page.text, "a QR code for a desktop browser"
    webcal = re.search(r'href="(webcal://[^"]+/ical/([^"]+)\.ics)"', page.text)
    assert webcal
    feed = client.get(f"/ical/{webcal.group(2)}.ics")
    assert feed.status_code == 200
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    roster = greedy_roster(make_scenario(WEEK, 7))
    assert len(events) == sum((d.primary == "n1a") + (d.secondary == "n1a") for d in roster.duties) > 0
    hospital = _open(client, web, "hospital", "central")
    page = hospital.post("/me/subscribe", data={"csrf_token": csrf_of(hospital.get("/me?month=2026-12").text)})
    token = re.search(r'href="webcal://[^"]+/ical/([^"]+)\.ics"', page.text)
    assert token and "VEVENT" in client.get(f"/ical/{token.group(1)}.ics").text
