"""The fleet's health at a replay cursor, worked out off the GUI thread.

``ReplayHealth`` is a ``HealthSource`` over a recording: health is evaluated per whole
minute (the pyramid's, see ``db.health_replay``) on its own thread; ``health_at`` never
blocks: it returns the evaluation of the cursor's minute when it is ready, else the
nearest earlier one already made (asking for the cursor's meanwhile), else None.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import OrderedDict

import numpy as np

from db.advisories import AdvisoryJournal
from db.errors import HistoryError
from db.health_replay import LEVEL_S, health_at, monitored_keys
from db.history import History
from twin.condition.advisories import AdvisoryEvent
from twin.condition.profile import FleetProfile
from twin.condition.snapshot import FleetHealth
from twin.timebase import NS_PER_S

log = logging.getLogger(__name__)

KEEP_MINUTES = 240  # evaluations kept (a few hours of scrubbing back and forth)
MINUTE_NS = LEVEL_S * NS_PER_S
# While the cursor's minute is evaluated, an evaluation at most this much older stands in.
STAND_IN_NS = 5 * MINUTE_NS


class ReplayHealth:
    """Health of ``profile``'s assets in ``history`` at any minute, evaluated on demand."""

    def __init__(self, history: History, profile: FleetProfile, *, start: bool = True) -> None:
        self.history = history
        self.profile = profile
        self._journal = AdvisoryJournal(history)  # read only: it writes nothing unasked
        self._done: OrderedDict[int, FleetHealth | None] = OrderedDict()  # minute -> result
        self._wanted: int | None = None
        self._cond = threading.Condition()
        self._closed = False
        self._keys: dict[str, int] | None = None  # the monitored signals' keys, read once
        self._thread = threading.Thread(
            target=self._run, name="twindeck-replay-health", daemon=True
        )
        self._started = False
        if start:
            self.start()

    def start(self) -> None:
        """Begin evaluating (made with ``start=False``: the minutes asked for meanwhile
        are served from now on); idempotent."""
        with self._cond:
            if self._started or self._closed:
                return
            self._started = True
        self._thread.start()

    def health_at(self, t_ns: int) -> FleetHealth | None:
        minute = t_ns - t_ns % MINUTE_NS
        with self._cond:
            if minute in self._done:
                self._done.move_to_end(minute)
                return self._done[minute]
            if self._wanted != minute:
                self._wanted = minute
                self._cond.notify()
            near = minute - STAND_IN_NS
            earlier = [m for m, h in self._done.items() if near <= m < minute and h is not None]
            return self._done[max(earlier)] if earlier else None

    def health_history(
        self, asset_id: str, t0_ns: int, t1_ns: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The evaluations made so far of one asset in [t0, t1] (those the replay visited)."""
        try:
            row = self.profile.asset_ids.index(asset_id)
        except ValueError:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        with self._cond:
            done = sorted((m, h) for m, h in self._done.items() if h is not None)
        times = [h.t_ns for _, h in done]
        lo, hi = bisect.bisect_left(times, t0_ns), bisect.bisect_right(times, t1_ns)
        chosen = done[lo:hi]
        return (
            np.array([h.t_ns for _, h in chosen], dtype=np.int64),
            np.array([h.health[row] for _, h in chosen], dtype=np.float32),
        )

    def advisory_events(self, t0_ns: int, t1_ns: int) -> list[AdvisoryEvent]:
        """The recording's journaled advisory events with t0 <= t < t1 (``AdvisorySource``)."""
        try:
            return self._journal.read(t0_ns, t1_ns)
        except HistoryError as exc:
            log.warning("advisories not read: %s", exc)
            return []

    def wait_for(self, t_ns: int, timeout: float = 30.0) -> FleetHealth | None:
        """Block until the minute of ``t_ns`` is evaluated (screenshots, exports, tests)."""
        minute = t_ns - t_ns % MINUTE_NS
        self.start()
        self.health_at(t_ns)
        with self._cond:
            self._cond.wait_for(lambda: minute in self._done or self._closed, timeout)
            return self._done.get(minute)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            started = self._started
        if started:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._wanted is not None)
                if self._closed:
                    return
                minute, self._wanted = self._wanted, None
            assert minute is not None
            try:
                # The windows up to the minute's start: what the live monitor knew then.
                if self._keys is None:
                    self._keys = monitored_keys(self.history, self.profile)
                result = health_at(self.history, self.profile, minute, keys=self._keys)
            except HistoryError as exc:
                log.warning("health at the cursor not evaluated: %s", exc)
                result = None
            with self._cond:
                self._done[minute] = result
                while len(self._done) > KEEP_MINUTES:
                    self._done.popitem(last=False)
                self._cond.notify_all()
