"""Calendar feeds as the API serves them: in-process caches over the stored publications, one event ledger
per scenario (extended publication by publication, never rebuilt on a request) and the rendered feeds, keyed
by what decides their bytes. Subscriptions and publications are read through
:class:`~oncall.storage.feeds.FeedStore`."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oncall.feeds import (
    FeedOptions,
    Publication,
    RenderedFeed,
    ScenarioLedger,
    render_feed,
)
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.storage.feeds import FeedRecord, FeedStore, StoredPublication, _now

__all__ = ["FeedService", "FeedSettings"]


@dataclass(frozen=True)
class FeedSettings:
    """How feeds are rendered and cached."""

    refresh: dt.timedelta = dt.timedelta(hours=1)
    retention: dt.timedelta = dt.timedelta(days=30)
    touch_every: float = 60.0  # seconds between two writes of a feed's last access
    cache_entries: int = 2048  # rendered feeds kept


class FeedService:
    """Feeds answered from in-process caches that follow the publication log.

    Each scenario's :class:`ScenarioLedger` is extended with the publications it has not seen yet when
    the log changes; a rendered feed is kept under (target, language, alarm, log state) until the log
    changes or a cancelled event in it expires. Thread-safe: the API calls it from worker threads.
    """

    def __init__(
        self, store: FeedStore, settings: FeedSettings | None = None, clock: Callable[[], dt.datetime] = _now
    ) -> None:
        self.store = store
        self.settings = settings or FeedSettings()
        self.clock = clock
        self._lock = threading.Lock()
        self._ledgers: dict[int, ScenarioLedger] = {}
        self._seen: dict[int, set[int]] = {}  # publication ids applied, per scenario
        self._state: tuple[int, int] = (0, 0)
        self._scenarios: OrderedDict[tuple[int, int], Scenario] = OrderedDict()
        self._rendered: OrderedDict[tuple[Any, ...], RenderedFeed] = OrderedDict()
        self._touched: dict[int, float] = {}
        self.publications_applied = 0  # how many publications the ledgers were fed (a test's probe)

    def feed(self, record: FeedRecord, state: tuple[int, int], lang: str | None = None) -> RenderedFeed:
        """The feed of ``record`` at the publication log ``state`` (as :meth:`FeedStore.lookup` gave it)."""
        options = FeedOptions(
            lang="en" if (lang or record.lang) == "en" else "ja",
            alarm_minutes=record.alarm_minutes if record.kind == "physician" else None,
            refresh=self.settings.refresh,
            retention=self.settings.retention,
        )
        key = (record.feed_target, options, state)
        now = self.clock()
        with self._lock:
            cached = self._rendered.get(key)
            if cached is not None and (cached.valid_until is None or now < cached.valid_until):
                self._rendered.move_to_end(key)
                return cached
            self._follow(state)
            ledgers = list(self._ledgers.values())
            rendered = render_feed(record.feed_target, ledgers, options, now)
            self._rendered[key] = rendered
            while len(self._rendered) > self.settings.cache_entries:
                self._rendered.popitem(last=False)
            return rendered

    def touch(self, record: FeedRecord) -> None:
        """Record the access, at most once per ``touch_every`` seconds and feed (a write is not free)."""
        mark = time.monotonic()
        with self._lock:
            last = self._touched.get(record.id)
            if last is not None and mark - last < self.settings.touch_every:
                return
            self._touched[record.id] = mark
        self.store.touch(record.id, self.clock())

    def _follow(self, state: tuple[int, int]) -> None:
        """Feed the ledgers every publication they have not seen (called with the lock held)."""
        if state == self._state:
            return
        log = self.store.publication_ids()
        # Publications of one scenario commit in id order (publishing updates the scenario's row), but
        # be safe: one that turns up behind a publication already applied makes its scenario replay.
        late = {
            sid
            for pid, sid in log
            if sid in self._ledgers and pid not in self._seen[sid] and pid < max(self._seen[sid])
        }
        for sid in late:
            del self._ledgers[sid], self._seen[sid]
        pending = [pid for pid, sid in log if pid not in self._seen.get(sid, ())]
        for stored in self.store.publications(pending):
            ledger = self._ledgers.setdefault(stored.scenario_id, ScenarioLedger(stored.scenario_id))
            ledger.apply(self._publication(stored))
            self._seen.setdefault(stored.scenario_id, set()).add(stored.id)
            self.publications_applied += 1
        self._state = state

    def _publication(self, stored: StoredPublication) -> Publication:
        key = (stored.scenario_id, stored.scenario_version)
        scenario = self._scenarios.get(key)
        if scenario is None:
            scenario = Scenario.model_validate_json(self.store.document(*key))
            self._scenarios[key] = scenario
            while len(self._scenarios) > 256:
                self._scenarios.popitem(last=False)
        return Publication(
            id=stored.id,
            scenario_id=stored.scenario_id,
            revision_id=stored.revision_id,
            published_at=stored.published_at,
            scenario=scenario,
            roster=Roster.model_validate_json(stored.roster),
        )
