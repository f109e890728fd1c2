"""Recurring unavailability: weekly and monthly patterns with exceptions, expanded into absences of the period."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from oncall.checker import check
from oncall.model import RecurringAbsence, Scenario
from oncall.timeline import Timeline, absence_interval
from solver import solve
from tests.factories import greedy_roster, make_scenario
from tests.solving import steady

TOKYO = ZoneInfo("Asia/Tokyo")
JAN = (dt.date(2027, 1, 1), dt.date(2027, 1, 31))


def _dates(r: RecurringAbsence, first: dt.date = JAN[0], last: dt.date = JAN[1]) -> list[str]:
    return [str(a.start)[:10] for a in r.expand(first, last, TOKYO)]


def test_every_week_the_nth_and_the_last_weekday_of_the_month() -> None:
    assert _dates(RecurringAbsence(weekday="wed")) == ["2027-01-06", "2027-01-13", "2027-01-20", "2027-01-27"]
    assert _dates(RecurringAbsence(weekday="mon", nth=1)) == ["2027-01-04"]
    assert _dates(RecurringAbsence(weekday="fri", nth=5)) == ["2027-01-29"]
    assert _dates(RecurringAbsence(weekday="tue", nth=5)) == []  # January 2027 has four Tuesdays
    assert _dates(RecurringAbsence(weekday="sun", nth=-1)) == ["2027-01-31"]
    both = RecurringAbsence(weekday="mon", nth=1)
    assert _dates(both, dt.date(2027, 1, 1), dt.date(2027, 3, 31)) == ["2027-01-04", "2027-02-01", "2027-03-01"]


def test_exceptions_and_the_date_range() -> None:
    r = RecurringAbsence(
        weekday="wed",
        except_dates=[dt.date(2027, 1, 13)],
        first_date=dt.date(2027, 1, 7),
        last_date=dt.date(2027, 1, 27),
    )
    assert _dates(r) == ["2027-01-20", "2027-01-27"]


def test_whole_dates_times_and_overnight() -> None:
    whole = RecurringAbsence(weekday="thu", nth=2).expand(*JAN, TOKYO)
    assert [(a.start, a.end) for a in whole] == [(dt.date(2027, 1, 14), dt.date(2027, 1, 14))]
    night = RecurringAbsence(weekday="sat", nth=1, start="22:00", end="06:00").expand(*JAN, TOKYO)
    assert [(a.start.isoformat(), a.end.isoformat()) for a in night] == [
        ("2027-01-02T22:00:00+09:00", "2027-01-03T06:00:00+09:00")
    ]


def test_wall_clock_times_hold_across_a_daylight_saving_change() -> None:
    zone = ZoneInfo("America/New_York")  # clocks go forward on Sunday 2027-03-14
    r = RecurringAbsence(weekday="fri", start="17:00", end="20:00")
    spans = [absence_interval(a, zone) for a in r.expand(dt.date(2027, 3, 8), dt.date(2027, 3, 21), zone)]
    assert [s.astimezone(zone).hour for s, _ in spans] == [17, 17]
    assert [s.hour for s, _ in spans] == [22, 21]  # UTC: EST then EDT


def _wednesday_evenings() -> Scenario:
    sc = make_scenario(days=14)  # Mon 2027-01-04 to Sun 1/17
    p = sc.physician("n1a")
    p.recurring_absences = [
        RecurringAbsence(weekday="wed", start="17:00", end="22:00", reason="勉強会"),
        RecurringAbsence(weekday="mon", nth=2),  # the second Monday: 1/11 (成人の日)
    ]
    return Scenario.model_validate(sc.model_dump())


def test_a_solve_keeps_the_doctor_off_their_recurring_absences() -> None:
    sc = _wednesday_evenings()
    assert len(sc.absences_of(sc.physician("n1a"))) == 3  # 1/6, 1/13 evenings and 1/11
    roster = solve(sc, steady(5, seed=1)).roster
    assert check(sc, roster).ok
    spans = [absence_interval(a, sc.zone) for a in sc.absences_of(sc.physician("n1a"))]
    held = [d for d in roster.duties if "n1a" in (d.primary, d.secondary)]
    assert held and not any(d.start < e and s < d.end for d in held for s, e in spans)


def test_the_checker_flags_a_duty_in_a_recurring_absence() -> None:
    sc = make_scenario()
    roster = greedy_roster(sc)  # n1a holds the north night of Wednesday 1/6
    sc.physician("n1a").recurring_absences = [RecurringAbsence(weekday="wed", start="20:00", end="23:00")]
    report = check(sc, roster, lang="en")
    assert {v.rule for v in report.violations} == {"absence"}
    assert [v.duty for v in report.violations] == ["north-20270106T0900Z"]
    assert Timeline.build(sc).by_id["north-20270106T0900Z"].block.id == "wd_night"
