"""The checker: a valid roster passes; each seeded breach is caught under the right rule id."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from oncall.checker import CheckReport, check
from oncall.fairness import fair_share
from oncall.i18n import render
from oncall.model import (
    Absence,
    CapacityOverride,
    Caps,
    Closure,
    PatientGroup,
    Pin,
    Request,
    Scenario,
    SharedRole,
)
from oncall.roster import Roster, RosterGap, RosterRegularHours
from oncall.rules import HARD
from oncall.timeline import Timeline
from tests.factories import greedy_roster, make_scenario

Case = tuple[Scenario, Roster]
# The greedy roster of make_scenario(), by index, as far as the cases below rely on it:
# 0 north 1/3 hol_night tail n1a/n2a central   4 north 1/5 wd_night n1c/n2c central
# 5 south 1/5 wd_night s2c/s1c minami          12 north 1/9 sat_afternoon n1a/n2a central
# 13 south 1/9 sat_afternoon s1a/s2a minami    15 south 1/9 sat_night s1b/s2b minami


@pytest.fixture
def case() -> Case:
    scenario = make_scenario()
    return scenario, greedy_roster(scenario)


def rules_of(report: CheckReport) -> set[str]:
    return {v.rule for v in report.violations}


def test_valid_roster_passes(case: Case) -> None:
    scenario, roster = case
    report = check(scenario, roster)
    assert report.violations == []
    assert report.ok
    assert report.summary().splitlines()[0] == "ハード制約の違反なし"
    assert check(scenario, roster, lang="en").summary().splitlines()[0] == "No hard rule broken."


def test_offsets_may_differ(case: Case) -> None:
    scenario, roster = case
    for d in roster.duties:
        d.start, d.end = d.start.astimezone(dt.UTC), d.end.astimezone(dt.UTC)
    roster.period.start = roster.period.start.astimezone(dt.UTC)
    assert check(scenario, roster).ok


def test_roster_json_round_trip_passes(case: Case) -> None:
    scenario, roster = case
    assert check(scenario, Roster.model_validate_json(roster.to_json())).ok


def test_daylight_saving_change_is_no_hole() -> None:
    # The timeline lays out a 23-hour day; the checker must compare instants, not wall clocks.
    scenario = make_scenario(start=dt.date(2027, 3, 13), days=3)  # US clocks go forward on 3/14
    scenario.timezone = "America/New_York"
    roster = greedy_roster(scenario)
    assert check(scenario, roster).ok
    del roster.regular_hours[-1]
    assert rules_of(check(scenario, roster)) == {"tiling"}


# --- seeded breaches: (rule id, mutation, duty id expected on a violation or None) -----------------
def _drop_duty(s: Scenario, r: Roster) -> None:
    del r.duties[4]


def _drop_regular_hours(s: Scenario, r: Roster) -> None:
    r.regular_hours.remove(next(h for h in r.regular_hours if h.district == "north"))  # 1/4 08:30-18:00


def _overlap_regular_hours(s: Scenario, r: Roster) -> None:
    first = r.regular_hours[0]
    r.regular_hours.append(
        RosterRegularHours(district=first.district, start=first.start, end=first.end + dt.timedelta(hours=10))
    )


def _shift_duty(s: Scenario, r: Roster) -> None:
    r.duties[4].start += dt.timedelta(minutes=30)


def _unknown_duty(s: Scenario, r: Roster) -> None:
    r.duties.append(r.duties[4].model_copy(update={"id": "north-20270105T0930Z"}))


def _unknown_district(s: Scenario, r: Roster) -> None:
    r.duties[4].district = "east"


def _wrong_scenario(s: Scenario, r: Roster) -> None:
    r.scenario = "another-network"


def _wrong_period(s: Scenario, r: Roster) -> None:
    r.period.end += dt.timedelta(days=1)


def _duplicate_duty(s: Scenario, r: Roster) -> None:
    r.duties.append(r.duties[4].model_copy())


def _no_secondary(s: Scenario, r: Roster) -> None:
    r.duties[4].secondary = None


def _no_hospital(s: Scenario, r: Roster) -> None:
    r.duties[4].backup_hospital = None


def _absent(s: Scenario, r: Roster) -> None:
    s.physician("n1c").absences.append(Absence(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 5)))


def _absent_one_minute(s: Scenario, r: Roster) -> None:
    # Duty 4 ends 1/6 08:30; an absence from 08:29 overlaps it by a minute.
    s.physician("n1c").absences.append(Absence(start=dt.datetime(2027, 1, 6, 8, 29), end=dt.datetime(2027, 1, 6, 12)))


def _wrong_district(s: Scenario, r: Roster) -> None:
    r.duties[5].primary = "n1b"  # a north doctor, free on 1/5


def _shared_apart(s: Scenario, r: Roster) -> None:
    # One secondary for both districts on weekday nights; the roster keeps one per district.
    s.shared_roles = [SharedRole(id="night_backup", name="全域夜間副当番", role="secondary", blocks=["wd_night"])]


def _secondary_not_asked(s: Scenario, r: Roster) -> None:
    s.districts[0].roles = {"weekday": ["primary"]}  # north asks no secondary on weekdays; the roster has one


def _wrong_role(s: Scenario, r: Roster) -> None:
    r.duties[5].primary, r.duties[5].secondary = "s1c", "s2c"  # s1c accepts secondary only


def _unknown_physician(s: Scenario, r: Roster) -> None:
    r.duties[4].primary = "nobody"


def _double_booked(s: Scenario, r: Roster) -> None:
    r.duties[4].secondary = "s2c"  # already south primary in the same slot; covers north too


def _primary_is_secondary(s: Scenario, r: Roster) -> None:
    r.duties[4].secondary = r.duties[4].primary


def _same_clinic(s: Scenario, r: Roster) -> None:
    r.duties[0].secondary = "n1b"  # n1a's colleague at n1


# n1a holds duties 0 (the tail of 1/3's night, counted in the period where it began), 6, 12 and 18:
# three duties, two nights and one holiday duty count against this period's caps.
def _duty_cap(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.duties = 2


def _night_cap(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.nights = 1


def _holiday_cap(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.holiday_duties = 0


def _weekend_night_cap(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.weekend_nights = 0  # n1a holds the Sunday 1/10 night


def _weekend_cap(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.weekend_duties = 1  # n1a holds Saturday 1/9 afternoon and the Sunday 1/10 night


def _holiday_night_cap(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.holiday_nights = 0  # the Sunday 1/10 night (the 1/3 tail counts in December)


def _weekly_night_cap(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.nights_per_week = 1  # the nights of 1/6 and 1/10, both in 2027-W01


def _hours_cap(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.oncall_hours = 30  # 8.5 h of the 1/3 tail, 14.5, 5.5 and 6 h: 34.5 h


def _duty_minimum(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.min_duties = 4  # three duties count (not the 1/3 tail)


def _consecutive_nights(s: Scenario, r: Roster) -> None:
    r.duties[4].primary = "n1a"  # the 1/5 north night, then n1a's own 1/6 night
    s.physician("n1a").caps.consecutive_nights = 1


def _mentor(s: Scenario, r: Roster) -> None:
    s.physician("n2c").mentors = ["n1a"]  # the newer n2c holds the 1/5 north night with n1c


def _never_pair(s: Scenario, r: Roster) -> None:
    s.physician("n2a").never_with = ["n1a"]  # they hold the north duties of 1/3, 1/6, 1/9 and 1/10 together


def _visit_distance(s: Scenario, r: Roster) -> None:
    s.districts[1].lat, s.districts[1].lon = 36.5, 137.0  # the south's centre 55 km from clinic s2
    s.clinics[3].lat, s.clinics[3].lon = 36.0, 137.0


def _consecutive(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.consecutive_days = 1  # n1a works 1/9 and 1/10


def _consecutive_history(s: Scenario, r: Roster) -> None:
    s.physician("n1b").history.recent_duty_dates = [dt.date(2027, 1, 2), dt.date(2027, 1, 3)]  # then 1/4


def _rest(s: Scenario, r: Roster) -> None:
    s.physician("n1a").caps.min_rest_hours = 30  # n1a has 24 h between 1/9 afternoon and 1/10 night


def _rest_history(s: Scenario, r: Roster) -> None:
    s.physician("n1a").history.last_duty_end = dt.datetime(2027, 1, 3, 20, 0)  # naive: scenario zone


def _hospital_district(s: Scenario, r: Roster) -> None:
    s.rules.hospital_assignment = "block"
    r.duties[4].backup_hospital = "minami"  # south only


def _unknown_hospital(s: Scenario, r: Roster) -> None:
    r.duties[4].backup_hospital = "nowhere"


def _hospital_closed(s: Scenario, r: Roster) -> None:
    s.hospitals[0].closed_dates = [dt.date(2027, 1, 5)]  # central stands by for duty 4


def _hospital_capacity(s: Scenario, r: Roster) -> None:
    s.hospitals[0].max_districts = 1  # central covers north and south on 1/4 night


def _hospital_admissions(s: Scenario, r: Roster) -> None:
    s.patients = [PatientGroup(clinic="n1", other=3000)]  # about 0.9 expected admissions a weekday
    s.hospitals[0].capacity_per_day = 1  # central, standing by for the north every date: limit 0.8


def _hospital_capacity_override(s: Scenario, r: Roster) -> None:
    s.patients = [PatientGroup(clinic="n1", other=3000)]  # about 0.9 expected admissions a weekday
    s.hospitals[0].capacity_per_day = 6  # room to spare, but for a ward closed on 1/5
    s.hospitals[0].capacity_overrides = [CapacityOverride(start=dt.date(2027, 1, 5), capacity_per_day=1)]


def _hospital_closed_hours(s: Scenario, r: Roster) -> None:
    closed = Closure(start=dt.datetime(2027, 1, 5, 20, 0), end=dt.datetime(2027, 1, 5, 21, 0))
    s.hospitals[0].closures = [closed]  # central stands by for the north night of 1/5


def _hospital_blocks(s: Scenario, r: Roster) -> None:
    s.hospitals[0].night_only = True  # central stands by for the north's Saturday afternoon 1/9


def _hospital_named_blocks(s: Scenario, r: Roster) -> None:
    s.hospitals[1].standby_blocks = ["wd_night", "sat_night", "hol_night"]  # minami, south 1/9 afternoon


def _hospital_standby_cap(s: Scenario, r: Roster) -> None:
    s.hospitals[0].max_standby_days = 3


def _hospital_per_day(s: Scenario, r: Roster) -> None:
    r.duties[15].backup_hospital = "central"  # 1/9 south: minami in the afternoon


def _pinned(s: Scenario, r: Roster) -> None:
    s.pinned.append(Pin(district="north", date=dt.date(2027, 1, 5), block="wd_night", role="primary", assignee="n1a"))


def _pinned_hospital(s: Scenario, r: Roster) -> None:
    s.pinned.append(
        Pin(district="south", date=dt.date(2027, 1, 5), block="wd_night", role="backup_hospital", assignee="central")
    )


def _pin_without_duty(s: Scenario, r: Roster) -> None:
    s.pinned.append(Pin(district="north", date=dt.date(2027, 1, 5), block="hol_day", role="primary", assignee="n1a"))


def _gap_listed_but_held(s: Scenario, r: Roster) -> None:
    duty = next(d for d in r.duties if d.id == "north-20270105T0900Z")
    assert duty.primary is not None
    r.gaps.append(RosterGap(duty=duty.id, role="primary", reasons=[]))


def _gap_of_no_duty(s: Scenario, r: Roster) -> None:
    r.gaps.append(RosterGap(duty="north-20270105T0930Z", role="secondary", reasons=[]))


SEEDED: list[tuple[str, Callable[[Scenario, Roster], None], str | None]] = [
    ("tiling", _drop_duty, "north-20270105T0900Z"),
    ("tiling", _drop_regular_hours, None),
    ("tiling", _overlap_regular_hours, None),
    ("tiling", _shift_duty, "north-20270105T0900Z"),
    ("tiling", _unknown_duty, "north-20270105T0930Z"),
    ("tiling", _unknown_district, "north-20270105T0900Z"),
    ("tiling", _wrong_scenario, None),
    ("tiling", _wrong_period, None),
    ("tiling", _duplicate_duty, "north-20270105T0900Z"),
    ("tiling", _gap_listed_but_held, "north-20270105T0900Z"),
    ("tiling", _gap_of_no_duty, "north-20270105T0930Z"),
    ("shared_role", _shared_apart, "south-20270105T0900Z"),
    ("coverage", _no_secondary, "north-20270105T0900Z"),
    ("coverage", _no_hospital, "north-20270105T0900Z"),
    ("absence", _absent, "north-20270105T0900Z"),
    ("absence", _absent_one_minute, "north-20270105T0900Z"),
    ("eligibility", _wrong_district, "south-20270105T0900Z"),
    ("eligibility", _wrong_role, "south-20270105T0900Z"),
    ("eligibility", _secondary_not_asked, "north-20270105T0900Z"),
    ("eligibility", _unknown_physician, "north-20270105T0900Z"),
    ("one_duty_at_a_time", _double_booked, "south-20270105T0900Z"),
    ("one_duty_at_a_time", _primary_is_secondary, "north-20270105T0900Z"),
    ("secondary_other_clinic", _same_clinic, "north-20270103T1500Z"),
    ("duty_cap", _duty_cap, None),
    ("night_cap", _night_cap, None),
    ("holiday_cap", _holiday_cap, None),
    ("weekend_night_cap", _weekend_night_cap, None),
    ("weekend_cap", _weekend_cap, None),
    ("holiday_night_cap", _holiday_night_cap, None),
    ("weekly_night_cap", _weekly_night_cap, None),
    ("hours_cap", _hours_cap, None),
    ("duty_minimum", _duty_minimum, None),
    ("consecutive_days", _consecutive, None),
    ("consecutive_days", _consecutive_history, None),
    ("consecutive_nights", _consecutive_nights, None),
    ("visit_distance", _visit_distance, "south-20270105T0900Z"),
    ("mentor", _mentor, "north-20270105T0900Z"),
    ("never_pair", _never_pair, "north-20270106T0900Z"),
    ("min_rest", _rest, "north-20270110T0900Z"),
    ("min_rest", _rest_history, "north-20270103T1500Z"),
    ("hospital_district", _hospital_district, "north-20270105T0900Z"),
    ("hospital_district", _unknown_hospital, "north-20270105T0900Z"),
    ("hospital_closed", _hospital_closed, "north-20270105T0900Z"),
    ("hospital_capacity", _hospital_capacity, None),
    ("hospital_admissions", _hospital_admissions, None),
    ("hospital_admissions", _hospital_capacity_override, None),
    ("hospital_closed_hours", _hospital_closed_hours, "north-20270105T0900Z"),
    ("hospital_blocks", _hospital_blocks, "north-20270109T0330Z"),
    ("hospital_blocks", _hospital_named_blocks, "south-20270109T0330Z"),
    ("hospital_standby_cap", _hospital_standby_cap, None),
    ("hospital_per_day", _hospital_per_day, None),
    ("pinned", _pinned, "north-20270105T0900Z"),
    ("pinned", _pinned_hospital, "south-20270105T0900Z"),
    ("pinned", _pin_without_duty, None),
]


@pytest.mark.parametrize(("rule_id", "mutate", "duty"), SEEDED, ids=[m.__name__.strip("_") for _, m, _ in SEEDED])
def test_a_violation_found_in_one_language_reads_fully_in_the_other(
    case: Case, rule_id: str, mutate: Callable[[Scenario, Roster], None], duty: str | None
) -> None:
    """Names, blocks, districts, roles and cap nouns are kept in both languages (or as codes) in the
    params, so a violation stored by a Japanese check renders exactly as an English check words it."""
    scenario, roster = case
    mutate(scenario, roster)
    ja, en = check(scenario, roster, lang="ja"), check(scenario, roster, lang="en")
    assert rule_id in {v.rule for v in ja.violations}
    for a, b in zip(ja.violations, en.violations, strict=True):
        assert a.code, a  # every violation of the checker is coded
        stored = json.loads(json.dumps(a.kept()))  # as a stored roster or an API body keeps it
        assert render(stored, "en") == b.message and render(stored, "ja") == a.message
        assert b.render("ja") == a.message and a.render("en") == b.message


@pytest.mark.parametrize(("rule_id", "mutate", "duty"), SEEDED, ids=[m.__name__.strip("_") for _, m, _ in SEEDED])
def test_seeded_breach_is_caught(
    case: Case, rule_id: str, mutate: Callable[[Scenario, Roster], None], duty: str | None
) -> None:
    scenario, roster = case
    mutate(scenario, roster)
    report = check(scenario, roster)
    assert not report.ok
    caught = [v for v in report.violations if v.rule == rule_id]
    assert caught, f"{rule_id} not reported; got {[v.message for v in report.violations]}"
    if duty is not None:
        assert duty in {v.duty for v in caught}
    assert all(v.message for v in report.violations)


def test_every_hard_rule_has_a_seeded_breach() -> None:
    assert {r.id for r in HARD} <= {rule_id for rule_id, _, _ in SEEDED}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_same_clinic, {"secondary_other_clinic"}),
        (_double_booked, {"one_duty_at_a_time"}),
        (_primary_is_secondary, {"one_duty_at_a_time"}),
        (_absent, {"absence"}),
        (_duty_cap, {"duty_cap"}),
        (_weekend_cap, {"weekend_cap"}),
        (_holiday_night_cap, {"holiday_night_cap"}),
        (_weekly_night_cap, {"weekly_night_cap"}),
        (_hours_cap, {"hours_cap"}),
        (_duty_minimum, {"duty_minimum"}),
        (_consecutive_nights, {"consecutive_nights"}),
        (_visit_distance, {"visit_distance"}),
        (_mentor, {"mentor"}),
        (_hospital_capacity_override, {"hospital_admissions"}),
        (_hospital_closed_hours, {"hospital_closed_hours"}),
        (_hospital_blocks, {"hospital_blocks"}),
        (_hospital_named_blocks, {"hospital_blocks"}),
        (_never_pair, {"never_pair"}),
        (_rest, {"min_rest"}),
        (_hospital_closed, {"hospital_closed"}),
        (_pinned, {"pinned"}),
        (_wrong_scenario, {"tiling"}),
    ],
    ids=lambda x: x.__name__.strip("_") if callable(x) else "",
)
def test_one_breach_breaks_one_rule(case: Case, mutate: Callable[[Scenario, Roster], None], expected: set[str]) -> None:
    scenario, roster = case
    mutate(scenario, roster)
    assert rules_of(check(scenario, roster)) == expected


def test_switched_off_rules_are_not_reported(case: Case) -> None:
    scenario, roster = case
    _same_clinic(scenario, roster)
    _hospital_per_day(scenario, roster)
    scenario.rules.secondary_other_clinic = False
    scenario.rules.hospital_assignment = "block"
    assert check(scenario, roster).ok


def test_dropped_duty_is_reported_once_not_also_as_hole(case: Case) -> None:
    scenario, roster = case
    _drop_duty(scenario, roster)
    (v,) = check(scenario, roster).violations
    assert v.rule == "tiling"
    assert v.message == "2027-01-05 平日夜間 北部: 当番 north-20270105T0900Z が当番表にない"


def test_hole_in_regular_hours_is_named(case: Case) -> None:
    scenario, roster = case
    _drop_regular_hours(scenario, roster)
    (v,) = check(scenario, roster).violations
    assert v.message == "北部: 2027-01-04 08:30〜2027-01-04 18:00 に当番も診療時間もない"


def test_double_booking_names_both_duties(case: Case) -> None:
    scenario, roster = case
    _double_booked(scenario, roster)
    (v,) = check(scenario, roster).violations
    assert v.people == ("s2c",)
    assert v.message == "2027-01-05 平日夜間 南部: 鈴木舞 は同じ時間に 2027-01-05 平日夜間 北部 の当番もある"


def test_messages_japanese_by_default_and_english_on_request(case: Case) -> None:
    scenario, roster = case
    _absent(scenario, roster)
    (ja,) = check(scenario, roster).violations
    (en,) = check(scenario, roster, lang="en").violations
    assert ja.people == en.people == ("n1c",)
    assert ja.message == "2027-01-05 平日夜間 北部: 上田三郎 は不在期間中 (2027-01-05〜2027-01-05) に主当番"
    assert (
        en.message
        == "2027-01-05 Weekday night North: Saburo Ueda is primary during an absence (2027-01-05 – 2027-01-05)"
    )


def test_english_messages_for_hospitals_and_rest(case: Case) -> None:
    scenario, roster = case
    _hospital_closed(scenario, roster)
    _rest_history(scenario, roster)
    messages = {v.rule: v.message for v in check(scenario, roster, lang="en").violations}
    assert messages["hospital_closed"] == "2027-01-05 Weekday night North: Central Hospital is closed on this date"
    assert messages["min_rest"] == (
        "2027-01-03 Holiday night North: Ichiro Aoki rests 4 h after the previous period's duty ending "
        "2027-01-03 20:00 (minimum 8 h)"
    )


def test_violations_follow_registry_order(case: Case) -> None:
    scenario, roster = case
    _pinned(scenario, roster)
    _duty_cap(scenario, roster)
    _no_hospital(scenario, roster)
    order = [r.id for r in HARD]
    found = [order.index(v.rule) for v in check(scenario, roster).violations]
    assert found == sorted(found)
    assert check(scenario, roster, lang="en").summary().startswith("3 hard violations: Coverage 1, Duty cap 1")


def test_contiguous_duties_of_one_person_need_rest(case: Case) -> None:
    scenario, roster = case
    roster.duties[14].primary = "n1a"  # 1/9 night straight after n1a's 1/9 afternoon
    report = check(scenario, roster)
    assert "min_rest" in rules_of(report)
    assert "one_duty_at_a_time" not in rules_of(report)


# --- soft figures -----------------------------------------------------------------------------
def test_physician_figures(case: Case) -> None:
    scenario, roster = case
    n1a = scenario.physician("n1a")
    n1a.wishes = [
        Request(date=dt.date(2027, 1, 6)),
        Request(date=dt.date(2027, 1, 7)),
        Request(date=dt.date(2027, 3, 1)),
    ]
    n1a.unwishes = [Request(date=dt.date(2027, 1, 9), block="sat_afternoon")]
    report = check(scenario, roster)
    fig = next(f for f in report.physicians if f.id == "n1a")
    # n1a: 1/3 night tail, 1/6 night, 1/9 afternoon, 1/10 night.
    assert (fig.duties, fig.nights, fig.holiday_duties) == (4, 3, 2)
    assert (fig.wishes_honoured, fig.wishes_total, fig.unwished_given) == (1, 2, 1)
    assert fig.longest_run == 2
    assert fig.min_rest_hours == 24.0
    assert fig.away_from_home == 0
    assert fig.spacing == 1
    share = fair_share(scenario, Timeline.build(scenario))
    assert fig.target == share.target["n1a"]
    assert fig.deviation["total"] == pytest.approx(fig.points["total"] - fig.target["total"])
    total_points = sum(f.points["total"] for f in report.physicians)
    assert total_points == pytest.approx(share.points["total"])
    assert (report.wishes_missed, report.unwished_given) == (1, 1)


def test_the_tail_of_a_night_begun_before_the_period_counts_against_no_cap(case: Case) -> None:
    scenario, roster = case
    # n1a holds the tail of the 1/3 night (a duty of 1/3, before the period), and three duties, two nights
    # and one holiday duty of the period: caps of exactly those counts hold, the night counted once, in
    # the period where it began.
    scenario.physician("n1a").caps = Caps(duties=3, nights=2, holiday_duties=1)
    assert roster.duties[0].primary == "n1a" and Timeline.build(scenario).duties[0].day < scenario.period.start
    assert rules_of(check(scenario, roster)) == set()


def test_pairing_and_home_district_figures(case: Case) -> None:
    scenario, roster = case
    scenario.physician("n1a").experienced = False
    scenario.physician("n2a").experienced = False
    roster.duties[2].secondary = "s2c"  # a south doctor who covers north too
    report = check(scenario, roster)
    assert report.ok
    assert report.pairing_missed == 4  # n1a with n2a on duties 0, 6, 12 and 18
    assert report.home_district_away == 1


def test_hospital_figures(case: Case) -> None:
    scenario, roster = case
    report = check(scenario, roster)
    central, minami = report.hospitals
    assert central.standby_duties + minami.standby_duties == len(roster.duties)
    # Recount: north needs central alone; standby is levelled per unit of capacity (6 and 3), which the
    # south alone can give minami. Hours over 24 are days.
    hours = {"north": 0.0, "south": 0.0}
    for d in roster.duties:
        hours[d.district] += (d.end - d.start).total_seconds() / 3600
    total = (hours["north"] + hours["south"]) / 24
    assert hours["south"] / 24 > total / 3
    assert central.target == pytest.approx(total * 6 / 9, abs=1e-3)
    assert minami.target == pytest.approx(total * 3 / 9, abs=1e-3)
    held = sum((d.end - d.start).total_seconds() for d in roster.duties if d.backup_hospital == "minami")
    assert minami.deviation == pytest.approx(held / 86400 - minami.target)
    assert (minami.standby_duties, minami.standby_days) == (6, 5)  # duties 1, 5, 7, 11, 13, 15


def test_greedy_honours_pins() -> None:
    scenario = make_scenario()
    scenario.pinned.append(
        Pin(district="north", date=dt.date(2027, 1, 5), block="wd_night", role="primary", assignee="n1a")
    )
    roster = greedy_roster(scenario)
    assert check(scenario, roster).ok
    assert roster.duties[4].primary == "n1a"


def test_hospital_admissions_name_the_date_the_hospital_and_the_figures(case: Case) -> None:
    scenario, roster = case
    _hospital_admissions(scenario, roster)
    report = check(scenario, roster, lang="en")
    found = [v for v in report.violations if v.rule == "hospital_admissions"]
    assert rules_of(report) == {"hospital_admissions"}
    assert {v.people for v in found} == {("central",)}
    first = found[0].message
    assert first == (
        "2027-01-04 Central Hospital: 0.97 expected admissions (0.00 from registered patients + 0.97 from "
        "standby: North and South) exceed the limit 0.80 (capacity 1 a day × (1 − 20%))"
    )
    central = next(f for f in report.hospitals if f.id == "central")
    assert central.peak_admissions > central.limit == pytest.approx(0.8)
    assert central.peak_day is not None
    scenario.hospitals[0].capacity_per_day = 3  # limit 2.4: the peak, 1.52 on Saturday 1/9, fits
    assert check(scenario, roster).ok


def test_visit_figures_add_up_to_the_expected_visits(case: Case) -> None:
    scenario, roster = case
    scenario.patients = [PatientGroup(clinic="n1", cancer=40, other=100), PatientGroup(clinic="s2", other=80)]
    report = check(scenario, roster)
    visits = sum(f.visits for f in report.physicians)
    assert visits > 0
    assert visits == pytest.approx(sum(f.visit_target for f in report.physicians))
    assert report.visit_spread == pytest.approx(
        max(f.visit_deviation / f.share for f in report.physicians)
        - min(f.visit_deviation / f.share for f in report.physicians)
    )
    assert report.to_dict()["visit_spread"] == report.visit_spread
    assert "予想往診数" in report.summary()
    # With patients the hospital figures carry a peak date: the JSON output holds it as ISO text.
    busiest = json.loads(json.dumps(report.to_dict()))["hospitals"][0]
    assert dt.date.fromisoformat(busiest["peak_day"]) in {d.start.date() for d in roster.duties}
