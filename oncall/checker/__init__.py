"""The checker: a roster verified against its scenario, rule by rule, without the solver.

This package is the specification of every hard rule in :mod:`oncall.rules`. It recomputes the
timeline from the scenario and reads the roster as plain data, so a roster from the solver, from a
spreadsheet or edited by hand is judged the same way. It also measures the soft goals (fair share,
expected visits, requests, spacing, pairing, home district, hospital spread) for reports.

One module per rule family mirrors ``solver/rules/``; each exports ``CHECKS`` (rule id -> check) and
:func:`check` runs ``CHECKS[rule.id]`` for every rule of ``oncall.rules.HARD``, the way
``solver.model.build_model`` runs ``solver.rules.ENCODERS``. It imports neither CP-SAT nor the solver.

Choices the rule statements leave open, made here once:

- A roster duty whose id is not a duty of the period (or that repeats an id) is a ``tiling``
  violation and is not checked further; a duty whose fields differ from the timeline is checked
  with the timeline's fields, which are the truth.
- An unknown physician id is an ``eligibility`` violation, an unknown hospital id a
  ``hospital_district`` violation; neither is checked further.
- Every duty needs a backup hospital, also when the scenario lists none (then nothing can cover it).
- A person rostered in a role the block does not have breaks ``eligibility``.
- A pin that matches no duty of the timeline breaks ``pinned``: it cannot be kept.
- The roster's list of gaps must agree with its duties: a gap naming a duty the roster lacks, or a role
  someone holds, is a ``tiling`` violation (the document contradicts itself).
"""

from __future__ import annotations

from collections.abc import Callable

from oncall.checker import caps, coverage, hospitals, people, pinned
from oncall.checker.context import Context
from oncall.checker.figures import report
from oncall.checker.report import CheckReport, HospitalFigures, PhysicianFigures, Violation
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.rules import HARD

__all__ = ["CHECKS", "Check", "CheckReport", "Context", "HospitalFigures", "PhysicianFigures", "Violation", "check"]

Check = Callable[[Context], list[Violation]]

CHECKS: dict[str, Check] = {
    **coverage.CHECKS,
    **people.CHECKS,
    **caps.CHECKS,
    **hospitals.CHECKS,
    **pinned.CHECKS,
}
_ORDER = {r.id: i for i, r in enumerate(HARD)}


def check(
    scenario: Scenario,
    roster: Roster,
    lang: str = "ja",
    previous: tuple[Scenario, Roster] | None = None,
    figures: bool = True,
) -> CheckReport:
    """Check ``roster`` against every hard rule of ``scenario`` and measure the soft goals.

    With ``previous``, the previous period's scenario and published roster, consecutive days and rest are
    verified on the joined timeline: the previous roster's duties count besides the history ``scenario``
    carries (``oncall.boundary.check_adjacent`` refuses a previous period that does not fit). With
    ``figures=False`` only the hard rules are checked: a verdict without the fairness figures is much quicker.
    """
    c = Context(scenario, roster, "en" if lang == "en" else "ja", previous)
    violations = [v for r in HARD for v in CHECKS[r.id](c)]
    violations.sort(key=lambda v: _ORDER[v.rule])  # stable: registry order, then the order found
    violations += _cover_violations(scenario, roster, c.lang)
    return report(c, violations) if figures else CheckReport(violations, lang=c.lang)


def _cover_violations(scenario: Scenario, roster: Roster, lang: str) -> list[Violation]:
    from oncall.cover.check import check_cover  # it builds on Violation, defined here

    return check_cover(scenario, roster, lang)
