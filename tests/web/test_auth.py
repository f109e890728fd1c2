"""Signing in: passwords and link tokens stored only as hashes, lock-out, cookies, CSRF, personal links."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from oncall.storage.web import LOCK_MINUTES, MAX_FAILURES, WebStore
from tests.web.conftest import PASSWORD, csrf_of, sign_in


def test_root_sends_a_stranger_to_sign_in_and_staff_to_the_overview(client: TestClient, office: str) -> None:
    assert client.get("/").headers["location"] == "/login"
    assert client.get("/office").headers["location"] == "/login"
    assert sign_in(client, office) == 303
    assert client.get("/").headers["location"] == "/office"


def test_session_cookie_is_httponly_and_lax_and_secure_only_over_https(client: TestClient, office: str) -> None:
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"name": office, "password": PASSWORD, "csrf_token": token})
    cookie = r.headers["set-cookie"]
    assert "oncall_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1
    secure = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    token = csrf_of(secure.get("/login").text)
    r = secure.post("/login", data={"name": office, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


def test_passwords_and_link_tokens_are_stored_only_as_hashes(web: WebStore, office: str) -> None:
    _, token = web.issue_link("physician", "p01")
    with web.db.engine.connect() as c:
        users = c.execute(sa.text("SELECT password_hash FROM staff_users")).scalars().all()
        links = c.execute(sa.text("SELECT token_hash FROM personal_links")).scalars().all()
        dumped = " ".join(str(v) for row in c.execute(sa.text("SELECT * FROM personal_links")) for v in row)
    assert users[0].startswith("$argon2id$") and PASSWORD not in users[0]
    prefix = token[: len("ocl_") + 8]
    secret = token[len(prefix) + 1 :]  # the secret may itself hold "_"
    assert len(secret) == 43 and prefix in dumped
    assert len(links[0]) == 64 and token not in dumped and secret not in dumped


def test_wrong_password_then_lock_out_after_repeated_failures(client: TestClient, web: WebStore, office: str) -> None:
    for _ in range(MAX_FAILURES - 1):
        assert sign_in(client, office, "wrong password!") == 401
    assert sign_in(client, office, "wrong password!") == 429
    page = client.get("/login")
    assert sign_in(client, office) == 429, "a locked account refuses even the right password"
    assert page.status_code == 200
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=LOCK_MINUTES, seconds=1)
    assert web.sign_in(office, PASSWORD, now=later)[0] == "ok"


def test_lock_out_is_per_account(client: TestClient, web: WebStore, office: str) -> None:
    web.create_user("other", PASSWORD)
    for _ in range(MAX_FAILURES):
        sign_in(client, office, "wrong password!")
    assert sign_in(client, "other") == 303


def test_login_form_without_or_with_a_foreign_csrf_token_is_refused(client: TestClient, office: str) -> None:
    client.get("/login")
    assert client.post("/login", data={"name": office, "password": PASSWORD}).status_code == 403
    forged = {"name": office, "password": PASSWORD, "csrf_token": "x" * 43}
    assert client.post("/login", data=forged).status_code == 403


def test_logout_needs_the_session_csrf_token_and_ends_the_session(client: TestClient, office: str) -> None:
    sign_in(client, office)
    page = client.get("/office")
    assert page.status_code == 200
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/office").status_code == 200, "a refused logout leaves the session alone"
    assert client.post("/logout", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    assert client.get("/office").headers["location"] == "/login"


def test_cross_site_post_is_refused_even_with_the_token(client: TestClient, office: str) -> None:
    sign_in(client, office)
    token = csrf_of(client.get("/office").text)
    r = client.post("/logout", data={"csrf_token": token}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_personal_link_signs_in_its_holder_until_revoked_or_rotated(client: TestClient, web: WebStore) -> None:
    link, token = web.issue_link("physician", "p01")
    r = client.get(f"/my/{token}")
    assert r.status_code == 303 and r.headers["location"] == "/me"
    assert client.get("/").headers["location"] == "/me", "the link's holder is signed in"
    assert client.get("/office").status_code == 403, "a physician's link is no staff account"
    rotated, new = web.rotate_link(link.prefix)
    assert client.get(f"/my/{token}").status_code == 404, "the old token died with the rotation"
    assert client.get("/").headers["location"] == "/login", "sessions of the old token ended"
    assert client.get(f"/my/{new}").status_code == 303
    web.revoke_link(rotated.prefix)
    assert client.get(f"/my/{new}").status_code == 404
    assert client.get("/").headers["location"] == "/login"
    assert client.get("/my/ocl_00000000_" + "x" * 43).status_code == 404


def test_the_first_account_is_made_in_a_browser_on_the_servers_machine_only(client: TestClient, web: WebStore) -> None:
    remote = TestClient(client.app, follow_redirects=False, client=("203.0.113.9", 50000))
    assert "/setup" not in remote.get("/login").text
    token = csrf_of(remote.get("/login").text)
    assert remote.post("/setup", data={"name": "x", "password": PASSWORD, "csrf_token": token}).status_code == 403
    local = TestClient(client.app, follow_redirects=False, client=("127.0.0.1", 50000))
    page = local.get("/login").text
    assert 'action="/setup"' in page
    short = local.post("/setup", data={"name": "office", "password": "short", "csrf_token": csrf_of(page)})
    assert short.status_code == 422 and not web.has_users()
    made = local.post("/setup", data={"name": "office", "password": PASSWORD, "csrf_token": csrf_of(page)})
    assert made.status_code == 303 and made.headers["location"] == "/office"
    assert local.get("/office").status_code == 200, "signed in as the new account"
    again = TestClient(client.app, follow_redirects=False, client=("127.0.0.1", 50001))
    token = csrf_of(again.get("/login").text)
    assert 'action="/login"' in again.get("/login").text, "once an account exists, only the sign-in form"
    assert again.post("/setup", data={"name": "y", "password": PASSWORD, "csrf_token": token}).status_code == 403
    assert web.sign_in("y", PASSWORD)[0] == "wrong"


def test_pages_follow_accept_language_and_the_lang_switch(client: TestClient) -> None:
    assert "ログイン" in client.get("/login").text
    assert ">Sign in<" in client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert ">Sign in<" in client.get("/login?lang=en").text
    assert ">Sign in<" in client.get("/login").text, "the switch is remembered in a cookie"
    assert "ログイン" in client.get("/login?lang=ja", headers={"Accept-Language": "en"}).text


def test_htmx_requests_carry_the_csrf_token_in_a_header(client: TestClient, office: str) -> None:
    sign_in(client, office)
    token = csrf_of(client.get("/office").text)
    assert client.post("/logout", headers={"X-CSRF-Token": "forged", "HX-Request": "true"}).status_code == 403
    assert client.post("/logout", headers={"X-CSRF-Token": token, "HX-Request": "true"}).status_code == 303


def test_cookie_is_secure_behind_an_https_public_url(db_url: str, tmp_path: Path) -> None:
    from api import create_app
    from tests.api.helpers import make_settings

    settings = make_settings(db_url, tmp_path / "other").model_copy(update={"public_url": "https://oncall.example.org"})
    # Behind a TLS proxy the proxy talks plain http to the app: the public address decides.
    with TestClient(create_app(settings), follow_redirects=False) as proxied:
        WebStore(proxied.app.state.store.db).create_user("office", PASSWORD)  # type: ignore[attr-defined]
        form = proxied.get("/login")
        assert "Secure" in form.headers["set-cookie"]
        token = csrf_of(form.text)
        # (the proxy's browser holds the Secure cookie; this client on http would not send it by itself)
        data = {"name": "office", "password": PASSWORD, "csrf_token": token}
        r = proxied.post("/login", data=data, headers={"Cookie": f"oncall_csrf={token}"})
        assert r.status_code == 303 and "Secure" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]


def test_sessions_end_after_their_hours(web: WebStore, office: str) -> None:
    from oncall.storage.web import SESSION_HOURS

    user = web.sign_in(office, PASSWORD)[1]
    assert user is not None
    _, cookie = web.open_session(user_id=user.id)
    assert web.find_session(cookie) is not None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=SESSION_HOURS, minutes=1)
    assert web.find_session(cookie, now=later) is None
