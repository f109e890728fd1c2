"""The scenario: everything the office knows about one network for one period.

A scenario is plain data (pydantic models). It knows nothing of the solver or of HTTP. Field
descriptions become the JSON Schema (`oncall schema`) and the API documentation. Cross-references
(unknown ids, duplicate ids, blocks that do not tile the day, absences that end before they start)
are checked when a scenario is built; every problem is reported with the field path and the value,
e.g. ``physicians[3].absences[0]: end 2027-01-04 before start 2027-01-05``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from oncall.cover.model import CoverConfig, cover_problems
from oncall.i18n import MESSAGES, Message, text

__all__ = [
    "LIMITS",
    "RISK_CLASSES",
    "ROLES",
    "Absence",
    "BlockTemplate",
    "CalendarConfig",
    "Caps",
    "CarriedPeriod",
    "Category",
    "Clinic",
    "DayType",
    "District",
    "DistrictCalendar",
    "ExtraDay",
    "History",
    "Hospital",
    "LoadConfig",
    "PatientGroup",
    "Period",
    "Physician",
    "Pin",
    "Request",
    "RiskClass",
    "RiskRates",
    "RiskTable",
    "Role",
    "Rules",
    "Scenario",
    "SharedRole",
    "Weights",
    "YearEnd",
    "default_blocks",
    "first_control",
    "printable",
]

Role = Literal["primary", "secondary"]
ROLES: tuple[Role, Role] = ("primary", "secondary")
DayType = Literal["weekday", "saturday", "holiday"]
DAY_TYPES: tuple[DayType, ...] = ("weekday", "saturday", "holiday")
Category = Literal["weekday", "saturday", "holiday", "year_end"]
CATEGORIES: tuple[Category, ...] = ("weekday", "saturday", "holiday", "year_end")
RiskClass = Literal["cancer", "home_oxygen", "care_level_4_5", "other"]
RISK_CLASSES: tuple[RiskClass, ...] = ("cancer", "home_oxygen", "care_level_4_5", "other")
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
# A telephone number as printed: digits with hyphens, spaces or brackets, an optional leading '+'.
Phone = Annotated[str, Field(max_length=32, pattern=r"^\+?[0-9(][0-9\- ()]*[0-9]$", examples=["0120-123-456"])]

# A reference to an id: unknown ones are named by the cross-reference checks, over-long ones here.
Ref = Annotated[str, Field(max_length=64)]

# What a scenario may hold (docs/scenario.md, "Limits"). Each is far above what a network needs (DOMAIN.md: a
# prefecture-wide service has hundreds of doctors in 20+ districts, a day has two or three blocks) and low
# enough that no scenario within them makes the solver or the fair-share programme run away.
LIMITS: dict[str, int] = {
    "physicians": 2000,
    "clinics": 2000,
    "districts": 200,
    "hospitals": 200,
    "blocks_per_day": 12,  # per day type: two or three in use; 12 is a block every two hours
    "duties": 50_000,  # districts x dates x rostered blocks: a 1,440-block day made a 2.8 GiB model
    "entries": 400,  # absences, wishes, unwishes of one physician; closed dates; extra days
    "pins": 150_000,  # at most the roles of every duty
    "patient_groups": 10_000,
    "carried_points": 5000,  # |history.points| per category: a year of heavy duty is a few hundred
    "carried_periods": 120,  # ten years of monthly periods
    "recent_dates": 62,
    "cap": 5000,  # duties, nights, holiday duties in a period
    "beds": 10_000,
    "name": 200,  # characters of a name or label
    "text": 1000,  # characters of a free text (reason, note)
}
MIN_SHARE = 0.01  # a smaller positive share would make the fair-share programme ill-conditioned


def _invalid(code: str, **params: Any) -> PydanticCustomError:
    """A validation error with a catalogue code (oncall.i18n), shown in English or Japanese later."""
    return PydanticCustomError(code, MESSAGES[code][1], params)


def first_control(value: str) -> int | None:
    """The index of the first control character in ``value`` (tab and line breaks allowed), or None.

    >>> first_control("学会"), first_control("a\\x00b")
    (None, 1)
    """
    for i, ch in enumerate(value):
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or 0x7F <= code <= 0x9F:
            return i
    return None


def printable(value: str) -> str:
    """Refuse control characters (NUL and the like) in a text; tab and line breaks are kept."""
    i = first_control(value)
    if i is not None:
        raise _invalid("input.control_character", char=f"U+{ord(value[i]):04X}", position=i + 1)
    return value


# Free text: a name or label, and a longer note (a reason, a comment).
Name = Annotated[str, Field(max_length=LIMITS["name"]), AfterValidator(printable)]
Note = Annotated[str, Field(max_length=LIMITS["text"]), AfterValidator(printable)]
CarriedPoints = Annotated[float, Field(ge=-LIMITS["carried_points"], le=LIMITS["carried_points"])]


def _date_or_datetime(value: Any) -> Any:
    """Read ``2027-01-05`` as a whole date and anything with a time as a datetime."""
    if not isinstance(value, str):
        return value
    try:
        if len(value.strip()) == 10:
            return dt.date.fromisoformat(value.strip())
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise _invalid("scenario.date_or_datetime", value=repr(value[:40])) from None


DateOrDateTime = Annotated[dt.date | dt.datetime, BeforeValidator(_date_or_datetime)]


def _wall_time(value: Any) -> Any:
    """Read ``9:00`` like ``09:00``; refuse numbers, which YAML 1.1 makes of unquoted ``18:00``."""
    if isinstance(value, bool | int | float):
        raise _invalid("scenario.time_number", value=repr(value))
    if isinstance(value, str) and len(value.strip()) >= 4 and value.strip()[1] == ":":
        return "0" + value.strip()
    return value


WallTime = Annotated[dt.time, BeforeValidator(_wall_time)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True, allow_inf_nan=False)


class Period(_Model):
    """The rostered period: whole local dates, both inclusive."""

    start: dt.date = Field(description="First date of the period (local).")
    end: dt.date = Field(description="Last date of the period, inclusive (local).")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise _invalid("scenario.end_before_start", end=self.end, start=self.start)
        if (self.end - self.start).days > 366:
            raise _invalid("scenario.period_too_long", days=(self.end - self.start).days + 1)
        return self

    def touches(self, first: dt.date, last: dt.date) -> bool:
        """Whether the dates ``first`` to ``last`` (inclusive) share a date with the period."""
        return first <= self.end and last >= self.start

    def dates(self) -> list[dt.date]:
        """Every date of the period in order."""
        n = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=i) for i in range(n)]


class BlockTemplate(_Model):
    """One block of a day type's 24 hours: a duty block, or regular clinic hours."""

    id: Id = Field(description="Unique id of the block template, used in rosters (e.g. `wd_night`).")
    name: Name = Field(description="Label staff read (Japanese), e.g. 夜間.")
    name_en: Name | None = Field(None, description="English label, e.g. Night.")
    start: WallTime = Field(description="Local wall-clock start, 'HH:MM'.")
    end: WallTime = Field(description="Local wall-clock end, 'HH:MM'; a value not after start means the next day.")
    rostered: bool = Field(
        True, description="False for regular clinic hours, which each clinic covers itself (no duty)."
    )
    night: bool = Field(False, description="Counts as a night duty for caps and reports.")
    points: float = Field(1.0, ge=0, le=100, description="Duty points: the weight of the block for fairness (0–100).")
    roles: list[Role] = Field(
        default_factory=lambda: list(ROLES), max_length=2, description="Roles each duty of this block needs."
    )

    @field_validator("roles")
    @classmethod
    def _roles_once(cls, roles: list[Role]) -> list[Role]:
        if len(set(roles)) < len(roles):
            raise _invalid("scenario.role_twice", roles=", ".join(roles))
        return roles

    @model_validator(mode="after")
    def _someone_on_duty(self) -> BlockTemplate:
        if self.rostered and not self.roles:
            raise _invalid("scenario.block_without_role")
        return self

    def label(self, lang: str = "ja") -> str:
        """The block's label in the requested language."""
        return self.name_en or self.id if lang == "en" else self.name


def _names(block: str) -> dict[str, Any]:
    """The default block's name and English name, from the catalogue (``block.<id>``)."""
    return {"name": text(f"block.{block}", "ja"), "name_en": text(f"block.{block}", "en")}


def default_blocks() -> dict[DayType, list[BlockTemplate]]:
    """Blocks used by most networks: nights on weekdays, Saturday afternoon, day and night on holidays."""
    t = dt.time
    return {
        "weekday": [
            BlockTemplate(
                id="wd_regular",
                **_names("wd_regular"),
                start=t(8, 30),
                end=t(18, 0),
                rostered=False,
                points=0,
            ),
            BlockTemplate(
                id="wd_night",
                **_names("wd_night"),
                start=t(18, 0),
                end=t(8, 30),
                night=True,
                points=1.0,
            ),
        ],
        "saturday": [
            BlockTemplate(
                id="sat_regular",
                **_names("sat_regular"),
                start=t(8, 30),
                end=t(12, 30),
                rostered=False,
                points=0,
            ),
            BlockTemplate(
                id="sat_afternoon",
                **_names("sat_afternoon"),
                start=t(12, 30),
                end=t(18, 0),
                points=1.0,
            ),
            BlockTemplate(
                id="sat_night",
                **_names("sat_night"),
                start=t(18, 0),
                end=t(8, 30),
                night=True,
                points=1.5,
            ),
        ],
        "holiday": [
            BlockTemplate(id="hol_day", **_names("hol_day"), start=t(8, 30), end=t(18, 0), points=2.0),
            BlockTemplate(
                id="hol_night",
                **_names("hol_night"),
                start=t(18, 0),
                end=t(8, 30),
                night=True,
                points=2.0,
            ),
        ],
    }


class YearEnd(_Model):
    """年末年始: a recurring special period treated as holidays, weighed more."""

    enabled: bool = Field(True, description="Whether 年末年始 is a special period.")
    start: str = Field("12-29", max_length=5, pattern=r"^\d{2}-\d{2}$", description="First day, MM-DD.")
    end: str = Field(
        "01-03", max_length=5, pattern=r"^\d{2}-\d{2}$", description="Last day, MM-DD (may be in the next year)."
    )
    day_type: DayType = Field("holiday", description="Day type of these days.")
    points_multiplier: float = Field(1.5, ge=0, le=10, description="Duty points are multiplied by this.")

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, v: str) -> str:
        month, day = (int(x) for x in v.split("-"))
        try:
            dt.date(2000, month, day)  # a leap year admits 02-29
        except ValueError:
            raise _invalid("scenario.not_month_day", value=repr(v)) from None
        return v

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the period (which may wrap the new year)."""
        if not self.enabled:
            return False
        key = (day.month, day.day)
        s = tuple(int(x) for x in self.start.split("-"))
        e = tuple(int(x) for x in self.end.split("-"))
        return s <= key <= e if s <= e else key >= s or key <= e


class ExtraDay(_Model):
    """A local day off beyond the national holidays (e.g. 1/4 in some wards)."""

    date: dt.date
    name: Name = Field(text("day.extra", "ja"), description="Label shown in rosters.")
    day_type: DayType = Field("holiday", description="Day type the day takes.")


class CalendarConfig(_Model):
    """Day types, special periods and the blocks that tile each day."""

    day_start: WallTime = Field(
        dt.time(8, 30), description="Where each day's blocks begin; the blocks tile the 24 h from here."
    )
    national_holidays: bool = Field(True, description="Use Japanese national holidays (jpholiday).")
    year_end: YearEnd = Field(default_factory=YearEnd)
    extra_days: list[ExtraDay] = Field(
        default_factory=list, max_length=LIMITS["entries"], description=f"Local days off (at most {LIMITS['entries']})."
    )
    long_run_days: int = Field(
        3, ge=2, le=14, description="A run of at least this many consecutive days off is a long holiday run."
    )
    long_run_multiplier: float = Field(
        1.25, ge=0, le=10, description="Duty points on days off in a long holiday run are multiplied by this."
    )
    blocks: dict[DayType, Annotated[list[BlockTemplate], Field(max_length=LIMITS["blocks_per_day"])]] = Field(
        default_factory=default_blocks,
        description=f"Block templates per day type; each list tiles 24 h (at most {LIMITS['blocks_per_day']} blocks).",
    )


class DistrictCalendar(_Model):
    """A district's own blocks and days off, overriding the network's (`calendar`)."""

    blocks: dict[DayType, Annotated[list[BlockTemplate], Field(max_length=LIMITS["blocks_per_day"])]] = Field(
        default_factory=dict,
        description="Block templates of the day types named here, replacing the network's for this district; each "
        "list tiles the 24 h from `calendar.day_start`. Block ids are unique across the whole scenario.",
    )
    extra_days: list[ExtraDay] = Field(
        default_factory=list,
        max_length=LIMITS["entries"],
        description="Local days off of this district only (e.g. a town festival), added to the network's "
        "`calendar.extra_days`; a date given in both takes the district's.",
    )


class District(_Model):
    """A travel area of the network; by default each has its own primary and secondary on every block."""

    id: Id
    name: Name
    name_en: Name | None = None
    roles: dict[Ref, Annotated[list[Role], Field(max_length=2)]] = Field(
        default_factory=dict,
        max_length=LIMITS["blocks_per_day"] * 3 + 3,
        description="Roles the district's duties need, by day type (`weekday`, `saturday`, `holiday`) or by block "
        "id (which wins over its day type), e.g. `{weekday: [primary]}` for no secondary on weekdays, "
        "`{sat_afternoon: [primary]}`; a block named in neither takes its own `roles`.",
    )
    calendar: DistrictCalendar | None = Field(
        None, description="The district's own block templates and days off, overriding the network's."
    )
    neighbours: list[Ref] = Field(
        default_factory=list, max_length=LIMITS["districts"], description="Ids of adjacent districts."
    )
    phone: Phone | None = Field(
        None, description="Number of the district's on-call line, printed on the 当番表 (optional), e.g. 0120-123-456."
    )
    lat: float | None = Field(
        None, ge=-90, le=90, description="Latitude of the district's centre (optional; the visit distance rule)."
    )
    lon: float | None = Field(
        None, ge=-180, le=180, description="Longitude of the district's centre (optional; the visit distance rule)."
    )

    def label(self, lang: str = "ja") -> str:
        """The district's label in the requested language."""
        return self.name_en or self.id if lang == "en" else self.name


class Clinic(_Model):
    """A clinic (or hospital department) whose doctors take part in the rota."""

    id: Id
    name: Name
    district: Ref = Field(description="Id of the district the clinic lies in.")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)


class SharedRole(_Model):
    """One person who holds a role for a group of districts at once (a shared secondary at night, say)."""

    id: Id = Field(description="Unique id of the shared role, shown in rosters (e.g. `night_backup`).")
    name: Name = Field(description="Label staff read (Japanese), e.g. 全域夜間副当番.")
    name_en: Name | None = Field(None, description="English label, e.g. Network night backup.")
    role: Role = Field(description="The role shared: primary or secondary.")
    districts: list[Ref] = Field(
        default_factory=list,
        max_length=LIMITS["districts"],
        description="Ids of the districts served together; empty means the whole network.",
    )
    blocks: list[Ref] = Field(
        min_length=1, max_length=LIMITS["blocks_per_day"] * 3, description="Ids of the blocks in which it is shared."
    )

    def label(self, lang: str = "ja") -> str:
        """The shared role's label in the requested language."""
        return self.name_en or self.id if lang == "en" else self.name


class Caps(_Model):
    """Personal limits; None means the network's rule (or no limit)."""

    duties: int | None = Field(None, ge=0, le=LIMITS["cap"], description="Most duties in the period.")
    nights: int | None = Field(None, ge=0, le=LIMITS["cap"], description="Most night duties in the period.")
    holiday_duties: int | None = Field(
        None, ge=0, le=LIMITS["cap"], description="Most holiday / 年末年始 duties in the period."
    )
    weekend_nights: int | None = Field(
        None, ge=0, le=LIMITS["cap"], description="Most nights starting on a Saturday, Sunday or holiday in the period."
    )
    weekend_duties: int | None = Field(
        None, ge=0, le=LIMITS["cap"], description="Most duties on Saturdays, Sundays and holidays in the period."
    )
    holiday_nights: int | None = Field(
        None, ge=0, le=LIMITS["cap"], description="Most nights starting on a Sunday, holiday or 年末年始 date."
    )
    nights_per_week: int | None = Field(
        None, ge=0, le=7, description="Most nights starting in one ISO week (Monday to Sunday)."
    )
    oncall_hours: float | None = Field(
        None,
        ge=0,
        le=744,
        description="Most on-call hours within the period (employed doctors: on-call hours count as working time).",
    )
    min_duties: int | None = Field(
        None, ge=0, le=LIMITS["cap"], description="Fewest duties in the period (a doctor who asked for duties)."
    )
    consecutive_days: int | None = Field(None, ge=1, le=367, description="Most consecutive dates with a duty.")
    consecutive_nights: int | None = Field(
        None, ge=1, le=367, description="Most consecutive dates with a night duty (apart from consecutive_days)."
    )
    min_rest_hours: float | None = Field(None, ge=0, le=168, description="Personal minimum rest between duties.")

    @field_validator("min_duties")
    @classmethod
    def _minimum_within_cap(cls, v: int | None, info: ValidationInfo) -> int | None:
        cap = info.data.get("duties")
        if v is not None and cap is not None and v > cap:
            raise _invalid("scenario.minimum_above_cap", value=v, cap=cap)
        return v


class Absence(_Model):
    """A declared absence: whole local dates (inclusive) or an exact datetime range."""

    start: DateOrDateTime = Field(description="A date (whole day) or a datetime (naive = scenario zone).")
    end: DateOrDateTime = Field(description="A date (inclusive) or a datetime (exclusive).")
    reason: Note | None = None


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class RecurringAbsence(_Model):
    """A weekly or monthly unavailability ("every Wednesday 17:00–22:00", "the first Monday of each month"),
    with exceptions; expanded into absences of the period (``expand``)."""

    weekday: Weekday = Field(description="Day of the week: mon, tue, wed, thu, fri, sat or sun.")
    nth: int | None = Field(
        None, ge=-1, le=5, description="Only the n-th such weekday of the month (1–5; -1 the last); null: every week."
    )
    start: WallTime | None = Field(None, description="Local start time (HH:MM); null with end: the whole date.")
    end: WallTime | None = Field(
        None, description="Local end time (HH:MM); at or before start: the next morning (an overnight absence)."
    )
    first_date: dt.date | None = Field(None, description="First date the pattern applies (null: always).")
    last_date: dt.date | None = Field(None, description="Last date the pattern applies (null: always).")
    except_dates: list[dt.date] = Field(
        default_factory=list, max_length=LIMITS["entries"], description="Dates the pattern skips (exceptions)."
    )
    reason: Note | None = Field(
        None, description="Why (a weekly clinic session, a committee), shown with the absences."
    )

    @field_validator("nth")
    @classmethod
    def _nth(cls, v: int | None) -> int | None:
        if v == 0:
            raise _invalid("scenario.nth_zero")
        return v

    def matches(self, day: dt.date) -> bool:
        """Whether the pattern takes ``day`` (exceptions and the date range included).

        >>> r = RecurringAbsence(weekday="mon", nth=1)
        >>> r.matches(dt.date(2027, 1, 4)), r.matches(dt.date(2027, 1, 11))  # the first Monday, the second
        (True, False)
        >>> RecurringAbsence(weekday="fri", nth=-1).matches(dt.date(2027, 1, 29))  # the last Friday
        True
        """
        if WEEKDAYS[day.weekday()] != self.weekday or day in self.except_dates:
            return False
        if (self.first_date and day < self.first_date) or (self.last_date and day > self.last_date):
            return False
        if self.nth is None:
            return True
        if self.nth == -1:
            return (day + dt.timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == self.nth

    def expand(self, first: dt.date, last: dt.date, zone: ZoneInfo) -> list[Absence]:
        """The absences the pattern makes on the dates ``first``..``last``, as aware datetimes in ``zone`` (whole
        dates when no times are given; an end at or before the start runs into the next morning).

        >>> tokyo = ZoneInfo("Asia/Tokyo")
        >>> wednesdays = RecurringAbsence(weekday="wed", start="17:00", end="22:00", except_dates=["2027-01-13"])
        >>> for a in wednesdays.expand(dt.date(2027, 1, 4), dt.date(2027, 1, 24), tokyo):
        ...     print(a.start, a.end)
        2027-01-06 17:00:00+09:00 2027-01-06 22:00:00+09:00
        2027-01-20 17:00:00+09:00 2027-01-20 22:00:00+09:00
        """
        out: list[Absence] = []
        day = first
        while day <= last:
            if self.matches(day):
                if self.start is None or self.end is None:
                    out.append(Absence(start=day, end=day, reason=self.reason))
                else:
                    until = day + dt.timedelta(days=1) if self.end <= self.start else day
                    start = dt.datetime.combine(day, self.start, tzinfo=zone)
                    end = dt.datetime.combine(until, self.end, tzinfo=zone)
                    out.append(Absence(start=start, end=end, reason=self.reason))
            day += dt.timedelta(days=1)
        return out


class Request(_Model):
    """A wished or unwished date, optionally one block of it."""

    date: dt.date
    block: Ref | None = Field(None, description="Block template id; None means any block of the date.")
    weight: float = Field(1.0, ge=0, le=100)


class CarriedPeriod(_Model):
    """Duty points one physician earned in one earlier period beyond (+) or short of (−) their fair share.

    ``oncall.boundary`` writes one per published period; ``History.points`` sums those still inside the
    fairness window, so an old period drops out of the sum when the window rolls past it.
    """

    start: dt.date = Field(description="First date of the earlier period.")
    end: dt.date = Field(description="Last date of the earlier period.")
    points: dict[Category, CarriedPoints] = Field(
        default_factory=dict,
        description="Points above (+) or below (−) the fair share in that period, per category "
        f"(±{LIMITS['carried_points']} at most).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> CarriedPeriod:
        if self.end < self.start:
            raise _invalid("scenario.end_before_start", end=self.end, start=self.start)
        return self


class History(_Model):
    """What the previous period left behind."""

    last_duty_end: dt.datetime | None = Field(None, description="End of the last duty before the period.")
    recent_duty_dates: list[dt.date] = Field(
        default_factory=list,
        max_length=LIMITS["recent_dates"],
        description="Dates with a duty just before the period (consecutive-day rule).",
    )
    points: dict[Category, CarriedPoints] = Field(
        default_factory=dict,
        description="Duty points already carried in the fairness window, per category "
        f"(±{LIMITS['carried_points']} at most).",
    )
    periods: list[CarriedPeriod] = Field(
        default_factory=list,
        max_length=LIMITS["carried_periods"],
        description="The earlier periods behind `points`, newest first (written by `oncall carry`), so that the "
        "fairness window can roll.",
    )


class Physician(_Model):
    """A doctor in the rota."""

    id: Id
    name: Name
    name_en: Name | None = None
    clinic: Ref = Field(description="Id of the physician's clinic.")
    districts: list[Ref] | None = Field(
        None, max_length=LIMITS["districts"], description="Districts covered; default: the clinic's district."
    )
    roles: list[Role] = Field(default_factory=lambda: list(ROLES), max_length=2, description="Roles accepted.")
    employment: Literal["owner", "employed"] = Field("owner", description="Clinic owner or employed doctor.")
    experienced: bool = Field(True, description="False for a doctor new to the network.")
    share: float = Field(
        1.0, ge=0, le=10, description=f"Fair-share weight (1 = a full share; 0, or {MIN_SHARE} to 10)."
    )
    caps: Caps = Field(default_factory=Caps)
    absences: list[Absence] = Field(
        default_factory=list,
        max_length=LIMITS["entries"],
        description="Declared absences; each must share a date with the period.",
    )
    recurring_absences: list[RecurringAbsence] = Field(
        default_factory=list,
        max_length=LIMITS["entries"],
        description="Weekly or monthly unavailability with exceptions, expanded into absences of the period.",
    )
    wishes: list[Request] = Field(
        default_factory=list,
        max_length=LIMITS["entries"],
        description="Dates or blocks the physician would like (dates of the period).",
    )
    unwishes: list[Request] = Field(
        default_factory=list,
        max_length=LIMITS["entries"],
        description="Dates or blocks to avoid (dates of the period).",
    )
    mentors: list[Ref] = Field(
        default_factory=list,
        max_length=LIMITS["districts"],
        description="For a newer doctor: the only doctors they are paired with on a duty (empty: anyone).",
    )
    never_with: list[Ref] = Field(
        default_factory=list,
        max_length=LIMITS["districts"],
        description="Doctors this one is never paired with on a duty (either way round).",
    )
    history: History = Field(default_factory=History)
    phone: Name | None = Field(None, description="Contact number shown to the duty partner.")
    email: Name | None = None

    @field_validator("share")
    @classmethod
    def _share(cls, v: float) -> float:
        if 0 < v < MIN_SHARE:
            raise _invalid("scenario.share_too_small", least=MIN_SHARE, value=v)
        return v

    def label(self, lang: str = "ja") -> str:
        """The physician's name in the requested language."""
        return self.name_en or self.name if lang == "en" else self.name


class CapacityOverride(_Model):
    """Another daily capacity on some dates (a ward closed for renovation, fewer beds at 年末年始)."""

    start: dt.date = Field(description="First date of the override.")
    end: dt.date | None = Field(None, description="Last date (inclusive); null: the start date only.")
    capacity_per_day: int = Field(ge=0, le=1000, description="Emergency admissions it can take per day then.")
    reason: Note | None = None

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` lies in the override."""
        return self.start <= day <= (self.end or self.start)


class Closure(_Model):
    """A time the hospital cannot stand by (part of a day: a power cut, an inspection)."""

    start: dt.datetime = Field(description="Start (naive = scenario zone).")
    end: dt.datetime = Field(description="End (exclusive), after the start.")
    reason: Note | None = None


class Hospital(_Model):
    """A backup hospital (後方支援病院) that stands by to admit patients."""

    id: Id
    name: Name
    name_en: Name | None = None
    districts: list[Ref] = Field(
        max_length=LIMITS["districts"], description="Districts the hospital accepts patients from."
    )
    capacity_per_day: int = Field(ge=1, le=1000, description="Emergency admissions it can take per day.")
    beds: int | None = Field(None, ge=0, le=LIMITS["beds"])
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude of the hospital (informative).")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude of the hospital (informative).")
    closed_dates: list[dt.date] = Field(
        default_factory=list, max_length=LIMITS["entries"], description="Dates it cannot stand by."
    )
    max_standby_days: int | None = Field(None, ge=0, le=367, description="Most days on standby in the period.")
    max_districts: int | None = Field(
        None, ge=1, le=LIMITS["districts"], description="Most districts it stands by for at the same time."
    )
    capacity_overrides: list[CapacityOverride] = Field(
        default_factory=list,
        max_length=LIMITS["entries"],
        description="Another capacity_per_day on some dates (renovation, 年末年始); no two on one date.",
    )
    closures: list[Closure] = Field(
        default_factory=list,
        max_length=LIMITS["entries"],
        description="Times it cannot stand by (part of a day); a duty overlapping one cannot have it.",
    )
    night_only: bool = Field(False, description="Stands by only in night blocks (blocks with `night: true`).")
    standby_blocks: list[Ref] = Field(
        default_factory=list,
        max_length=LIMITS["blocks_per_day"] * 3,
        description="Block ids it stands by in (empty: every block); not together with night_only.",
    )

    def capacity_on(self, day: dt.date) -> int:
        """Emergency admissions it can take on ``day``: the override that covers it, else capacity_per_day."""
        return next((o.capacity_per_day for o in self.capacity_overrides if o.covers(day)), self.capacity_per_day)

    def takes_block(self, block: BlockTemplate) -> bool:
        """Whether it stands by in ``block`` (night_only, standby_blocks)."""
        if self.night_only:
            return block.night
        return not self.standby_blocks or block.id in self.standby_blocks

    def label(self, lang: str = "ja") -> str:
        """The hospital's name in the requested language."""
        return self.name_en or self.name if lang == "en" else self.name


class PatientGroup(_Model):
    """Enrolled home-care patients of one clinic, counted by risk class: aggregated, no personal data.

    Each patient is counted once, in the first class that applies: cancer, home oxygen, care level 4–5,
    other. A clinic may list several groups, one per backup hospital its patients are registered with.
    """

    clinic: Ref = Field(description="Id of the clinic whose enrolled patients these are.")
    hospital: Ref | None = Field(
        None,
        description="Id of the backup hospital these patients are registered with (在宅療養後方支援病院の登録); "
        "none: not registered, they go to the hospital on standby that day.",
    )
    cancer: int = Field(0, ge=0, le=100_000, description="Patients with cancer (incl. terminal care).")
    home_oxygen: int = Field(0, ge=0, le=100_000, description="Patients on home oxygen therapy (HOT), no cancer.")
    care_level_4_5: int = Field(
        0, ge=0, le=100_000, description="Patients at care level 4 or 5, in neither class above."
    )
    other: int = Field(0, ge=0, le=100_000, description="All other enrolled patients.")

    def count(self, risk: RiskClass) -> int:
        """Patients of the group in ``risk``."""
        return int(getattr(self, risk))

    @property
    def total(self) -> int:
        """Patients of the group in every class."""
        return sum(self.count(r) for r in RISK_CLASSES)


class RiskRates(_Model):
    """Expected events per 100 enrolled patients per month for one risk class (see docs/load.md)."""

    calls: float = Field(ge=0, le=10_000, description="Out-of-hours calls to the on-call doctor per 100 patients.")
    visit_fraction: float = Field(
        ge=0, le=1, description="Share of calls that need a visit; the rest are settled by phone."
    )
    admissions: float = Field(ge=0, le=10_000, description="Emergency admissions per 100 patients.")


class RiskTable(_Model):
    """Rates per risk class. Averages come from the field (docs/load.md): about 25 night calls and 3.8
    call-outs (visits) per 100 patients a month; the ratios between classes are assumptions, calibrated
    so that a reference mix of patients gives the field's averages."""

    cancer: RiskRates = Field(default_factory=lambda: RiskRates(calls=40.0, visit_fraction=0.15, admissions=2.4))
    home_oxygen: RiskRates = Field(default_factory=lambda: RiskRates(calls=30.0, visit_fraction=0.15, admissions=1.8))
    care_level_4_5: RiskRates = Field(
        default_factory=lambda: RiskRates(calls=25.0, visit_fraction=0.15, admissions=1.5)
    )
    other: RiskRates = Field(default_factory=lambda: RiskRates(calls=20.0, visit_fraction=0.15, admissions=1.2))

    def of(self, risk: RiskClass) -> RiskRates:
        """The rates of ``risk``."""
        rates: RiskRates = getattr(self, risk)
        return rates


class LoadConfig(_Model):
    """How enrolled patients turn into expected calls, visits and admissions (docs/load.md)."""

    rates: RiskTable = Field(default_factory=RiskTable, description="Rates per risk class, per 100 patients a month.")
    night_factor: float = Field(
        1.0, ge=0, le=100, description="Relative calls per hour in night blocks (a block with `night: true`)."
    )
    day_factor: float = Field(
        1.5, ge=0, le=100, description="Relative calls per hour in other rostered blocks (holiday day, Saturday)."
    )
    secondary_visit_share: float = Field(
        0.1, ge=0, le=1, description="Share of a duty's visits made by the secondary, when the primary cannot go."
    )
    capacity_margin: float = Field(
        0.2,
        ge=0,
        lt=1,
        description="Share of each hospital's capacity_per_day kept free: expected admissions stay within "
        "capacity_per_day × (1 − margin).",
    )


class Weights(_Model):
    """Weights of the soft goals in the objective (0 switches a goal off)."""

    fairness: float = Field(10, ge=0, le=1000, description="Deviation of total points from fair share.")
    fairness_category: float = Field(4, ge=0, le=1000, description="Deviation per category.")
    requests: float = Field(20, ge=0, le=1000, description="Each wish missed or unwished duty given.")
    spacing: float = Field(8, ge=0, le=1000, description="Each back-to-back day or second duty on a date.")
    pairing: float = Field(30, ge=0, le=1000, description="Each duty held by two newer doctors.")
    home_district: float = Field(3, ge=0, le=1000, description="Each duty outside the home district.")
    hospital_spread: float = Field(5, ge=0, le=1000, description="Standby deviation from capacity share.")
    visit_balance: float = Field(
        2, ge=0, le=1000, description="Deviation of expected visits from fair share, per average duty's visits."
    )


class RolePoints(_Model):
    """How much of a duty's points each role earns (many networks weigh the secondary lower)."""

    primary: float = Field(1.0, ge=0, le=10, description="Factor of the duty's points the primary earns.")
    secondary: float = Field(1.0, ge=0, le=10, description="Factor of the duty's points the secondary earns.")

    def factor(self, role: str) -> float:
        """The factor of ``role`` (1 for any other).

        >>> RolePoints(secondary=0.5).factor("secondary")
        0.5
        """
        return self.secondary if role == "secondary" else self.primary if role == "primary" else 1.0


class Rules(_Model):
    """Network-wide rules."""

    min_rest_hours: float = Field(8, ge=0, le=168, description="Minimum rest between duties (owners).")
    min_rest_hours_employed: float = Field(
        9, ge=0, le=168, description="Minimum rest between duties for employed doctors (2024 reform)."
    )
    max_consecutive_days: int = Field(2, ge=1, le=31, description="Most consecutive dates with a duty.")
    secondary_other_clinic: bool = Field(True, description="Primary and secondary come from different clinics.")
    max_visit_km: float | None = Field(
        16,
        gt=0,
        le=1000,
        description="Visit distance (km): a doctor covers a district only if its centre, or else some clinic of it, "
        "lies within this distance of their clinic (null: off; off where coordinates are missing).",
    )
    hospital_assignment: Literal["block", "day"] = Field(
        "day", description="One backup hospital per block, or one per district and day."
    )
    neighbour_help_threshold: float = Field(
        1,
        ge=0,
        le=100,
        description="Fair share: a district's duties go to doctors of other districts who cover it only where its "
        "own doctors would otherwise carry more than this many such duties per unit of share above them "
        "(0: level across districts at any difference).",
    )
    role_points: RolePoints = Field(
        default_factory=RolePoints,
        description="Factor of a duty's points per role, for the fair share and every points figure "
        "(e.g. secondary: 0.5).",
    )
    weights: Weights = Field(default_factory=Weights)


class Pin(_Model):
    """An assignment that must be kept as given."""

    district: Ref
    date: dt.date = Field(description="The date the block belongs to (a night belongs to its evening).")
    block: Ref = Field(description="Block template id.")
    role: Literal["primary", "secondary", "backup_hospital"]
    assignee: Ref = Field(description="Physician id, or hospital id for backup_hospital.")


class Scenario(_Model):
    """One network and one period: the input of a solve."""

    name: Name = Field(min_length=1)
    phone: Phone | None = Field(
        None, description="The network's number (its office or a shared on-call line), printed on the 当番表."
    )
    timezone: str = Field("Asia/Tokyo", max_length=64, description="IANA zone of all wall-clock times.")
    period: Period
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    districts: list[District] = Field(
        min_length=1, max_length=LIMITS["districts"], description=f"At most {LIMITS['districts']}."
    )
    clinics: list[Clinic] = Field(
        min_length=1, max_length=LIMITS["clinics"], description=f"At most {LIMITS['clinics']}."
    )
    physicians: list[Physician] = Field(
        min_length=1, max_length=LIMITS["physicians"], description=f"At most {LIMITS['physicians']}."
    )
    hospitals: list[Hospital] = Field(
        default_factory=list, max_length=LIMITS["hospitals"], description=f"At most {LIMITS['hospitals']}."
    )
    rules: Rules = Field(default_factory=Rules)
    pinned: list[Pin] = Field(default_factory=list, max_length=LIMITS["pins"])
    patients: list[PatientGroup] = Field(
        default_factory=list,
        max_length=LIMITS["patient_groups"],
        description="Enrolled home-care patients per clinic and registered hospital.",
    )
    load: LoadConfig = Field(default_factory=LoadConfig, description="Rates of the load model (docs/load.md).")
    cover: CoverConfig | None = Field(
        None, description="The 主治医・副主治医 cover plan (docs/scenario.md#coverconfig-cover)."
    )
    shared_roles: list[SharedRole] = Field(
        default_factory=list,
        max_length=LIMITS["districts"],
        description="Roles one person holds for several districts at once, in named blocks "
        "(docs/scenario.md#sharedrole-shared_roles).",
    )

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a directory of zones
            raise _invalid("scenario.unknown_zone", value=repr(v)) from None
        return v

    @property
    def zone(self) -> ZoneInfo:
        """The scenario's time zone."""
        return ZoneInfo(self.timezone)

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems = _cross_check(self)
        if problems:
            english = "\n".join(p.text("en") for p in problems)
            raise PydanticCustomError("scenario.problems", "{text}", {"text": english, "problems": problems})
        return self

    # Lookups used throughout; cheap enough to rebuild, so nothing is cached on a mutable model.
    def physician(self, pid: str) -> Physician:
        """The physician with id ``pid``."""
        return next(p for p in self.physicians if p.id == pid)

    def clinic_of(self, physician: Physician) -> Clinic:
        """The physician's clinic."""
        return next(c for c in self.clinics if c.id == physician.clinic)

    def home_districts(self) -> dict[str, str]:
        """Each physician's home district: the district of their clinic."""
        district = {c.id: c.district for c in self.clinics}
        return {p.id: district[p.clinic] for p in self.physicians}

    def districts_of(self, physician: Physician) -> list[str]:
        """Districts the physician covers."""
        return physician.districts if physician.districts is not None else [self.clinic_of(physician).district]

    def absences_of(self, physician: Physician) -> list[Absence]:
        """The physician's declared absences and those their recurring patterns make in the period (the date
        before it included: its night runs into the period)."""
        first = self.period.start - dt.timedelta(days=1)
        made = [a for r in physician.recurring_absences for a in r.expand(first, self.period.end, self.zone)]
        return [*physician.absences, *made]

    def rest_hours(self, physician: Physician) -> float:
        """Minimum rest between two duties of this physician."""
        if physician.caps.min_rest_hours is not None:
            return physician.caps.min_rest_hours
        if physician.employment == "employed":
            return self.rules.min_rest_hours_employed
        return self.rules.min_rest_hours

    def consecutive_cap(self, physician: Physician) -> int:
        """Most consecutive dates with a duty for this physician."""
        cap = physician.caps.consecutive_days
        return cap if cap is not None else self.rules.max_consecutive_days

    def block(self, block_id: str) -> BlockTemplate:
        """The block template with id ``block_id`` (the network's or a district's)."""
        return next(b for b in self.block_templates() if b.id == block_id)

    def block_templates(self) -> list[BlockTemplate]:
        """Every block template: the network's, then each district's own."""
        own = [b for d in self.districts if d.calendar for bl in d.calendar.blocks.values() for b in bl]
        return [b for bl in self.calendar.blocks.values() for b in bl] + own

    def calendar_of(self, district: str) -> CalendarConfig:
        """The calendar a district keeps: the network's, with the district's blocks and days off over it."""
        own = next((d.calendar for d in self.districts if d.id == district), None)
        if own is None or (not own.blocks and not own.extra_days):
            return self.calendar
        extra = {e.date: e for e in self.calendar.extra_days} | {e.date: e for e in own.extra_days}
        return self.calendar.model_copy(
            update={"blocks": self.calendar.blocks | own.blocks, "extra_days": sorted(extra.values(), key=_day)}
        )

    def shared_role(self, district: str, block: str, role: Role) -> SharedRole | None:
        """The shared role serving ``district`` in ``block`` for ``role``, if any."""
        for g in self.shared_roles:
            if g.role == role and block in g.blocks and (not g.districts or district in g.districts):
                return g
        return None

    def shared_districts(self, group: SharedRole) -> list[str]:
        """The districts a shared role serves, in scenario order."""
        return [d.id for d in self.districts if not group.districts or d.id in group.districts]


def _day(extra: ExtraDay) -> dt.date:
    return extra.date


def _duplicates(kind: str, ids: list[str]) -> list[Message]:
    return [Message("scenario.duplicate_id", kind, id=repr(i)) for i, n in Counter(ids).items() if n > 1]


def _minutes_from(anchor: dt.time, t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) - (anchor.hour * 60 + anchor.minute)) % (24 * 60)


def _check_tiling(
    cal: CalendarConfig, own: dict[DayType, list[BlockTemplate]] | None = None, prefix: str = "calendar"
) -> list[Message]:
    """Each day type's blocks must tile [day_start, day_start + 24 h) with no hole and no overlap: the
    network's (``own`` None), or the day types a district names in its own calendar (``own``)."""
    problems: list[Message] = []
    day_start = f"{cal.day_start:%H:%M}"
    for day_type in DAY_TYPES if own is None else [t for t in DAY_TYPES if t in own]:
        blocks = cal.blocks.get(day_type) if own is None else own[day_type]
        where = f"{prefix}.blocks.{day_type}"
        if not blocks:
            problems.append(Message("scenario.no_blocks", where))
            continue
        for b in blocks:
            if b.start.second or b.end.second or b.start.microsecond or b.end.microsecond:
                problems.append(Message("scenario.whole_minutes", f"{where}.{b.id}"))
        spans = []
        for i, b in enumerate(blocks):
            s = _minutes_from(cal.day_start, b.start)
            length = (b.end.hour * 60 + b.end.minute - b.start.hour * 60 - b.start.minute) % 1440 or 1440
            spans.append((s, s + length, i, b))
        spans.sort(key=lambda x: x[0])
        cursor = 0
        for s, e, i, b in spans:
            at, place = f"{b.start:%H:%M}", f"{where}[{i}]"
            if s > cursor:
                problems.append(Message("scenario.blocks_hole", place, label=b.id, time=at, day_start=day_start))
            elif s < cursor:
                problems.append(Message("scenario.blocks_overlap", place, label=b.id, time=at))
            cursor = max(cursor, e)
        if cursor < 1440:
            problems.append(Message("scenario.blocks_hole_at_end", where, day_start=day_start))
        elif cursor > 1440:
            problems.append(Message("scenario.blocks_past_day", where, day_start=day_start))
    return problems


def _check_absence(where: str, a: Absence) -> Message | None:
    s_is_dt = isinstance(a.start, dt.datetime)
    e_is_dt = isinstance(a.end, dt.datetime)
    if s_is_dt != e_is_dt:
        return Message("scenario.date_and_datetime", where)
    if s_is_dt and e_is_dt:
        assert isinstance(a.start, dt.datetime) and isinstance(a.end, dt.datetime)
        if (a.start.tzinfo is None) != (a.end.tzinfo is None):
            return Message("scenario.offset_mixed", where)
        if a.end <= a.start:
            return Message("scenario.end_not_after_start", where, end=a.end.isoformat(), start=a.start.isoformat())
    elif a.end < a.start:
        return Message("scenario.end_before_start", where, end=a.end, start=a.start)
    return None


def _local_dates(a: Absence, zone: ZoneInfo) -> tuple[dt.date, dt.date]:
    """The first and last local date an absence touches (a datetime end is exclusive)."""
    if isinstance(a.start, dt.datetime) and isinstance(a.end, dt.datetime):
        start = a.start if a.start.tzinfo is None else a.start.astimezone(zone)
        end = a.end if a.end.tzinfo is None else a.end.astimezone(zone)
        last = end.date() if end.time() != dt.time(0) else end.date() - dt.timedelta(days=1)
        return start.date(), max(start.date(), last)
    first = a.start.date() if isinstance(a.start, dt.datetime) else a.start
    last = a.end.date() if isinstance(a.end, dt.datetime) else a.end
    return first, last


def _outside_period(s: Scenario, where: str, first: dt.date, last: dt.date) -> Message:
    return Message("scenario.outside_period", where, start=first, end=last, first=s.period.start, last=s.period.end)


def _check_entries(s: Scenario, i: int, p: Physician, blocks: set[str]) -> list[Message]:
    """A physician's absences, wishes and unwishes: well formed, and within the period.

    An absence must share a date with the period, a wish or unwish fall on a date whose duties the period
    holds (the day before the period, whose night runs into it, included); one wholly outside is a typo
    (a wrong year) that would silently roster the doctor on the day they are away.
    """
    where = f"physicians[{i}]"
    problems: list[Message] = []
    for j, a in enumerate(p.absences):
        broken = _check_absence(f"{where}.absences[{j}]", a)
        if broken is not None:
            problems.append(broken)
            continue
        first, last = _local_dates(a, s.zone)
        if not s.period.touches(first, last):
            problems.append(_outside_period(s, f"{where}.absences[{j}]", first, last))
    for j, r in enumerate(p.recurring_absences):
        rwhere = f"{where}.recurring_absences[{j}]"
        if (r.start is None) != (r.end is None):
            given = "start" if r.end is None else "end"
            problems.append(Message("scenario.time_half", f"{rwhere}.{given}", given=given))
        if r.first_date and r.last_date and r.last_date < r.first_date:
            problems.append(
                Message("scenario.end_before_start", f"{rwhere}.last_date", end=r.last_date, start=r.first_date)
            )
        for k, day in enumerate(r.except_dates):
            if WEEKDAYS[day.weekday()] != r.weekday:
                problems.append(
                    Message("scenario.not_the_weekday", f"{rwhere}.except_dates[{k}]", date=day, weekday=r.weekday)
                )
    day_before = s.period.start - dt.timedelta(days=1)
    for kind in ("wishes", "unwishes"):
        for j, r in enumerate(getattr(p, kind)):
            if r.block is not None and r.block not in blocks:
                problems.append(Message("scenario.unknown_block", f"{where}.{kind}[{j}].block", id=repr(r.block)))
            if not day_before <= r.date <= s.period.end:
                problems.append(_outside_period(s, f"{where}.{kind}[{j}].date", r.date, r.date))
    return problems


# Dates a scenario may hold: far enough from the ends of Python's calendar that a date moved into any
# time zone, or a day later, still exists.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def _dates_out_of_range(value: object, where: str) -> list[Message]:
    """Every date or datetime inside ``value`` outside EARLIEST_DATE..LATEST_DATE, named by its path."""
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return [p for name in fields for p in _dates_out_of_range(getattr(value, name), f"{where}.{name}".lstrip("."))]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in _dates_out_of_range(v, f"{where}[{i}]")]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _dates_out_of_range(v, f"{where}.{k}")]
    if isinstance(value, dt.date):  # datetimes too
        day = value.date() if isinstance(value, dt.datetime) else value
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            return [
                Message(
                    "scenario.date_out_of_range",
                    where,
                    value=value.isoformat(),
                    earliest=EARLIEST_DATE,
                    latest=LATEST_DATE,
                )
            ]
    return []


def _skipped_dates(s: Scenario) -> list[Message]:
    """Dates of the period the time zone leaves out (Samoa skipped 2011-12-30 when it crossed the date line):
    a day without hours cannot be rostered."""
    zone, start = ZoneInfo(s.timezone), s.calendar.day_start
    out: list[Message] = []
    before = s.period.start - dt.timedelta(days=1)  # its night ends inside the period
    for day in [before, *s.period.dates()]:
        begins = dt.datetime.combine(day, start, tzinfo=zone).astimezone(dt.UTC)
        ends = dt.datetime.combine(day + dt.timedelta(days=1), start, tzinfo=zone).astimezone(dt.UTC)
        if ends - begins < dt.timedelta(hours=12):
            code = "scenario.skipped_date_before" if day == before else "scenario.skipped_date"
            out.append(Message(code, "period", day=day, zone=s.timezone))
    return out


def _check_size(s: Scenario) -> list[Message]:
    """The period's duties (districts x dates x rostered blocks) within LIMITS["duties"]."""
    days = (s.period.end - s.period.start).days + 2  # and the night before the period
    per_day = max((sum(b.rostered for b in blocks) for blocks in s.calendar.blocks.values()), default=0)
    duties = len(s.districts) * days * per_day
    if duties <= LIMITS["duties"]:
        return []
    return [
        Message(
            "scenario.too_many_duties", "", duties=duties, districts=len(s.districts), days=days, limit=LIMITS["duties"]
        )
    ]


def _unknown(kind: str, where: str, ident: str) -> Message:
    return Message(f"scenario.unknown_{kind}", where, id=repr(ident))


def _cross_check(s: Scenario) -> list[Message]:
    problems = _dates_out_of_range(s, "")
    if problems:
        return problems  # the checks below would compute with those dates
    problems += _check_size(s)
    problems += _skipped_dates(s)
    problems += _duplicates("districts", [d.id for d in s.districts])
    problems += _duplicates("clinics", [c.id for c in s.clinics])
    problems += _duplicates("physicians", [p.id for p in s.physicians])
    problems += _duplicates("hospitals", [h.id for h in s.hospitals])
    block_ids = [b.id for b in s.block_templates()]
    problems += _duplicates("calendar.blocks", block_ids)
    problems += _check_tiling(s.calendar)
    problems += cover_problems(s)
    problems += _extra_days_twice(s.calendar.extra_days, "calendar.extra_days")

    districts = {d.id for d in s.districts}
    clinics = {c.id for c in s.clinics}
    physicians = {p.id for p in s.physicians}
    hospitals = {h.id for h in s.hospitals}
    blocks = set(block_ids)

    for i, d in enumerate(s.districts):
        for j, n in enumerate(d.neighbours):
            if n not in districts:
                problems.append(_unknown("district", f"districts[{i}].neighbours[{j}]", n))
            elif n == d.id:
                problems.append(Message("scenario.own_neighbour", f"districts[{i}].neighbours[{j}]", id=repr(n)))
    problems += _check_district_calendars(s)
    problems += _check_shared_roles(s, districts)
    problems += _half_positions(s)
    for i, c in enumerate(s.clinics):
        if c.district not in districts:
            problems.append(_unknown("district", f"clinics[{i}].district", c.district))
    for i, p in enumerate(s.physicians):
        where = f"physicians[{i}]"
        if p.clinic not in clinics:
            problems.append(_unknown("clinic", f"{where}.clinic", p.clinic))
        for j, did in enumerate(p.districts or []):
            if did not in districts:
                problems.append(_unknown("district", f"{where}.districts[{j}]", did))
        if not p.roles:
            problems.append(Message("scenario.no_role", f"{where}.roles"))
        for kind in ("mentors", "never_with"):
            for j, other in enumerate(getattr(p, kind)):
                if other not in physicians:
                    problems.append(_unknown("physician", f"{where}.{kind}[{j}]", other))
                elif other == p.id:
                    problems.append(Message("scenario.own_pair", f"{where}.{kind}[{j}]", id=repr(other)))
                elif kind == "never_with" and other in p.mentors:
                    problems.append(Message("scenario.mentor_never", f"{where}.never_with[{j}]", id=repr(other)))
        problems += _check_entries(s, i, p, blocks)
    for i, h in enumerate(s.hospitals):
        problems += _check_hospital_times(i, h, blocks)
        if not h.districts:
            problems.append(Message("scenario.no_district", f"hospitals[{i}].districts"))
        for j, did in enumerate(h.districts):
            if did not in districts:
                problems.append(_unknown("district", f"hospitals[{i}].districts[{j}]", did))
    problems += _check_pins(s, districts, blocks, physicians, hospitals)
    problems += _check_patients(s, clinics, hospitals)
    return problems


def _extra_days_twice(extra_days: list[ExtraDay], where: str) -> list[Message]:
    problems: list[Message] = []
    first_of: dict[dt.date, int] = {}
    for i, extra in enumerate(extra_days):
        if extra.date in first_of:
            params: dict[str, Any] = {"date": extra.date, "first": first_of[extra.date]}
            if where == "calendar.extra_days":
                problems.append(Message("scenario.extra_day_twice", f"{where}[{i}].date", **params))
            else:
                problems.append(Message("scenario.extra_day_twice_in", f"{where}[{i}].date", list=where, **params))
        first_of.setdefault(extra.date, i)
    return problems


def _check_district_calendars(s: Scenario) -> list[Message]:
    """A district's own blocks tile its day; its days off are each given once; each day type it names needs a
    role, and no role twice."""
    problems: list[Message] = []
    blocks = {b.id for b in s.block_templates()}
    for i, d in enumerate(s.districts):
        for key, roles in d.roles.items():
            where = f"districts[{i}].roles.{key}"
            if key not in DAY_TYPES and key not in blocks:
                problems.append(Message("scenario.unknown_day_type_or_block", where, id=repr(key)))
            elif not roles:
                problems.append(Message("scenario.district_no_role", where))
            elif len(set(roles)) < len(roles):
                problems.append(Message("scenario.role_twice", where, roles=", ".join(roles)))
        if d.calendar is None:
            continue
        problems += _check_tiling(s.calendar, d.calendar.blocks, f"districts[{i}].calendar")
        problems += _extra_days_twice(d.calendar.extra_days, f"districts[{i}].calendar.extra_days")
    return problems


def _check_shared_roles(s: Scenario, districts: set[str]) -> list[Message]:
    """A shared role names known districts and rostered blocks, and no district's role in a block is shared
    by two of them."""
    problems = _duplicates("shared_roles", [g.id for g in s.shared_roles])
    rostered = {b.id: b.rostered for b in s.block_templates()}
    first: dict[tuple[str, str, str], int] = {}
    for i, g in enumerate(s.shared_roles):
        where = f"shared_roles[{i}]"
        for j, did in enumerate(g.districts):
            if did not in districts:
                problems.append(_unknown("district", f"{where}.districts[{j}]", did))
        for j, bid in enumerate(g.blocks):
            if bid not in rostered:
                problems.append(_unknown("block", f"{where}.blocks[{j}]", bid))
            elif not rostered[bid]:
                problems.append(Message("scenario.shared_not_rostered", f"{where}.blocks[{j}]", id=repr(bid)))
        for did in g.districts or sorted(districts):
            for bid in g.blocks:
                key = (did, bid, g.role)
                if key in first and first[key] != i:
                    problems.append(
                        Message(
                            "scenario.shared_twice",
                            where,
                            district=repr(did),
                            block=repr(bid),
                            role=g.role,
                            first=first[key],
                        )
                    )
                first.setdefault(key, i)
    return problems


def _half_positions(s: Scenario) -> list[Message]:
    """A latitude without its longitude (or the reverse) is a typo the visit distance rule would miss."""
    out: list[Message] = []
    places = [
        *((f"districts[{i}]", x.lat, x.lon) for i, x in enumerate(s.districts)),
        *((f"clinics[{i}]", x.lat, x.lon) for i, x in enumerate(s.clinics)),
        *((f"hospitals[{i}]", x.lat, x.lon) for i, x in enumerate(s.hospitals)),
    ]
    for where, lat, lon in places:
        if (lat is None) != (lon is None):
            given = "lat" if lon is None else "lon"
            out.append(Message("scenario.position_half", f"{where}.{given}", given=given))
    return out


def _check_hospital_times(i: int, h: Hospital, blocks: set[str]) -> list[Message]:
    """A hospital's capacity overrides (ordered, no two on one date), closures and standby blocks."""
    where = f"hospitals[{i}]"
    out: list[Message] = []
    seen: dict[dt.date, int] = {}
    for j, o in enumerate(h.capacity_overrides):
        last = o.end or o.start
        if last < o.start:
            out.append(
                Message("scenario.end_before_start", f"{where}.capacity_overrides[{j}].end", end=last, start=o.start)
            )
            continue
        day = o.start
        while day <= last:
            if day in seen:
                out.append(
                    Message("scenario.override_twice", f"{where}.capacity_overrides[{j}]", date=day, first=seen[day])
                )
                break
            seen[day] = j
            day += dt.timedelta(days=1)
    for j, c in enumerate(h.closures):
        if (c.start.tzinfo is None) != (c.end.tzinfo is None):
            out.append(Message("scenario.offset_mixed", f"{where}.closures[{j}]"))
        elif c.end <= c.start:
            out.append(
                Message(
                    "scenario.end_not_after_start",
                    f"{where}.closures[{j}].end",
                    end=c.end.isoformat(),
                    start=c.start.isoformat(),
                )
            )
    for j, b in enumerate(h.standby_blocks):
        if b not in blocks:
            out.append(Message("scenario.unknown_block", f"{where}.standby_blocks[{j}]", id=repr(b)))
    if h.night_only and h.standby_blocks:
        out.append(Message("scenario.night_only_and_blocks", f"{where}.standby_blocks"))
    return out


def _check_pins(
    s: Scenario, districts: set[str], blocks: set[str], physicians: set[str], hospitals: set[str]
) -> list[Message]:
    problems: list[Message] = []
    for i, pin in enumerate(s.pinned):
        where = f"pinned[{i}]"
        if pin.district not in districts:
            problems.append(_unknown("district", f"{where}.district", pin.district))
        if pin.block not in blocks:
            problems.append(_unknown("block", f"{where}.block", pin.block))
        known = hospitals if pin.role == "backup_hospital" else physicians
        if pin.assignee not in known:
            kind = "hospital" if pin.role == "backup_hospital" else "physician"
            problems.append(_unknown(kind, f"{where}.assignee", pin.assignee))
        if pin.date > s.period.end or (s.period.start - pin.date).days > 1:
            problems.append(Message("scenario.pin_outside_period", f"{where}.date", date=pin.date))
    seen_pins = Counter((p.district, p.date, p.block, p.role) for p in s.pinned)
    for key, count in seen_pins.items():
        if count > 1:
            problems.append(
                Message(
                    "scenario.pins_twice",
                    "pinned",
                    count=count,
                    district=repr(key[0]),
                    date=key[1],
                    block=repr(key[2]),
                    role=key[3],
                )
            )
    return problems


def _check_patients(s: Scenario, clinics: set[str], hospitals: set[str]) -> list[Message]:
    problems: list[Message] = []
    first: dict[tuple[str, str | None], int] = {}
    for i, g in enumerate(s.patients):
        where = f"patients[{i}]"
        if g.clinic not in clinics:
            problems.append(_unknown("clinic", f"{where}.clinic", g.clinic))
        if g.hospital is not None and g.hospital not in hospitals:
            problems.append(_unknown("hospital", f"{where}.hospital", g.hospital))
        key = (g.clinic, g.hospital)
        if key in first:
            if g.hospital is None:
                problems.append(Message("scenario.patients_twice", where, clinic=repr(g.clinic), first=first[key]))
            else:
                problems.append(
                    Message(
                        "scenario.patients_twice_registered",
                        where,
                        clinic=repr(g.clinic),
                        hospital=repr(g.hospital),
                        first=first[key],
                    )
                )
        first.setdefault(key, i)
    return problems
