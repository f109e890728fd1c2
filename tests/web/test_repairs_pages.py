"""The office's repair pages without a browser: an absence starts a repair of the published roster, the page
shows every changed duty with its reason, and the draft is published through the grid's form."""

from __future__ import annotations

import datetime as dt
import re
import time

from fastapi.testclient import TestClient

from oncall.storage import Store
from tests.factories import greedy_roster, make_scenario
from tests.web.conftest import csrf_of, sign_in

DAY = dt.date(2027, 1, 5)


def _published(store: Store) -> tuple[int, int, str]:
    """A three-day scenario with a greedy roster published: (scenario id, revision id, a doctor of DAY)."""
    scenario = make_scenario(days=3)
    record = store.create_scenario(scenario)
    roster = greedy_roster(scenario)
    revision = store.add_revision(record.id, 1, roster, 0)
    store.publish(revision.id, None)
    doctor = next(d.primary for d in roster.duties if d.start.date() == DAY and d.primary)
    assert doctor is not None
    return record.id, revision.id, doctor


def _wait(client: TestClient, repair: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        html = client.get(repair + "/progress").text
        if re.search(r'data-testid="repair-state">(完了|失敗|中止)<', html):
            return html
        assert time.monotonic() < deadline, html
        time.sleep(0.1)


def test_an_absence_repairs_the_published_roster_and_the_draft_is_published(
    client: TestClient, office: str, store: Store
) -> None:
    sid, base, doctor = _published(store)
    sign_in(client, office)
    page = f"/office/scenarios/{sid}/repairs"
    html = client.get(page).text
    form = {"physician": doctor, "start": str(DAY), "end": str(DAY), "reason": "病欠", "time_limit": "20"}
    r = client.post(page, data=form | {"freeze": "2027-01-04T09:00", "csrf_token": csrf_of(html)})
    assert r.status_code == 303, r.text
    repair = r.headers["location"]
    assert re.fullmatch(r"/office/repairs/\d+", repair)
    done = _wait(client, repair)
    assert 'data-testid="repair-state">完了<' in done
    _, scenario = store.get_document(sid)
    name = next(p.name for p in scenario.physicians if p.id == doctor)
    assert f"{name} →" in done and "欠勤のため" in done, done
    draft = int(re.search(r'href="/office/revisions/(\d+)"', done).group(1))  # type: ignore[union-attr]
    assert "Changed duties" in client.get(repair + "?lang=en").text
    grid = client.get(f"/office/revisions/{draft}").text
    published = client.post(f"/office/revisions/{draft}/publish", data={"base": str(base), "csrf_token": csrf_of(grid)})
    assert published.status_code == 303
    assert store.get_scenario(sid).published_revision_id == draft


def test_a_bad_absence_is_refused_with_the_apis_message_and_starts_nothing(
    client: TestClient, office: str, store: Store
) -> None:
    sid, _, doctor = _published(store)
    sign_in(client, office)
    page = f"/office/scenarios/{sid}/repairs"
    token = csrf_of(client.get(page).text)
    backwards = {"physician": doctor, "start": "2027-01-06", "end": "2027-01-05", "csrf_token": token}
    r = client.post(page, data=backwards)
    assert r.status_code == 422 and re.search(r"end.*(before|after)", r.text), r.text[-1500:]
    stranger = {"physician": "nobody", "start": "2027-01-05", "end": "2027-01-05", "csrf_token": token}
    r = client.post(page, data=stranger)
    assert r.status_code == 422 and "nobody" in r.text
    assert "/office/repairs/" not in client.get(page).text, "no repair was started"


def test_without_a_published_roster_there_is_nothing_to_repair(client: TestClient, office: str, store: Store) -> None:
    record = store.create_scenario(make_scenario(days=3))
    sign_in(client, office)
    page = f"/office/scenarios/{record.id}/repairs"
    html = client.get(page).text
    assert "公開された当番表がありません" in html and 'name="physician"' not in html
    form = {"physician": "n1a", "start": "2027-01-05", "end": "2027-01-05", "csrf_token": csrf_of(html)}
    assert client.post(page, data=form).status_code == 409
