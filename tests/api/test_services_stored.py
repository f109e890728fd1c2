"""The services over a stored database, without HTTP: their rules hold whichever adapter calls them, and a
refused operation leaves the published roster and the scenario as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from oncall.errors import Conflict, InvalidChange, NotFound
from oncall.model import Absence
from oncall.replan import AbsenceChange
from oncall.roster import Roster
from oncall.services import grid, periods, repairs, scenarios, swaps
from oncall.storage import Store
from tests.api.helpers import first_give_away
from tests.factories import greedy_roster, make_scenario


@pytest.fixture
def db(db_url: str) -> Iterator[Store]:
    store = Store.open(db_url)
    yield store
    store.db.dispose()


def _published(store: Store) -> tuple[int, int]:
    scenario = make_scenario(days=2)
    sid = store.create_scenario(scenario).id
    rid = store.add_revision(sid, 1, greedy_roster(scenario), 0).id
    store.publish(rid, None)
    return sid, rid


def test_entries_are_added_and_removed_as_new_validated_versions(db: Store) -> None:
    sid = db.create_scenario(make_scenario(days=2)).id
    absence = Absence(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 4))
    record, index = scenarios.add_entry(db, sid, "n1a", "absences", absence)
    assert (record.version, index) == (2, 0)
    _, physician = scenarios.read_physician(db, sid, "n1a")
    assert [a.start for a in physician.absences] == [dt.date(2027, 1, 4)]
    assert scenarios.remove_entry(db, sid, "n1a", "absences", 0).version == 3
    with pytest.raises(NotFound):
        scenarios.remove_entry(db, sid, "n1a", "absences", 0)
    with pytest.raises(NotFound):
        scenarios.add_entry(db, sid, "nobody", "absences", absence)
    with pytest.raises(Conflict):
        scenarios.add_entry(db, sid, "n1a", "absences", absence, expected_version=1)
    assert db.get_scenario(sid).version == 3  # the refused edits stored nothing


def test_a_hospital_reads_a_scenario_without_personal_data(db: Store) -> None:
    sid = db.create_scenario(make_scenario(days=2)).id
    scenarios.add_entry(db, sid, "n1a", "absences", Absence(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 4)))
    _, seen, withheld = scenarios.read_scenario(db, sid, personal=False)
    assert "physicians[].absences" in withheld and all(not p.absences for p in seen.physicians)
    _, full, nothing = scenarios.read_scenario(db, sid, personal=True)
    assert nothing == [] and full.physician("n1a").absences


def test_a_repair_on_a_stale_base_or_a_bad_change_stores_nothing(db: Store) -> None:
    sid, rid = _published(db)
    freeze = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
    change = AbsenceChange(physician="n1a", start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 5))
    with pytest.raises(Conflict):
        repairs.create_repair(db, sid, rid + 1, [change], freeze, 1)
    with pytest.raises(InvalidChange):
        repairs.create_repair(db, sid, rid, [AbsenceChange(physician="nobody", start=change.start, end=change.end)],
                              freeze, 1)  # fmt: skip
    assert db.get_scenario(sid).version == 1 and db.list_jobs(sid) == [] and repairs.list_repairs(db, sid) == []
    repair = repairs.create_repair(db, sid, rid, [change], freeze, 1)
    assert repair.state == "queued" and db.get_scenario(sid).version == 2
    assert db.get_scenario(sid).published_revision_id == rid  # a repair only queues a draft


def test_an_approved_swap_is_a_draft_and_the_published_roster_stays(db: Store) -> None:
    sid, rid = _published(db)
    _, scenario = db.get_document(sid)
    _, text = db.get_roster(rid)
    proposal = first_give_away(scenario, Roster.model_validate_json(text))
    proposed = swaps.propose_swap(db, sid, proposal, requested_by=proposal.physician)
    approved = swaps.approve_swap(db, proposed.id, "ok")
    assert approved.state == "approved" and approved.revision_id is not None
    assert db.get_scenario(sid).published_revision_id == rid
    with pytest.raises(Conflict):
        swaps.refuse_swap(db, proposed.id)  # decided once
    assert swaps.get_swap(db, proposed.id).state == "approved"


def test_a_previous_period_must_end_the_day_before(db: Store) -> None:
    first = db.create_scenario(make_scenario(days=2)).id
    second = db.create_scenario(make_scenario(days=2, start=dt.date(2027, 1, 10))).id
    with pytest.raises(InvalidChange, match="not the day after"):
        periods.link_previous(db, second, first)
    assert periods.get_link(db, second).previous_id is None
    assert periods.carry_previous(db, second) is None  # nothing linked, nothing carried


def test_the_edited_grid_carries_the_checker_s_verdict(db: Store) -> None:
    _, rid = _published(db)
    _, text = db.get_roster(rid)
    duty = Roster.model_validate_json(text).duties[0]
    view = grid.edited_grid(db, rid, [(duty.id, "primary", None)], "en", verdict=True)
    assert view.report is not None and any(v.rule == "coverage" for v in view.report.violations)
    assert next(d for d in view.roster.duties if d.id == duty.id).primary is None
    with pytest.raises(KeyError):
        grid.edited_grid(db, rid, [("no-such-duty", "primary", None)])
    assert view.published == rid and view.others == []
