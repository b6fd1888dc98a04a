"""The live health monitor: an ingest sink that evaluates the fleet once per window.

``consume`` runs on the ingest thread: it sums the batch into the open window, and when a
window closes it evaluates every monitored asset at once and advances the advisories.
Readers on other threads (the GUI) get snapshots under a lock; nothing they get changes.
"""

from __future__ import annotations

import bisect
import threading
from collections import deque
from collections.abc import Callable, Iterable

import numpy as np

from twin.batch import Batch, ChannelGroup
from twin.condition.advisories import AdvisoryEvent, AdvisoryTracker
from twin.condition.evaluator import HealthEvaluator, WindowMeans
from twin.condition.profile import FleetProfile
from twin.condition.snapshot import FleetHealth
from twin.condition.windows import WindowAccumulator
from twin.ingest.ingestor import Sink
from twin.plant.model import Plant

AdvisoryListener = Callable[[list[AdvisoryEvent]], object]


class HealthMonitor:
    """Health of every monitored asset of ``plant`` from the batches of ``groups``.

    Keeps the last ``snapshots_s`` of ``FleetHealth`` snapshots for ``health_at`` (each a
    few numeric arrays; its words kept as the flagged assets' figures, see ``words.py``) and
    ``history_s`` of health values for ``health_history``; implements ``HealthSource``.
    """

    def __init__(
        self,
        plant: Plant,
        groups: Iterable[ChannelGroup],
        *,
        window_s: float = 60.0,
        trend_points: int = 30,
        snapshots_s: float = 3600.0,
        history_s: float = 12 * 3600.0,
        max_events: int = 10_000,
    ) -> None:
        self.profile = FleetProfile.from_plant(plant)
        self.accumulator = WindowAccumulator(self.profile, groups, window_s=window_s)
        self.evaluator = HealthEvaluator(self.profile, window_s=window_s, trend_points=trend_points)
        self.advisories = AdvisoryTracker(self.profile.asset_ids)
        self._lock = threading.Lock()
        kept = max(1, int(snapshots_s / window_s))
        self._snapshots: deque[FleetHealth] = deque(maxlen=kept)
        self._snapshot_t: deque[int] = deque(maxlen=kept)  # their times, for bisect
        keep = max(1, int(history_s / window_s))
        self._hist_t = np.zeros(keep, dtype=np.int64)
        self._hist_h = np.full((keep, len(self.profile)), np.nan, dtype=np.float32)
        self._hist_count = 0
        self._events: deque[tuple[int, AdvisoryEvent]] = deque(maxlen=max_events)
        self._seq = 0
        self._listeners: list[AdvisoryListener] = []
        self.evaluations = 0
        self._row = {a: i for i, a in enumerate(self.profile.asset_ids)}

    # --- feeding (ingest thread) ------------------------------------------------------------

    def sink(self, name: str = "health") -> Sink:
        """This monitor as an ingest sink."""
        return Sink(name, self.consume)

    def consume(self, batch: Batch) -> None:
        for w in self.accumulator.add(batch):
            self.evaluate_window(w)

    def flush(self) -> None:
        """Evaluate the windows still open (the end of a run or of a replay feed)."""
        for w in self.accumulator.flush():
            self.evaluate_window(w)

    def add_listener(self, fn: AdvisoryListener) -> None:
        """Call ``fn(events)`` with each evaluation's advisory events (on the ingest thread;
        it must not block)."""
        self._listeners.append(fn)

    def evaluate_window(self, w: WindowMeans) -> FleetHealth:
        """Evaluate one closed window (also the way a replay feeds per-minute means)."""
        ev = self.evaluator.evaluate(w)
        with self._lock:
            events = self.advisories.update(ev.severity, ev.health)
            self._snapshots.append(ev.health)
            self._snapshot_t.append(ev.health.t_ns)
            j = self._hist_count % len(self._hist_t)
            self._hist_t[j] = ev.health.t_ns
            self._hist_h[j] = ev.health.health
            self._hist_count += 1
            for e in events:
                self._seq += 1
                self._events.append((self._seq, e))
            self.evaluations += 1
        if events:
            for fn in self._listeners:
                fn(events)
        return ev.health

    # --- reading (any thread) ---------------------------------------------------------------

    def health_at(self, t_ns: int) -> FleetHealth | None:
        """The newest snapshot at or before ``t_ns``; None before the first (or when
        ``t_ns`` is older than the snapshots kept)."""
        with self._lock:
            i = bisect.bisect_right(self._snapshot_t, t_ns)
            return self._snapshots[i - 1] if i else None

    @property
    def latest(self) -> FleetHealth | None:
        with self._lock:
            return self._snapshots[-1] if self._snapshots else None

    def health_history(
        self, asset_id: str, t0_ns: int, t1_ns: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(times, health) of one asset's evaluations in [t0, t1] that are still kept."""
        row = self._row.get(asset_id)
        with self._lock:
            keep = len(self._hist_t)
            count = min(self._hist_count, keep)
            order = (np.arange(count) + self._hist_count - count) % keep
            t = self._hist_t[order]
            h = self._hist_h[order, row] if row is not None else np.empty(0, np.float32)
        if row is None:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        sel = (t >= t0_ns) & (t <= t1_ns)
        return t[sel], h[sel]

    def advisory_events(self, t0_ns: int, t1_ns: int) -> list[AdvisoryEvent]:
        """The kept advisory events with t0 <= t < t1, in time order (``AdvisorySource``)."""
        with self._lock:
            return [e for _, e in self._events if t0_ns <= e.t_ns < t1_ns]

    def events_since(self, seq: int = 0) -> tuple[list[AdvisoryEvent], int]:
        """Advisory events after sequence number ``seq`` (0: all kept) and the newest
        sequence number, for a reader that polls."""
        with self._lock:
            new = [e for s, e in self._events if s > seq]
            return new, self._seq

    def raised(self) -> list[tuple[str, str]]:
        """(asset id, cause) of every advisory now raised."""
        with self._lock:
            return self.advisories.raised()
