"""The feeds' pure core: event identity across publications and the VCALENDAR text (no HTTP, no database)."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
from collections.abc import Sequence
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall.feeds import (
    FeedKind,
    FeedOptions,
    FeedTarget,
    Publication,
    RenderedFeed,
    ScenarioLedger,
    event_uid,
    render_feed,
)
from oncall.model import PatientGroup, Period, Scenario
from oncall.roster import Roster
from tests.factories import duties_of, greedy_roster, make_scenario
from tests.feedkit import assert_lines, events_by_uid, read, regional, valid_swap
from tests.icaljs import IcalJs

T0 = dt.datetime(2026, 12, 20, 9, 0, 0, 123456, tzinfo=dt.UTC)  # first publication
NOW = dt.datetime(2026, 12, 28, tzinfo=dt.UTC)  # before every duty of the test week: nothing has expired
HOUR = dt.timedelta(hours=1)


def ledger(scenario: Scenario, *rosters: Roster, sid: int = 1, first: dt.datetime = T0) -> ScenarioLedger:
    """The ledger after publishing ``rosters`` in turn, an hour apart."""
    return ScenarioLedger(sid).replay(
        Publication(i + 1, sid, i + 1, first + i * HOUR, scenario, r) for i, r in enumerate(rosters)
    )


def feed(
    lg: ScenarioLedger | Sequence[ScenarioLedger],
    kind: FeedKind,
    target: str | None,
    now: dt.datetime = NOW,
    **options: object,
) -> RenderedFeed:
    ledgers = [lg] if isinstance(lg, ScenarioLedger) else list(lg)
    return render_feed(FeedTarget(kind, target), ledgers, FeedOptions(**options), now)  # type: ignore[arg-type]


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


@pytest.fixture(scope="module")
def week() -> tuple[Scenario, Roster]:
    scenario = make_scenario()
    return scenario, greedy_roster(scenario)


def test_a_physicians_feed_has_exactly_their_duties_to_the_second(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    lg = ledger(scenario, roster)
    for p in scenario.physicians:
        cal, events = read(feed(lg, "physician", p.id).body)
        held = {
            event_uid(1, d.id, role): d
            for d in duties_of(roster, p.id)
            for role in ("primary", "secondary")
            if getattr(d, role) == p.id
        }
        assert {e.uid for e in events} == set(held), p.id
        for e in events:
            duty = held[e.uid]
            assert (e.start, e.end) == (_utc(duty.start), _utc(duty.end))
            assert e.tzid == "Asia/Tokyo" and e.status == "CONFIRMED" and e.sequence == 0
        assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == (["Asia/Tokyo"] if held else [])


def test_the_feed_is_rfc5545_text(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    scenario = scenario.model_copy(deep=True)
    scenario.physicians[3].phone = "090-1234-5678"
    body = feed(ledger(scenario, roster), "physician", roster.duties[5].primary, alarm_minutes=30).body
    assert_lines(body)
    lines = body.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR"
    # Folding is exercised: a continuation line that starts inside Japanese text.
    assert any(line.startswith(b" ") and not line[1:].isascii() for line in lines)
    cal, events = read(body)
    assert str(cal["VERSION"]) == "2.0" and str(cal["CALSCALE"]) == "GREGORIAN" and str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["PRODID"]).startswith("-//oncall//")
    assert str(cal["X-WR-CALNAME"]).startswith("在宅当番 ")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body and b"X-PUBLISHED-TTL:PT1H\r\n" in body
    assert events
    for e in events:
        assert e.transp == "TRANSPARENT"  # on call is not busy
        assert e.dtstamp == e.last_modified == T0.replace(microsecond=0)
        assert e.alarms == (dt.timedelta(minutes=-30),)


def test_titles_are_japanese_by_default_and_english_on_request(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    lg = ledger(scenario, roster)
    duty = next(d for d in roster.duties if d.district == "north" and d.block == "wd_night")
    uid = event_uid(1, duty.id, "primary")
    ja = events_by_uid(feed(lg, "physician", duty.primary).body)[uid]
    en = events_by_uid(feed(lg, "physician", duty.primary, lang="en").body)[uid]
    assert ja.summary == "【主当番】北部 平日夜間"
    assert en.summary == "[Primary] North, Weekday night"
    partner = scenario.physician(duty.secondary or "")
    assert f"副当番: {partner.name}" in ja.description and f"Secondary: {partner.name_en}" in en.description
    assert "後方支援病院: 中央病院" in ja.description or "後方支援病院: 南病院" in ja.description


def test_the_partner_s_contact_details_are_shown(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    scenario = scenario.model_copy(deep=True)
    duty = roster.duties[4]
    assert duty.primary and duty.secondary
    partner = next(p for p in scenario.physicians if p.id == duty.secondary)
    partner.phone, partner.email = "090-0000-1111", "partner@example.org"
    event = events_by_uid(feed(ledger(scenario, roster), "physician", duty.primary).body)[
        event_uid(1, duty.id, "primary")
    ]
    assert "電話 090-0000-1111" in event.description and "メール partner@example.org" in event.description


def _swap(roster: Roster, duty_id: str, role: str, new: str | None) -> Roster:
    changed = roster.model_copy(deep=True)
    setattr(next(d for d in changed.duties if d.id == duty_id), role, new)
    return changed


def _sequences(lg: ScenarioLedger, scenario: Scenario) -> dict[str, dict[str, tuple[int, str]]]:
    """Per physician: UID → (SEQUENCE, STATUS) of their feed."""
    return {
        p.id: {u: (e.sequence, e.status) for u, e in events_by_uid(feed(lg, "physician", p.id).body).items()}
        for p in scenario.physicians
    }


def test_after_a_swap_the_old_holder_sees_a_cancellation_and_the_new_holder_the_same_uid(
    week: tuple[Scenario, Roster],
) -> None:
    scenario, roster = week
    swapped, duty_id, old, new = valid_swap(scenario, roster, "primary")
    uid = event_uid(1, duty_id, "primary")
    before = _sequences(ledger(scenario, roster), scenario)
    after = _sequences(ledger(scenario, roster, swapped), scenario)

    assert before[old][uid] == (0, "CONFIRMED") and uid not in before[new]
    assert after[old][uid] == (1, "CANCELLED")  # higher SEQUENCE
    assert after[new][uid] == (1, "CONFIRMED")  # the same UID
    for pid in before:
        for other, (sequence, status) in before[pid].items():
            if other != uid:
                assert after[pid][other] == (sequence, status), (pid, other)  # no other event changed
        assert set(after[pid]) - set(before[pid]) == ({uid} if pid == new else set())


def test_a_change_of_text_only_moves_last_modified_not_sequence(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    swapped, duty_id, old, new = valid_swap(scenario, roster, "secondary")
    duty = next(d for d in roster.duties if d.id == duty_id)
    assert duty.primary is not None
    uid = event_uid(1, duty_id, "primary")
    first = events_by_uid(feed(ledger(scenario, roster), "physician", duty.primary).body)[uid]
    then = events_by_uid(feed(ledger(scenario, roster, swapped), "physician", duty.primary).body)[uid]
    # RFC 5546 §2.1.4: the partner is not a significant property of the primary's event.
    assert then.sequence == first.sequence == 0
    assert then.last_modified == first.last_modified + HOUR == then.dtstamp
    assert scenario.physician(new).name in then.description and scenario.physician(old).name in first.description


def test_a_moved_duty_keeps_its_uid_with_a_higher_sequence(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    moved = roster.model_copy(deep=True)
    duty = moved.duties[6]
    duty.end = duty.end - dt.timedelta(minutes=30)  # pure core: any published change, valid or not
    assert duty.primary is not None
    uid = event_uid(1, duty.id, "primary")
    event = events_by_uid(feed(ledger(scenario, roster, moved), "physician", duty.primary).body)[uid]
    assert event.sequence == 1 and event.end == _utc(duty.end) and event.status == "CONFIRMED"


def test_a_regained_duty_is_live_again_with_a_higher_sequence(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    swapped, duty_id, old, _ = valid_swap(scenario, roster, "primary")
    uid = event_uid(1, duty_id, "primary")
    lg = ledger(scenario, roster, swapped, roster)
    assert events_by_uid(feed(lg, "physician", old).body)[uid].sequence == 2
    assert events_by_uid(feed(lg, "physician", old).body)[uid].status == "CONFIRMED"


def test_a_cancelled_event_stays_for_the_retention_window_then_leaves(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    swapped, duty_id, old, _ = valid_swap(scenario, roster, "primary")
    uid = event_uid(1, duty_id, "primary")
    lg = ledger(scenario, roster, swapped)
    end = _utc(next(d.end for d in roster.duties if d.id == duty_id))
    expiry = end + dt.timedelta(days=10)
    shown = feed(lg, "physician", old, now=expiry - dt.timedelta(seconds=1), retention=dt.timedelta(days=10))
    assert events_by_uid(shown.body)[uid].status == "CANCELLED"
    assert "担当から外れました（2026-12-20 19:00 公開の当番表）" in events_by_uid(shown.body)[uid].description
    assert shown.valid_until == expiry and shown.cancelled == 1
    gone = feed(lg, "physician", old, now=expiry, retention=dt.timedelta(days=10))
    assert uid not in events_by_uid(gone.body) and gone.cancelled == 0
    assert gone.last_modified == expiry  # the body changed then: If-Modified-Since must see it


def test_the_same_publications_give_the_same_bytes(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    swapped = valid_swap(scenario, roster, "primary")[0]
    pid = roster.duties[0].primary
    one = feed(ledger(scenario, roster, swapped), "physician", pid)
    two = feed(ledger(scenario, roster, swapped), "physician", pid)
    assert one.body == two.body and one.etag == two.etag
    assert one.etag == '"' + hashlib.sha256(one.body).hexdigest()[:32] + '"'
    assert feed(ledger(scenario, roster, swapped), "physician", pid, lang="en").etag != one.etag
    # So do the gzip-compressed bytes (compressed once per rendering), under a tag of their own.
    assert one.gzipped == two.gzipped and one.gzipped is one.gzipped and gzip.decompress(one.gzipped) == one.body
    assert one.gzip_etag == one.etag[:-1] + '-gzip"' != one.etag


def test_reminders_ring_only_for_live_duties(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    swapped, duty_id, old, _ = valid_swap(scenario, roster, "primary")
    events = events_by_uid(feed(ledger(scenario, roster, swapped), "physician", old, alarm_minutes=45).body)
    assert events[event_uid(1, duty_id, "primary")].alarms == ()
    live = [e for e in events.values() if e.status == "CONFIRMED"]
    assert live and all(e.alarms == (dt.timedelta(minutes=-45),) for e in live)
    assert all(not e.alarms for e in events_by_uid(feed(ledger(scenario, roster), "physician", old).body).values())


def test_district_and_network_feeds_show_every_duty_with_both_doctors_and_gaps(
    week: tuple[Scenario, Roster],
) -> None:
    scenario, roster = week
    gap = _swap(roster, roster.duties[2].id, "secondary", None)
    lg = ledger(scenario, roster, gap)
    network = events_by_uid(feed(lg, "network", None).body)
    assert set(network) == {event_uid(1, d.id, "duty") for d in roster.duties}
    north = events_by_uid(feed(lg, "district", "north").body)
    assert set(north) == {event_uid(1, d.id, "duty") for d in roster.duties if d.district == "north"}
    duty = gap.duties[2]
    shown = network[event_uid(1, duty.id, "duty")]
    assert scenario.physician(duty.primary or "").name in shown.summary and "欠員" in shown.summary
    # The secondary's role with nobody in it is no one's event: the former holder sees it cancelled.
    former = roster.duties[2].secondary or ""
    assert events_by_uid(feed(lg, "physician", former).body)[event_uid(1, duty.id, "secondary")].status == ("CANCELLED")


def test_a_hospital_feed_shows_its_standby_with_expected_admissions() -> None:
    scenario, roster = regional()
    lg = ledger(scenario, roster)
    for hospital in scenario.hospitals:
        events = events_by_uid(feed(lg, "hospital", hospital.id).body)
        held = {event_uid(1, d.id, "backup_hospital") for d in roster.duties if d.backup_hospital == hospital.id}
        assert set(events) == held
    # A figure that rounds to 0.0 stays out of the title: look at an event whose title has one.
    titled = events_by_uid(feed(lg, "hospital", scenario.hospitals[0].id).body).values()
    some = next(e for e in titled if "入院見込み" in e.summary)
    assert some.summary.startswith("【後方支援待機】")
    assert "当日合計" in some.description and "主当番: " in some.description
    english = feed(lg, "hospital", scenario.hospitals[0].id, lang="en").body
    assert b"expected admissions" in english


def _dst_scenario() -> Scenario:
    """The test network in New York over the spring change (2027-03-14): a 23-hour day."""
    scenario = make_scenario(start=dt.date(2027, 3, 12), days=4).model_copy(
        update={"timezone": "America/New_York", "calendar": make_scenario().calendar}
    )
    scenario.calendar.national_holidays = False
    return Scenario.model_validate(scenario.model_dump())


def test_a_zone_with_daylight_saving_keeps_every_hour(icaljs: IcalJs) -> None:
    scenario = _dst_scenario()
    roster = greedy_roster(scenario)
    duty = next(d for d in roster.duties if d.start.date() == dt.date(2027, 3, 13) and d.block.endswith("night"))
    assert _utc(duty.end) - _utc(duty.start) == dt.timedelta(hours=13, minutes=30)  # 18:00 → 08:30, an hour short
    pid = duty.primary or ""
    body = feed(ledger(scenario, roster), "physician", pid).body
    cal, events = read(body)
    zone = next(iter(cal.walk("VTIMEZONE")))
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    held = {event_uid(1, d.id, "primary" if d.primary == pid else "secondary"): d for d in duties_of(roster, pid)}
    js = {e["uid"]: e for e in icaljs.read(body)[0]["events"]}
    for e in events:
        want = held[e.uid]
        assert (e.start, e.end) == (_utc(want.start), _utc(want.end))
        assert (js[e.uid]["start"], js[e.uid]["end"]) == (int(want.start.timestamp()), int(want.end.timestamp()))
        assert js[e.uid]["tzid"] == "America/New_York"


def test_icaljs_reads_what_icalendar_reads(week: tuple[Scenario, Roster], icaljs: IcalJs) -> None:
    scenario, roster = week
    swapped, _, old, _ = valid_swap(scenario, roster, "primary")
    lg = ledger(scenario, roster, swapped)
    bodies = [feed(lg, "physician", old, alarm_minutes=10).body, feed(lg, "network", None, lang="en").body]
    for body, parsed in zip(bodies, icaljs.read(*bodies), strict=True):
        cal, events = read(body)
        assert parsed["version"] == "2.0" and parsed["method"] == "PUBLISH" and parsed["timezones"] == ["Asia/Tokyo"]
        assert parsed["calname"] == str(cal["X-WR-CALNAME"])
        mine = {e["uid"]: e for e in parsed["events"]}
        assert len(mine) == len(events) == len(parsed["events"])
        for e in events:
            js = mine[e.uid]
            assert (js["start"], js["end"]) == (int(e.start.timestamp()), int(e.end.timestamp()))
            assert (js["sequence"], js["status"], js["summary"]) == (e.sequence, e.status, e.summary)
            assert js["description"] == e.description and js["transp"] == "TRANSPARENT"
            assert js["alarms"] == [int(a.total_seconds()) for a in e.alarms]


# --- the property: random sequences of published revisions -----------------------------------------

_SMALL = make_scenario(days=3)
_BASE = greedy_roster(_SMALL)
_PEOPLE = [p.id for p in _SMALL.physicians]
_HOSPITALS = [h.id for h in _SMALL.hospitals]
Role = Literal["primary", "secondary", "backup_hospital", "duty"]

_edit = st.one_of(
    st.tuples(
        st.just("assign"),
        st.integers(0, len(_BASE.duties) - 1),
        st.sampled_from(["primary", "secondary"]),
        st.none() | st.sampled_from(_PEOPLE),
    ),
    st.tuples(
        st.just("assign"),
        st.integers(0, len(_BASE.duties) - 1),
        st.just("backup_hospital"),
        st.none() | st.sampled_from(_HOSPITALS),
    ),
    st.tuples(st.just("drop"), st.integers(0, len(_BASE.duties) - 1), st.just("primary"), st.none()),
    st.tuples(st.just("restore"), st.integers(0, len(_BASE.duties) - 1), st.just("primary"), st.none()),
    st.tuples(st.just("rollback"), st.integers(0, 5), st.just("primary"), st.none()),
)


def _apply(history: list[Roster], edits: list[tuple[str, int, str, str | None]]) -> Roster:
    roster = history[-1].model_copy(deep=True)
    for kind, index, role, who in edits:
        base = _BASE.duties[index]
        if kind == "rollback":
            roster = history[index % len(history)].model_copy(deep=True)
        elif kind == "drop":
            roster.duties = [d for d in roster.duties if d.id != base.id]
        elif kind == "restore" and all(d.id != base.id for d in roster.duties):
            roster.duties = sorted([*roster.duties, base.model_copy()], key=lambda d: d.start)
        elif kind == "assign":
            duty = next((d for d in roster.duties if d.id == base.id), None)
            if duty is not None:
                setattr(duty, role, who)
    return roster


def _holdings(roster: Roster, role: Role) -> dict[str, set[str]]:
    """Holder → UIDs of the events they hold in ``roster``."""
    out: dict[str, set[str]] = {}
    for d in roster.duties:
        holder = d.district if role == "duty" else getattr(d, role)
        if holder is not None:
            out.setdefault(holder, set()).add(event_uid(1, d.id, role))
    return out


_ROLES: tuple[Role, ...] = ("primary", "secondary", "backup_hospital", "duty")
_TARGETS: list[tuple[FeedKind, str, tuple[Role, ...]]] = [
    *(("physician", pid, ("primary", "secondary")) for pid in _PEOPLE),
    *(("hospital", hid, ("backup_hospital",)) for hid in _HOSPITALS),
    *(("district", d.id, ("duty",)) for d in _SMALL.districts),
]
_DUTY_OF_UID = {event_uid(1, d.id, r): d.id for d in _BASE.duties for r in _ROLES}


@given(st.lists(st.lists(_edit, min_size=1, max_size=4), min_size=1, max_size=5))
def test_identity_holds_over_random_sequences_of_publications(
    revisions: list[list[tuple[str, int, str, str | None]]],
) -> None:
    history = [_BASE]
    for edits in revisions:
        history.append(_apply(history, edits))
    lg = ScenarioLedger(1)
    shown: dict[tuple[str, str], int] = {}  # (target, UID) → SEQUENCE last shown
    shown_live: dict[tuple[str, str], int] = {}  # (target, UID) → SEQUENCE last shown as live
    ever: dict[str, set[str]] = {}  # target → UIDs it ever held
    previous: Roster | None = None
    previous_sequence: dict[str, int] = {}
    for step, roster in enumerate(history):
        lg.apply(Publication(step + 1, 1, step + 1, T0 + step * HOUR, _SMALL, roster))
        duties = {d.id: d for d in roster.duties}
        sequence_of: dict[str, int] = {}
        for kind, tid, roles in _TARGETS:
            by_uid = events_by_uid(render_feed(FeedTarget(kind, tid), [lg], FeedOptions(), NOW).body)  # one UID once
            held = set().union(*(_holdings(roster, r).get(tid, set()) for r in roles))
            live = {u for u, e in by_uid.items() if e.status == "CONFIRMED"}
            cancelled = {u for u, e in by_uid.items() if e.status == "CANCELLED"}
            assert live == held  # exactly the duties held now
            ever.setdefault(tid, set()).update(held)
            assert cancelled == ever[tid] - held  # every lost duty, once, as cancelled (none expired yet)
            for uid, e in by_uid.items():
                assert sequence_of.setdefault(uid, e.sequence) == e.sequence  # one SEQUENCE per UID in every feed
                assert e.sequence >= shown.get((tid, uid), 0)  # never decreases
                shown[(tid, uid)] = e.sequence
                if uid in cancelled:
                    assert e.sequence > shown_live[(tid, uid)]  # the cancellation outranks the live copy
                else:
                    shown_live[(tid, uid)] = e.sequence
                    duty = duties[_DUTY_OF_UID[uid]]
                    assert (e.start, e.end) == (_utc(duty.start), _utc(duty.end))
        # An unchanged duty keeps its UID and its SEQUENCE.
        if previous is not None:
            before = {d.id: d for d in previous.duties}
            for d in roster.duties:
                if before.get(d.id) == d:
                    for role in _ROLES:
                        holder = d.district if role == "duty" else getattr(d, role)
                        uid = event_uid(1, d.id, role)
                        if holder is not None:
                            assert (holder, uid) in shown and sequence_of[uid] == previous_sequence[uid]
        previous, previous_sequence = roster, sequence_of


def test_publications_must_come_in_order(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    lg = ledger(scenario, roster, roster)
    with pytest.raises(ValueError, match="not after"):
        lg.apply(Publication(1, 1, 1, T0, scenario, roster))
    with pytest.raises(ValueError, match="scenario 2"):
        lg.apply(Publication(9, 2, 1, T0, scenario, roster))


def test_feeds_span_scenarios_and_can_be_limited_to_one() -> None:
    january = make_scenario(start=dt.date(2027, 1, 4), days=2)
    february = make_scenario(start=dt.date(2027, 2, 1), days=2).model_copy(
        update={"period": Period(start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 2))}
    )
    one, two = ledger(january, greedy_roster(january), sid=1), ledger(february, greedy_roster(february), sid=2)
    pid = "n1a"
    both = events_by_uid(feed([one, two], "physician", pid).body)
    assert {u.rsplit("@", 1)[1] for u in both} == {"s1.oncall", "s2.oncall"}
    only = render_feed(FeedTarget("physician", pid, scenario_id=2), [one, two], FeedOptions(), NOW)
    assert {u.rsplit("@", 1)[1] for u in events_by_uid(only.body)} == {"s2.oncall"}


@pytest.mark.parametrize(
    ("lang", "figure"), [("ja", r"入院見込み (\d+\.\d) 件"), ("en", r"(\d+\.\d) expected admissions")]
)
def test_a_hospital_title_leaves_out_a_figure_that_rounds_to_zero(
    week: tuple[Scenario, Roster], lang: str, figure: str
) -> None:
    scenario, roster = week  # the north brings several admissions a week, the south a few hundredths
    busy = scenario.model_copy(
        update={"patients": [PatientGroup(clinic="n1", other=3000), PatientGroup(clinic="s1", other=20)]}
    )
    lg = ledger(busy, roster)
    shown: dict[str, list[str]] = {"north": [], "south": []}
    for h in busy.hospitals:
        for uid, event in events_by_uid(feed(lg, "hospital", h.id, lang=lang).body).items():
            shown["north" if uid.startswith("north") else "south"] += re.findall(figure, event.summary)
            assert ("当日合計" if lang == "ja" else "on the day in all") in event.description
    assert shown["north"] and all(float(x) > 0 for x in shown["north"])
    assert shown["south"] == []


def test_no_admissions_are_promised_without_enrolled_patients(week: tuple[Scenario, Roster]) -> None:
    scenario, roster = week
    body = feed(ledger(scenario, roster), "hospital", "central").body
    assert "入院見込み" not in body.decode()
    with_patients = scenario.model_copy(update={"patients": [PatientGroup(clinic="n1", other=200)]})
    assert "入院見込み" in feed(ledger(with_patients, roster), "hospital", "central").body.decode()
