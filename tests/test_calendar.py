"""The calendar and the timeline: Japanese holidays, 年末年始, long holiday runs, nights across
midnight and daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import holidays
import jpholiday
import pytest

from oncall.calendar import JapaneseCalendar
from oncall.checker import check
from oncall.model import CalendarConfig, ExtraDay, YearEnd
from oncall.roster import Roster
from oncall.timeline import Slot, Timeline
from solver import solve
from tests.factories import greedy_roster, make_scenario
from tests.solving import steady
from tests.test_properties import assert_spans_tile, assert_tiles

D = dt.date
CAL = JapaneseCalendar(CalendarConfig())


def test_citizens_holiday_between_two_holidays() -> None:
    # 2026-09-22 lies between 敬老の日 (9/21) and 秋分の日 (9/23): a 国民の休日.
    assert CAL.day_type(D(2026, 9, 22)) == "holiday"
    assert CAL.holiday_name(D(2026, 9, 22)) == "国民の休日"
    assert CAL.category(D(2026, 9, 22)) == "holiday"


@pytest.mark.parametrize(
    ("day", "holiday_on_sunday"),
    [(D(2026, 5, 6), D(2026, 5, 3)), (D(2027, 3, 22), D(2027, 3, 21))],
)
def test_substitute_holiday_after_a_sunday_holiday(day: dt.date, holiday_on_sunday: dt.date) -> None:
    assert holiday_on_sunday.weekday() == 6
    assert day.weekday() in (0, 1, 2)
    assert CAL.day_type(day) == "holiday"
    assert "振替休日" in (CAL.holiday_name(day) or "")
    assert CAL.day_type(day + dt.timedelta(days=1)) == "weekday"


def test_year_end_is_holiday_time_of_its_own_category() -> None:
    assert CAL.day_type(D(2027, 1, 2)) == "holiday"  # a Saturday, but 年末年始
    assert CAL.category(D(2027, 1, 2)) == "year_end"
    assert CAL.holiday_name(D(2027, 1, 2)) == "年末年始"
    assert CAL.is_year_end(D(2026, 12, 29)) and CAL.day_type(D(2026, 12, 29)) == "holiday"
    assert CAL.category(D(2027, 1, 1)) == "year_end"  # 元日 is inside the period too
    for outside in (D(2026, 12, 28), D(2027, 1, 4)):
        assert not CAL.is_year_end(outside)
        assert CAL.day_type(outside) == "weekday"
        assert CAL.category(outside) == "weekday"


def test_national_holidays_agree_with_the_holidays_package() -> None:
    reference = holidays.country_holidays("JP", years=[2026, 2027])
    day = D(2026, 1, 1)
    no_year_end = JapaneseCalendar(CalendarConfig(year_end=YearEnd(enabled=False)))
    while day <= D(2027, 12, 31):
        national = jpholiday.is_holiday(day)
        assert national == (day in reference), day
        expected = "holiday" if national or day.weekday() == 6 else "saturday" if day.weekday() == 5 else "weekday"
        assert no_year_end.day_type(day) == expected, day
        day += dt.timedelta(days=1)
    assert len(reference) == sum(1 for _ in jpholiday.between(D(2026, 1, 1), D(2027, 12, 31)))


def test_year_end_can_be_switched_off_or_extended() -> None:
    off = JapaneseCalendar(CalendarConfig(year_end=YearEnd(enabled=False)))
    assert off.day_type(D(2027, 1, 2)) == "saturday"
    assert off.category(D(2026, 12, 30)) == "weekday"
    assert off.holiday_name(D(2026, 12, 30)) is None
    assert off.category(D(2027, 1, 1)) == "holiday"  # 元日 stays a national holiday
    assert off.points_multiplier(D(2026, 12, 30)) == 1.0
    longer = JapaneseCalendar(CalendarConfig(year_end=YearEnd(end="01-04")))
    assert longer.category(D(2027, 1, 4)) == "year_end"


def test_extra_days_take_their_own_day_type() -> None:
    cal = JapaneseCalendar(
        CalendarConfig(
            extra_days=[
                ExtraDay(date=D(2027, 1, 4), name="区の休日"),
                ExtraDay(date=D(2027, 6, 9), name="半日休診", day_type="saturday"),
                ExtraDay(date=D(2027, 11, 3), name="診療日", day_type="weekday"),
            ]
        )
    )
    assert (cal.day_type(D(2027, 1, 4)), cal.holiday_name(D(2027, 1, 4))) == ("holiday", "区の休日")
    assert cal.category(D(2027, 1, 4)) == "holiday"  # a day off, not 年末年始
    assert cal.day_type(D(2027, 6, 9)) == "saturday"
    assert cal.day_type(D(2027, 11, 3)) == "weekday"  # overrides 文化の日
    # 1/4 now joins 12/29–1/3 and the weekend of 1/2–1/3 in one run of days off.
    assert cal.in_long_run(D(2027, 1, 4))


@pytest.mark.parametrize(
    "day",
    [D(2027, 1, 9), D(2027, 1, 10), D(2027, 1, 11), D(2026, 9, 19), D(2026, 9, 22), D(2026, 5, 3)],
)
def test_long_holiday_runs_weigh_more(day: dt.date) -> None:
    # 2027-01-09..11: 土日 + 成人の日 (3連休); 2026-09-19..23: シルバーウィーク; 2026-05-02..06: GW.
    assert CAL.in_long_run(day)
    assert CAL.points_multiplier(day) == CalendarConfig().long_run_multiplier == 1.25


def test_ordinary_weekend_and_longer_threshold_are_no_long_run() -> None:
    for day in (D(2027, 1, 16), D(2027, 1, 17), D(2027, 1, 15)):
        assert not CAL.in_long_run(day)
        assert CAL.points_multiplier(day) == 1.0
    four = JapaneseCalendar(CalendarConfig(long_run_days=4, long_run_multiplier=2.0))
    assert not four.in_long_run(D(2027, 1, 10))  # a 3連休 is not a run of four
    assert four.points_multiplier(D(2026, 9, 21)) == 2.0  # the five days of 2026-09-19..23 are


def test_long_run_days_two_makes_an_ordinary_weekend_a_long_run() -> None:
    # 2027-01-16/17 is a plain Saturday and Sunday: a run of two days off, as long_run_days: 2 asks for.
    two = JapaneseCalendar(CalendarConfig(long_run_days=2, long_run_multiplier=1.5))
    for day in (D(2027, 1, 16), D(2027, 1, 17)):
        assert two.in_long_run(day)
        assert two.points_multiplier(day) == 1.5
    assert not two.in_long_run(D(2027, 1, 15))  # the Friday before is a working day
    assert not two.in_long_run(D(2027, 1, 18))
    scenario = make_scenario(start=D(2027, 1, 15), days=4)
    scenario.calendar.long_run_days = 2
    points = {(s.day, s.block.id): s.points for s in Timeline.build(scenario).slots}
    assert points[(D(2027, 1, 15), "wd_night")] == 1.0
    assert points[(D(2027, 1, 16), "sat_night")] == 1.5 * 1.25
    assert points[(D(2027, 1, 17), "hol_day")] == 2.0 * 1.25


def test_year_end_multiplier_wins_over_long_run() -> None:
    assert CAL.in_long_run(D(2027, 1, 1))
    assert CAL.points_multiplier(D(2027, 1, 1)) == CalendarConfig().year_end.points_multiplier == 1.5


def test_long_run_multiplies_slot_points() -> None:
    scenario = make_scenario(start=D(2027, 1, 8), days=4)  # Fri 1/8 .. Mon 1/11 (成人の日)
    points = {(s.day, s.block.id): s.points for s in Timeline.build(scenario).slots}
    assert points[(D(2027, 1, 8), "wd_night")] == 1.0
    assert points[(D(2027, 1, 9), "sat_night")] == 1.5 * 1.25
    assert points[(D(2027, 1, 10), "hol_day")] == 2.0 * 1.25
    assert points[(D(2027, 1, 11), "hol_night")] == round(2.0 * 1.25 * 6 / 14.5, 4)  # clipped at the end


def _slots(timeline: Timeline, block: str) -> dict[dt.date, Slot]:
    return {s.day: s for s in timeline.slots if s.block.id == block}


def test_night_crosses_midnight() -> None:
    tl = Timeline.build(make_scenario(start=D(2027, 1, 12), days=3))  # Tue–Thu
    night = _slots(tl, "wd_night")[D(2027, 1, 12)]
    assert night.hours == 14.5
    assert tl.local(night.start) == dt.datetime(2027, 1, 12, 18, 0, tzinfo=tl.scenario.zone)
    assert tl.local(night.end) == dt.datetime(2027, 1, 13, 8, 30, tzinfo=tl.scenario.zone)
    # The period's first and last pieces are the clipped ends of nights.
    assert tl.slots[0].day == D(2027, 1, 11) and tl.slots[0].hours == 8.5
    assert tl.slots[-1].hours == 6.0


def _assert_slots_tile(tl: Timeline) -> None:
    spans: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for d in tl.duties:
        spans[d.district].append((d.start, d.end))
    for district, slot in tl.regular_hours():
        spans[district].append((slot.start, slot.end))
    assert set(spans) == {d.id for d in tl.scenario.districts}
    assert_spans_tile(spans, tl.start, tl.end)


@pytest.mark.parametrize(
    ("change", "night_hours", "period_hours"),
    [(D(2027, 3, 28), 13.5, 71), (D(2027, 10, 31), 15.5, 73)],
)
def test_daylight_saving_change_in_berlin(change: dt.date, night_hours: float, period_hours: int) -> None:
    # The change is on a Sunday at 02:00/03:00 local: inside the Saturday night.
    scenario = make_scenario(start=change - dt.timedelta(days=1), days=3)
    scenario.timezone = "Europe/Berlin"
    tl = Timeline.build(scenario)
    assert (tl.end - tl.start).total_seconds() / 3600 == period_hours
    nights = _slots(tl, "sat_night")
    assert nights[change - dt.timedelta(days=1)].hours == night_hours
    assert _slots(tl, "hol_day")[change].hours == 9.5  # the Sunday day block is untouched
    assert len({d.id for d in tl.duties}) == len(tl.duties)  # ids are UTC: no clash in the repeated hour
    _assert_slots_tile(tl)
    roster = greedy_roster(scenario)
    assert_tiles(scenario, roster)
    assert check(scenario, roster).ok
    saturday = change - dt.timedelta(days=1)
    night = next(d for d in roster.duties if d.block == "sat_night" and d.start.date() == saturday)
    # Subtracting two datetimes of one ZoneInfo gives wall-clock time: compare instants in UTC.
    assert (night.end.astimezone(dt.UTC) - night.start.astimezone(dt.UTC)) == dt.timedelta(hours=night_hours)


def test_a_block_edge_in_the_repeated_hour_of_autumn() -> None:
    # Saturday 2027-10-30 in Berlin: the afternoon runs to 02:15 and the night starts there, an hour
    # that happens twice on Sunday (02:15 CEST, then 02:15 CET). The solver's roster keeps its duties at
    # the instants of the timeline, in memory as after a round trip through JSON.
    scenario = make_scenario(start=D(2027, 10, 30), days=2)
    scenario.timezone = "Europe/Berlin"
    saturday = scenario.calendar.blocks["saturday"]
    saturday[1].end = saturday[2].start = dt.time(2, 15)
    scenario = type(scenario).model_validate(scenario.model_dump())
    tl = Timeline.build(scenario)
    afternoon = _slots(tl, "sat_afternoon")[D(2027, 10, 30)]
    assert afternoon.hours == 13.75  # 12:30 CEST to the first 02:15 (CEST)
    roster = solve(scenario, steady(5)).roster
    report = check(scenario, roster)
    assert report.ok, [v.message for v in report.violations]
    assert_tiles(scenario, roster)
    read_back = Roster.model_validate_json(roster.to_json())
    assert [(d.start, d.end) for d in read_back.duties] == [(d.start, d.end) for d in roster.duties]
    assert check(scenario, read_back).ok


def test_a_date_the_zone_skips_is_rejected() -> None:
    # Samoa crossed the date line at the end of 2011-12-29: 2011-12-30 has no hours there.
    data = make_scenario(start=D(2011, 12, 28), days=4).model_dump()
    data["timezone"] = "Pacific/Apia"
    with pytest.raises(ValueError, match=r"period: 2011-12-30 does not exist in Pacific/Apia"):
        type(make_scenario()).model_validate(data)
    data["period"] = {"start": D(2011, 12, 31), "end": D(2012, 1, 2)}
    with pytest.raises(ValueError, match=r"period: 2011-12-30 \(the date before the period, whose night runs"):
        type(make_scenario()).model_validate(data)
    data["period"] = {"start": D(2012, 1, 1), "end": D(2012, 1, 3)}
    tl = Timeline.build(type(make_scenario()).model_validate(data))
    assert (tl.end - tl.start).total_seconds() / 3600 == 72
    _assert_slots_tile(tl)


def test_tokyo_days_are_always_24_hours() -> None:
    scenario = make_scenario(start=D(2027, 3, 27), days=3)
    tl = Timeline.build(scenario)
    assert (tl.end - tl.start).total_seconds() / 3600 == 72
    assert _slots(tl, "sat_night")[D(2027, 3, 27)].hours == 14.5
    _assert_slots_tile(tl)
