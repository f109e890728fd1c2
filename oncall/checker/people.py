"""The rules of people: absence, districts and roles, one duty at a time, partners from other clinics."""

from __future__ import annotations

from oncall.checker.context import Context, assignee
from oncall.checker.report import Violation
from oncall.geo import distance_km
from oncall.model import ROLES
from oncall.timeline import Duty, absence_interval

__all__ = [
    "CHECKS",
    "absence",
    "eligibility",
    "mentor",
    "never_pair",
    "one_duty_at_a_time",
    "secondary_other_clinic",
    "visit_distance",
]


def absence(c: Context) -> list[Violation]:
    """A doctor is never on duty during a declared absence (a duty overlapping one by any amount)."""
    out: list[Violation] = []
    for pid, held in c.held.items():
        p = c.physicians[pid]
        for a in c.s.absences_of(p):  # recurring patterns too
            a_start, a_end = absence_interval(a, c.s.zone)
            for h in held.values():
                if h.duty.start < a_end and a_start < h.duty.end:
                    out.append(
                        c.v(
                            "absence",
                            h.duty.id,
                            (pid,),
                            "check.absence.absent",
                            where=c.where(h.duty),
                            who=c.who(pid),
                            absence=c.absence_text(a),
                            role=c.roles(h.roles),
                        )
                    )
    return out


def eligibility(c: Context) -> list[Violation]:
    """A doctor only takes duties in districts they cover and in roles they accept (and the block has)."""
    out: list[Violation] = []
    for duty, rd in c.matched:
        where = c.where(duty)
        for role in ROLES:
            pid = assignee(rd, role)
            if pid is None:
                continue
            p = c.physicians.get(pid)
            if p is None:
                out.append(
                    c.v(
                        "eligibility",
                        duty.id,
                        (pid,),
                        "check.eligibility.unknown_physician",
                        where=where,
                        role=c.role(role),
                        id=pid,
                    )
                )
                continue
            code = "block_role" if role not in duty.roles else "role" if role not in p.roles else None
            if code is not None:
                out.append(
                    c.v(
                        "eligibility",
                        duty.id,
                        (pid,),
                        f"check.eligibility.{code}",
                        where=where,
                        role=c.role(role),
                        who=c.who(pid),
                    )
                )
    for pid, held in c.held.items():
        covered = c.s.districts_of(c.physicians[pid])
        for h in held.values():
            # A shared role serves its group's districts: covering one of them is enough.
            if not any(x.district in covered for r in h.roles for x in c.tl.sharing(h.duty, r)):
                out.append(
                    c.v(
                        "eligibility",
                        h.duty.id,
                        (pid,),
                        "check.eligibility.district",
                        where=c.where(h.duty),
                        who=c.who(pid),
                    )
                )
    return out


def _points(c: Context, district: str) -> list[tuple[float, float]]:
    """Where the district is measured from: its centre when given, else each of its clinics with coordinates."""
    d = c.districts.get(district)
    if d is not None and d.lat is not None and d.lon is not None:
        return [(d.lat, d.lon)]
    return [(x.lat, x.lon) for x in c.s.clinics if x.district == district and x.lat is not None and x.lon is not None]


def visit_distance(c: Context) -> list[Violation]:
    """A doctor covers a district only if its centre, or else some clinic of it, lies within the visit distance
    of their clinic."""
    limit = c.s.rules.max_visit_km
    if limit is None:
        return []
    clinics = {x.id: x for x in c.s.clinics}
    out: list[Violation] = []
    for pid, held in c.held.items():
        home = clinics.get(c.physicians[pid].clinic)
        if home is None or home.lat is None or home.lon is None:
            continue  # no coordinates: the rule is off for this doctor
        for h in held.values():
            points = _points(c, h.duty.district)
            if not points:
                continue
            km = min(distance_km(home.lat, home.lon, lat, lon) for lat, lon in points)
            if km > limit:
                where, who = c.where(h.duty), c.who(pid)
                kw = {"where": where, "who": who, "km": f"{km:.1f}", "limit": f"{limit:g}"}
                out.append(c.v("visit_distance", h.duty.id, (pid,), "check.visit_distance.too_far", **kw))
    return out


def one_duty_at_a_time(c: Context) -> list[Violation]:
    """A doctor holds one duty at a time (in any districts); primary and secondary are different people."""
    out: list[Violation] = []
    for pid, held in c.held.items():
        hs = list(held.values())  # in time order, as the timeline
        for h in hs:
            if len(h.roles) > 1:
                out.append(
                    c.v(
                        "one_duty_at_a_time",
                        h.duty.id,
                        (pid,),
                        "check.one_duty_at_a_time.same_person",
                        where=c.where(h.duty),
                        who=c.who(pid),
                    )
                )
        for i, first in enumerate(hs):
            for later in hs[i + 1 :]:
                if later.duty.start >= first.duty.end:
                    break
                out.append(
                    c.v(
                        "one_duty_at_a_time",
                        later.duty.id,
                        (pid,),
                        "check.one_duty_at_a_time.double_booked",
                        where=c.where(later.duty),
                        who=c.who(pid),
                        other=c.where(first.duty),
                    )
                )
    return out


def secondary_other_clinic(c: Context) -> list[Violation]:
    """When the rule is on, primary and secondary of a duty come from different clinics."""
    if not c.s.rules.secondary_other_clinic:
        return []
    out: list[Violation] = []
    clinic_names = {cl.id: cl.name for cl in c.s.clinics}
    for duty, rd in c.matched:
        a, b = c.physicians.get(rd.primary or ""), c.physicians.get(rd.secondary or "")
        if a is None or b is None or a.id == b.id or a.clinic != b.clinic:
            continue
        out.append(
            c.v(
                "secondary_other_clinic",
                duty.id,
                (a.id, b.id),
                "check.secondary_other_clinic.same_clinic",
                where=c.where(duty),
                a=c.who(a.id),
                b=c.who(b.id),
                clinic=clinic_names.get(a.clinic, a.clinic),
            )
        )
    return out


def _pairs(c: Context) -> list[tuple[Duty, str, str]]:
    """Every duty held by two different known people: (duty, primary, secondary)."""
    out: list[tuple[Duty, str, str]] = []
    for duty, rd in c.matched:
        if rd.primary in c.physicians and rd.secondary in c.physicians and rd.primary != rd.secondary:
            assert rd.primary is not None and rd.secondary is not None
            out.append((duty, rd.primary, rd.secondary))
    return out


def mentor(c: Context) -> list[Violation]:
    """A doctor with named mentors shares a duty only with one of them."""
    out: list[Violation] = []
    for duty, a, b in _pairs(c):
        for who, partner in ((a, b), (b, a)):
            mentors = c.physicians[who].mentors
            if mentors and partner not in mentors:
                names = c.listed(c.who(m) for m in mentors)
                kw = {"where": c.where(duty), "who": c.who(who), "partner": c.who(partner), "mentors": names}
                out.append(c.v("mentor", duty.id, (who, partner), "check.mentor.other_partner", **kw))
    return out


def never_pair(c: Context) -> list[Violation]:
    """Two doctors who must never be paired never share a duty."""
    out: list[Violation] = []
    for duty, a, b in _pairs(c):
        if b in c.physicians[a].never_with or a in c.physicians[b].never_with:
            kw = {"where": c.where(duty), "a": c.who(a), "b": c.who(b)}
            out.append(c.v("never_pair", duty.id, (a, b), "check.never_pair.together", **kw))
    return out


CHECKS = {
    "absence": absence,
    "eligibility": eligibility,
    "visit_distance": visit_distance,
    "one_duty_at_a_time": one_duty_at_a_time,
    "secondary_other_clinic": secondary_other_clinic,
    "mentor": mentor,
    "never_pair": never_pair,
}
