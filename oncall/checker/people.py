"""The rules of people: absence, districts and roles, one duty at a time, partners from other clinics."""

from __future__ import annotations

from oncall.checker.context import Context, assignee
from oncall.checker.report import Violation
from oncall.model import ROLES
from oncall.timeline import absence_interval

__all__ = ["CHECKS", "absence", "eligibility", "one_duty_at_a_time", "secondary_other_clinic"]


def absence(c: Context) -> list[Violation]:
    """A doctor is never on duty during a declared absence (a duty overlapping one by any amount)."""
    out: list[Violation] = []
    for pid, held in c.held.items():
        p = c.physicians[pid]
        for a in p.absences:
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


CHECKS = {
    "absence": absence,
    "eligibility": eligibility,
    "one_duty_at_a_time": one_duty_at_a_time,
    "secondary_other_clinic": secondary_other_clinic,
}
