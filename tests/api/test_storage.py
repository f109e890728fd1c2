"""The repository on each backend: migrations, versions, job state changes, publishing under contention."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from oncall.errors import Conflict, NotFound
from oncall.services import publishing
from oncall.storage import Store, alembic_config
from oncall.storage.tables import Base
from tests.factories import greedy_roster, make_scenario


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated store on a fresh database, without an app or a job runner."""
    s = Store.open(db_url)
    yield s
    s.db.dispose()


def _revision(store: Store, scenario_id: int) -> int:
    """A draft revision stored the way a worker stores one (no solver needed)."""
    job = store.create_job(scenario_id, 1, 0)
    claimed = store.claim_next_job()
    assert claimed is not None and claimed.id == job.id
    revision = store.finish_job(job.id, greedy_roster(make_scenario(days=2)), 0)
    assert revision is not None
    return revision.id


def test_migrations_build_exactly_the_models_and_run_twice(store: Store, db_url: str) -> None:
    Store.open(db_url).db.dispose()  # a second start migrates nothing
    with store.db.engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []
        head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head


def test_times_come_back_aware_utc_and_versions_are_kept(store: Store) -> None:
    first = store.create_scenario(make_scenario(days=2))
    assert first.created_at.tzinfo == dt.UTC
    assert abs(dt.datetime.now(dt.UTC) - first.created_at) < dt.timedelta(minutes=1)
    longer = make_scenario(days=3)
    second = store.replace_scenario(first.id, longer, 1)
    assert second.version == 2 and second.period_end == dt.date(2027, 1, 6)
    assert store.get_document(first.id, 1)[1] == make_scenario(days=2)
    assert store.get_document(first.id)[1] == longer
    with pytest.raises(Conflict):
        store.replace_scenario(first.id, longer, 1)
    with pytest.raises(NotFound):
        store.get_document(first.id, 3)


def test_a_job_that_is_no_longer_running_stores_nothing(store: Store) -> None:
    sid = store.create_scenario(make_scenario(days=2)).id
    roster = greedy_roster(make_scenario(days=2))
    for end in ("cancel", "fail"):
        job = store.create_job(sid, 1, 0)
        assert store.claim_next_job() is not None
        assert store.record_progress(job.id, 3.0, 1.0, 0.5)
        if end == "cancel":
            assert store.cancel_job(job.id).state == "cancelled"
        else:
            assert store.fail_running_jobs("crash") == [job.id]
        assert not store.record_progress(job.id, 2.0, 1.0, 0.7)
        assert store.finish_job(job.id, roster, 0) is None
    assert store.list_revisions(sid) == []
    assert store.claim_next_job() is None


def test_each_queued_job_is_claimed_once_under_contention(store: Store) -> None:
    sid = store.create_scenario(make_scenario(days=2)).id
    queued = [store.create_job(sid, 1, 0).id for _ in range(6)]
    claimed: list[int] = []
    barrier = threading.Barrier(4)

    def claim() -> None:
        barrier.wait()
        while (job := store.claim_next_job()) is not None:
            claimed.append(job.id)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == queued


def _publish_at_once(store: Store, revisions: list[int], base: int | None) -> dict[int, str]:
    """Publish each revision over ``base`` from its own thread at one moment: revision id -> "published"
    or the conflict's message."""
    outcomes: dict[int, str] = {}
    barrier = threading.Barrier(len(revisions))

    def publish(rid: int) -> None:
        barrier.wait()
        try:
            publishing.publish_revision(store, rid, base, None)  # the clash is the publishing service's rule
            outcomes[rid] = "published"
        except Conflict as exc:
            outcomes[rid] = str(exc)

    threads = [threading.Thread(target=publish, args=(rid,)) for rid in revisions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_copies_of_one_network_published_at_once_let_exactly_one_win(store: Store) -> None:
    """The clash with another scenario's published roster is checked inside the publication itself, so
    copies of one network and period published at the same moment cannot all reach the feeds."""
    for _ in range(3):
        copies = [store.create_scenario(make_scenario(days=2)).id for _ in range(3)]
        scenario_of = {_revision(store, sid): sid for sid in copies}
        by_revision = _publish_at_once(store, list(scenario_of), None)
        outcomes = {scenario_of[rid]: outcome for rid, outcome in by_revision.items()}
        winners = [sid for sid, outcome in outcomes.items() if outcome == "published"]
        assert len(winners) == 1 and len(outcomes) == len(copies), outcomes
        for sid in copies:
            if sid != winners[0]:
                assert f"scenario {winners[0]}" in outcomes[sid], outcomes
                assert "already has a published roster" in outcomes[sid], outcomes
                assert store.get_scenario(sid).published_revision_id is None
        with store.db.engine.begin() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM publications").scalar() == 1  # losers left no trace
            # the next round starts with nothing published (a test's shortcut, not an operation of the store)
            c.exec_driver_sql("UPDATE scenarios SET published_revision_id = NULL")
            c.exec_driver_sql("DELETE FROM publications")


def test_concurrent_publishes_from_one_base_let_exactly_one_win(store: Store) -> None:
    sid = store.create_scenario(make_scenario(days=2)).id
    base = _revision(store, sid)
    store.publish(base, None)
    candidates = [_revision(store, sid) for _ in range(4)]
    outcomes = _publish_at_once(store, candidates, base)
    winners = [rid for rid, outcome in outcomes.items() if outcome == "published"]
    assert len(winners) == 1 and len(outcomes) == len(candidates)
    assert store.get_scenario(sid).published_revision_id == winners[0]
    assert store.get_published(sid).id == winners[0]
    with store.db.engine.connect() as c:
        log = c.exec_driver_sql("SELECT revision_id, previous_revision_id FROM publications ORDER BY id").all()
    assert [tuple(row) for row in log] == [(base, None), (winners[0], base)]  # the loser left no trace


def test_a_repair_read_while_its_job_finishes_never_shows_success_without_its_summary(db_url: str) -> None:
    """The repair's job may finish (state, revision and summary in one transaction) between two reads of
    one request; under PostgreSQL's READ COMMITTED each statement sees its own moment, so the read must
    take the state and the summary together."""
    from sqlalchemy import event

    from oncall.replan import AbsenceChange
    from oncall.services.repairs import create_repair, get_repair
    from oncall.storage.repairs import RepairStore

    store = Store.open(db_url)
    try:
        scenario = make_scenario(days=2)
        sid = store.create_scenario(scenario).id
        rid = _revision(store, sid)
        store.publish(rid, None)
        change = AbsenceChange(physician="n1a", start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 5))
        freeze = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
        repair = create_repair(store, sid, rid, [change], freeze, 1)
        assert store.claim_next_job() is not None
        finished: list[bool] = []

        def finish_after_the_first_read(conn: object, cursor: object, statement: str, *_: object) -> None:
            if finished or "FROM repairs" not in statement:
                return
            finished.append(True)  # once, from another connection, right after the request's first read
            store.finish_job(
                repair.job_id,
                greedy_roster(scenario),
                0,
                also=lambda s, _: RepairStore.save_summary(s, repair.job_id, '{"changed": 0}'),
            )

        event.listen(store.db.engine, "after_cursor_execute", finish_after_the_first_read)
        try:
            seen = get_repair(store, repair.id)
        finally:
            event.remove(store.db.engine, "after_cursor_execute", finish_after_the_first_read)
        assert finished
        assert seen.state != "succeeded" or (seen.summary == {"changed": 0} and seen.revision_id is not None), seen
        assert get_repair(store, repair.id).summary == {"changed": 0}
    finally:
        store.db.dispose()
