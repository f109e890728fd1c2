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

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from oncall.cover.model import CoverConfig, cover_problems

__all__ = [
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
    "Weights",
    "YearEnd",
    "default_blocks",
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


def _date_or_datetime(value: Any) -> Any:
    """Read ``2027-01-05`` as a whole date and anything with a time as a datetime."""
    if isinstance(value, str) and len(value.strip()) == 10:
        return dt.date.fromisoformat(value.strip())
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value.strip())
    return value


DateOrDateTime = Annotated[dt.date | dt.datetime, BeforeValidator(_date_or_datetime)]


def _wall_time(value: Any) -> Any:
    """Read ``9:00`` like ``09:00``; refuse numbers, which YAML 1.1 makes of unquoted ``18:00``."""
    if isinstance(value, bool | int | float):
        raise ValueError(f"expected a time as 'HH:MM', got the number {value!r}")
    if isinstance(value, str) and len(value.strip()) >= 4 and value.strip()[1] == ":":
        return "0" + value.strip()
    return value


WallTime = Annotated[dt.time, BeforeValidator(_wall_time)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Period(_Model):
    """The rostered period: whole local dates, both inclusive."""

    start: dt.date = Field(description="First date of the period (local).")
    end: dt.date = Field(description="Last date of the period, inclusive (local).")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        if (self.end - self.start).days > 366:
            raise ValueError(f"period of {(self.end - self.start).days + 1} days is longer than a year")
        return self

    def dates(self) -> list[dt.date]:
        """Every date of the period in order."""
        n = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=i) for i in range(n)]


class BlockTemplate(_Model):
    """One block of a day type's 24 hours: a duty block, or regular clinic hours."""

    id: Id = Field(description="Unique id of the block template, used in rosters (e.g. `wd_night`).")
    name: str = Field(description="Label staff read (Japanese), e.g. 夜間.")
    name_en: str | None = Field(None, description="English label, e.g. Night.")
    start: WallTime = Field(description="Local wall-clock start, 'HH:MM'.")
    end: WallTime = Field(description="Local wall-clock end, 'HH:MM'; a value not after start means the next day.")
    rostered: bool = Field(
        True, description="False for regular clinic hours, which each clinic covers itself (no duty)."
    )
    night: bool = Field(False, description="Counts as a night duty for caps and reports.")
    points: float = Field(1.0, ge=0, le=100, description="Duty points: the weight of the block for fairness.")
    roles: list[Role] = Field(default_factory=lambda: list(ROLES), description="Roles each duty of this block needs.")

    @field_validator("roles")
    @classmethod
    def _roles_once(cls, roles: list[Role]) -> list[Role]:
        if len(set(roles)) < len(roles):
            raise ValueError(f"a role is listed twice ({', '.join(roles)})")
        return roles

    @model_validator(mode="after")
    def _someone_on_duty(self) -> BlockTemplate:
        if self.rostered and not self.roles:
            raise ValueError("a rostered block needs at least one role (or rostered: false for clinic hours)")
        return self

    def label(self, lang: str = "ja") -> str:
        """The block's label in the requested language."""
        return self.name_en or self.id if lang == "en" else self.name


def default_blocks() -> dict[DayType, list[BlockTemplate]]:
    """Blocks used by most networks: nights on weekdays, Saturday afternoon, day and night on holidays."""
    t = dt.time
    return {
        "weekday": [
            BlockTemplate(
                id="wd_regular",
                name="平日診療時間",
                name_en="Weekday clinic hours",
                start=t(8, 30),
                end=t(18, 0),
                rostered=False,
                points=0,
            ),
            BlockTemplate(
                id="wd_night",
                name="平日夜間",
                name_en="Weekday night",
                start=t(18, 0),
                end=t(8, 30),
                night=True,
                points=1.0,
            ),
        ],
        "saturday": [
            BlockTemplate(
                id="sat_regular",
                name="土曜診療時間",
                name_en="Saturday clinic hours",
                start=t(8, 30),
                end=t(12, 30),
                rostered=False,
                points=0,
            ),
            BlockTemplate(
                id="sat_afternoon",
                name="土曜午後",
                name_en="Saturday afternoon",
                start=t(12, 30),
                end=t(18, 0),
                points=1.0,
            ),
            BlockTemplate(
                id="sat_night",
                name="土曜夜間",
                name_en="Saturday night",
                start=t(18, 0),
                end=t(8, 30),
                night=True,
                points=1.5,
            ),
        ],
        "holiday": [
            BlockTemplate(
                id="hol_day", name="休日日中", name_en="Holiday day", start=t(8, 30), end=t(18, 0), points=2.0
            ),
            BlockTemplate(
                id="hol_night",
                name="休日夜間",
                name_en="Holiday night",
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
    start: str = Field("12-29", pattern=r"^\d{2}-\d{2}$", description="First day, MM-DD.")
    end: str = Field("01-03", pattern=r"^\d{2}-\d{2}$", description="Last day, MM-DD (may be in the next year).")
    day_type: DayType = Field("holiday", description="Day type of these days.")
    points_multiplier: float = Field(1.5, ge=0, le=10, description="Duty points are multiplied by this.")

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, v: str) -> str:
        month, day = (int(x) for x in v.split("-"))
        try:
            dt.date(2000, month, day)  # a leap year admits 02-29
        except ValueError as exc:
            raise ValueError(f"{v!r} is not a month-day") from exc
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
    name: str = Field("地域休日", description="Label shown in rosters.")
    day_type: DayType = Field("holiday", description="Day type the day takes.")


class CalendarConfig(_Model):
    """Day types, special periods and the blocks that tile each day."""

    day_start: WallTime = Field(
        dt.time(8, 30), description="Where each day's blocks begin; the blocks tile the 24 h from here."
    )
    national_holidays: bool = Field(True, description="Use Japanese national holidays (jpholiday).")
    year_end: YearEnd = Field(default_factory=YearEnd)
    extra_days: list[ExtraDay] = Field(default_factory=list, description="Local days off.")
    long_run_days: int = Field(
        3, ge=2, le=14, description="A run of at least this many consecutive days off is a long holiday run."
    )
    long_run_multiplier: float = Field(
        1.25, ge=0, le=10, description="Duty points on days off in a long holiday run are multiplied by this."
    )
    blocks: dict[DayType, list[BlockTemplate]] = Field(
        default_factory=default_blocks, description="Block templates per day type; each list tiles 24 h."
    )


class District(_Model):
    """A travel area of the network; each has its own primary and secondary on every block."""

    id: Id
    name: str
    name_en: str | None = None
    neighbours: list[str] = Field(default_factory=list, description="Ids of adjacent districts.")
    phone: Phone | None = Field(
        None, description="Number of the district's on-call line, printed on the 当番表 (optional), e.g. 0120-123-456."
    )

    def label(self, lang: str = "ja") -> str:
        """The district's label in the requested language."""
        return self.name_en or self.id if lang == "en" else self.name


class Clinic(_Model):
    """A clinic (or hospital department) whose doctors take part in the rota."""

    id: Id
    name: str
    district: str = Field(description="Id of the district the clinic lies in.")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)


class Caps(_Model):
    """Personal limits; None means the network's rule (or no limit)."""

    duties: int | None = Field(None, ge=0, description="Most duties in the period.")
    nights: int | None = Field(None, ge=0, description="Most night duties in the period.")
    holiday_duties: int | None = Field(None, ge=0, description="Most holiday / 年末年始 duties in the period.")
    consecutive_days: int | None = Field(None, ge=1, description="Most consecutive dates with a duty.")
    min_rest_hours: float | None = Field(None, ge=0, le=168, description="Personal minimum rest between duties.")


class Absence(_Model):
    """A declared absence: whole local dates (inclusive) or an exact datetime range."""

    start: DateOrDateTime = Field(description="A date (whole day) or a datetime (naive = scenario zone).")
    end: DateOrDateTime = Field(description="A date (inclusive) or a datetime (exclusive).")
    reason: str | None = None


class Request(_Model):
    """A wished or unwished date, optionally one block of it."""

    date: dt.date
    block: str | None = Field(None, description="Block template id; None means any block of the date.")
    weight: float = Field(1.0, ge=0, le=100)


class CarriedPeriod(_Model):
    """Duty points one physician earned in one earlier period beyond (+) or short of (−) their fair share.

    ``oncall.boundary`` writes one per published period; ``History.points`` sums those still inside the
    fairness window, so an old period drops out of the sum when the window rolls past it.
    """

    start: dt.date = Field(description="First date of the earlier period.")
    end: dt.date = Field(description="Last date of the earlier period.")
    points: dict[Category, float] = Field(
        default_factory=dict, description="Points above (+) or below (−) the fair share in that period, per category."
    )

    @model_validator(mode="after")
    def _ordered(self) -> CarriedPeriod:
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        return self


class History(_Model):
    """What the previous period left behind."""

    last_duty_end: dt.datetime | None = Field(None, description="End of the last duty before the period.")
    recent_duty_dates: list[dt.date] = Field(
        default_factory=list, description="Dates with a duty just before the period (consecutive-day rule)."
    )
    points: dict[Category, float] = Field(
        default_factory=dict, description="Duty points already carried in the fairness window, per category."
    )
    periods: list[CarriedPeriod] = Field(
        default_factory=list,
        description="The earlier periods behind `points`, newest first (written by `oncall carry`), so that the "
        "fairness window can roll.",
    )


class Physician(_Model):
    """A doctor in the rota."""

    id: Id
    name: str
    name_en: str | None = None
    clinic: str = Field(description="Id of the physician's clinic.")
    districts: list[str] | None = Field(None, description="Districts covered; default: the clinic's district.")
    roles: list[Role] = Field(default_factory=lambda: list(ROLES), description="Roles accepted.")
    employment: Literal["owner", "employed"] = Field("owner", description="Clinic owner or employed doctor.")
    experienced: bool = Field(True, description="False for a doctor new to the network.")
    share: float = Field(1.0, ge=0, le=10, description="Fair-share weight (1 = a full share).")
    caps: Caps = Field(default_factory=Caps)
    absences: list[Absence] = Field(default_factory=list)
    wishes: list[Request] = Field(default_factory=list, description="Dates or blocks the physician would like.")
    unwishes: list[Request] = Field(default_factory=list, description="Dates or blocks to avoid.")
    history: History = Field(default_factory=History)
    phone: str | None = Field(None, description="Contact number shown to the duty partner.")
    email: str | None = None

    def label(self, lang: str = "ja") -> str:
        """The physician's name in the requested language."""
        return self.name_en or self.name if lang == "en" else self.name


class Hospital(_Model):
    """A backup hospital (後方支援病院) that stands by to admit patients."""

    id: Id
    name: str
    name_en: str | None = None
    districts: list[str] = Field(description="Districts the hospital accepts patients from.")
    capacity_per_day: int = Field(ge=1, le=1000, description="Emergency admissions it can take per day.")
    beds: int | None = Field(None, ge=0)
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude of the hospital (informative).")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude of the hospital (informative).")
    closed_dates: list[dt.date] = Field(default_factory=list, description="Dates it cannot stand by.")
    max_standby_days: int | None = Field(None, ge=0, description="Most days on standby in the period.")
    max_districts: int | None = Field(None, ge=1, description="Most districts it stands by for at the same time.")

    def label(self, lang: str = "ja") -> str:
        """The hospital's name in the requested language."""
        return self.name_en or self.name if lang == "en" else self.name


class PatientGroup(_Model):
    """Enrolled home-care patients of one clinic, counted by risk class: aggregated, no personal data.

    Each patient is counted once, in the first class that applies: cancer, home oxygen, care level 4–5,
    other. A clinic may list several groups, one per backup hospital its patients are registered with.
    """

    clinic: str = Field(description="Id of the clinic whose enrolled patients these are.")
    hospital: str | None = Field(
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


class Rules(_Model):
    """Network-wide rules."""

    min_rest_hours: float = Field(8, ge=0, le=168, description="Minimum rest between duties (owners).")
    min_rest_hours_employed: float = Field(
        9, ge=0, le=168, description="Minimum rest between duties for employed doctors (2024 reform)."
    )
    max_consecutive_days: int = Field(2, ge=1, le=31, description="Most consecutive dates with a duty.")
    secondary_other_clinic: bool = Field(True, description="Primary and secondary come from different clinics.")
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
    weights: Weights = Field(default_factory=Weights)


class Pin(_Model):
    """An assignment that must be kept as given."""

    district: str
    date: dt.date = Field(description="The date the block belongs to (a night belongs to its evening).")
    block: str = Field(description="Block template id.")
    role: Literal["primary", "secondary", "backup_hospital"]
    assignee: str = Field(description="Physician id, or hospital id for backup_hospital.")


class Scenario(_Model):
    """One network and one period: the input of a solve."""

    name: str = Field(min_length=1, max_length=200)
    phone: Phone | None = Field(
        None, description="The network's number (its office or a shared on-call line), printed on the 当番表."
    )
    timezone: str = Field("Asia/Tokyo", description="IANA zone of all wall-clock times.")
    period: Period
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    districts: list[District] = Field(min_length=1)
    clinics: list[Clinic] = Field(min_length=1)
    physicians: list[Physician] = Field(min_length=1)
    hospitals: list[Hospital] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    pinned: list[Pin] = Field(default_factory=list)
    patients: list[PatientGroup] = Field(
        default_factory=list, description="Enrolled home-care patients per clinic and registered hospital."
    )
    load: LoadConfig = Field(default_factory=LoadConfig, description="Rates of the load model (docs/load.md).")
    cover: CoverConfig | None = Field(
        None, description="The 主治医・副主治医 cover plan (docs/scenario.md#coverconfig-cover)."
    )

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # "America" is a directory of zones
            raise ValueError(f"unknown time zone {v!r}") from exc
        return v

    @property
    def zone(self) -> ZoneInfo:
        """The scenario's time zone."""
        return ZoneInfo(self.timezone)

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems = _cross_check(self)
        if problems:
            raise ValueError("\n".join(problems))
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
        """The block template with id ``block_id``."""
        return next(b for blocks in self.calendar.blocks.values() for b in blocks if b.id == block_id)


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    return [f"{kind}: duplicate id {i!r}" for i, n in Counter(ids).items() if n > 1]


def _minutes_from(anchor: dt.time, t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) - (anchor.hour * 60 + anchor.minute)) % (24 * 60)


def _check_tiling(cal: CalendarConfig) -> list[str]:
    """Each day type's blocks must tile [day_start, day_start + 24 h) with no hole and no overlap."""
    problems: list[str] = []
    for day_type in DAY_TYPES:
        blocks = cal.blocks.get(day_type)
        where = f"calendar.blocks.{day_type}"
        if not blocks:
            problems.append(f"{where}: no blocks for this day type")
            continue
        for b in blocks:
            if b.start.second or b.end.second or b.start.microsecond or b.end.microsecond:
                problems.append(f"{where}.{b.id}: times must be whole minutes")
        spans = []
        for i, b in enumerate(blocks):
            s = _minutes_from(cal.day_start, b.start)
            length = (b.end.hour * 60 + b.end.minute - b.start.hour * 60 - b.start.minute) % 1440 or 1440
            spans.append((s, s + length, i, b))
        spans.sort(key=lambda x: x[0])
        cursor = 0
        for s, e, i, b in spans:
            if s > cursor:
                problems.append(
                    f"{where}[{i}] ({b.id}): hole before {b.start:%H:%M}; blocks must tile the day from "
                    f"{cal.day_start:%H:%M}"
                )
            elif s < cursor:
                problems.append(f"{where}[{i}] ({b.id}): starts {b.start:%H:%M}, overlapping the block before")
            cursor = max(cursor, e)
        if cursor < 1440:
            problems.append(f"{where}: hole at the end of the day; blocks must reach {cal.day_start:%H:%M}")
        elif cursor > 1440:
            problems.append(f"{where}: blocks run past {cal.day_start:%H:%M} of the next day")
    return problems


def _check_absence(where: str, a: Absence) -> str | None:
    s_is_dt = isinstance(a.start, dt.datetime)
    e_is_dt = isinstance(a.end, dt.datetime)
    if s_is_dt != e_is_dt:
        return f"{where}: start and end must both be dates or both be datetimes"
    if s_is_dt and e_is_dt:
        assert isinstance(a.start, dt.datetime) and isinstance(a.end, dt.datetime)
        if (a.start.tzinfo is None) != (a.end.tzinfo is None):
            return f"{where}: start and end must both carry an offset or neither"
        if a.end <= a.start:
            return f"{where}: end {a.end.isoformat()} not after start {a.start.isoformat()}"
    elif a.end < a.start:
        return f"{where}: end {a.end} before start {a.start}"
    return None


# Dates a scenario may hold: far enough from the ends of Python's calendar that a date moved into any
# time zone, or a day later, still exists.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def _dates_out_of_range(value: object, where: str) -> list[str]:
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
            return [f"{where}: {value.isoformat()} is out of range (dates from {EARLIEST_DATE} to {LATEST_DATE})"]
    return []


def _skipped_dates(s: Scenario) -> list[str]:
    """Dates of the period the time zone leaves out (Samoa skipped 2011-12-30 when it crossed the date line):
    a day without hours cannot be rostered."""
    zone, start = ZoneInfo(s.timezone), s.calendar.day_start
    out: list[str] = []
    before = s.period.start - dt.timedelta(days=1)  # its night ends inside the period
    for day in [before, *s.period.dates()]:
        begins = dt.datetime.combine(day, start, tzinfo=zone).astimezone(dt.UTC)
        ends = dt.datetime.combine(day + dt.timedelta(days=1), start, tzinfo=zone).astimezone(dt.UTC)
        if ends - begins < dt.timedelta(hours=12):
            which = " (the date before the period, whose night runs into it)" if day == before else ""
            out.append(f"period: {day}{which} does not exist in {s.timezone} (the zone skips that date)")
    return out


def _cross_check(s: Scenario) -> list[str]:
    problems = _dates_out_of_range(s, "")
    if problems:
        return problems  # the checks below would compute with those dates
    problems += _skipped_dates(s)
    problems += _duplicates("districts", [d.id for d in s.districts])
    problems += _duplicates("clinics", [c.id for c in s.clinics])
    problems += _duplicates("physicians", [p.id for p in s.physicians])
    problems += _duplicates("hospitals", [h.id for h in s.hospitals])
    block_ids = [b.id for bl in s.calendar.blocks.values() for b in bl]
    problems += _duplicates("calendar.blocks", block_ids)
    problems += _check_tiling(s.calendar)
    problems += cover_problems(s)
    first_of: dict[dt.date, int] = {}
    for i, extra in enumerate(s.calendar.extra_days):
        if extra.date in first_of:
            problems.append(
                f"calendar.extra_days[{i}].date: {extra.date} is already calendar.extra_days[{first_of[extra.date]}]"
            )
        first_of.setdefault(extra.date, i)

    districts = {d.id for d in s.districts}
    clinics = {c.id for c in s.clinics}
    physicians = {p.id for p in s.physicians}
    hospitals = {h.id for h in s.hospitals}
    blocks = set(block_ids)

    for i, d in enumerate(s.districts):
        for j, n in enumerate(d.neighbours):
            if n not in districts:
                problems.append(f"districts[{i}].neighbours[{j}]: unknown district {n!r}")
            elif n == d.id:
                problems.append(f"districts[{i}].neighbours[{j}]: a district is not its own neighbour ({n!r})")
    for i, c in enumerate(s.clinics):
        if c.district not in districts:
            problems.append(f"clinics[{i}].district: unknown district {c.district!r}")
    for i, p in enumerate(s.physicians):
        where = f"physicians[{i}]"
        if p.clinic not in clinics:
            problems.append(f"{where}.clinic: unknown clinic {p.clinic!r}")
        for j, did in enumerate(p.districts or []):
            if did not in districts:
                problems.append(f"{where}.districts[{j}]: unknown district {did!r}")
        if not p.roles:
            problems.append(f"{where}.roles: must accept at least one role")
        for j, a in enumerate(p.absences):
            msg = _check_absence(f"{where}.absences[{j}]", a)
            if msg:
                problems.append(msg)
        for kind in ("wishes", "unwishes"):
            for j, r in enumerate(getattr(p, kind)):
                if r.block is not None and r.block not in blocks:
                    problems.append(f"{where}.{kind}[{j}].block: unknown block {r.block!r}")
    for i, h in enumerate(s.hospitals):
        if not h.districts:
            problems.append(f"hospitals[{i}].districts: must serve at least one district")
        for j, did in enumerate(h.districts):
            if did not in districts:
                problems.append(f"hospitals[{i}].districts[{j}]: unknown district {did!r}")
    for i, pin in enumerate(s.pinned):
        where = f"pinned[{i}]"
        if pin.district not in districts:
            problems.append(f"{where}.district: unknown district {pin.district!r}")
        if pin.block not in blocks:
            problems.append(f"{where}.block: unknown block {pin.block!r}")
        known = hospitals if pin.role == "backup_hospital" else physicians
        if pin.assignee not in known:
            kind = "hospital" if pin.role == "backup_hospital" else "physician"
            problems.append(f"{where}.assignee: unknown {kind} {pin.assignee!r}")
        if pin.date > s.period.end or (s.period.start - pin.date).days > 1:
            problems.append(f"{where}.date: {pin.date} is outside the period")
    seen_pins = Counter((p.district, p.date, p.block, p.role) for p in s.pinned)
    for key, count in seen_pins.items():
        if count > 1:
            problems.append(f"pinned: {count} pins for {key[0]!r} {key[1]} {key[2]!r} {key[3]}")
    problems += _check_patients(s, clinics, hospitals)
    return problems


def _check_patients(s: Scenario, clinics: set[str], hospitals: set[str]) -> list[str]:
    problems: list[str] = []
    first: dict[tuple[str, str | None], int] = {}
    for i, g in enumerate(s.patients):
        where = f"patients[{i}]"
        if g.clinic not in clinics:
            problems.append(f"{where}.clinic: unknown clinic {g.clinic!r}")
        if g.hospital is not None and g.hospital not in hospitals:
            problems.append(f"{where}.hospital: unknown hospital {g.hospital!r}")
        key = (g.clinic, g.hospital)
        if key in first:
            registered = "no hospital" if g.hospital is None else f"hospital {g.hospital!r}"
            problems.append(
                f"{where}: clinic {g.clinic!r} with {registered} is already listed in patients[{first[key]}]"
            )
        first.setdefault(key, i)
    return problems
