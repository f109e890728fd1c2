"""The facts every check reads, built once from the scenario and the roster, and the wording helpers."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from oncall.boundary import check_adjacent
from oncall.checker.report import Violation
from oncall.i18n import Coded, Lang, both, coded, joined, render
from oncall.load import expected_load, hospital_days
from oncall.model import ROLES, Absence, Physician, Request, Role, Scenario
from oncall.roster import GapRole, Roster, RosterDuty
from oncall.timeline import Duty, Timeline, to_utc

__all__ = ["Context", "Held", "assignee", "matches", "runs"]


@dataclass
class Held:
    """A physician's place on one duty (two roles when primary and secondary are the same person)."""

    duty: Duty
    roles: list[Role]


def assignee(rd: RosterDuty, role: GapRole) -> str | None:
    """Who holds ``role`` on the roster duty ``rd`` (a physician or a hospital id), or None."""
    if role == "primary":
        return rd.primary
    if role == "secondary":
        return rd.secondary
    return rd.backup_hospital


def runs(dates: set[dt.date]) -> list[list[dt.date]]:
    """Runs of consecutive dates, in order.

    >>> runs({dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 5)})
    [[datetime.date(2027, 1, 1), datetime.date(2027, 1, 2)], [datetime.date(2027, 1, 5)]]
    """
    out: list[list[dt.date]] = []
    for d in sorted(dates):
        if out and d - out[-1][-1] == dt.timedelta(days=1):
            out[-1].append(d)
        else:
            out.append([d])
    return out


def matches(request: Request, duty: Duty) -> bool:
    """Whether a wish or unwish names the date (and block, when it gives one) of ``duty``."""
    return request.date == duty.day and (request.block is None or request.block == duty.block.id)


class Context:
    """The scenario, the roster and the lookups every rule needs, built once."""

    def __init__(
        self, scenario: Scenario, roster: Roster, lang: Lang, previous: tuple[Scenario, Roster] | None = None
    ) -> None:
        self.s = scenario
        self.roster = roster
        self.lang: Lang = lang
        self.tl = Timeline.build(scenario)
        self.districts = {d.id: d for d in scenario.districts}
        self.physicians = {p.id: p for p in scenario.physicians}
        self.hospitals = {h.id: h for h in scenario.hospitals}
        self.blocks = {b.id: b for b in scenario.block_templates()}
        # (date, block) and (date, None) of every duty: the requests a roster of this period can meet.
        self.requestable = {(d.day, b) for d in self.tl.duties for b in (d.block.id, None)}
        self.id_counts = Counter(rd.id for rd in roster.duties)
        self.roster_duty: dict[str, RosterDuty] = {}
        for rd in roster.duties:
            self.roster_duty.setdefault(rd.id, rd)
        # Duties of the period present in the roster, in time order, each with its roster entry.
        self.matched = [(d, self.roster_duty[d.id]) for d in self.tl.duties if d.id in self.roster_duty]
        self.held: dict[str, dict[str, Held]] = defaultdict(dict)
        self.standby: dict[str, list[Duty]] = defaultdict(list)
        for duty, rd in self.matched:
            for role in ROLES:
                pid = assignee(rd, role)
                # A shared role is one duty of its holder, held on the group's lead duty: the other duties of
                # the group name the same person (the shared_role check), without counting again.
                if pid in self.physicians and duty.lead(role) == duty.id:
                    self.held[pid].setdefault(duty.id, Held(duty, [])).roles.append(role)
            if rd.backup_hospital in self.hospitals:
                self.standby[rd.backup_hospital].append(duty)
        self.load = expected_load(scenario, self.tl)
        standby_of = {duty.id: rd.backup_hospital for duty, rd in self.matched}
        self.hospital_days = hospital_days(scenario, self.tl, standby_of, self.load)
        self.earlier_dates, self.earlier_end = self._earlier(previous)

    def _earlier(
        self, previous: tuple[Scenario, Roster] | None
    ) -> tuple[dict[str, set[dt.date]], dict[str, dt.datetime | None]]:
        """Per physician, the duty dates and the end of the last duty before the period: the carried
        history, joined with the previous period's roster when it is known. The head of the night across
        the boundary is one duty with its tail: whoever holds both rests from the end of the tail."""
        dates = {p.id: set(p.history.recent_duty_dates) for p in self.s.physicians}
        ends = {p.id: p.history.last_duty_end for p in self.s.physicians}
        last = {pid: None if end is None else to_utc(end, self.s.zone) for pid, end in ends.items()}
        if previous is None:
            return dates, last
        before, published = previous
        prev_tl = Timeline.build(before)
        check_adjacent(before, published, self.s, prev_tl)
        tails = {
            (h.duty.district, h.duty.block.id, pid)
            for pid, held in self.held.items()
            for h in held.values()
            if h.duty.start == self.tl.start and not h.duty.counts_against_caps
        }
        for p in before.physicians:
            if p.id in dates:
                dates[p.id] |= set(p.history.recent_duty_dates)
        for rd in published.duties:
            duty = prev_tl.by_id[rd.id]
            for pid in (x for x in (rd.primary, rd.secondary) if x in dates):
                dates[pid].add(duty.day)
                continued = duty.end == prev_tl.end and (duty.district, duty.block.id, pid) in tails
                end = last[pid]
                if not continued and (end is None or duty.end > end):
                    last[pid] = duty.end
        return dates, last

    # --- what the rules of runs and rest read (also the figures) -------------------------------
    def duty_runs(self, p: Physician) -> list[list[dt.date]]:
        """Runs of consecutive duty dates of ``p`` that hold a date of this roster, counting earlier dates."""
        dates = {h.duty.day for h in self.held.get(p.id, {}).values()}
        before = self.earlier_dates[p.id]
        # A run is this roster's doing only where it adds a date: the night that started on the last
        # date of the previous period and ends in this one adds none.
        return [run for run in runs(dates | before) if (dates - before).intersection(run)]

    def rests(self, p: Physician) -> list[tuple[Held, float, Any, bool]]:
        """Each duty of ``p`` with its rest before it (hours), what ended then, and whether that was history.

        Rest runs from the latest end so far, so a long duty followed by two short ones is measured right.
        """
        out: list[tuple[Held, float, Any, bool]] = []
        prev_end = self.earlier_end[p.id]
        prev_what = "" if prev_end is None else self.say("check.min_rest.previous_duty", end=self.at(prev_end))
        from_history = True
        for h in self.held.get(p.id, {}).values():
            if prev_end is not None:
                out.append((h, (h.duty.start - prev_end).total_seconds() / 3600, prev_what, from_history))
            if prev_end is None or h.duty.end > prev_end:
                prev_end, prev_what, from_history = h.duty.end, self.where(h.duty), False
        return out

    # --- wording: kept values (oncall.i18n.coded/both/joined) that render in either language -----------
    def say(self, code: str, **kw: object) -> Coded:
        """The catalogue's text of ``code``, kept as a code until it is shown."""
        return coded(code, **kw)

    def role(self, role: GapRole) -> Coded:
        return coded(f"check.role.{role}")

    def roles(self, roles: list[Role]) -> dict[str, Any]:
        return self.listed(self.role(r) for r in roles)

    def listed(self, items: Iterable[Any]) -> dict[str, Any]:
        """Names joined by the language's "and" (``・`` or `` and ``)."""
        return joined(coded("check.word.and"), list(items))

    def at(self, instant: dt.datetime) -> str:
        return f"{self.tl.local(instant):%Y-%m-%d %H:%M}"

    def span(self, start: dt.datetime, end: dt.datetime) -> Coded:
        return coded("check.word.span", start=self.at(start), end=self.at(end))

    def district(self, did: str) -> Any:
        d = self.districts.get(did)
        return both(d.label("ja"), d.label("en")) if d else did

    def who(self, pid: str) -> Any:
        p = self.physicians.get(pid)
        return both(p.label("ja"), p.label("en")) if p else pid

    def hospital(self, hid: str) -> Any:
        h = self.hospitals.get(hid)
        return both(h.label("ja"), h.label("en")) if h else hid

    def where(self, duty: Duty) -> dict[str, Any]:
        block = both(duty.block.label("ja"), duty.block.label("en"))
        return joined(" ", [duty.day.isoformat(), block, self.district(duty.district)])

    def where_roster(self, rd: RosterDuty) -> dict[str, Any]:
        block = self.blocks.get(rd.block)
        label = both(block.label("ja"), block.label("en")) if block else rd.block
        return joined(" ", [self.at(rd.start), label, self.district(rd.district)])

    def absence_text(self, a: Absence) -> Coded:
        if isinstance(a.start, dt.datetime) and isinstance(a.end, dt.datetime):
            return self.span(to_utc(a.start, self.s.zone), to_utc(a.end, self.s.zone))
        return coded("check.word.span", start=a.start.isoformat(), end=a.end.isoformat())

    def v(self, rule_id: str, duty: str | None, people: tuple[str, ...], code: str, **kw: object) -> Violation:
        """A violation of ``rule_id`` worded by the catalogue's ``code``, its fields kept as ``params``."""
        return Violation(rule_id, duty, people, render(coded(code, **kw), self.lang), code, dict(kw))
