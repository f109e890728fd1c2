"""The diff of two rosters: changed duties, and who gains and who loses what."""

from __future__ import annotations

from oncall.diff import Holding, diff_rosters
from tests.factories import greedy_roster, make_scenario


def test_identical_rosters_have_no_changes() -> None:
    roster = greedy_roster(make_scenario(days=2))
    assert diff_rosters(roster, roster).model_dump() == {"changes": [], "people": []}


def test_a_swapped_primary_and_hospital_show_as_gains_and_losses() -> None:
    before = greedy_roster(make_scenario(days=2))
    after = before.model_copy(deep=True)
    duty = after.duties[1]
    old_primary, old_hospital = duty.primary, duty.backup_hospital
    assert old_primary is not None and old_hospital is not None
    duty.primary = "zz-new"
    duty.backup_hospital = "minami" if old_hospital != "minami" else "central"
    diff = diff_rosters(before, after)
    assert [c.duty for c in diff.changes] == [duty.id]
    assert {(c.role, c.before, c.after) for c in diff.changes[0].changes} == {
        ("primary", old_primary, "zz-new"),
        ("backup_hospital", old_hospital, duty.backup_hospital),
    }
    people = {p.id: p for p in diff.people}
    assert people["zz-new"].gains == [Holding(duty=duty.id, role="primary")] and people["zz-new"].net == 1
    assert people[old_primary].losses == [Holding(duty=duty.id, role="primary")] and people[old_primary].net == -1
    assert people[old_hospital].kind == "hospital" and people[old_hospital].net == -1


def test_a_duty_in_only_one_roster_counts_as_held_by_nobody_in_the_other() -> None:
    before = greedy_roster(make_scenario(days=2))
    after = before.model_copy(deep=True)
    dropped = after.duties.pop()
    diff = diff_rosters(before, after)
    assert [c.duty for c in diff.changes] == [dropped.id]
    assert all(c.after is None for c in diff.changes[0].changes)
    assert all(p.net <= 0 for p in diff.people)
