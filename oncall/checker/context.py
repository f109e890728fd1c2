"""The facts every check reads, built once from the scenario and the roster, and the wording helpers."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from oncall.boundary import check_adjacent
from oncall.checker.report import Violation
from oncall.i18n import Lang, text
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

    def rests(self, p: Physician) -> list[tuple[Held, float, str, bool]]:
        """Each duty of ``p`` with its rest before it (hours), what ended then, and whether that was history.

        Rest runs from the latest end so far, so a long duty followed by two short ones is measured right.
        """
        out: list[tuple[Held, float, str, bool]] = []
        prev_end = self.earlier_end[p.id]
        prev_what = "" if prev_end is None else self.say("check.min_rest.previous_duty", end=self.at(prev_end))
        from_history = True
        for h in self.held.get(p.id, {}).values():
            if prev_end is not None:
                out.append((h, (h.duty.start - prev_end).total_seconds() / 3600, prev_what, from_history))
            if prev_end is None or h.duty.end > prev_end:
                prev_end, prev_what, from_history = h.duty.end, self.where(h.duty), False
        return out

    # --- wording -------------------------------------------------------------------------------
    def say(self, code: str, **kw: object) -> str:
        """The catalogue's text of ``code`` in the check's language."""
        return text(code, self.lang, **kw)

    def role(self, role: GapRole) -> str:
        return self.say(f"check.role.{role}")

    def roles(self, roles: list[Role]) -> str:
        return self.say("check.word.and").join(self.role(r) for r in roles)

    def at(self, instant: dt.datetime) -> str:
        return f"{self.tl.local(instant):%Y-%m-%d %H:%M}"

    def span(self, start: dt.datetime, end: dt.datetime) -> str:
        return f"{self.at(start)}〜{self.at(end)}" if self.lang == "ja" else f"{self.at(start)} – {self.at(end)}"

    def district(self, did: str) -> str:
        d = self.districts.get(did)
        return d.label(self.lang) if d else did

    def who(self, pid: str) -> str:
        p = self.physicians.get(pid)
        return p.label(self.lang) if p else pid

    def hospital(self, hid: str) -> str:
        h = self.hospitals.get(hid)
        return h.label(self.lang) if h else hid

    def where(self, duty: Duty) -> str:
        return f"{duty.day.isoformat()} {duty.block.label(self.lang)} {self.district(duty.district)}"

    def where_roster(self, rd: RosterDuty) -> str:
        block = self.blocks.get(rd.block)
        label = block.label(self.lang) if block else rd.block
        return f"{self.at(rd.start)} {label} {self.district(rd.district)}"

    def absence_text(self, a: Absence) -> str:
        if isinstance(a.start, dt.datetime) and isinstance(a.end, dt.datetime):
            return self.span(to_utc(a.start, self.s.zone), to_utc(a.end, self.s.zone))
        sep = "〜" if self.lang == "ja" else " – "
        return f"{a.start.isoformat()}{sep}{a.end.isoformat()}"

    def v(self, rule_id: str, duty: str | None, people: tuple[str, ...], code: str, **kw: object) -> Violation:
        """A violation of ``rule_id`` worded by the catalogue's ``code``, its fields kept as ``params``."""
        return Violation(rule_id, duty, people, self.say(code, **kw), code, dict(kw))
