"""The office's import pages without a browser: templates, a preview that stores nothing, problems by row
and column in Japanese (English with the switch), accept, discard, and the 409 when the scenario changed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from oncall.storage import Store
from tests.test_importing import XLSX_MEDIA, _fill, csv_bytes
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_office import _new_sample


def _import_page(client: TestClient, office: str) -> tuple[str, str]:
    sign_in(client, office)
    page = _new_sample(client) + "/import"
    html = client.get(page).text
    return page, html


def _preview(client: TestClient, page: str, token: str, name: str, data: bytes, lang: str = "") -> str:
    r = client.post(
        page + lang, data={"kind": "requests", "csrf_token": token}, files={"file": (name, data, XLSX_MEDIA)}
    )
    assert r.status_code in (200, 422), r.text
    return r.text


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, html[-1500:]
    return found.group(1)


def test_templates_download_as_xlsx(client: TestClient, office: str) -> None:
    page, html = _import_page(client, office)
    assert f'href="{page}/physicians/template"' in html and f'href="{page}/requests/template"' in html
    for kind in ("physicians", "requests"):
        r = client.get(f"{page}/{kind}/template")
        assert r.status_code == 200 and r.headers["content-type"] == XLSX_MEDIA
        assert r.content[:2] == b"PK"  # a zip: the XLSX container
    assert client.get(f"{page}/nonsense/template").status_code == 404


def test_a_file_with_problems_shows_them_by_row_and_column_and_stores_nothing(
    client: TestClient, office: str, store: Store
) -> None:
    page, html = _import_page(client, office)
    bad = csv_bytes([["氏名", "12/5", "12/40"], ["中島一郎", "?", ""]], "utf-8")
    shown = _preview(client, page, csrf_of(html), "requests.csv", bad)
    assert "1行目 C列: 日付が読めません（12/40）" in shown
    assert "取り込めません" in shown and 'action="' + page + '/accept"' not in shown
    english = _preview(client, page, csrf_of(html), "requests.csv", bad, "?lang=en")
    assert "row 1, column C: cannot read the date (12/40)" in english
    assert store.list_scenarios()[0].version == 1


def test_a_good_file_is_stored_only_when_accepted(client: TestClient, office: str, store: Store) -> None:
    page, html = _import_page(client, office)
    good = _fill(client.get(f"{page}/requests/template").content, {("p001", 7): "×", ("p002", 9): "○"})
    shown = _preview(client, page, csrf_of(html), "requests.xlsx", good)
    assert "変更 2 件、問題 0 件" in shown
    assert store.list_scenarios()[0].version == 1, "a preview stores nothing"
    token = _hidden(shown, "token")
    r = client.post(page + "/accept", data={"kind": "requests", "token": token, "csrf_token": csrf_of(html)})
    assert r.status_code == 303 and r.headers["location"].endswith("?imported=2")
    assert "取り込みました（版 2）" in client.get(r.headers["location"]).text
    _, scenario = store.get_document(store.list_scenarios()[0].id)
    assert [str(a.start) for a in scenario.physicians[0].absences][-1] == "2026-12-07"
    again = client.post(page + "/accept", data={"kind": "requests", "token": token, "csrf_token": csrf_of(html)})
    assert again.status_code == 404, "a preview is accepted once"


def test_discard_forgets_the_preview(client: TestClient, office: str, store: Store) -> None:
    page, html = _import_page(client, office)
    good = _fill(client.get(f"{page}/requests/template").content, {("p001", 7): "×"})
    token = _hidden(_preview(client, page, csrf_of(html), "requests.xlsx", good), "token")
    r = client.post(page + "/discard", data={"token": token, "csrf_token": csrf_of(html)})
    assert r.status_code == 303
    gone = client.post(page + "/accept", data={"kind": "requests", "token": token, "csrf_token": csrf_of(html)})
    assert gone.status_code == 404 and store.list_scenarios()[0].version == 1


def test_accept_is_refused_when_the_scenario_changed_after_the_preview(
    client: TestClient, office: str, store: Store
) -> None:
    page, html = _import_page(client, office)
    good = _fill(client.get(f"{page}/requests/template").content, {("p001", 7): "×"})
    token = _hidden(_preview(client, page, csrf_of(html), "requests.xlsx", good), "token")
    scenario_page = page.removesuffix("/import")
    added = client.post(
        f"{scenario_page}/physicians/p002/wishes", data={"date": "2026-12-10", "csrf_token": csrf_of(html)}
    )
    assert added.status_code == 303, added.text
    r = client.post(page + "/accept", data={"kind": "requests", "token": token, "csrf_token": csrf_of(html)})
    assert r.status_code == 409 and "プレビューの後にシナリオが変更された" in r.text
    assert store.list_scenarios()[0].version == 2, "only the wish was stored"


def test_the_import_pages_refuse_a_stranger_and_a_forged_token(client: TestClient, office: str) -> None:
    page, _ = _import_page(client, office)
    forged = client.post(page, data={"kind": "requests", "csrf_token": "forged"}, files={"file": ("a.csv", b"x")})
    assert forged.status_code == 403
    client.cookies.clear()
    assert client.get(page).status_code == 303
    assert client.get(page + "/requests/template").status_code == 303
