"""Signing in and out: the staff's password form, and a physician's or hospital's personal link."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.pages.common import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    PageError,
    checked_form,
    page_lang,
    render,
    secure_cookies,
    web_store,
)
from api.pages.texts import text
from oncall.cli_web import MIN_PASSWORD
from oncall.storage.audit import Actor
from oncall.storage.web import LOCK_MINUTES, SESSION_HOURS

router = APIRouter(include_in_schema=False)
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _signed_in(request: Request, target: str, cookie: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )
    response.delete_cookie(CSRF_COOKIE)
    return response


def _first_run(request: Request) -> bool:
    """No staff account yet, and the browser is on this machine: the first account is made here."""
    host = request.client.host if request.client else ""
    return host in LOOPBACK and not web_store(request).has_users()


def _login_form(request: Request, error: str | None = None, status: int = 200, name: str = "") -> Response:
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    context = {"csrf": token, "error": error, "name": name, "first_run": _first_run(request), "minimum": MIN_PASSWORD}
    response = render(request, "login.html", context, status=status)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure_cookies(request))
    return response


@router.get("/")
def root(request: Request) -> Response:
    """The office's start: the month overview when signed in, else the sign-in form."""
    cookie = request.cookies.get(SESSION_COOKIE)
    found = web_store(request).find_session(cookie) if cookie else None
    if found is not None and found.link is not None:
        return RedirectResponse("/me", status_code=303)
    return RedirectResponse("/office" if found is not None else "/login", status_code=303)


@router.get("/login")
def login_form(request: Request) -> Response:
    """The sign-in form of office staff."""
    return _login_form(request)


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the name and password; a session cookie on success, the form with the reason otherwise."""
    form = await checked_form(request, None)
    name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
    store = web_store(request)
    outcome, user = await run_in_threadpool(store.sign_in, name, password)
    lang = page_lang(request)
    if outcome == "locked":
        return _login_form(request, text("locked", lang, minutes=LOCK_MINUTES), 429, name)
    if outcome != "ok" or user is None:
        return _login_form(request, text("wrong_password", lang), 401, name)
    _, cookie = store.open_session(user_id=user.id)
    return _signed_in(request, "/office", cookie)


@router.post("/setup")
async def first_account(request: Request) -> Response:
    """The first staff account, made in the browser on the server's own machine while none exists."""
    form = await checked_form(request, None)
    if not _first_run(request):
        raise PageError(403, "forbidden")
    name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
    if not name or len(password) < MIN_PASSWORD:
        return _login_form(request, text("password_short", page_lang(request), minimum=MIN_PASSWORD), 422, name)
    store = web_store(request)
    user = await run_in_threadpool(store.create_first_user, name, password, Actor(f"staff {name}"))
    if user is None:
        raise PageError(403, "forbidden")
    _, cookie = store.open_session(user_id=user.id)
    return _signed_in(request, "/office", cookie)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session (staff, physician or hospital) and go back to the start."""
    cookie = request.cookies.get(SESSION_COOKIE)
    store = web_store(request)
    found = store.find_session(cookie) if cookie else None
    if found is None:
        raise PageError(303, "forbidden", redirect="/login")
    await checked_form(request, found)
    store.close_session(found.id)
    response = RedirectResponse("/login" if found.user is not None else "/signed-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/signed-out")
def signed_out(request: Request) -> Response:
    """Where a physician or hospital lands after signing out: open the personal link again to come back."""
    return render(request, "error.html", {"message": text("sign_out", page_lang(request)) + " ✓"})


@router.get("/my/{token}")
def personal_link(request: Request, token: str) -> Response:
    """A physician's or hospital's personal link: a session for its holder, then their page."""
    store = web_store(request)
    link = store.resolve_link(token)
    if link is None:
        raise PageError(404, "link_invalid")
    _, cookie = store.open_session(link_id=link.id)
    response = _signed_in(request, "/me", cookie)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this URL
    return response
