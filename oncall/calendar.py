"""The Japanese calendar as the rota sees it: day types, holidays, 年末年始 and long holiday runs.

>>> from oncall.model import CalendarConfig
>>> cal = JapaneseCalendar(CalendarConfig())
>>> cal.day_type(dt.date(2026, 9, 22)), cal.holiday_name(dt.date(2026, 9, 22))
('holiday', '国民の休日')
>>> cal.category(dt.date(2027, 1, 2))
'year_end'
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import jpholiday

from oncall.model import CalendarConfig, Category, DayType

__all__ = ["JapaneseCalendar"]

YEAR_END_NAME = "年末年始"


@cache
def _national_holiday(day: dt.date) -> str | None:
    name = jpholiday.is_holiday_name(day)
    return str(name) if name else None


class JapaneseCalendar:
    """Classifies local dates by the calendar configuration of a scenario."""

    def __init__(self, config: CalendarConfig) -> None:
        self.config = config
        self._extra = {d.date: d for d in config.extra_days}

    def holiday_name(self, day: dt.date) -> str | None:
        """Name of the holiday or special day, if ``day`` is one (Sundays have none)."""
        if day in self._extra:
            return self._extra[day].name
        if self.config.national_holidays:
            name = _national_holiday(day)
            if name:
                return name
        if self.config.year_end.contains(day):
            return YEAR_END_NAME
        return None

    def day_type(self, day: dt.date) -> DayType:
        """weekday, saturday or holiday (Sundays, national holidays, special days)."""
        if day in self._extra:
            return self._extra[day].day_type
        if self.config.year_end.contains(day):
            return self.config.year_end.day_type
        if day.weekday() == 6 or (self.config.national_holidays and _national_holiday(day)):
            return "holiday"
        if day.weekday() == 5:
            return "saturday"
        return "weekday"

    def is_year_end(self, day: dt.date) -> bool:
        """Whether ``day`` is in 年末年始."""
        return self.config.year_end.contains(day)

    def category(self, day: dt.date) -> Category:
        """Fairness category of duties that belong to ``day``."""
        if self.is_year_end(day):
            return "year_end"
        return self.day_type(day)

    def is_day_off(self, day: dt.date) -> bool:
        """Saturdays and holidays: the days a holiday run is made of."""
        return self.day_type(day) != "weekday"

    def in_long_run(self, day: dt.date) -> bool:
        """Whether ``day`` lies in a run of consecutive days off (Saturdays and holiday-type days) at
        least ``long_run_days`` long: with the default 3 a 3連休 is one and an ordinary weekend is not;
        with 2 every weekend is.

        >>> from oncall.model import CalendarConfig
        >>> JapaneseCalendar(CalendarConfig()).in_long_run(dt.date(2027, 1, 16))  # Sat of a plain weekend
        False
        >>> JapaneseCalendar(CalendarConfig(long_run_days=2)).in_long_run(dt.date(2027, 1, 16))
        True
        """
        if not self.is_day_off(day):
            return False
        one = dt.timedelta(days=1)
        first = day
        while self.is_day_off(first - one):
            first -= one
        last = day
        while self.is_day_off(last + one):
            last += one
        return (last - first).days + 1 >= self.config.long_run_days

    def points_multiplier(self, day: dt.date) -> float:
        """Factor on the duty points of blocks belonging to ``day``."""
        if self.is_year_end(day):
            return self.config.year_end.points_multiplier
        if self.in_long_run(day):
            return self.config.long_run_multiplier
        return 1.0
