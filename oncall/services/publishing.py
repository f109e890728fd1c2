"""Publishing a revision, with its rules: the re-check, and one published roster per district and date.

A revision made for an older version of its scenario may be published only while it breaks no hard rule
of the newest one, its cover plan included (coverage gaps aside). Inside the publication's transaction (the
store moves the pointer by compare-and-set on ``base``, refusing a stale one), no other scenario may have
a published roster for one of its districts on one of its dates: feeds would show both (``Conflict``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from oncall.errors import Conflict
from oncall.roster import Roster
from oncall.storage import RevisionRecord, Store
from oncall.storage.audit import Actor
from oncall.storage.revisions import RevisionStore, districts_in
from oncall.storage.scenarios import scenario_row

__all__ = ["StalePublication", "one_roster_per_district_and_date", "publish_revision"]


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
    return store.publish(revision_id, base, key_id, actor, reason, also=one_roster_per_district_and_date)


def one_roster_per_district_and_date(s: Session, scenario_id: int) -> None:
    """Conflict when another scenario has a published roster for one of this one's districts on one of its
    dates (run inside the publication's transaction, under its lock)."""
    row = scenario_row(s, scenario_id)
    districts = districts_in(s, row)
    for other, theirs in RevisionStore.published_overlapping_in(s, scenario_id):
        shared = sorted(districts & theirs)
        if shared:
            raise Conflict(
                f"scenario {other.id} ({other.name}) already has a published roster for {', '.join(shared)} "
                f"between {max(other.period_start, row.period_start)} and "
                f"{min(other.period_end, row.period_end)} (its revision {other.published_revision_id}): one "
                "district and date has one published roster (change that scenario with a new version "
                "instead of a copy)",
                field="revision_id",
            )
