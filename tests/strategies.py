"""Hypothesis strategies: small random valid scenarios, and garbage edits of their plain data.

``scenarios()`` draws networks the solver can usually cover: one or two districts of six or more
doctors from three or more clinics each, a period of two to six dates in 2026–2027 (often around
年末年始, a national holiday or, in Europe/Berlin, a daylight-saving change), absences, caps,
requests, history, backup hospitals with closed dates and caps, and enrolled patients.
``broken_scenario_dicts()`` takes such a scenario as plain JSON data and breaks it in one to three places.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any, get_args

import jpholiday
from hypothesis import strategies as st

from oncall.model import (
    Absence,
    BlockTemplate,
    CalendarConfig,
    Caps,
    Category,
    Clinic,
    District,
    ExtraDay,
    History,
    Hospital,
    LoadConfig,
    PatientGroup,
    Period,
    Physician,
    Pin,
    Request,
    RiskRates,
    RiskTable,
    Rules,
    Scenario,
    Weights,
    YearEnd,
    default_blocks,
)

__all__ = ["Broken", "broken_scenario_dicts", "period_starts", "scenario_dicts", "scenarios"]

ONE_DAY = dt.timedelta(days=1)
FIRST, LAST = dt.date(2026, 1, 1), dt.date(2027, 12, 31)

# Dates worth landing near: national holidays (incl. 振替休日 and 国民の休日) and 年末年始.
HOLIDAYS: list[dt.date] = [d for d, _ in jpholiday.between(FIRST, LAST)]
YEAR_ENDS = [dt.date(2026, 12, 28), dt.date(2027, 12, 28), dt.date(2026, 1, 1)]
# Europe/Berlin: spring forward on the last Sunday of March, fall back on the last Sunday of October.
DST_CHANGES = [dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2027, 3, 28), dt.date(2027, 10, 31)]

SURNAMES = ["青木", "石田", "上田", "江藤", "大野", "加藤", "木村", "工藤", "小林", "佐藤"]
CATEGORY_NAMES: tuple[Category, ...] = get_args(Category)


def _near(anchors: list[dt.date], before: int, after: int) -> st.SearchStrategy[dt.date]:
    return st.tuples(st.sampled_from(anchors), st.integers(-before, after)).map(lambda t: t[0] + t[1] * ONE_DAY)


def period_starts() -> st.SearchStrategy[dt.date]:
    """First dates in 2026–2027, often just before a holiday or 年末年始."""
    return st.one_of(
        st.dates(FIRST, LAST),
        _near(HOLIDAYS, 4, 1),
        _near(YEAR_ENDS, 4, 6).filter(lambda d: FIRST <= d <= LAST),
    )


def _alternative_blocks() -> dict[str, list[BlockTemplate]]:
    """A network whose days start at 09:00 and whose holidays are one 24-hour block."""
    t = dt.time
    return {
        "weekday": [
            BlockTemplate(id="wd_day", name="平日日中", start=t(9), end=t(17), rostered=False, points=0),
            BlockTemplate(id="wd_eve", name="平日準夜", start=t(17), end=t(23), points=0.5),
            BlockTemplate(id="wd_late", name="平日深夜", start=t(23), end=t(9), night=True, points=1),
        ],
        "saturday": [
            BlockTemplate(id="sat_am", name="土曜午前", start=t(9), end=t(13), rostered=False, points=0),
            BlockTemplate(id="sat_pm", name="土曜午後夜間", start=t(13), end=t(9), night=True, points=2),
        ],
        "holiday": [BlockTemplate(id="hol_24", name="休日終日", start=t(9), end=t(9), night=True, points=3)],
    }


@st.composite
def _calendar(draw: st.DrawFn, days: list[dt.date]) -> CalendarConfig:
    alternative = draw(st.integers(0, 5)) == 0
    year_end = YearEnd(
        enabled=draw(st.integers(0, 4)) > 0,
        end=draw(st.sampled_from(["01-03", "01-03", "01-04"])),
        points_multiplier=draw(st.sampled_from([1.0, 1.5, 2.0])),
    )
    extra = draw(st.lists(st.sampled_from(days), max_size=1, unique=True))
    return CalendarConfig(
        day_start=dt.time(9) if alternative else dt.time(8, 30),
        national_holidays=draw(st.integers(0, 9)) > 0,
        year_end=year_end,
        extra_days=[ExtraDay(date=d, day_type=draw(st.sampled_from(["holiday", "saturday"]))) for d in extra],
        long_run_days=draw(st.integers(2, 4)),
        long_run_multiplier=draw(st.sampled_from([1.0, 1.25, 1.5])),
        blocks=_alternative_blocks() if alternative else default_blocks(),
    )


@st.composite
def _absence(draw: st.DrawFn, days: list[dt.date], zone_offset: int) -> Absence:
    if draw(st.booleans()):
        first = draw(st.sampled_from(days))
        return Absence(start=first, end=first + draw(st.integers(0, 2)) * ONE_DAY, reason="学会")
    aware = draw(st.integers(0, 3)) == 0
    # An aware start keeps an hour's margin before midnight: in summer time its local date stays the same,
    # so the absence stays inside the period (one wholly outside it is refused).
    start = dt.datetime.combine(
        draw(st.sampled_from(days)), dt.time(draw(st.integers(0, 21 if aware else 23)), draw(st.sampled_from([0, 30])))
    )
    end = start + dt.timedelta(hours=draw(st.integers(1, 30)))
    if aware:  # in the zone's standard offset, or the same instant in UTC
        standard = dt.timezone(dt.timedelta(hours=zone_offset))
        start, end = start.replace(tzinfo=standard), end.replace(tzinfo=standard)
        if draw(st.booleans()):
            start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return Absence(start=start, end=end)


@st.composite
def _requests(draw: st.DrawFn, days: list[dt.date], block_ids: list[str]) -> list[Request]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        block = draw(st.one_of(st.none(), st.sampled_from(block_ids)))
        out.append(Request(date=draw(st.sampled_from(days)), block=block, weight=draw(st.sampled_from([0.5, 1, 3]))))
    return out


@st.composite
def _history(draw: st.DrawFn, start: dt.date, zone_offset: int, run_limit: int) -> History:
    """What the previous period left: a last duty end, a run of duty dates (never over ``run_limit``)
    ending one or two days before ``start``, and carried points."""
    if draw(st.integers(0, 2)) > 0:
        return History()
    last = None
    if draw(st.booleans()):
        last = dt.datetime.combine(start, dt.time(0)) + dt.timedelta(hours=draw(st.integers(-30, 12)))
        if draw(st.booleans()):
            last = last.replace(tzinfo=dt.timezone(dt.timedelta(hours=zone_offset)))
    run_end = start - draw(st.integers(1, 2)) * ONE_DAY
    recent = [run_end - k * ONE_DAY for k in range(draw(st.integers(0, run_limit)))]
    points = draw(st.dictionaries(st.sampled_from(CATEGORY_NAMES), st.sampled_from([0.0, 1.0, 2.5, 6.0]), max_size=2))
    return History(last_duty_end=last, recent_duty_dates=sorted(recent), points=points)


@st.composite
def _caps(draw: st.DrawFn) -> Caps:
    if draw(st.integers(0, 3)) > 0:
        return Caps()
    maybe = st.one_of(st.none(), st.integers(1, 3))
    return Caps(
        duties=draw(st.one_of(st.none(), st.integers(2, 4))),
        nights=draw(maybe),
        holiday_duties=draw(maybe),
        consecutive_days=draw(maybe),
        min_rest_hours=draw(st.one_of(st.none(), st.sampled_from([0.0, 6.0, 11.0]))),
    )


@st.composite
def _patients(
    draw: st.DrawFn, clinics: list[Clinic], hospitals: list[Hospital]
) -> tuple[list[PatientGroup], LoadConfig]:
    """Enrolled patients of some clinics, some registered with a hospital; now and then at rates high
    enough (and margins wide enough) for the hospitals' admission limits to bind."""
    if draw(st.integers(0, 2)) == 0:
        return [], LoadConfig()
    count = st.integers(0, 40)
    groups = []
    for clinic in clinics:
        for hospital in draw(st.lists(st.sampled_from([None, *(h.id for h in hospitals)]), max_size=2, unique=True)):
            groups.append(
                PatientGroup(
                    clinic=clinic.id,
                    hospital=hospital,
                    cancer=draw(count),
                    home_oxygen=draw(count),
                    care_level_4_5=draw(count),
                    other=draw(count),
                )
            )
    if draw(st.integers(0, 3)) > 0:
        return groups, LoadConfig()
    heavy = RiskRates(calls=draw(st.sampled_from([3.0, 50.0])), visit_fraction=0.3, admissions=60.0)
    rates = RiskTable(cancer=heavy, home_oxygen=heavy, care_level_4_5=heavy, other=heavy)
    return groups, LoadConfig(rates=rates, capacity_margin=draw(st.sampled_from([0.0, 0.2, 0.5])))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A small valid scenario that the solver can usually cover completely."""
    berlin = draw(st.integers(0, 5)) == 0
    if berlin:
        start = draw(_near(DST_CHANGES, 4, 0))
        timezone, offset = "Europe/Berlin", 1
    else:
        start = draw(period_starts())
        timezone, offset = "Asia/Tokyo", 9
    n_days = draw(st.integers(2, 6))
    period = Period(start=start, end=start + (n_days - 1) * ONE_DAY)
    days = period.dates()
    duty_days = [start - ONE_DAY, *days]  # the evening before the period owns the first night's tail
    calendar = draw(_calendar(days))
    block_ids = [b.id for blocks in calendar.blocks.values() for b in blocks]

    rules = Rules(
        min_rest_hours=draw(st.sampled_from([0.0, 8.0, 8.0, 10.0])),
        min_rest_hours_employed=draw(st.sampled_from([9.0, 11.0])),
        max_consecutive_days=draw(st.sampled_from([1, 2, 2, 3])),
        secondary_other_clinic=draw(st.integers(0, 5)) > 0,
        hospital_assignment=draw(st.sampled_from(["day", "day", "block"])),
        neighbour_help_threshold=draw(st.sampled_from([0.0, 0.5, 1.0, 1.0])),
        weights=Weights(
            requests=draw(st.sampled_from([0.0, 20.0])),
            spacing=draw(st.sampled_from([0.0, 8.0])),
            pairing=draw(st.sampled_from([0.0, 30.0])),
        ),
    )
    n_districts = draw(st.integers(1, 2))
    districts = [
        District(id=f"d{i}", name=["北部", "南部"][i], name_en=["North", "South"][i]) for i in range(n_districts)
    ]
    if n_districts == 2:
        districts[0].neighbours, districts[1].neighbours = ["d1"], ["d0"]
    clinics: list[Clinic] = []
    physicians: list[Physician] = []
    for d in districts:
        n_clinics = draw(st.integers(3, 6 if n_districts == 2 else 5))
        n_doctors = draw(st.integers(max(6, n_clinics), 8)) if n_districts == 2 else draw(st.integers(8, 12))
        mine = [Clinic(id=f"{d.id}c{j}", name=f"{d.name}第{j + 1}クリニック", district=d.id) for j in range(n_clinics)]
        clinics += mine
        for k in range(n_doctors):
            pid = f"{d.id}p{k}"
            role_draw = draw(st.integers(0, 19))
            roles = ["secondary"] if role_draw == 0 else ["primary"] if role_draw == 1 else ["primary", "secondary"]
            covers = None
            if n_districts == 2 and draw(st.integers(0, 6)) == 0:
                covers = ["d0", "d1"]
            caps = draw(_caps())
            run_limit = caps.consecutive_days or rules.max_consecutive_days
            physicians.append(
                Physician(
                    id=pid,
                    name=f"{SURNAMES[len(physicians) % len(SURNAMES)]}{pid}",
                    name_en=f"Dr {pid}" if draw(st.booleans()) else None,
                    clinic=mine[k % n_clinics].id,
                    districts=covers,
                    roles=roles,
                    employment="employed" if draw(st.integers(0, 4)) == 0 else "owner",
                    experienced=draw(st.integers(0, 6)) > 0,
                    share=draw(st.sampled_from([0.5, 1.0, 1.0, 1.0, 1.5])),
                    caps=caps,
                    absences=draw(st.lists(_absence(days, offset), max_size=1 if draw(st.integers(0, 2)) == 0 else 0)),
                    wishes=draw(_requests(duty_days, block_ids)) if draw(st.integers(0, 3)) == 0 else [],
                    unwishes=draw(_requests(duty_days, block_ids)) if draw(st.integers(0, 3)) == 0 else [],
                    history=draw(_history(start, offset, run_limit)),
                )
            )

    # The first hospital takes every district and is rarely closed; the others add closed dates and caps.
    hospitals = []
    for i in range(draw(st.integers(1, 3))):
        served = [d.id for d in districts]
        first = i == 0
        if not first:
            served = draw(st.lists(st.sampled_from(served), min_size=1, unique=True))
        closed = st.lists(st.sampled_from(duty_days), max_size=1 if first and draw(st.integers(0, 4)) == 0 else 0)
        hospitals.append(
            Hospital(
                id=f"h{i}",
                name=f"後方支援病院{i}",
                districts=served,
                capacity_per_day=draw(st.integers(1, 8)),
                closed_dates=draw(closed if first else st.lists(st.sampled_from(duty_days), max_size=2, unique=True)),
                max_standby_days=draw(st.one_of(st.none(), st.integers(n_days + 1 if first else 1, n_days + 1))),
                max_districts=draw(st.one_of(st.none(), st.integers(2 if first else 1, 2))),
            )
        )

    patients, load = draw(_patients(clinics, hospitals))
    scenario = Scenario(
        name=f"random-{start.isoformat()}",
        timezone=timezone,
        period=period,
        calendar=calendar,
        districts=districts,
        clinics=clinics,
        physicians=physicians,
        hospitals=hospitals,
        rules=rules,
        patients=patients,
        load=load,
    )
    # Built from parts, then validated as a whole: the cross-reference checks run once more.
    return Scenario.model_validate(scenario.model_dump())


@st.composite
def scenario_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario as plain JSON data, with a few pins (valid for parsing, not necessarily solvable)."""
    scenario = draw(scenarios())
    block_ids = [b.id for blocks in scenario.calendar.blocks.values() for b in blocks]
    pins: dict[tuple[str, dt.date, str, str], Pin] = {}
    for _ in range(draw(st.integers(0, 2))):
        role = draw(st.sampled_from(["primary", "secondary", "backup_hospital"]))
        people = (
            [h.id for h in scenario.hospitals] if role == "backup_hospital" else [p.id for p in scenario.physicians]
        )
        pin = Pin(
            district=draw(st.sampled_from(scenario.districts)).id,
            date=draw(st.sampled_from(scenario.period.dates())),
            block=draw(st.sampled_from(block_ids)),
            role=role,
            assignee=draw(st.sampled_from(people)),
        )
        pins[(pin.district, pin.date, pin.block, pin.role)] = pin
    scenario.pinned = list(pins.values())
    return scenario.model_dump(mode="json")


# --- garbage ------------------------------------------------------------------------------------
Path = tuple[str | int, ...]

# Values that are wrong almost anywhere: wrong types, impossible dates and times, unknown ids,
# negative and huge numbers, the first and last representable dates, zone-like names, line breaks.
GARBAGE: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.sampled_from([-1, -0.5, 0, 10**12, float("nan"), float("inf"), -float("inf")]),
    st.sampled_from(
        [
            "",
            " ",
            "nope",
            "unknown-id",
            "2027-13-40",
            "2027-02-30",
            "2027-02-29",
            "2026-1-5",
            "25:00",
            "18:61",
            "08:30:15",
            "2027-01-05T25:00",
            "2027-01-05T10:00+25:00",
            "12-32",
            "02-30",
            "primary",
            "backup_hospital",
            "holiday",
            "北部",
            "x" * 70,
            "America",
            "Etc",
            "x" * 300,
            "north\nsouth",
            "0001-01-01",
            "9999-12-31",
        ]
    ),
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=12),
    st.dates(dt.date(2, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.datetimes(dt.datetime(2, 1, 1), dt.datetime(9999, 12, 31)).map(dt.datetime.isoformat),
    st.times().map(dt.time.isoformat),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: Path = ()) -> list[Path]:
    """Every path into a JSON document, the root included."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _get(doc: Any, path: Path) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@dataclass
class Broken:
    """A scenario document broken by ``edits`` (for the report of a failing example)."""

    data: dict[str, Any]
    edits: list[str]


@st.composite
def _edit(draw: st.DrawFn, doc: dict[str, Any]) -> str:
    """Break ``doc`` in place at one random place; return what was done."""
    paths = [p for p in _paths(doc) if p]
    path = draw(st.sampled_from(paths))
    parent, key = _get(doc, path[:-1]), path[-1]
    value = parent[key]
    kind = draw(st.sampled_from(["garbage", "garbage", "delete", "duplicate", "swap", "negate", "overlap"]))
    if kind == "delete":
        del parent[key]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(value))  # duplicate ids, duplicate pins, overlapping blocks
    elif kind == "swap" and isinstance(value, dict) and {"start", "end"} <= value.keys():
        value["start"], value["end"] = value["end"], value["start"]  # end before start
    elif kind == "negate" and isinstance(value, int | float) and not isinstance(value, bool):
        parent[key] = -value - 1
    elif kind == "overlap" and isinstance(value, dict) and {"start", "end", "rostered"} <= value.keys():
        value["end"] = draw(st.sampled_from(["23:59", "00:00", value["start"]]))
    else:
        kind = "garbage"
        parent[key] = draw(GARBAGE)
    return f"{kind} at {path!r} (was {value!r})"


@st.composite
def broken_scenario_dicts(draw: st.DrawFn) -> Broken:
    """A valid scenario document broken in one to three places (the result may happen to be valid)."""
    doc = draw(scenario_dicts())
    edits = [draw(_edit(doc)) for _ in range(draw(st.integers(1, 3)))]
    return Broken(doc, edits)
