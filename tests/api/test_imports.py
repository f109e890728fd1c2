"""The import API: template, preview (nothing stored), apply by token or by file, 409 when stale."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.helpers import assert_error, upload
from tests.factories import make_scenario
from tests.test_importing import JAN, XLSX_MEDIA, _fill, csv_bytes

MONTH = make_scenario(start=JAN, days=31)


def _template(client: TestClient, staff: dict[str, str], sid: int) -> bytes:
    r = client.get(f"/scenarios/{sid}/imports/requests/template", headers=staff)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX_MEDIA
    return r.content


def _preview(client: TestClient, headers: dict[str, str], sid: int, data: bytes, **kw: Any) -> Any:
    files = {"file": ("requests.xlsx", data, XLSX_MEDIA)}
    return client.post(f"/scenarios/{sid}/imports/requests/preview", files=files, headers=headers, **kw)


def test_preview_then_apply_by_token(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff, MONTH)["id"]
    filled = _fill(_template(client, staff, sid), {("n1a", 5): "×", ("s2b", 20): "△"})
    r = _preview(client, staff, sid, filled)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] and body["version"] == 1 and body["token"]
    assert body["messages"][0] == "12 行を読み取り、変更 2 件、問題 0 件"
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["version"] == 1  # nothing stored
    applied = client.post(f"/scenarios/{sid}/imports/requests/apply", data={"token": body["token"]}, headers=staff)
    assert applied.status_code == 200, applied.text
    assert applied.json()["scenario"]["version"] == 2 and applied.json()["changes"] == 2
    doc = client.get(f"/scenarios/{sid}", headers=staff).json()["scenario"]
    n1a = next(p for p in doc["physicians"] if p["id"] == "n1a")
    assert n1a["absences"] == [{"start": "2027-01-05", "end": "2027-01-05", "reason": None}]
    again = client.post(f"/scenarios/{sid}/imports/requests/apply", data={"token": body["token"]}, headers=staff)
    assert_error(again, 404, "not_found", "token")  # a token is used once


def test_preview_with_problems_in_english_and_apply_refused(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff, MONTH)["id"]
    data = csv_bytes([["氏名", "1/5", "1/40"], ["青木一郎", "?", ""]], "cp932")
    body = _preview(client, staff, sid, data, params={"lang": "en"}).json()
    assert not body["ok"] and body["token"] is None
    assert body["messages"][1:] == [
        "row 1, column C: cannot read the date (1/40)",
        "row 2, column B: cannot read the mark “?” (marks: × 前 後 △ ○)",
    ]
    assert [(e["row"], e["column"], e["code"]) for e in body["preview"]["errors"]] == [
        (1, "C", "bad_date"), (2, "B", "unknown_mark")
    ]  # fmt: skip
    assert body["preview"]["errors"][0]["ja"] == "1行目 C列: 日付が読めません（1/40）"  # both languages, for pages
    files = {"file": ("requests.csv", data, "text/csv")}
    r = client.post(f"/scenarios/{sid}/imports/requests/apply", files=files, data={"version": "1"}, headers=staff)
    error = assert_error(r, 422, "invalid_import", "C1")
    assert error["details"][0]["problem"] == "日付が読めません（1/40）"


def test_apply_is_refused_when_the_scenario_changed_after_the_preview(
    client: TestClient, staff: dict[str, str]
) -> None:
    sid = upload(client, staff, MONTH)["id"]
    filled = _fill(_template(client, staff, sid), {("n1a", 5): "×"})
    token = _preview(client, staff, sid, filled).json()["token"]
    absence = {"start": "2027-01-20", "end": "2027-01-21"}
    assert client.post(f"/scenarios/{sid}/physicians/n2a/absences", json=absence, headers=staff).status_code == 201
    stale = client.post(f"/scenarios/{sid}/imports/requests/apply", data={"token": token}, headers=staff)
    assert_error(stale, 409, "conflict", "version")
    files = {"file": ("requests.xlsx", filled, XLSX_MEDIA)}
    by_file = client.post(f"/scenarios/{sid}/imports/requests/apply", files=files, data={"version": "1"}, headers=staff)
    assert_error(by_file, 409, "conflict", "version")
    fresh = client.post(f"/scenarios/{sid}/imports/requests/apply", files=files, data={"version": "2"}, headers=staff)
    # Read against version 2, the old sheet's empty cells remove n2a's new absence, and say so: hence the 409s.
    assert fresh.status_code == 200 and fresh.json()["scenario"]["version"] == 3
    assert fresh.json()["changes"] == 3  # n1a's 1/5 added, n2a's 1/20 and 1/21 removed


def test_physician_list_through_the_api(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff, MONTH)["id"]
    data = csv_bytes([["ID", "氏名", "医療機関"], ["z1", "新井望", "n2"]], "utf-8-sig")
    files = {"file": ("physicians.csv", data, "text/csv")}
    body = client.post(f"/scenarios/{sid}/imports/physicians/preview", files=files, headers=staff).json()
    assert body["preview"]["physician_changes"][0]["id"] == "z1"
    r = client.post(f"/scenarios/{sid}/imports/physicians/apply", data={"token": body["token"]}, headers=staff)
    assert r.status_code == 200, r.text
    wrong_kind = client.post(f"/scenarios/{sid}/imports/requests/apply", data={"token": body["token"]}, headers=staff)
    assert_error(wrong_kind, 404, "not_found", "token")


def test_imports_need_a_staff_key(client: TestClient, staff: dict[str, str], hospital: dict[str, str]) -> None:
    sid = upload(client, staff, MONTH)["id"]
    assert_error(_preview(client, hospital, sid, b"ID\n"), 403, "forbidden")
    assert_error(_preview(client, {}, sid, b"ID\n"), 401, "unauthorized")
    assert_error(client.get(f"/scenarios/{sid}/imports/requests/template", headers=hospital), 403, "forbidden")
    assert_error(client.post(f"/scenarios/{sid}/imports/requests/apply", headers=staff), 422, "invalid_request")
    assert_error(_preview(client, staff, 999, b"ID\n"), 404, "not_found", "scenario_id")
    bogus = client.post(f"/scenarios/{sid}/imports/requests/apply", data={"token": "nope"}, headers=staff)
    assert_error(bogus, 404, "not_found", "token")
    assert client.get(f"/scenarios/{sid}/imports/nonsense/template", headers=staff).status_code == 422
