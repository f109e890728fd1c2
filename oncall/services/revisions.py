"""A roster edited by hand (a swap, a changed cell) becomes a draft revision only if the checker passes it."""

from __future__ import annotations

from oncall.checker import CheckReport, check
from oncall.errors import InvalidRoster
from oncall.roster import Roster
from oncall.storage import RevisionRecord, Store
from oncall.storage.audit import Actor

__all__ = ["RosterRefused", "store_edited_roster"]


class RosterRefused(InvalidRoster):
    """The roster breaks hard rules of its scenario; ``report`` holds the checker's verdict."""

    def __init__(self, report: CheckReport) -> None:
        n = len(report.violations)
        super().__init__(f"the roster breaks hard rules ({n} violation{'s' if n != 1 else ''})")
        self.report = report

    @property
    def details(self) -> list[tuple[str, str]]:
        """(duty or ``roster``, ``[rule] message``) of the first hundred violations."""
        return [(v.duty or "roster", f"[{v.rule}] {v.message}") for v in self.report.violations[:100]]


def store_edited_roster(
    store: Store,
    scenario_id: int,
    version: int | None,
    roster: Roster,
    actor: Actor | None,
    lang: str = "ja",
    reason: str | None = None,
) -> RevisionRecord:
    """Check ``roster`` against the scenario (at ``version``, default the newest) and store it as a draft."""
    record, scenario = store.get_document(scenario_id, version)
    report = check(scenario, roster, lang=lang)
    if not report.ok:
        raise RosterRefused(report)
    return store.add_revision(scenario_id, version or record.version, roster, 0, actor, reason)
