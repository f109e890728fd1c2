"""Calendar feeds: subscriptions managed by staff, and the iCalendar documents behind their secret URLs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import SettingsDep, StaffKey, actor_of
from api.errors import ERROR_RESPONSES, ApiError, ErrorBody, InvalidRequest
from api.settings import Settings
from oncall.errors import InvalidInput
from oncall.feeds import FeedKind, feed_urls
from oncall.services.feeds import FeedService
from oncall.storage.feeds import FeedRecord, FeedStore

router = APIRouter(tags=["feeds"], responses=ERROR_RESPONSES)

CALENDAR = "text/calendar; charset=utf-8"
CACHE_CONTROL = "private, max-age=300"  # apps poll hourly at most; a revoked URL stops within minutes
_MAX_ID = 2**31 - 1


class FeedNotFound(ApiError):
    """No live feed behind this URL: the same answer whether the token is unknown, malformed or revoked."""

    status = 404
    code = "not_found"

    def __init__(self) -> None:
        super().__init__("no calendar feed at this address")


def _service(request: Request) -> FeedService:
    service: FeedService = request.app.state.feeds
    return service


FeedServiceDep = Annotated[FeedService, Depends(_service)]
Prefix = Annotated[
    str, Path(pattern=r"^ocf_[0-9a-f]{8}$", description="The feed's prefix, e.g. `ocf_1a2b3c4d` (never secret).")
]


class FeedRequest(BaseModel):
    """What a new feed shows and how."""

    model_config = ConfigDict(extra="forbid")

    kind: FeedKind = Field(
        description="physician (their duties), hospital (its standby), district (every duty of it) or network."
    )
    target: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="Id of the physician, hospital or district (as in the scenarios); none for the network.",
    )
    scenario_id: int | None = Field(
        None, ge=1, le=_MAX_ID, description="Only this scenario's rosters; default: every published scenario."
    )
    lang: Literal["ja", "en"] = Field("ja", description="Language of titles and texts; `?lang=` overrides it.")
    alarm_minutes: int | None = Field(
        None, ge=0, le=10080, description="A reminder this many minutes before each duty (physician feeds)."
    )
    name: str = Field("", max_length=200, description="Who or what the feed is for (shown in listings).")


class Feed(BaseModel):
    """A feed subscription, without its secret."""

    model_config = ConfigDict(from_attributes=True)

    prefix: str = Field(description="Names the feed; stays the same when its secret is rotated.")
    kind: FeedKind
    target: str | None
    scenario_id: int | None
    lang: Literal["ja", "en"]
    alarm_minutes: int | None
    name: str
    created_at: dt.datetime
    rotated_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None = Field(description="Last time the feed was read (updated at most once a minute).")

    @classmethod
    def of(cls, record: FeedRecord) -> Feed:
        """The view of a feed record."""
        return cls.model_validate(record)


class IssuedFeed(Feed):
    """A feed with its secret URL: shown once, when issued or rotated."""

    token: str = Field(description="The secret; only its hash is stored.")
    url: str = Field(description="The subscription URL (http or https) to give to a calendar app.")
    webcal_url: str = Field(description="The same as webcal://, which opens the calendar app's subscribe dialog.")


def _base_url(request: Request, settings: Settings) -> str:
    # The address this request came to: its own scheme and host, or a trusted proxy's (api/proxy.py).
    return (settings.public_url or str(request.base_url)).rstrip("/")


def _issued(record: FeedRecord, token: str, base: str) -> IssuedFeed:
    url, webcal = feed_urls(base, token)
    return IssuedFeed(**Feed.of(record).model_dump(), token=token, url=url, webcal_url=webcal)


def _store(service: FeedService) -> FeedStore:
    return service.store


@router.post("/feeds", status_code=201, response_model=IssuedFeed)
def issue_feed(
    body: FeedRequest, key: StaffKey, service: FeedServiceDep, request: Request, settings: SettingsDep
) -> IssuedFeed:
    """Issue a feed subscription; the answer carries its secret URL, which is not shown again."""
    problem = _store(service).problem(body.kind, body.target, body.scenario_id, body.alarm_minutes)
    if problem is not None:
        raise InvalidRequest(f"the feed cannot be issued: {problem[1]}", [problem])
    record, token = _store(service).issue(
        body.kind,
        body.target,
        scenario_id=body.scenario_id,
        lang=body.lang,
        alarm_minutes=body.alarm_minutes,
        name=body.name,
        key_id=key.id,
        actor=actor_of(key),
    )
    return _issued(record, token, _base_url(request, settings))


@router.get("/feeds", response_model=list[Feed])
def list_feeds(_: StaffKey, service: FeedServiceDep) -> list[Feed]:
    """Every feed subscription, oldest first, without secrets."""
    return [Feed.of(r) for r in _store(service).list_feeds()]


@router.get("/feeds/{prefix}", response_model=Feed)
def get_feed(prefix: Prefix, _: StaffKey, service: FeedServiceDep) -> Feed:
    """One feed subscription."""
    return Feed.of(_store(service).get(prefix))


@router.delete("/feeds/{prefix}", response_model=Feed)
def revoke_feed(prefix: Prefix, key: StaffKey, service: FeedServiceDep) -> Feed:
    """Revoke a feed: its URL answers 404 from now on (idempotent)."""
    return Feed.of(_store(service).revoke(prefix, actor_of(key)))


class FeedUpdate(BaseModel):
    """Settings of a feed to change; the fields left out stay as they are. The URL stays the same."""

    model_config = ConfigDict(extra="forbid")

    lang: Literal["ja", "en"] | None = Field(None, description="Language of titles and texts.")
    alarm_minutes: int | None = Field(
        None, ge=0, le=10080, description="Reminder minutes before each duty (physician feeds); null removes it."
    )
    name: str | None = Field(None, max_length=200, description="Who or what the feed is for.")


@router.patch("/feeds/{prefix}", response_model=Feed)
def update_feed(prefix: Prefix, body: FeedUpdate, key: StaffKey, service: FeedServiceDep) -> Feed:
    """Change a feed's language, reminder or name. Its URL stays the same, so the calendars subscribed to
    it need nothing new: the next time they read it, the events carry the change."""
    changes = body.model_dump(include=body.model_fields_set)
    if not changes:
        raise InvalidRequest("nothing to change: give lang, alarm_minutes or name", [("body", "no field given")])
    nulls = [f for f in ("lang", "name") if f in changes and changes[f] is None]
    if nulls:
        raise InvalidRequest(f"{nulls[0]} cannot be null", [(nulls[0], "cannot be null")])
    try:
        record, _ = _store(service).update(prefix, changes, actor_of(key))
    except InvalidInput as exc:
        raise InvalidRequest(f"the feed cannot be changed: {exc.problem}", [(exc.field, exc.problem)]) from None
    return Feed.of(record)


@router.post("/feeds/{prefix}/rotate", response_model=IssuedFeed)
def rotate_feed(
    prefix: Prefix, key: StaffKey, service: FeedServiceDep, request: Request, settings: SettingsDep
) -> IssuedFeed:
    """A new secret URL for the feed; the old one answers 404 (409 for a revoked feed)."""
    record, token = _store(service).rotate(prefix, actor_of(key))
    return _issued(record, token, _base_url(request, settings))


_CALENDAR_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The iCalendar document (RFC 5545) of the feed.",
        "content": {CALENDAR: {"schema": {"type": "string"}}},
        "headers": {
            "ETag": {
                "description": "Strong validator of the body (of the gzip-compressed body when it is sent so).",
                "schema": {"type": "string"},
            },
            "Last-Modified": {"description": "When the feed's content last changed.", "schema": {"type": "string"}},
        },
    },
    304: {"description": "Not modified since the ETag or the date the client sent."},
    404: {"model": ErrorBody, "description": "No live feed at this address (unknown, malformed or revoked)."},
}


def _matches(if_none_match: str, etags: tuple[str, ...]) -> bool:
    """RFC 9110 If-None-Match: ``*`` or any listed tag equal to one of ours under weak comparison."""
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") in etags for t in tags)


def _not_modified_since(if_modified_since: str, last_modified: dt.datetime) -> bool:
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False  # an invalid date is ignored (RFC 9110 §13.1.3)
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    return last_modified.replace(microsecond=0) <= since


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header admits gzip (RFC 9110 §12.5.3: ``gzip``, ``x-gzip`` or ``*``, q > 0).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("gzip;q=0, identity"), accepts_gzip(None)
    (True, False, False)
    """
    quality: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        q = next((p.partition("=")[2] for p in params if p.lower().startswith("q=")), "1")
        try:
            quality[coding.lower()] = float(q)
        except ValueError:
            quality[coding.lower()] = 0.0
    return next((quality[c] for c in ("gzip", "x-gzip", "*") if c in quality), 0.0) > 0


# No length limit in the route: a token too long to be one gets the same 404 as any unknown token (a 422
# would tell a prober it was malformed, and echo it).
Token = Annotated[str, Path(description="The feed's secret token.")]
MAX_TOKEN_LENGTH = 200
GZIP_MIN_BYTES = 1000  # smaller bodies gain too little from compression (as for the app's middleware)


@dataclass(frozen=True)
class _Asked:
    """What a feed request asks for beyond its token: language, coding and the client's validators."""

    lang: str | None
    gzip: bool
    if_none_match: str | None
    if_modified_since: str | None


def _asked(
    lang: Annotated[Literal["ja", "en"] | None, Query(description="Language; default: the feed's.")] = None,
    if_none_match: Annotated[str | None, Header(description="ETags the client holds.")] = None,
    if_modified_since: Annotated[str | None, Header(description="HTTP date of the client's copy.")] = None,
    accept_encoding: Annotated[str | None, Header(description="`gzip` gets the calendar compressed.")] = None,
) -> _Asked:
    return _Asked(lang, accepts_gzip(accept_encoding), if_none_match, if_modified_since)


Asked = Annotated[_Asked, Depends(_asked)]


@router.get("/ical/{token}.ics", response_class=Response, responses=_CALENDAR_RESPONSES, openapi_extra={"security": []})
def read_feed(token: Token, request: Request, service: FeedServiceDep, asked: Asked) -> Response:
    """The feed's calendar (no API key: the secret URL is the credential). Only published rosters show."""
    return _calendar(_token(token, request), service, asked)


@router.head(
    "/ical/{token}.ics", response_class=Response, responses=_CALENDAR_RESPONSES, openapi_extra={"security": []}
)
def check_feed(token: Token, request: Request, service: FeedServiceDep, asked: Asked) -> Response:
    """The headers of the feed's calendar (what a calendar app asks before it downloads)."""
    return _calendar(_token(token, request), service, asked)


def _token(token: str, request: Request) -> str:
    """The token as the URL gave it; 404 for a percent-encoded one. A feed URL never needs encoding (its
    characters are all unreserved), so an encoded one was made by hand, to get past log masking or caches."""
    if len(token) > MAX_TOKEN_LENGTH or b"%" in request.scope.get("raw_path", b""):
        raise FeedNotFound()
    return token


def _calendar(token: str, service: FeedService, asked: _Asked) -> Response:
    record, state = service.store.lookup(token)
    if record is None:
        raise FeedNotFound()
    rendered = service.feed(record, state, asked.lang)
    service.touch(record)
    changed = max(rendered.last_modified or record.created_at, record.created_at)
    # The calendar is compressed once per rendering (not per request, as a middleware would), and the
    # compressed body is another representation, with its own strong ETag.
    gzipped = asked.gzip and len(rendered.body) >= GZIP_MIN_BYTES
    headers = {
        "ETag": rendered.gzip_etag if gzipped else rendered.etag,
        "Last-Modified": format_datetime(changed.astimezone(dt.UTC), usegmt=True),
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Encoding",
        "X-Robots-Tag": "noindex",
    }
    if asked.if_none_match is not None:
        fresh = _matches(asked.if_none_match, (rendered.etag, rendered.gzip_etag))
    else:
        fresh = asked.if_modified_since is not None and _not_modified_since(asked.if_modified_since, changed)
    if fresh:
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = 'inline; filename="oncall.ics"'
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        return Response(rendered.gzipped, media_type=CALENDAR, headers=headers)
    return Response(rendered.body, media_type=CALENDAR, headers=headers)
