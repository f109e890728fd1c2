"""The repository on each backend: migrations, versions, job state changes, publishing under contention."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from oncall.errors import Conflict, NotFound
from oncall.storage import Store
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
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "v0003"


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


def test_concurrent_publishes_from_one_base_let_exactly_one_win(store: Store) -> None:
    sid = store.create_scenario(make_scenario(days=2)).id
    base = _revision(store, sid)
    store.publish(base, None)
    candidates = [_revision(store, sid) for _ in range(4)]
    outcomes: dict[int, str] = {}
    barrier = threading.Barrier(len(candidates))

    def publish(rid: int) -> None:
        barrier.wait()
        try:
            store.publish(rid, base)
            outcomes[rid] = "published"
        except Conflict:
            outcomes[rid] = "conflict"

    threads = [threading.Thread(target=publish, args=(rid,)) for rid in candidates]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [rid for rid, outcome in outcomes.items() if outcome == "published"]
    assert len(winners) == 1 and len(outcomes) == len(candidates)
    assert store.get_scenario(sid).published_revision_id == winners[0]
    assert store.get_published(sid).id == winners[0]
    with store.db.engine.connect() as c:
        log = c.exec_driver_sql("SELECT revision_id, previous_revision_id FROM publications ORDER BY id").all()
    assert [tuple(row) for row in log] == [(base, None), (winners[0], base)]  # the loser left no trace
