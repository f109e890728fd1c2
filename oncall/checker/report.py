"""What the checker returns: the violations of the hard rules and the soft-goal figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from oncall.i18n import Coded, Lang, as_lang, coded, render, text
from oncall.rules import rule

__all__ = ["CheckReport", "HospitalFigures", "PhysicianFigures", "Violation"]


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, with the duty and the people concerned and a message for the office.

    ``code`` names the text in the catalogue (``oncall.i18n.MESSAGES``) and ``params`` fill it (plain JSON
    values; names in them are in the language the check ran in), so ``render`` can word it again.

    >>> v = Violation("duty_cap", None, ("a",), "", "check.cap.over", {"who": "A", "n": 3, "what": "duties", "cap": 2})
    >>> v.render("en")
    'A: 3 duties (cap 2)'
    """

    rule: str  # a hard rule id of oncall.rules
    duty: str | None  # duty id when one duty is concerned
    people: tuple[str, ...]  # physician or hospital ids
    message: str
    code: str = ""  # a code of oncall.i18n.MESSAGES; empty for a violation worded elsewhere
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def render(self, lang: Lang = "ja") -> str:
        """The message worded in ``lang`` from its code (the stored message when it has none)."""
        return render(self.kept(), lang) if self.code else self.message

    def kept(self) -> Coded:
        """The message kept as a code with its params (names in both languages), to show later."""
        return coded(self.code, **self.params)


@dataclass
class PhysicianFigures:
    """Soft-goal figures of one physician; points, targets and deviations per category and ``"total"``."""

    id: str
    name: str
    duties: int
    nights: int
    holiday_duties: int
    points: dict[str, float]
    target: dict[str, float]
    deviation: dict[str, float]  # points minus target
    wishes_honoured: int
    wishes_total: int  # wishes that match a duty of the period
    unwished_given: int  # duties on an unwished date or block
    longest_run: int  # longest run of consecutive duty dates, counting the previous period
    min_rest_hours: float | None  # shortest rest before a duty, from the previous one or the last period's
    spacing: int  # dates following a duty date of this roster, plus second duties on one date
    away_from_home: int  # duties outside the district of the physician's clinic
    share: float = 1.0
    visits: float = 0.0  # expected visits of the roles held (oncall.load)
    visit_target: float = 0.0  # fair expected visits (oncall.fairness.visit_targets)

    @property
    def visit_deviation(self) -> float:
        """Expected visits minus their fair share."""
        return self.visits - self.visit_target


@dataclass
class HospitalFigures:
    """Standby figures of one backup hospital, against its fair standby (``oncall.fairness.standby_targets``)."""

    id: str
    name: str
    standby_days: int  # dates with any standby
    standby_duties: int
    standby: float  # time on standby, in days
    target: float  # fair standby in days: capacity share of the duties it could take
    deviation: float  # standby minus target, in days
    capacity_per_day: int = 0
    limit: float = 0.0  # admissions a day it may be expected to take: capacity × (1 − margin)
    peak_admissions: float = 0.0  # the most expected admissions on one date
    peak_day: dt.date | None = None  # the first date with that peak
    mean_admissions: float = 0.0  # expected admissions a date, over the period's dates


@dataclass
class CheckReport:
    """What the checker found: hard violations (empty when the roster is valid) and soft figures."""

    violations: list[Violation]
    physicians: list[PhysicianFigures] = field(default_factory=list)
    hospitals: list[HospitalFigures] = field(default_factory=list)
    pairing_missed: int = 0  # duties held by two newer doctors
    home_district_away: int = 0
    wishes_missed: int = 0
    unwished_given: int = 0
    spacing: int = 0
    lang: str = "ja"  # language of the messages and names; the default of summary()

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations

    @property
    def fairness_spread(self) -> float:
        """The roster's fairness in one figure: how many duty points separate the doctor furthest above
        their fair share from the one furthest below (0 = everyone exactly on target)."""
        devs = [f.deviation["total"] for f in self.physicians if f.target["total"] > 0 or f.points["total"] > 0]
        return max(devs) - min(devs) if devs else 0.0

    @property
    def visit_spread(self) -> float:
        """The balance of expected visits in one figure: the distance, in expected visits per unit share,
        between the doctor furthest above their fair share of visits and the one furthest below."""
        devs = [f.visit_deviation / f.share for f in self.physicians if f.share > 0]
        return max(devs) - min(devs) if devs else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (dates as ISO 8601 text)."""
        out: dict[str, Any] = _plain(asdict(self))
        out["ok"] = self.ok
        out["fairness_spread"] = self.fairness_spread
        out["visit_spread"] = self.visit_spread
        return out

    def by_rule(self) -> dict[str, list[Violation]]:
        """Violations grouped by rule id, in registry order."""
        out: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            out[v.rule].append(v)
        return dict(out)

    def verdict(self, lang: str | None = None) -> str:
        """The verdict in one line, counting the violations by rule; ``oncall check``, ``solve`` and
        ``repair`` all print this line, so one roster gets the same words from each.

        A role left empty breaks the coverage rule like any other: a roster with gaps is not valid.
        """
        lg = as_lang(lang or self.lang)
        groups = self.by_rule()
        if not groups:
            return text("check.verdict.ok", lg)
        counts = ", ".join(f"{rule(r).label(lg)} {len(vs)}" for r, vs in groups.items())
        return text("check.verdict.broken", lg, n=len(self.violations), counts=counts)

    def summary(self, lang: str | None = None) -> str:
        """A few lines for people: the verdict, every hard violation with its rule, then the soft figures.

        The language defaults to the one the check was run in, which also gave the names.
        """
        lg = as_lang(lang or self.lang)
        lines = [self.verdict(lg)]
        lines += [f"  ! [{v.rule}] {v.message}" for v in self.violations]
        if self.physicians:
            lines += self._physician_lines(lg)
        if any(f.visits or f.visit_target for f in self.physicians):
            lines.append(text("check.summary.visits", lg, spread=self.visit_spread))
        if self.hospitals:
            lines += self._hospital_lines(lg)
        return "\n".join(lines)

    def _physician_lines(self, lg: Lang) -> list[str]:
        worst = max(self.physicians, key=lambda f: abs(f.deviation["total"]))
        wished = sum(f.wishes_total for f in self.physicians)
        return [
            text("check.summary.fairness", lg, dev=f"{worst.deviation['total']:+.2f}", name=worst.name),
            text(
                "check.summary.requests",
                lg,
                met=wished - self.wishes_missed,
                wished=wished,
                unwished=self.unwished_given,
                spacing=self.spacing,
            ),
            text("check.summary.pairing", lg, pairing=self.pairing_missed, away=self.home_district_away),
        ]

    def _hospital_lines(self, lg: Lang) -> list[str]:
        worst = max(self.hospitals, key=lambda f: abs(f.deviation))
        lines = [text("check.summary.standby", lg, dev=f"{worst.deviation:+.1f}", name=worst.name)]
        busiest = max(self.hospitals, key=lambda f: f.peak_admissions / f.limit if f.limit else 0.0)
        if busiest.peak_day is not None:
            use = f"{busiest.peak_admissions / busiest.limit:.0%}" if busiest.limit else "—"
            lines.append(
                text(
                    "check.summary.admissions",
                    lg,
                    peak=busiest.peak_admissions,
                    name=busiest.name,
                    day=busiest.peak_day,
                    limit=busiest.limit,
                    use=use,
                )
            )
        return lines


def _plain(value: Any) -> Any:
    """``value`` with every date and datetime inside it as ISO 8601 text, for ``json.dumps``."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    return value
