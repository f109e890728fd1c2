"""Publishing a revision: the re-check against the newest scenario version, then the store's publish.

The store itself refuses a stale ``base`` and a district-date published by another scenario
(``Conflict``); this service adds the rule that a revision made for an older version of its scenario
may be published only while it breaks no hard rule of the newest one (coverage gaps aside).
"""

from __future__ import annotations

from oncall.errors import Conflict
from oncall.roster import Roster
from oncall.storage import RevisionRecord, Store
from oncall.storage.audit import Actor

__all__ = ["StalePublication", "publish_revision"]


class StalePublication(Conflict):
    """The revision breaks hard rules of its scenario's newest version; ``details`` name each (duty, rule)."""

    def __init__(self, message: str, details: list[tuple[str, str]]) -> None:
        super().__init__(message, field="revision_id")
        self.details = details


def publish_revision(
    store: Store,
    revision_id: int,
    base: int | None,
    actor: Actor | None,
    reason: str | None = None,
    key_id: int | None = None,
) -> RevisionRecord:
    """Make the revision its period's current roster (see ``Store.publish``), after the re-check."""
    from oncall.checker import check

    revision, text = store.get_roster(revision_id)
    if revision.published and base == revision_id:
        return revision
    record, scenario = store.get_document(revision.scenario_id)
    if record.version != revision.scenario_version:
        report = check(scenario, Roster.model_validate_json(text))
        broken = [v for v in report.violations if v.rule != "coverage"]
        if broken:
            details = [(v.duty or "roster", f"[{v.rule}] {v.message}") for v in broken[:100]]
            raise StalePublication(
                f"revision {revision_id} was made for version {revision.scenario_version} of scenario "
                f"{record.id}; it breaks {len(broken)} hard rule(s) of the newest, version {record.version}: "
                "repair it (POST /scenarios/{id}/repairs) or solve again",
                details,
            )
    return store.publish(revision_id, base, key_id, actor, reason)
