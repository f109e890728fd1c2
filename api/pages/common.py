"""What every page shares: the templates, the reader's language, the session behind the cookie, CSRF.

A page route names who may see it with one ``Annotated`` alias: ``StaffSession`` (an office account),
``PhysicianSession`` or ``HospitalSession`` (a personal link). Without a session a staff page sends the
browser to the sign-in form; any other mismatch is a 403 page. Every POST carries the session's CSRF token
in the form field ``csrf_token`` or, for htmx, the header ``X-CSRF-Token`` (``checked_form``).
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from api.pages.texts import text
from api.settings import Settings
from oncall.i18n import Lang
from oncall.storage.web import WebSession, WebStore

__all__ = [
    "CSRF_COOKIE",
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "HospitalSession",
    "LinkSession",
    "PageError",
    "PhysicianSession",
    "StaffSession",
    "checked_form",
    "page_lang",
    "render",
    "secure_cookies",
    "web_store",
]

SESSION_COOKIE = "oncall_session"
CSRF_COOKIE = "oncall_csrf"  # the sign-in form's token, before there is a session
LANG_COOKIE = "oncall_lang"
DEFAULT_ZONE = ZoneInfo("Asia/Tokyo")  # times shown outside a scenario's own zone
TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")


class PageError(Exception):
    """A page that cannot be shown: its status and the key of its message in the text table."""

    def __init__(self, status: int, key: str, redirect: str | None = None) -> None:
        super().__init__(key)
        self.status, self.key, self.redirect = status, key, redirect


def page_lang(request: Request) -> Lang:
    """``?lang=``, else the language cookie, else the first of Accept-Language we speak, else Japanese."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in ("ja", "en"):
            return "en" if value == "en" else "ja"
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("ja"):
            return "ja"
        if tag.startswith("en"):
            return "en"
    return "ja"


def secure_cookies(request: Request) -> bool:
    """Whether cookies must be Secure: the request came over https, or the public address is https."""
    settings: Settings = request.app.state.settings
    return request.url.scheme == "https" or (settings.public_url or "").startswith("https://")


def web_store(request: Request) -> WebStore:
    """The web pages' store on the app's database."""
    return WebStore(request.app.state.store.db)


def _session(request: Request) -> WebSession | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return web_store(request).find_session(cookie) if cookie else None


def _staff(request: Request) -> WebSession:
    found = _session(request)
    if found is None:
        raise PageError(303 if request.method == "GET" else 403, "forbidden", redirect="/login")
    if found.user is None:
        raise PageError(403, "forbidden")
    return found


def _linked(kind: str) -> Any:
    def dependency(request: Request) -> WebSession:
        found = _session(request)
        if found is None or found.link is None or found.link.kind != kind:
            raise PageError(403, "link_invalid" if found is None else "forbidden")
        return found

    return dependency


def _any_link(request: Request) -> WebSession:
    found = _session(request)
    if found is None or found.link is None:
        raise PageError(403, "link_invalid" if found is None else "forbidden")
    return found


StaffSession = Annotated[WebSession, Depends(_staff)]
LinkSession = Annotated[WebSession, Depends(_any_link)]
PhysicianSession = Annotated[WebSession, Depends(_linked("physician"))]
HospitalSession = Annotated[WebSession, Depends(_linked("hospital"))]


def _same_origin(request: Request) -> bool:
    """A browser's POST names where it comes from; another site's form is refused even with a token."""
    origin = request.headers.get("origin")
    return origin is None or (origin != "null" and urlsplit(origin).netloc == request.url.netloc)


async def checked_form(request: Request, session: WebSession | None) -> FormData:
    """The posted form, after its CSRF token matched the session's (or the sign-in cookie's); else 403."""
    form = await request.form()
    sent = request.headers.get("x-csrf-token") or str(form.get("csrf_token") or "")
    expected = session.csrf_token if session is not None else request.cookies.get(CSRF_COOKIE, "")
    if not expected or not sent or not hmac.compare_digest(sent, expected) or not _same_origin(request):
        await form.close()  # an uploaded file's spool
        raise PageError(403, "csrf")
    return form


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    session: WebSession | None = None,
    status: int = 200,
) -> Response:
    """A page in the reader's language; ``?lang=`` is remembered in a cookie."""
    lang = page_lang(request)
    values = {
        "request": request,
        "lang": lang,
        "t": lambda key, **kw: text(key, lang, **kw),
        "session": session,
        "csrf": session.csrf_token if session is not None else context.get("csrf", ""),
        "other_lang": "en" if lang == "ja" else "ja",
        "tz": DEFAULT_ZONE,
        **context,
    }
    response: Response = TEMPLATES.TemplateResponse(request, template, values, status_code=status)
    if request.query_params.get("lang") in ("ja", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", secure=secure_cookies(request))
    return response


def error_page(request: Request, exc: PageError) -> Response:
    """The page of a ``PageError``: a redirect (to sign in), or a short page with the message."""
    if exc.redirect is not None and exc.status in (302, 303):
        return RedirectResponse(exc.redirect, status_code=303)
    return render(request, "error.html", {"message": text(exc.key, page_lang(request))}, status=exc.status)
