"""The one read interface for time series, and its implementation on the live rings.

Every view and every consumer that reads at a cursor reads through a ``SeriesReader``:

- ``values_at(ids, t)``: each signal's newest value at or before ``t`` and that value's
  time (so that a consumer can tell a stale value from a current one);
- ``range(ids, t0, t1, bins)``: the signals over ``[t0, t1]`` as a store to window into,
  raw where the reader holds raw samples, else min/max per bin with every peak kept.

Both return None while the data is still loading (history readers load on a worker
thread); a frame then keeps showing the previous one. ``rate`` is the replay speed, which
a loading reader uses to prefetch ahead. Implementations: ``LiveSeries`` (the live rings,
here), ``db.read.series.HistorySeries`` (a window of the recorded history) and
``db.read.series.TieredSeries`` (the rings first, the history beyond them).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from twin.batch import ChannelGroup
from twin.store.signal_store import SignalStore
from twin.timebase import NS_PER_S

ValuesAt = tuple[np.ndarray, np.ndarray]  # float64 values, int64 times (NO_TIME: none)

# How long a computed extent of the rings is reused: scanning the first sample of every
# ring costs milliseconds at plant scale, and the extent moves by one sample period.
EXTENT_REUSE_S = 0.5


class SeriesReader(Protocol):
    """Time series at a cursor: values at a moment, a range at a resolution."""

    def values_at(self, signal_ids: Sequence[str], t: int, rate: float = 0.0) -> ValuesAt | None:
        """Each signal's newest value at or before ``t`` and its time; None: loading."""
        ...

    def range(
        self, signal_ids: Sequence[str], t0: int, t1: int, bins: int, rate: float = 0.0
    ) -> SignalStore | None:
        """A store holding the signals over [t0, t1] at ``bins`` or finer; None: loading."""
        ...

    def wait_ready(
        self,
        signal_ids: Sequence[str],
        t: int,
        plotted: Sequence[str],
        span: int,
        bins: int,
        timeout: float,
    ) -> bool:
        """Block until ``values_at(signal_ids, t)`` and ``range(plotted, t - span, t,
        bins)`` are loaded (headless screenshots, exports, tests); True when they are."""
        ...

    def close(self) -> None:
        """Release threads and handles; idempotent."""
        ...


EMPTY_STORE = SignalStore([])


class LiveSeries:
    """The live rings as a series reader: always ready, raw at every span they hold."""

    def __init__(self, store: SignalStore, lookback_ns: int = 0) -> None:
        self.store = store
        # How far back a slow signal's last value still counts as current.
        self.lookback_ns = int(lookback_ns)
        self._extent: tuple[float, int | None, int | None] = (-1.0, None, None)

    def values_at(self, signal_ids: Sequence[str], t: int, rate: float = 0.0) -> ValuesAt:
        return self.store.values_at(signal_ids, t)

    def range(
        self, signal_ids: Sequence[str], t0: int, t1: int, bins: int, rate: float = 0.0
    ) -> SignalStore:
        return self.store if signal_ids else EMPTY_STORE

    def wait_ready(
        self,
        signal_ids: Sequence[str],
        t: int,
        plotted: Sequence[str],
        span: int,
        bins: int,
        timeout: float,
    ) -> bool:
        return True

    def close(self) -> None:
        return None

    # ------------------------------------------------------------------ extent
    def extent(self) -> tuple[int | None, int | None]:
        """(first, last): every non-empty ring holds all its samples from ``first``;
        ``last`` is the newest sample. Recomputed at most every EXTENT_REUSE_S."""
        now = time.monotonic()
        at, first, last = self._extent
        if now - at >= EXTENT_REUSE_S:
            first, last = self.store.first_time(), self.store.last_time()
            self._extent = (now, first, last)
        return first, last

    def holds_values_at(self, t: int) -> bool:
        """True when the rings alone answer ``values_at(…, t)`` as the history would."""
        first, last = self.extent()
        if first is None or last is None:
            return False
        return t >= last or t - self.lookback_ns >= first

    def holds_range(self, t0: int, t1: int) -> bool:
        """True when the rings hold every sample of [t0, t1]."""
        first, _last = self.extent()
        return first is not None and t0 >= first


def stale_lookback_ns(rate_hz: float, periods: float, minimum_s: float) -> int:
    """How far back a signal's last sample still counts as current: ``periods`` sample
    periods, at least ``minimum_s``."""
    return math.ceil(max(periods / rate_hz, minimum_s) * NS_PER_S)


def longest_lookback_ns(groups: Sequence[ChannelGroup], periods: float, minimum_s: float) -> int:
    """The longest stale lookback over ``groups`` (0 for none)."""
    return max((stale_lookback_ns(g.rate_hz, periods, minimum_s) for g in groups), default=0)
