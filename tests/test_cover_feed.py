"""Cover days in the 副主治医's calendar feed, read back with icalendar."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from oncall.cover.document import CoverAnswer
from oncall.feeds import FeedOptions, FeedTarget, Publication, ScenarioLedger, render_feed
from tests.test_cover import cover_scenario, solved

T0 = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 12, 28, tzinfo=dt.UTC)


def events(body: bytes) -> dict[str, dict[str, object]]:
    cal = Calendar.from_ical(body)
    return {
        str(e["uid"]): {"summary": str(e["summary"]), "start": e.decoded("dtstart"), "end": e.decoded("dtend")}
        for e in cal.walk("VEVENT")
    }


def test_the_deputys_feed_shows_their_cover_days_with_stable_uids() -> None:
    s = cover_scenario()
    roster = solved(s)
    assert roster.cover is not None
    answer = next(a for a in roster.cover.answers if a.principal == "n1a")
    who = str(answer.answerer)
    lg = ScenarioLedger(1).replay([Publication(1, 1, 1, T0, s, roster)])
    body = render_feed(FeedTarget("physician", who), [lg], FeedOptions(), NOW).body
    mine = {u: e for u, e in events(body).items() if u.startswith("cover-")}
    want = [a for a in roster.cover.answers if a.answerer == who]
    assert len(mine) == len(want) >= 1
    uid = f"cover-n1a-{answer.start.astimezone(dt.UTC):%Y%m%dT%H%MZ}@s1.oncall"
    assert mine[uid]["summary"] == "青木一郎医師の患者の副主治医対応"
    assert mine[uid]["start"] == answer.start and mine[uid]["end"] == answer.end
    english = render_feed(FeedTarget("physician", who), [lg], FeedOptions(lang="en"), NOW).body
    assert events(english)[uid]["summary"] == "Cover for Dr Ichiro Aoki's patients"
    # another answerer takes the stretch: the event moves to their feed under the same UID
    other = next(p.id for p in s.physicians if p.clinic == "n2" and p.id != who)
    i = roster.cover.answers.index(answer)
    moved = roster.model_copy(deep=True)
    assert moved.cover is not None
    moved.cover.answers[i] = CoverAnswer(
        principal="n1a", start=answer.start, end=answer.end, answerer=other, role="second"
    )
    lg2 = ScenarioLedger(1).replay([Publication(1, 1, 1, T0, s, roster), Publication(2, 1, 2, T0, s, moved)])
    assert uid in events(render_feed(FeedTarget("physician", other), [lg2], FeedOptions(), NOW).body)
    assert uid not in events(render_feed(FeedTarget("physician", who), [lg2], FeedOptions(), NOW).body)
    district = render_feed(FeedTarget("district", "north"), [lg], FeedOptions(), NOW).body
    assert not [u for u in events(district) if u.startswith("cover-")]
