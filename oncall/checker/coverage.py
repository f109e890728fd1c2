"""Coverage and tiling: every role of every duty is held, and duties and regular hours tile the period.

The ``tiling`` check also reads the document itself: the roster belongs to this scenario and period,
its duty list is the period's, each once and as laid out, and its list of gaps agrees with its duties.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from oncall.checker.context import Context, assignee
from oncall.checker.report import Violation
from oncall.roster import GapRole

__all__ = ["CHECKS", "coverage", "shared_role", "tiling"]


@dataclass(frozen=True)
class _Piece:
    """An interval that must tile a district's period: a duty or regular hours."""

    start: dt.datetime
    end: dt.datetime
    what: Any  # a kept text (oncall.i18n.render)
    # A missing duty stands in its place so its hole is reported once, as the missing duty.
    placeholder: bool = False


def coverage(c: Context) -> list[Violation]:
    """Every block of every district has the roles the district asks for there and a backup hospital."""
    out: list[Violation] = []
    for duty, rd in c.matched:
        needed: list[GapRole] = [*duty.roles, "backup_hospital"]
        for role in needed:
            if assignee(rd, role) is None:
                out.append(c.v("coverage", duty.id, (), "check.coverage.gap", where=c.where(duty), role=c.role(role)))
    return out


def tiling(c: Context) -> list[Violation]:
    """For every district, duties and regular hours tile the period with no hole and no overlap."""
    return [*_document(c), *_duty_list(c), *_pieces(c)]


def _document(c: Context) -> list[Violation]:
    """The roster belongs to this scenario and this period."""
    out: list[Violation] = []
    r, s = c.roster, c.s
    if r.scenario != s.name:
        out.append(c.v("tiling", None, (), "check.tiling.scenario_name", got=r.scenario, want=s.name))
    if r.timezone != s.timezone:
        out.append(c.v("tiling", None, (), "check.tiling.timezone", got=r.timezone, want=s.timezone))
    if r.period.start != c.tl.start or r.period.end != c.tl.end:
        got, want = c.span(r.period.start, r.period.end), c.span(c.tl.start, c.tl.end)
        out.append(c.v("tiling", None, (), "check.tiling.period", got=got, want=want))
    for gap in r.gaps:  # the list of gaps says what the duties say
        rd = c.roster_duty.get(gap.duty)
        if rd is None:
            out.append(c.v("tiling", gap.duty, (), "check.tiling.gap_unknown_duty", id=gap.duty))
            continue
        holder = assignee(rd, gap.role)
        if holder is not None:
            duty = c.tl.by_id.get(rd.id)
            where = c.where(duty) if duty else c.where_roster(rd)
            who = c.who(holder) if gap.role != "backup_hospital" else c.hospital(holder)
            role = c.role(gap.role)
            out.append(c.v("tiling", gap.duty, (holder,), "check.tiling.gap_filled", where=where, role=role, who=who))
    return out


def _duty_list(c: Context) -> list[Violation]:
    """The roster's duties are exactly the duties of the period, each once and as laid out."""
    out: list[Violation] = []
    for did, n in c.id_counts.items():
        if n > 1:
            duty = c.tl.by_id.get(did)
            where = c.where(duty) if duty else c.where_roster(c.roster_duty[did])
            out.append(c.v("tiling", did, (), "check.tiling.duplicate_duty", where=where, id=did, n=n))
    for rd in c.roster_duty.values():
        if rd.district not in c.districts:
            out.append(c.v("tiling", rd.id, (), "check.tiling.unknown_district", id=rd.id, district=rd.district))
        if rd.block not in c.blocks:
            out.append(c.v("tiling", rd.id, (), "check.tiling.unknown_block", id=rd.id, block=rd.block))
        duty = c.tl.by_id.get(rd.id)
        if duty is None:
            out.append(c.v("tiling", rd.id, (), "check.tiling.unknown_duty", where=c.where_roster(rd), id=rd.id))
            continue
        fields: list[tuple[str, str, str]] = []
        if rd.district != duty.district:
            fields.append(("district", rd.district, duty.district))
        if rd.block != duty.block.id:
            fields.append(("block", rd.block, duty.block.id))
        if rd.start != duty.start:
            fields.append(("start", c.at(rd.start), c.at(duty.start)))
        if rd.end != duty.end:
            fields.append(("end", c.at(rd.end), c.at(duty.end)))
        for name, got, want in fields:
            out.append(
                c.v(
                    "tiling",
                    rd.id,
                    (),
                    "check.tiling.duty_field",
                    where=c.where(duty),
                    id=rd.id,
                    field=name,
                    got=got,
                    want=want,
                )
            )
    for duty in c.tl.duties:
        if duty.id not in c.roster_duty:
            out.append(c.v("tiling", duty.id, (), "check.tiling.missing_duty", where=c.where(duty), id=duty.id))
    return out


def _pieces(c: Context) -> list[Violation]:
    """Per district, duties and regular hours tile the period with no hole and no overlap."""
    out: list[Violation] = []
    pieces: dict[str, list[_Piece]] = defaultdict(list)
    for rd in c.roster_duty.values():
        duty = c.tl.by_id.get(rd.id)
        what = c.where(duty) if duty else rd.id
        pieces[rd.district].append(_Piece(rd.start, rd.end, what))
    for rh in c.roster.regular_hours:
        span = c.span(rh.start, rh.end)
        if rh.district not in c.districts:
            out.append(c.v("tiling", None, (), "check.tiling.regular_district", span=span, district=rh.district))
        pieces[rh.district].append(_Piece(rh.start, rh.end, c.say("check.word.regular", span=span)))
    for duty in c.tl.duties:
        if duty.id not in c.roster_duty:
            pieces[duty.district].append(_Piece(duty.start, duty.end, duty.id, placeholder=True))
    for did in c.districts:
        out += _tile(c, did, pieces[did])
    return out


def _tile(c: Context, did: str, pieces: list[_Piece]) -> list[Violation]:
    out: list[Violation] = []
    district = c.district(did)
    start, end = c.tl.start, c.tl.end
    cursor, last = start, None
    for p in sorted(pieces, key=lambda p: (p.start, p.end)):
        if p.end <= p.start:
            out.append(c.v("tiling", None, (), "check.tiling.empty_interval", district=district, what=p.what))
            continue
        if p.start < start or p.end > end:
            out.append(c.v("tiling", None, (), "check.tiling.outside_period", district=district, what=p.what))
            p = _Piece(max(p.start, start), min(p.end, end), p.what, p.placeholder)
            if p.end <= p.start:
                continue
        if p.start > cursor:
            out.append(c.v("tiling", None, (), "check.tiling.hole", district=district, span=c.span(cursor, p.start)))
        elif p.start < cursor and last is not None and not (p.placeholder or last.placeholder):
            span = c.span(p.start, min(cursor, p.end))
            out.append(
                c.v("tiling", None, (), "check.tiling.overlap", district=district, a=last.what, b=p.what, span=span)
            )
        if p.end > cursor:
            cursor, last = p.end, p
    if cursor < end:
        out.append(c.v("tiling", None, (), "check.tiling.hole", district=district, span=c.span(cursor, end)))
    return out


def shared_role(c: Context) -> list[Violation]:
    """A shared role names one person on the duty of every district it serves in each of its blocks."""
    out: list[Violation] = []
    for duty, rd in c.matched:
        for role, lead_id in duty.leads:
            lead = c.roster_duty.get(lead_id)
            got, want = assignee(rd, role), None if lead is None else assignee(lead, role)
            if lead_id == duty.id or got == want:
                continue
            group = duty.shared_by(role) or ""
            out.append(
                c.v(
                    "shared_role",
                    duty.id,
                    tuple(x for x in (got, want) if x is not None),
                    "check.shared_role.differs",
                    where=c.where(duty),
                    role=c.role(role),
                    group=group,
                    got=c.who(got) if got else "-",
                    want=c.who(want) if want else "-",
                    lead=c.where(c.tl.by_id[lead_id]),
                )
            )
    return out


CHECKS = {"coverage": coverage, "tiling": tiling, "shared_role": shared_role}
