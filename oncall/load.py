"""The load model: expected calls, visits and admissions that enrolled patients bring to the roster.

Pure functions of the scenario (and, for hospital loads, of who stands by when); no I/O. The rates
and the reasoning behind them are in docs/load.md. In short:

- A district's patients are the patients of the clinics in it. Over the period they are expected to
  make ``n × rate / 100 × months`` calls, of which ``visit_fraction`` need a visit, and to need
  ``n × admissions / 100 × months`` emergency admissions (``months`` = period dates / 30.44).
- Those period totals are spread over the district's rostered duties in proportion to
  ``hours × factor`` (``night_factor`` for night blocks, ``day_factor`` for the others): a 24-hour
  holiday carries more than a weekday night.
- A duty's visits are made by the primary, except ``secondary_visit_share`` of them by the secondary.
- Admissions of patients registered with a backup hospital go to that hospital, evenly over the
  period's dates. Admissions of unregistered patients follow the calls: each duty's share goes to the
  hospital standing by for that duty, and counts on the duty's date (a night counts on its evening).
- On a date their hospital is closed, registered patients are admitted where unregistered ones are:
  their admissions of that date go to the hospital standing by for their clinic's district, spread over
  the district's duties of that date like the calls (``Rerouted``). Where no hospital could stand by for
  that district that date, ``admission_overloads`` names the date.
- A hospital's expected admissions on a date stay within ``capacity_per_day × (1 − capacity_margin)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from oncall.model import RISK_CLASSES, Role, Scenario
from oncall.timeline import Duty, Timeline

__all__ = [
    "DAYS_PER_MONTH",
    "DutyLoad",
    "HospitalDay",
    "LoadModel",
    "Overload",
    "Rerouted",
    "admission_overloads",
    "expected_load",
    "hospital_days",
]

DAYS_PER_MONTH = 365.25 / 12  # the field quotes rates "per month"


@dataclass(frozen=True)
class DutyLoad:
    """What one duty is expected to bring."""

    calls: float
    visits: float
    # Admissions that go to the duty's standby hospital: of unregistered patients, and of registered ones
    # whose hospital is closed that date (``rerouted``, a part of ``admissions``).
    admissions: float
    rerouted: float = 0.0


@dataclass(frozen=True)
class Rerouted:
    """Expected admissions of patients registered with a hospital, on a date it is closed, from one district:
    they go to the hospital standing by for the district that date, through the district's duties of the
    date (none when the district has no duty that date)."""

    hospital: str
    day: dt.date
    district: str
    admissions: float
    duties: tuple[str, ...]


@dataclass(frozen=True)
class Overload:
    """Expected admissions on a date that the hospitals able to take them cannot absorb, whatever the roster.

    ``districts`` is empty when a hospital's registered patients alone pass its limit.
    """

    day: dt.date
    hospitals: tuple[str, ...]  # the hospitals that could take them: open that date and serving the districts
    districts: tuple[str, ...]  # districts whose unregistered patients' admissions must go to those hospitals
    expected: float  # those admissions plus the hospitals' registered patients' admissions
    registered: float  # the registered part
    limit: float  # the hospitals' limits added up
    # With no ``hospitals``: the hospital whose registered patients of ``districts`` nobody can admit on
    # ``day``, a date it is closed (their district has no duty that date, or no hospital open to take it).
    closed: str | None = None


@dataclass(frozen=True)
class HospitalDay:
    """A hospital's expected admissions on one date."""

    hospital: str
    day: dt.date
    registered: float
    from_standby: float
    districts: tuple[str, ...]  # districts it stands by for that date

    @property
    def expected(self) -> float:
        """All expected admissions of the date."""
        return self.registered + self.from_standby


@dataclass(frozen=True)
class LoadModel:
    """Expected load per duty, per district and per hospital for one scenario and period."""

    duties: dict[str, DutyLoad]  # by duty id
    patients: dict[str, int]  # enrolled patients per district
    registered: dict[str, float]  # expected admissions a date from registered patients, per hospital
    limit: dict[str, float]  # capacity_per_day × (1 − margin), per hospital
    period_dates: frozenset[dt.date]
    secondary_visit_share: float
    closed: Mapping[str, frozenset[dt.date]] = field(default_factory=dict)  # closed dates, per hospital
    limit_override: Mapping[tuple[str, dt.date], float] = field(default_factory=dict)  # capacity_overrides
    rerouted: tuple[Rerouted, ...] = ()  # registered patients' admissions on their hospital's closed dates
    # (lead duty id, role) -> the duties a shared role serves with its lead: their visits are the holder's
    shared: Mapping[tuple[str, Role], tuple[str, ...]] = field(default_factory=dict)

    def role_visits(self, duty_id: str, role: Role) -> float:
        """Expected visits the holder of ``role`` makes on the duty (on every duty of the group, when the role is
        shared and ``duty_id`` is the group's lead)."""
        visits = sum(self.duties[k].visits for k in self.shared.get((duty_id, role), (duty_id,)))
        share = self.secondary_visit_share
        return visits * (share if role == "secondary" else 1.0 - share)

    def limit_on(self, hospital: str, day: dt.date) -> float:
        """The hospital's admission limit on ``day``: its capacity that date (``capacity_overrides``) less the
        margin."""
        return self.limit_override.get((hospital, day), self.limit[hospital])

    def registered_on(self, hospital: str, day: dt.date) -> float:
        """Expected admissions of registered patients on ``day`` (nothing outside the period, nor on a date
        the hospital is closed: those go to the hospital standing by, see ``rerouted``)."""
        if day not in self.period_dates or day in self.closed.get(hospital, ()):
            return 0.0
        return self.registered.get(hospital, 0.0)

    @property
    def any_admissions(self) -> bool:
        """Whether the scenario's patients bring any admission at all."""
        return any(self.registered.values()) or any(d.admissions for d in self.duties.values())


def _weight(scenario: Scenario, duty: Duty) -> float:
    factor = scenario.load.night_factor if duty.night else scenario.load.day_factor
    return duty.slot.hours * factor


def expected_load(scenario: Scenario, timeline: Timeline) -> LoadModel:
    """The expected load of every duty and the registered admissions of every hospital.

    >>> from oncall.model import Clinic, District, PatientGroup, Period, Physician, Scenario
    >>> s = Scenario(name="x", period=Period(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 4)),
    ...     districts=[District(id="d", name="d")], clinics=[Clinic(id="c", name="c", district="d")],
    ...     physicians=[Physician(id="p", name="p", clinic="c")], patients=[PatientGroup(clinic="c", other=300)])
    >>> load = expected_load(s, Timeline.build(s))
    >>> round(sum(d.calls for d in load.duties.values()), 4)  # 300 × 20 / 100 × 1 / 30.44 days
    1.9713
    >>> round(sum(d.visits for d in load.duties.values()), 4)  # 15% of the calls need a visit
    0.2957
    """
    rates = scenario.load.rates
    months = len(scenario.period.dates()) / DAYS_PER_MONTH
    clinic_district = {c.id: c.district for c in scenario.clinics}
    patients: dict[str, int] = dict.fromkeys((d.id for d in scenario.districts), 0)
    calls: dict[str, float] = defaultdict(float)
    visits: dict[str, float] = defaultdict(float)
    admissions: dict[str, float] = defaultdict(float)  # unregistered, per district, over the period
    registered: dict[str, float] = dict.fromkeys((h.id for h in scenario.hospitals), 0.0)
    for g in scenario.patients:
        district = clinic_district[g.clinic]
        patients[district] += g.total
        for risk in RISK_CLASSES:
            n, r = g.count(risk), rates.of(risk)
            calls[district] += n * r.calls / 100 * months
            visits[district] += n * r.calls * r.visit_fraction / 100 * months
            if g.hospital is None:
                admissions[district] += n * r.admissions / 100 * months
            else:
                registered[g.hospital] += n * r.admissions / 100 / DAYS_PER_MONTH
    total_weight: dict[str, float] = defaultdict(float)
    for duty in timeline.duties:
        total_weight[duty.district] += _weight(scenario, duty)
    duties: dict[str, DutyLoad] = {}
    for duty in timeline.duties:
        whole = total_weight[duty.district]
        part = _weight(scenario, duty) / whole if whole > 0 else 0.0
        k = duty.district
        duties[duty.id] = DutyLoad(calls=calls[k] * part, visits=visits[k] * part, admissions=admissions[k] * part)
    margin = scenario.load.capacity_margin
    duties, rerouted = _reroute(scenario, timeline, duties)
    return LoadModel(
        duties=duties,
        patients=patients,
        registered=registered,
        limit={h.id: h.capacity_per_day * (1 - margin) for h in scenario.hospitals},
        period_dates=frozenset(scenario.period.dates()),
        secondary_visit_share=scenario.load.secondary_visit_share,
        closed={h.id: frozenset(h.closed_dates) for h in scenario.hospitals},
        rerouted=rerouted,
        shared={
            (d.id, r): tuple(x.id for x in timeline.sharing(d, r))
            for d in timeline.duties
            for r, lead in d.leads
            if lead == d.id
        },
        limit_override={
            (h.id, day): h.capacity_on(day) * (1 - margin)
            for h in scenario.hospitals
            if h.capacity_overrides
            for day in {d.day for d in timeline.duties}
            if h.capacity_on(day) != h.capacity_per_day
        },
    )


def _registered_daily(scenario: Scenario) -> dict[tuple[str, str], float]:
    """Expected admissions a date of the patients registered with each hospital, per (hospital, district)."""
    rates = scenario.load.rates
    district = {c.id: c.district for c in scenario.clinics}
    out: dict[tuple[str, str], float] = defaultdict(float)
    for g in scenario.patients:
        if g.hospital is not None:
            per_100 = sum(g.count(risk) * rates.of(risk).admissions for risk in RISK_CLASSES)
            out[(g.hospital, district[g.clinic])] += per_100 / 100 / DAYS_PER_MONTH
    return out


def _reroute(
    scenario: Scenario, timeline: Timeline, duties: dict[str, DutyLoad]
) -> tuple[dict[str, DutyLoad], tuple[Rerouted, ...]]:
    """``duties`` with the admissions of registered patients on their hospital's closed dates added to the
    duties of their district and date, in proportion to the duties' call weight; and those reroutings."""
    closed = {h.id: set(h.closed_dates) & set(scenario.period.dates()) for h in scenario.hospitals}
    by_date: dict[tuple[str, dt.date], list[Duty]] = defaultdict(list)
    for duty in timeline.duties:
        by_date[(duty.district, duty.day)].append(duty)
    out = dict(duties)
    rerouted: list[Rerouted] = []
    for (hid, district), amount in sorted(_registered_daily(scenario).items()):
        for day in sorted(closed[hid]):
            carriers = by_date.get((district, day), [])
            weights = [_weight(scenario, d) for d in carriers]
            total = sum(weights)
            for duty, w in zip(carriers, weights, strict=True):
                part = amount * (w / total if total > 0 else 1 / len(carriers))
                was = out[duty.id]
                out[duty.id] = replace(was, admissions=was.admissions + part, rerouted=was.rerouted + part)
            if amount > 0:
                rerouted.append(Rerouted(hid, day, district, amount, tuple(d.id for d in carriers)))
    return out, tuple(rerouted)


def hospital_days(
    scenario: Scenario, timeline: Timeline, standby: Mapping[str, str | None], load: LoadModel | None = None
) -> list[HospitalDay]:
    """Every hospital's expected admissions on every date of the period, and on any other date a duty
    it stands by for belongs to (``standby`` maps duty ids to hospital ids; unknown ids are ignored)."""
    load = load or expected_load(scenario, timeline)
    known = {h.id for h in scenario.hospitals}
    from_standby: dict[tuple[str, dt.date], float] = defaultdict(float)
    districts: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    for duty in timeline.duties:
        hid = standby.get(duty.id)
        if hid is None or hid not in known:
            continue
        from_standby[(hid, duty.day)] += load.duties[duty.id].admissions
        districts[(hid, duty.day)].add(duty.district)
    days = sorted(load.period_dates | {day for _, day in from_standby})
    return [
        HospitalDay(
            hospital=h.id,
            day=day,
            registered=load.registered_on(h.id, day),
            from_standby=from_standby.get((h.id, day), 0.0),
            districts=tuple(sorted(districts.get((h.id, day), set()))),
        )
        for h in scenario.hospitals
        for day in days
    ]


def admission_overloads(scenario: Scenario, timeline: Timeline, load: LoadModel | None = None) -> list[Overload]:
    """Dates on which no roster can keep every hospital within its admission limit.

    Two checks, each a relaxation of the hard rule (so a hit proves the rule cannot hold, or leaves a
    hospital gap): a hospital whose registered patients alone pass its limit; and, per date and per set
    of hospitals, the units (district-dates, or duties when hospitals are assigned per block) that only
    those hospitals could take bring more admissions than those hospitals' limits less their registered
    patients' admissions. Besides, the dates a hospital is closed on which no hospital can admit its
    registered patients (``Overload.closed``). Sorted by date.
    """
    load = load or expected_load(scenario, timeline)
    out: list[Overload] = []
    for h in scenario.hospitals:
        for day in sorted(load.period_dates):
            expected = load.registered_on(h.id, day)
            if expected > load.limit_on(h.id, day) + 1e-9:
                out.append(Overload(day, (h.id,), (), expected, expected, load.limit_on(h.id, day)))
    alone = {o.hospitals[0] for o in out}
    per_day = scenario.rules.hospital_assignment == "day"
    units: dict[tuple[str, dt.date], list[Duty]] = defaultdict(list)
    for duty in timeline.duties:
        units[(duty.district, duty.day) if per_day else (duty.id, duty.day)].append(duty)
    by_day: dict[dt.date, list[tuple[frozenset[str], str, float]]] = defaultdict(list)
    for (_, day), duties in units.items():
        district = duties[0].district
        able = frozenset(h.id for h in scenario.hospitals if district in h.districts and day not in h.closed_dates)
        amount = sum(load.duties[d.id].admissions for d in duties)
        if able and amount > 0:
            by_day[day].append((able, district, amount))
    for day in sorted(by_day):
        groups = {able for able, _, _ in by_day[day]}
        groups.add(frozenset().union(*groups))
        for group in sorted(groups, key=sorted):
            if group & alone:
                continue  # reported above, on every date
            inside = [(district, amount) for able, district, amount in by_day[day] if able <= group]
            registered = sum(load.registered_on(h, day) for h in group)
            expected = sum(a for _, a in inside) + registered
            limit = sum(load.limit_on(h, day) for h in group)
            if expected > limit + 1e-9:
                districts = tuple(sorted({d for d, _ in inside}))
                out.append(Overload(day, tuple(sorted(group)), districts, expected, registered, limit))
    out += _stranded(scenario, load)
    out.sort(key=lambda o: (o.day, o.hospitals))
    return out


def _stranded(scenario: Scenario, load: LoadModel) -> list[Overload]:
    """Registered patients' admissions on a date their hospital is closed that no hospital can receive."""
    out = []
    for r in load.rerouted:
        open_ = [h for h in scenario.hospitals if r.district in h.districts and r.day not in h.closed_dates]
        if not r.duties or not open_:
            out.append(Overload(r.day, (), (r.district,), r.admissions, r.admissions, 0.0, closed=r.hospital))
    return out
