"""What one physician or one hospital sees of the published rosters: their own duties, standby days and
expected admissions, and the scenarios in which a physician may still enter requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oncall.i18n import as_lang, text
from oncall.load import expected_load, hospital_days
from oncall.model import Physician, Scenario
from oncall.roster import GapRole, Roster
from oncall.storage import ScenarioRecord, Store
from oncall.timeline import Timeline

__all__ = [
    "HospitalMonth",
    "MyDuty",
    "Published",
    "hospital_month",
    "month_span",
    "physician_duties",
    "physician_scenarios",
    "published_rosters",
    "trade_offers",
]


@dataclass(frozen=True)
class Published:
    """A scenario's published roster, with the scenario version it was made for."""

    record: ScenarioRecord
    revision_id: int
    scenario: Scenario
    roster: Roster


@dataclass(frozen=True)
class MyDuty:
    """One role a physician holds on one duty, with who holds the other role."""

    scenario_id: int
    duty: str
    role: GapRole
    start: dt.datetime  # in the scenario's zone
    end: dt.datetime
    district: str
    block: str
    partner: str | None  # the other role's holder's name
    hospital: str | None


def month_span(month: dt.date, months: int = 1) -> tuple[dt.date, dt.date]:
    """The first and last date of ``months`` months from ``month``'s first.

    >>> month_span(dt.date(2026, 12, 7), 2)
    (datetime.date(2026, 12, 1), datetime.date(2027, 1, 31))
    """
    first = month.replace(day=1)
    index = first.year * 12 + first.month - 1 + months
    after = dt.date(index // 12, index % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def published_rosters(store: Store, first: dt.date, last: dt.date) -> list[Published]:
    """The published rosters whose periods overlap ``first``..``last``, oldest period first."""
    out = []
    for record in store.list_scenarios(500):
        if record.published_revision_id is None or record.period_end < first or record.period_start > last:
            continue
        revision, text = store.get_roster(record.published_revision_id)
        _, scenario = store.get_document(record.id, revision.scenario_version)
        out.append(Published(record, revision.id, scenario, Roster.model_validate_json(text)))
    return sorted(out, key=lambda p: (p.record.period_start, p.record.id))


def _name(scenario: Scenario, pid: str | None, lang: str) -> str | None:
    if pid is None:
        return None
    for p in scenario.physicians:
        if p.id == pid:
            return p.name_en if lang == "en" and p.name_en else p.name
    for h in scenario.hospitals:
        if h.id == pid:
            return h.name_en if lang == "en" and h.name_en else h.name
    return pid


def physician_duties(published: list[Published], physician_id: str, lang: str = "ja") -> list[MyDuty]:
    """Every role ``physician_id`` holds in ``published``, in time order."""
    out = []
    for p in published:
        zone = p.scenario.zone
        districts = {d.id: (d.name_en if lang == "en" and d.name_en else d.name) for d in p.scenario.districts}
        blocks = {b.id: b for b in p.scenario.block_templates()}
        for d in p.roster.duties:
            pairs: tuple[tuple[GapRole, str | None], ...] = (("primary", d.secondary), ("secondary", d.primary))
            for role, other in pairs:
                if getattr(d, role) != physician_id:
                    continue
                block = blocks.get(d.block)
                label = (block.name_en if lang == "en" and block.name_en else block.name) if block else d.block
                out.append(
                    MyDuty(
                        scenario_id=p.record.id,
                        duty=d.id,
                        role=role,
                        start=d.start.astimezone(zone),
                        end=d.end.astimezone(zone),
                        district=districts.get(d.district, d.district),
                        block=label,
                        partner=_name(p.scenario, other, lang),
                        hospital=_name(p.scenario, d.backup_hospital, lang),
                    )
                )
    return sorted(out, key=lambda m: m.start)


def trade_offers(
    published: Published, physician_id: str, first: dt.date, last: dt.date, lang: str = "ja"
) -> list[tuple[str, str]]:
    """The colleagues' roles between ``first`` and ``last`` a physician could offer to trade for:
    (``duty|role|holder``, a label with date, block, district, role and name), in time order."""
    zone = published.scenario.zone
    names = {p.id: (p.name_en if lang == "en" and p.name_en else p.name) for p in published.scenario.physicians}
    districts = {d.id: (d.name_en if lang == "en" and d.name_en else d.name) for d in published.scenario.districts}
    out = []
    for d in sorted(published.roster.duties, key=lambda d: d.start):
        local = d.start.astimezone(zone)
        if not first <= local.date() <= last or physician_id in (d.primary, d.secondary):
            continue
        for role in ("primary", "secondary"):
            holder = getattr(d, role)
            if holder:
                word = text(f"personal.role.{role}", as_lang(lang))
                label = (
                    f"{local:%m/%d %H:%M} {districts.get(d.district, d.district)} {word}: {names.get(holder, holder)}"
                )
                out.append((f"{d.id}|{role}|{holder}", label))
    return out


def physician_scenarios(store: Store, physician_id: str) -> list[tuple[ScenarioRecord, Scenario, Physician]]:
    """The scenarios (newest version) that name the physician, newest period first."""
    out = []
    for record in store.list_scenarios(500):
        _, scenario = store.get_document(record.id)
        found = next((p for p in scenario.physicians if p.id == physician_id), None)
        if found is not None:
            out.append((record, scenario, found))
    return sorted(out, key=lambda x: x[0].period_start, reverse=True)


@dataclass(frozen=True)
class HospitalMonth:
    """A hospital's standby days and expected admissions per date, against its capacity."""

    name: str
    districts: tuple[str, ...]
    capacity: float  # the daily admission limit (capacity × (1 − margin))
    days: tuple[tuple[dt.date, float, tuple[str, ...]], ...]  # (date, expected admissions, districts stood by for)


def hospital_month(
    published: list[Published], hospital_id: str, first: dt.date, last: dt.date, lang: str
) -> HospitalMonth | None:
    """The hospital's dates between ``first`` and ``last`` from the published rosters (None: not in them)."""
    found: HospitalMonth | None = None
    days: dict[dt.date, tuple[float, tuple[str, ...]]] = {}
    for p in published:
        hospital = next((h for h in p.scenario.hospitals if h.id == hospital_id), None)
        if hospital is None:
            continue
        timeline = Timeline.build(p.scenario)
        load = expected_load(p.scenario, timeline)
        standby = {d.id: d.backup_hospital for d in p.roster.duties}
        names = {d.id: (d.name_en if lang == "en" and d.name_en else d.name) for d in p.scenario.districts}
        for day in hospital_days(p.scenario, timeline, standby, load):
            if day.hospital == hospital_id and first <= day.day <= last:
                days[day.day] = (day.expected, tuple(names.get(x, x) for x in day.districts))
        served = tuple(names.get(x, x) for x in hospital.districts)
        name = hospital.name_en if lang == "en" and hospital.name_en else hospital.name
        found = HospitalMonth(name, served, load.limit[hospital_id], ())
    if found is None:
        return None
    ordered = tuple((day, value, where) for day, (value, where) in sorted(days.items()))
    return HospitalMonth(found.name, found.districts, found.capacity, ordered)
