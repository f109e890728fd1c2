"""iCalendar feeds of published rosters: event identity across revisions, and the VCALENDAR text.

Pure: no I/O, no HTTP. The API hands in the publications of each scenario in the order they happened
and asks for the feed of one physician, hospital, district or the whole network.

Identity. Every event is one role of one duty: ``{duty_id}-{role}@s{scenario_id}.oncall`` (role
``primary``, ``secondary``, ``backup_hospital``, or ``duty`` for the whole duty in district and network
feeds). The UID never names the person, so a swap keeps the UID. Replaying the publications in order,
a :class:`ScenarioLedger` keeps for every event:

- ``SEQUENCE``: 0 when the event first appears, +1 at every publication that changes it significantly
  (RFC 5546 §2.1.4: its start, its end, or its status; for us also who holds it);
- ``LAST-MODIFIED`` (and ``DTSTAMP``): the publication that last changed anything the event shows,
  e.g. the partner's name on a physician's event, which changes the text but not the SEQUENCE;
- the former holders and when they lost it: their feeds show the event ``STATUS:CANCELLED`` with the
  current, higher SEQUENCE for a retention window (until ``retention`` after the later of the duty's
  end and the loss), instead of letting it silently disappear.

The same publications always give the same bytes, so the API can cache a rendering and use its hash as
a strong ETag.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, vDuration

from oncall.cover.feed import cover_events
from oncall.i18n import LANGS, Lang, table, text
from oncall.load import expected_load, hospital_days
from oncall.model import Physician, Scenario
from oncall.roster import Roster, RosterDuty
from oncall.timeline import Timeline

__all__ = [
    "EVENT_ROLES",
    "FEED_KINDS",
    "EventRole",
    "EventState",
    "FeedKind",
    "FeedOptions",
    "FeedTarget",
    "Publication",
    "RenderedFeed",
    "ScenarioLedger",
    "event_uid",
    "feed_urls",
    "render_feed",
]

FeedKind = Literal["physician", "hospital", "district", "network"]
FEED_KINDS: tuple[FeedKind, ...] = get_args(FeedKind)
EventRole = Literal["primary", "secondary", "backup_hospital", "duty"]
EVENT_ROLES: tuple[EventRole, ...] = get_args(EventRole)

_PERSON_ROLES: tuple[EventRole, EventRole] = ("primary", "secondary")
_ROLE_OF_KIND: dict[FeedKind, tuple[EventRole, ...]] = {
    "physician": _PERSON_ROLES,
    "hospital": ("backup_hospital",),
    "district": ("duty",),
    "network": ("duty",),
}
PRODUCT = "-//oncall//oncall feeds 1.0//{lang}"


def feed_urls(base: str, token: str) -> tuple[str, str]:
    """The https and webcal URLs of a feed token on a server reached at ``base``.

    >>> feed_urls("https://oncall.example.org", "ocf_x")
    ('https://oncall.example.org/ical/ocf_x.ics', 'webcal://oncall.example.org/ical/ocf_x.ics')
    """
    url = f"{base.rstrip('/')}/ical/{token}.ics"
    return url, "webcal://" + url.split("://", 1)[1]


def event_uid(scenario_id: int, duty_id: str, role: EventRole) -> str:
    """The UID of one role of one duty: from the duty and the role, never from the person.

    >>> event_uid(3, "d02-20270104T0900Z", "primary")
    'd02-20270104T0900Z-primary@s3.oncall'
    """
    return f"{duty_id}-{role}@s{scenario_id}.oncall"


@dataclass(frozen=True)
class FeedTarget:
    """Whose feed: a physician, a hospital or a district by id, or the whole network (no id).

    ``scenario_id`` limits the feed to one scenario's rosters; by default it spans every scenario (every
    month) published in the database, linked by the ids of physicians, hospitals and districts.
    """

    kind: FeedKind
    id: str | None = None
    scenario_id: int | None = None


@dataclass(frozen=True)
class FeedOptions:
    """How to render a feed."""

    lang: Lang = "ja"
    alarm_minutes: int | None = None  # a VALARM this many minutes before each live duty (physician feeds)
    refresh: dt.timedelta = dt.timedelta(hours=1)  # REFRESH-INTERVAL and X-PUBLISHED-TTL
    retention: dt.timedelta = dt.timedelta(days=30)  # how long a cancelled event stays in the feed


@dataclass(frozen=True)
class Publication:
    """One act of publishing: the roster that became its scenario's current one, and when."""

    id: int  # increases with every publication of the database
    scenario_id: int
    revision_id: int
    published_at: dt.datetime
    scenario: Scenario  # the version the roster was made for
    roster: Roster


@dataclass(frozen=True)
class _Admissions:
    """Expected admissions a hospital's standby brings (oncall.load)."""

    duty: float  # of the unregistered patients of this duty's district and time
    day: float  # the hospital's expected admissions on the duty's date, registered patients included
    limit: float  # capacity_per_day × (1 − margin)


@dataclass(frozen=True)
class _DutyView:
    """One duty as one publication shows it, with what its events render."""

    publication: Publication
    duty: RosterDuty
    admissions: _Admissions | None

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything an event of this duty shows: a change moves LAST-MODIFIED."""
        s, d = self.publication.scenario, self.duty
        people = tuple(_person_facts(s, pid) for pid in (d.primary, d.secondary))
        hospital = next(((h.id, h.name, h.name_en) for h in s.hospitals if h.id == d.backup_hospital), None)
        district = next(((x.name, x.name_en) for x in s.districts if x.id == d.district), None)
        block = _block_labels(s, d.block)
        load = None if self.admissions is None else tuple(round(x, 2) for x in _astuple(self.admissions))
        return (d.start, d.end, d.district, district, d.block, block, people, hospital, load, s.timezone)


def _astuple(a: _Admissions) -> tuple[float, float, float]:
    return (a.duty, a.day, a.limit)


def _person_facts(s: Scenario, pid: str | None) -> tuple[Any, ...] | None:
    p = _physician(s, pid)
    if p is None:
        return (pid,) if pid else None
    clinic = next((c.name for c in s.clinics if c.id == p.clinic), None)
    return (p.id, p.name, p.name_en, clinic, p.phone, p.email)


def _physician(s: Scenario, pid: str | None) -> Physician | None:
    return next((p for p in s.physicians if p.id == pid), None) if pid else None


def _block_labels(s: Scenario, block_id: str) -> tuple[str, str]:
    b = next((b for b in s.block_templates() if b.id == block_id), None)
    return (block_id, block_id) if b is None else (b.label("ja"), b.label("en"))


@dataclass
class EventState:
    """What the feeds know of one event (one role of one duty) after the publications so far."""

    scenario_id: int
    duty_id: str
    role: EventRole
    sequence: int
    created: dt.datetime
    last_modified: dt.datetime
    significant: tuple[Any, ...] | None  # (start, end, holders…) while live, None while not
    fingerprint: tuple[Any, ...] | None
    holder: str | None  # physician or hospital id; the district for duty events; None while not live
    view: _DutyView  # the duty as last published while the event was live
    former: dict[str, tuple[dt.datetime, _DutyView]] = field(default_factory=dict)  # who lost it, when, as what

    @property
    def uid(self) -> str:
        """The event's UID."""
        return event_uid(self.scenario_id, self.duty_id, self.role)

    @property
    def live(self) -> bool:
        """Whether the current roster has this event (a holder on a duty that exists)."""
        return self.significant is not None

    def tombstone_until(self, holder: str, retention: dt.timedelta) -> dt.datetime:
        """When the cancelled event shown to a former holder leaves their feed."""
        lost, view = self.former[holder]
        return max(view.duty.end.astimezone(dt.UTC), lost) + retention


def _admissions(pub: Publication) -> dict[str, _Admissions]:
    """Expected admissions per duty id for the duty's standby hospital."""
    scenario, roster = pub.scenario, pub.roster
    if not scenario.hospitals or not scenario.patients:
        return {}  # no enrolled patients: nothing to expect
    timeline = Timeline.build(scenario)
    load = expected_load(scenario, timeline)
    if not load.any_admissions:
        return {}
    standby = {d.id: d.backup_hospital for d in roster.duties}
    day_of = {d.id: d.day for d in timeline.duties}
    days = {(h.hospital, h.day): h.expected for h in hospital_days(scenario, timeline, standby, load)}
    out: dict[str, _Admissions] = {}
    for d in roster.duties:
        hid, day = d.backup_hospital, day_of.get(d.id)
        if hid is None or day is None or d.id not in load.duties or hid not in load.limit:
            continue
        out[d.id] = _Admissions(load.duties[d.id].admissions, days.get((hid, day), 0.0), load.limit[hid])
    return out


class ScenarioLedger:
    """The event states of one scenario, built by replaying its publications in order."""

    def __init__(self, scenario_id: int) -> None:
        self.scenario_id = scenario_id
        self.events: dict[tuple[str, EventRole], EventState] = {}
        self.last: Publication | None = None

    def apply(self, pub: Publication) -> None:
        """Move every event to what ``pub`` publishes."""
        if pub.scenario_id != self.scenario_id:
            raise ValueError(f"publication {pub.id} is of scenario {pub.scenario_id}, not {self.scenario_id}")
        if self.last is not None and pub.id <= self.last.id:
            raise ValueError(f"publication {pub.id} is not after {self.last.id}")
        when = pub.published_at.astimezone(dt.UTC).replace(microsecond=0)
        loads = _admissions(pub)
        now: dict[tuple[str, EventRole], tuple[str | None, tuple[Any, ...] | None, _DutyView | None]] = {}
        shared_seen: set[tuple[str, str, dt.datetime]] = set()
        for d in pub.roster.duties:
            shown = _DutyView(pub, d, loads.get(d.id))
            holders: dict[EventRole, str | None] = {
                "primary": d.primary,
                "secondary": d.secondary,
                "backup_hospital": d.backup_hospital,
                "duty": d.district,
            }
            for held, group in d.shared.items():  # a shared role is one event, on its first district's duty
                if (group, held, d.start) in shared_seen:
                    del holders[held]
                shared_seen.add((group, held, d.start))
            for role, holder in holders.items():
                sig: tuple[Any, ...] | None
                if holder is None:
                    sig = None
                elif role == "duty":
                    sig = (d.start, d.end, d.primary, d.secondary, d.backup_hospital)
                else:
                    sig = (d.start, d.end, holder)
                now[(d.id, role)] = (holder if sig is not None else None, sig, shown)
        for key in sorted(now.keys() | self.events.keys()):
            found = now.get(key)
            holder, sig, view = found if found is not None else (None, None, None)
            state = self.events.get(key)
            if state is None:
                if sig is None or view is None:
                    continue  # a role nobody has ever held: no event
                self.events[key] = EventState(
                    self.scenario_id, key[0], key[1], 0, when, when, sig, view.fingerprint(), holder, view
                )
                continue
            fingerprint = view.fingerprint() if view is not None and sig is not None else None
            if sig != state.significant:
                state.sequence += 1
                state.last_modified = when
            elif fingerprint != state.fingerprint:
                state.last_modified = when
            if state.holder is not None and state.holder != holder:
                state.former[state.holder] = (when, state.view)  # the duty as they had it
            if holder is not None:
                state.former.pop(holder, None)
            state.significant, state.fingerprint, state.holder = sig, fingerprint, holder
            if view is not None and sig is not None:
                state.view = view
        self.last = pub

    def replay(self, publications: Iterable[Publication]) -> ScenarioLedger:
        """Apply each publication in turn; returns the ledger."""
        for pub in publications:
            self.apply(pub)
        return self


@dataclass(frozen=True)
class RenderedFeed:
    """A feed's bytes and what HTTP needs to serve them."""

    body: bytes
    etag: str  # strong: the body's hash, quoted
    last_modified: dt.datetime | None  # the latest change of the body's content (None: no event ever)
    valid_until: dt.datetime | None  # when a cancelled event leaves the feed, changing the body
    live: int  # live events
    cancelled: int  # cancelled events shown

    @cached_property
    def gzipped(self) -> bytes:
        """The body gzip-compressed, once per rendering; the same bytes every time (no timestamp inside)."""
        return gzip.compress(self.body, compresslevel=9, mtime=0)

    @property
    def gzip_etag(self) -> str:
        """The strong ETag of the gzip-compressed body: another representation, another tag (RFC 9110 §8.8.3)."""
        return self.etag[:-1] + '-gzip"'


@dataclass(frozen=True)
class _Item:
    """An event of a feed: live, or cancelled for a former holder (as they had it, lost ``since``)."""

    state: EventState
    view: _DutyView
    since: dt.datetime | None = None

    @property
    def cancelled(self) -> bool:
        return self.since is not None


def _select(
    target: FeedTarget, ledgers: Sequence[ScenarioLedger], now: dt.datetime, retention: dt.timedelta
) -> tuple[list[_Item], dt.datetime | None, dt.datetime | None]:
    """The target's events (live and cancelled), the latest expiry passed, and the next expiry to come."""
    roles = _ROLE_OF_KIND[target.kind]
    items: list[_Item] = []
    expired: dt.datetime | None = None
    upcoming: dt.datetime | None = None
    for ledger in ledgers:
        if target.scenario_id is not None and ledger.scenario_id != target.scenario_id:
            continue
        for state in ledger.events.values():
            if state.role not in roles:
                continue
            if target.kind == "network":
                mine = state.holder is not None
                lost = [h for h in state.former] if not mine else []
            else:
                mine = state.holder == target.id
                lost = [target.id] if not mine and target.id in state.former else []
            if mine:
                items.append(_Item(state, state.view))
            elif lost:
                holder = max(lost, key=lambda h: state.former[h][0])  # the latest loss, for the network
                until = max(state.tombstone_until(h, retention) for h in lost)
                if until <= now:
                    expired = until if expired is None else max(expired, until)
                else:
                    upcoming = until if upcoming is None else min(upcoming, until)
                    since, view = state.former[holder]
                    items.append(_Item(state, view, since))
    items.sort(key=lambda i: (i.view.duty.start.astimezone(dt.UTC), i.state.uid))
    return items, expired, upcoming


# --- texts ------------------------------------------------------------------------------------------

_WEEKDAYS = {lang: text("word.weekdays", lang).split() for lang in LANGS}
# Punctuation between the words, by language; the words themselves are feed.* in the catalogue.
_PUNCTUATION = {
    "ja": {"sep": "\u3000", "open": "（", "close": "）", "slash": "／"},
    "en": {"sep": ", ", "open": " (", "close": ")", "slash": " / "},
}
_TEXT: dict[str, dict[str, str]] = {lang: {**table("feed", lang), **_PUNCTUATION[lang]} for lang in LANGS}


class _Words:
    """Labels of one scenario version in one language."""

    def __init__(self, scenario: Scenario, lang: Lang) -> None:
        self.s = scenario
        self.lang = lang
        self.t = _TEXT[lang]

    def district(self, did: str) -> str:
        d = next((d for d in self.s.districts if d.id == did), None)
        return did if d is None else d.label(self.lang)

    def shared(self, group: str) -> str:
        g = next((g for g in self.s.shared_roles if g.id == group), None)
        return group if g is None else g.label(self.lang)

    def block(self, block_id: str) -> str:
        ja, en = _block_labels(self.s, block_id)
        return en if self.lang == "en" else ja

    def person(self, pid: str | None) -> str:
        if pid is None:
            return self.t["gap"]
        p = _physician(self.s, pid)
        return pid if p is None else p.label(self.lang)

    def person_long(self, pid: str | None, contact: bool) -> str:
        """Name, clinic, and (for a duty partner) phone and e-mail."""
        p = _physician(self.s, pid)
        if p is None:
            return self.person(pid)
        clinic = next((c.name for c in self.s.clinics if c.id == p.clinic), None)
        out = p.label(self.lang) + (f"{self.t['open']}{clinic}{self.t['close']}" if clinic else "")
        if contact:
            out += "".join(f"{self.t['sep']}{self.t[k]} {v}" for k, v in (("phone", p.phone), ("email", p.email)) if v)
        return out

    def hospital(self, hid: str | None) -> str:
        if hid is None:
            return self.t["gap"]
        h = next((h for h in self.s.hospitals if h.id == hid), None)
        return hid if h is None else h.label(self.lang)

    def span(self, d: RosterDuty) -> str:
        zone = ZoneInfo(self.s.timezone)
        s, e = d.start.astimezone(zone), d.end.astimezone(zone)
        wd = _WEEKDAYS[self.lang]
        first = f"{s:%Y-%m-%d} ({wd[s.weekday()]}) {s:%H:%M}"
        last = f"{e:%H:%M}" if e.date() == s.date() else f"{e:%m-%d} ({wd[e.weekday()]}) {e:%H:%M}"
        return f"{first} – {last}"

    def when(self, instant: dt.datetime) -> str:
        return f"{instant.astimezone(ZoneInfo(self.s.timezone)):%Y-%m-%d %H:%M}"


def _summary(words: _Words, item: _Item) -> str:
    state, view, cancelled = item.state, item.view, item.cancelled
    t, d = words.t, view.duty
    group = d.shared.get(state.role) if state.role in ("primary", "secondary") else None
    served = words.district(d.district) if group is None else words.shared(group)  # a shared role: its name
    where = f"{served}{' ' if words.lang == 'ja' else ', '}{words.block(d.block)}"
    if state.role == "duty":
        people = f"{words.person(d.primary)}{t['slash']}{words.person(d.secondary)}"
        text = f"{where}{t['open']}{people}{t['close']}"
    elif state.role == "backup_hospital" and view.admissions is not None and round(view.admissions.duty, 1) > 0:
        # "0.0 expected admissions" in a title reads as a promise of none: a figure that small stays
        # in the description only.
        text = f"{where}{t['open']}{t['expected'].format(duty=view.admissions.duty)}{t['close']}"
    else:
        text = where
    head = f"【{t[state.role]}】" if words.lang == "ja" else f"[{t[state.role]}] "
    if cancelled:
        head = (f"【{t['cancelled']}】" if words.lang == "ja" else f"[{t['cancelled']}] ") + head
    return head + text


def _description(words: _Words, item: _Item) -> str:
    state, view = item.state, item.view
    t, d = words.t, view.duty
    lines: list[str] = []
    if item.since is not None:
        key = "removed" if state.role == "duty" else "lost"
        lines.append(t[key].format(when=words.when(item.since)))
    if state.role in _PERSON_ROLES:
        lines.append(t[f"{state.role}_long"])
    lines.append(f"{t['district']}: {words.district(d.district)}")
    lines.append(f"{t['block']}: {words.block(d.block)} {words.span(d)}")
    for role in _PERSON_ROLES:
        if role == state.role:
            continue
        holder = d.primary if role == "primary" else d.secondary
        lines.append(f"{t[role]}: {words.person_long(holder, contact=state.role in _PERSON_ROLES)}")
    if state.role != "backup_hospital":
        lines.append(f"{t['hospital']}: {words.hospital(d.backup_hospital)}")
    elif view.admissions is not None:
        a = view.admissions
        lines.append(t["admissions"].format(duty=a.duty, day=a.day, limit=a.limit))
    return "\n".join(lines)


def _event(item: _Item, options: FeedOptions) -> Event:
    state, view, cancelled = item.state, item.view, item.cancelled
    words = _Words(view.publication.scenario, options.lang)
    zone = ZoneInfo(view.publication.roster.timezone)
    ev = Event()
    ev.add("uid", state.uid)
    ev.add("sequence", state.sequence)
    # RFC 5546: with equal SEQUENCE the later DTSTAMP wins; the time of the change keeps the bytes stable.
    ev.add("dtstamp", state.last_modified)
    ev.add("created", state.created)
    ev.add("last-modified", state.last_modified)
    ev.add("dtstart", view.duty.start.astimezone(zone))
    ev.add("dtend", view.duty.end.astimezone(zone))
    summary = _summary(words, item)
    ev.add("summary", summary)
    ev.add("description", _description(words, item))
    ev.add("location", words.district(view.duty.district))
    ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    ev.add("transp", "TRANSPARENT")  # being on call is not being busy
    if options.alarm_minutes is not None and not cancelled and state.role in _PERSON_ROLES:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _TEXT[options.lang]["alarm"].format(minutes=options.alarm_minutes, summary=summary))
        alarm.add("trigger", dt.timedelta(minutes=-options.alarm_minutes))
        ev.add_component(alarm)
    return ev


@lru_cache(maxsize=64)
def _vtimezone(zone: str, first: dt.date, last: dt.date) -> Timezone:
    return Timezone.from_tzinfo(ZoneInfo(zone), tzid=zone, first_date=first, last_date=last)


def _target_name(target: FeedTarget, ledgers: Sequence[ScenarioLedger], lang: Lang) -> str:
    """The target's label in the newest scenario that knows it (its id otherwise)."""
    newest = sorted((lg.last for lg in ledgers if lg.last is not None), key=lambda p: p.id, reverse=True)
    for pub in newest:
        words, s = _Words(pub.scenario, lang), pub.scenario
        if target.kind == "physician" and _physician(s, target.id) is not None:
            return words.person(target.id)
        if target.kind == "hospital" and any(h.id == target.id for h in s.hospitals):
            return words.hospital(target.id)
        if target.kind == "district" and target.id is not None and any(d.id == target.id for d in s.districts):
            return words.district(target.id)
    return target.id or ""


def render_feed(
    target: FeedTarget, ledgers: Sequence[ScenarioLedger], options: FeedOptions, now: dt.datetime
) -> RenderedFeed:
    """The VCALENDAR of ``target`` after the ledgers' publications, as seen at ``now``.

    The bytes depend only on the publications, the target, the options and which cancelled events have
    passed their retention at ``now``; ``valid_until`` says when the next one will.
    """
    items, expired, upcoming = _select(target, ledgers, now, options.retention)
    t = _TEXT[options.lang]
    name = _target_name(target, ledgers, options.lang)
    cal = Calendar()
    cal.add("prodid", PRODUCT.format(lang=options.lang.upper()))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t[f"cal_{target.kind}"].format(name=name))
    cal.add("name", t[f"cal_{target.kind}"].format(name=name))
    cal.add("x-wr-caldesc", t[f"desc_{target.kind}"].format(name=name))
    cal.add("refresh-interval", options.refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(options.refresh))
    zones: dict[str, tuple[dt.date, dt.date]] = {}
    for item in items:
        duty, zone = item.view.duty, item.view.publication.roster.timezone
        first, last = duty.start.date() - dt.timedelta(days=1), duty.end.date() + dt.timedelta(days=1)
        lo, hi = zones.get(zone, (first, last))
        zones[zone] = (min(lo, first), max(hi, last))
    if len(zones) == 1:
        cal.add("x-wr-timezone", next(iter(zones)))
    for zone, (first, last) in sorted(zones.items()):
        cal.add_component(_vtimezone(zone, first, last))
    for item in items:
        cal.add_component(_event(item, options))
    for event in cover_events(target, ledgers, options):  # the 副主治医's cover days (oncall/cover/feed.py)
        cal.add_component(event)
    body = cal.to_ical()
    changed = [i.state.last_modified for i in items] + ([expired] if expired is not None else [])
    return RenderedFeed(
        body=body,
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        last_modified=max(changed) if changed else None,
        valid_until=upcoming,
        live=sum(not i.cancelled for i in items),
        cancelled=sum(i.cancelled for i in items),
    )
