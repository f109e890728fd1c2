"""A physician's pages (phone first), reached through their personal link: my duties this month and next,
my requests until the collection deadline, a give-away proposed to the office, my calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.pages.common import (
    DEFAULT_ZONE,
    LinkSession,
    PageError,
    PhysicianSession,
    checked_form,
    page_lang,
    render,
    web_store,
)
from api.pages.hospital import hospital_page
from api.pages.office import store_of
from oncall.errors import OncallError
from oncall.feeds import feed_urls
from oncall.roster import GapRole
from oncall.services.grid import candidates_of
from oncall.services.personal import (
    month_span,
    physician_duties,
    physician_scenarios,
    published_rosters,
    trade_offers,
)
from oncall.services.requests import add_entry, collection_open
from oncall.services.scenarios import remove_entry
from oncall.services.swaps import propose_swap
from oncall.storage import EntryKind
from oncall.storage.audit import Actor
from oncall.storage.feeds import FeedStore
from oncall.storage.web import WebSession
from oncall.swaps import GiveAway, Swap

router = APIRouter(include_in_schema=False)
KINDS: tuple[EntryKind, ...] = ("absences", "wishes", "unwishes")


def _actor(session: WebSession) -> Actor:
    link = session.link
    return Actor(f"{link.kind} {link.subject} ({link.prefix})" if link else "link")


def _subject(session: WebSession) -> str:
    assert session.link is not None
    return session.link.subject


def _month(value: str | None) -> dt.date:
    """``?month=YYYY-MM``, else this month in Tokyo."""
    if value:
        try:
            return dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise PageError(404, "not_found") from None
    return dt.datetime.now(DEFAULT_ZONE).date().replace(day=1)


def _collections(request: Request, physician_id: str) -> list[dict[str, Any]]:
    web = web_store(request)
    out = []
    for record, scenario, physician in physician_scenarios(store_of(request), physician_id):
        deadline = web.deadline(record.id)
        if record.published_revision_id is not None or deadline is None:
            continue  # published, or the office has not opened a collection
        out.append(
            {
                "record": record,
                "physician": physician,
                "open": collection_open(web, record.id),
                "deadline": deadline.astimezone(scenario.zone) if deadline else None,
            }
        )
    return out


def physician_context(request: Request, session: WebSession, month: str | None) -> dict[str, Any]:
    """My duties of the month and the next, my open collections, and my colleagues for a give-away."""
    pid = _subject(session)
    first, last = month_span(_month(month), 2)
    lang = page_lang(request)
    published = published_rosters(store_of(request), first, last)
    duties = [d for d in physician_duties(published, pid, lang) if first <= d.start.date() <= last]
    takers: dict[tuple[str, GapRole], list[tuple[str, str]]] = {}
    for p in published:
        cells = [(d.duty, d.role) for d in duties if d.scenario_id == p.record.id]
        if cells:
            takers.update(candidates_of(p.scenario, p.roster, cells, lang))
    trades = [
        (p.record.id, [d for d in duties if d.scenario_id == p.record.id], trade_offers(p, pid, first, last, lang))
        for p in published
    ]
    split = month_span(first)[1]
    return {
        "pid": pid,
        "this_month": [d for d in duties if d.start.date() <= split],
        "next_month": [d for d in duties if d.start.date() > split],
        "takers": takers,
        "trades": [t for t in trades if t[1]],
        "collections": _collections(request, pid),
        "kinds": KINDS,
        "month": first,
    }


@router.get("/me")
def my_page(request: Request, session: LinkSession, month: str | None = None) -> Response:
    """The page of the link's holder: a physician's duties and requests, or a hospital's standby."""
    if session.link is not None and session.link.kind == "hospital":
        return hospital_page(request, session, month)
    return _page(request, session, month)


def _page(request: Request, session: WebSession, month: str | None, status: int = 200, **extra: Any) -> Response:
    context = physician_context(request, session, month) | extra
    return render(request, "me/physician.html", context, session, status=status)


def _open_scenario(request: Request, session: WebSession, scenario_id: int) -> None:
    """403 unless the scenario names this physician and its collection is still open."""
    names = {r.id for r, _, _ in physician_scenarios(store_of(request), _subject(session))}
    if scenario_id not in names or not collection_open(web_store(request), scenario_id):
        raise PageError(403, "forbidden")


@router.post("/me/requests/{scenario_id}/{kind}")
async def add_request(request: Request, session: PhysicianSession, scenario_id: int, kind: EntryKind) -> Response:
    """Add one of my absences, wishes or unwishes, until the deadline."""
    form = await checked_form(request, session)
    _open_scenario(request, session, scenario_id)
    fields = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        await run_in_threadpool(
            add_entry, store_of(request), scenario_id, _subject(session), kind, fields, _actor(session)
        )
    except OncallError as exc:
        return _page(request, session, None, 422, problems=list(getattr(exc, "problems", [str(exc)])))
    return RedirectResponse(f"/me#requests-{scenario_id}", status_code=303)


@router.post("/me/requests/{scenario_id}/{kind}/{index}/remove")
async def remove_request(
    request: Request, session: PhysicianSession, scenario_id: int, kind: EntryKind, index: int
) -> Response:
    """Remove one of my entries, until the deadline."""
    await checked_form(request, session)
    _open_scenario(request, session, scenario_id)
    remove_entry(store_of(request), scenario_id, _subject(session), kind, index, None, _actor(session))
    return RedirectResponse(f"/me#requests-{scenario_id}", status_code=303)


@router.post("/me/swap")
async def swap(request: Request, session: PhysicianSession) -> Response:
    """Propose to trade one of my duties for a colleague's; it goes to the office for approval."""
    form = await checked_form(request, session)
    try:
        mine_duty, mine_role = str(form.get("mine")).split("|")
        other_duty, other_role, other = str(form.get("theirs")).split("|")
        proposal = Swap(
            duty=mine_duty,
            role=mine_role,
            physician=_subject(session),
            other_duty=other_duty,
            other_role=other_role,
            other_physician=other,
        )
        scenario_id = int(str(form.get("scenario_id")))
    except ValueError as exc:
        return _page(request, session, None, 422, problems=[f"swap: {exc}"])
    return await _propose(request, session, scenario_id, proposal)


async def _propose(request: Request, session: WebSession, scenario_id: int, proposal: GiveAway | Swap) -> Response:
    store = store_of(request)
    lang = page_lang(request)
    try:
        await run_in_threadpool(
            lambda: propose_swap(store, scenario_id, proposal, _subject(session), None, _actor(session), lang=lang)
        )
    except OncallError as exc:
        broken = [f"{rule}: {message}" for rule, message in getattr(exc, "broken", [])]
        return _page(request, session, None, 422, problems=[str(exc), *broken])
    return _page(request, session, None, proposed=True)


@router.post("/me/give")
async def give_away(request: Request, session: PhysicianSession) -> Response:
    """Propose to give one of my duties to a colleague; it goes to the office for approval."""
    form = await checked_form(request, session)
    try:
        proposal = GiveAway(
            duty=str(form.get("duty")),
            role=str(form.get("role")),
            physician=_subject(session),
            to=str(form.get("to")),
        )
        scenario_id = int(str(form.get("scenario_id")))
    except ValueError as exc:
        return _page(request, session, None, 422, problems=[f"give-away: {exc}"])
    return await _propose(request, session, scenario_id, proposal)


@router.post("/me/subscribe")
async def subscribe(request: Request, session: LinkSession) -> Response:
    """A calendar feed of my duties (or my hospital's standby): a webcal link and its QR code."""
    await checked_form(request, session)
    feed = subscription(request, session)
    if session.link is not None and session.link.kind == "hospital":
        return hospital_page(request, session, None, **feed)
    return _page(request, session, None, **feed)


def subscription(request: Request, session: WebSession) -> dict[str, Any]:
    """Issue a feed of the link's physician or hospital; its webcal URL and a QR code (inline SVG)."""
    assert session.link is not None
    settings = request.app.state.settings
    record, token = FeedStore(store_of(request).db).issue(
        session.link.kind, session.link.subject, lang=page_lang(request), name="web", actor=_actor(session)
    )
    base = settings.public_url or ("https://" + str(request.base_url).split("://", 1)[1])
    url, webcal = feed_urls(base, token)
    qr = segno.make(webcal, error="m").svg_inline(scale=4, title="QR")
    return {"feed_url": url, "webcal": webcal, "qr": qr, "feed_prefix": record.prefix}
