"""Cover days in a physician's calendar feed: 「○○医師の患者の副主治医対応」 events.

Each stretch of a 主治医's absence that the physician answers is one event of their feed. Its UID comes
from the 主治医 and the stretch's start, never from who answers, like the duty events' UIDs: a change of
answerer keeps the UID. Times are written in UTC so the event needs no VTIMEZONE of its own. The plan
read is the latest publication's; unlike duty events, a cover event that moves to another answerer
simply leaves the old answerer's feed (no cancelled copy is kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from icalendar import Event

from oncall.i18n import LANGS, table

if TYPE_CHECKING:
    from oncall.feeds import FeedOptions, FeedTarget, ScenarioLedger

__all__ = ["cover_events", "cover_uid"]

_PARTS = ("title", "as_deputy", "as_second")  # cover_feed.* in the catalogue
_TEXT: dict[str, tuple[str, ...]] = {lang: tuple(table("cover_feed", lang)[k] for k in _PARTS) for lang in LANGS}


def cover_uid(scenario_id: int, principal: str, start: dt.datetime) -> str:
    """The UID of one stretch of cover: from the 主治医 and the start, never from who answers.

    >>> cover_uid(3, "dr07", dt.datetime(2027, 1, 5, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))))
    'cover-dr07-20270104T2330Z@s3.oncall'
    """
    return f"cover-{principal}-{start.astimezone(dt.UTC):%Y%m%dT%H%MZ}@s{scenario_id}.oncall"


def cover_events(target: FeedTarget, ledgers: Sequence[ScenarioLedger], options: FeedOptions) -> list[Event]:
    """The cover events of a physician's feed (none for other feeds)."""
    if target.kind != "physician" or target.id is None:
        return []
    lang = "en" if options.lang == "en" else "ja"
    out: list[Event] = []
    for ledger in ledgers:
        pub = ledger.last
        if pub is None or pub.roster.cover is None or target.scenario_id not in (None, ledger.scenario_id):
            continue
        s = pub.scenario
        for a in pub.roster.cover.answers:
            if a.answerer != target.id:
                continue
            principal = s.physician(a.principal)
            name = principal.name_en or principal.name if lang == "en" else principal.name
            title, as_deputy, as_second = _TEXT[lang]
            ev = Event()
            ev.add("uid", cover_uid(ledger.scenario_id, a.principal, a.start))
            ev.add("sequence", 0)
            ev.add("dtstamp", pub.published_at.astimezone(dt.UTC).replace(microsecond=0))
            ev.add("dtstart", a.start.astimezone(dt.UTC))
            ev.add("dtend", a.end.astimezone(dt.UTC))
            ev.add("summary", title.format(name=name))
            phone = f" / {principal.phone}" if principal.phone else ""
            ev.add("description", (as_deputy if a.role == "deputy" else as_second) + phone)
            ev.add("status", "CONFIRMED")
            ev.add("transp", "TRANSPARENT")
            out.append(ev)
    out.sort(key=lambda e: (e.decoded("dtstart"), str(e["uid"])))
    return out
