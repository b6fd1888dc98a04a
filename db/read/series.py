"""The recorded history as a series reader (``twin.store.series.SeriesReader``).

``HistorySeries`` reads a window of the history around the cursor through feeders that
load on worker threads: every signal's raw samples just around the cursor (the values at
the cursor), and for each set of signals read as a range (the plotted ones, a spectrum's
waveform) those signals over the span at the resolution asked (raw where a bin holds at
most one sample, min/max per bin beyond).
``TieredSeries`` reads the live rings while they hold what is asked, and the history
beyond them: the reader of a plant that is live and recording.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from db.engine import History
from db.read.feeder import ReplayFeeder
from db.read.loaders import OverviewLoader, RawLoader
from twin.batch import ChannelGroup
from twin.plant.model import Plant
from twin.status import MIN_STALE_S, STALE_PERIODS
from twin.store.series import EMPTY_STORE, LiveSeries, ValuesAt, stale_lookback_ns
from twin.store.signal_store import SignalStore
from twin.timebase import NS_PER_S

# Values at the cursor: data loaded ahead of it while paused or playing slowly (the
# prefetch grows with the replay speed).
VALUES_PREFETCH_NS = NS_PER_S // 2
# Paused or playing slowly, an overview reaches 1/PREFETCH_SPANS of its span ahead.
PREFETCH_SPANS = 16
# At the growing edge of a recording, an overview is re-read this often (its right edge
# lags by as much).
EDGE_REFRESH_NS = 2 * NS_PER_S
# Ranges of different signals (the plots, a spectrum) each keep a feeder of their own, so
# that one reader does not make the other's loads stale; beyond this many, the least
# recently used feeder is pointed at the new signals.
RANGE_LANES = 3


def values_feeder(
    history: History,
    groups: Sequence[ChannelGroup],
    horizon: Callable[[], int] | None = None,
) -> ReplayFeeder:
    """A feeder of every signal's raw samples just around the cursor: each group from as
    far back as its last value still counts as current (its stale horizon)."""
    lookbacks = tuple(stale_lookback_ns(g.rate_hz, STALE_PERIODS, MIN_STALE_S) for g in groups)
    loader = RawLoader(tuple(groups), lookbacks)
    return ReplayFeeder(
        history,
        loader,
        span_ns=max(1, loader.lookback),
        prefetch_ns=VALUES_PREFETCH_NS,
        horizon=horizon,
    )


def replay_groups(plant: Plant) -> list[ChannelGroup]:
    """The plant's signals grouped by (asset kind, key, rate), as the simulator and most
    devices record them: a load keeps a group as one block where its channels share their
    times and splits it per signal where they do not (``db.read.loaders``), so 60,000
    motor signals replay in six rings, not 60,000."""
    kinds = {a.id: a.kind for a in plant.assets}
    members: dict[tuple[str, str, float, str], list[str]] = {}
    for s in plant.signals:
        members.setdefault((kinds[s.asset_id], s.key, s.rate_hz, s.dtype), []).append(s.id)
    # One value type a group: an int64 counter is never stacked with (so cast to) floats.
    return [
        ChannelGroup(
            f"replay/{kind}/{key}@{rate:g}" + ("" if dtype == "float32" else f"/{dtype}"),
            tuple(ids),
            rate,
            dtype,
        )
        for (kind, key, rate, dtype), ids in members.items()
    ]


@dataclass
class _Lane:
    """One range feeder and what it reads now: (signal ids, span, bins)."""

    feeder: ReplayFeeder
    key: tuple[tuple[str, ...], int, int] = ((), 0, 0)
    refreshed_at: int | None = None  # when it was last re-read at the growing edge
    used: int = 0  # the reader's use count at its last use


class HistorySeries:
    """Values and ranges read from a history around the cursor.

    ``horizon``, for a history still being recorded, gives the newest time that can hold
    data (now): loads end there, and a range that reaches it is re-read every
    EDGE_REFRESH_NS instead of being trusted as complete.
    """

    def __init__(
        self,
        history: History,
        plant: Plant,
        groups: Sequence[ChannelGroup] | None = None,
        horizon: Callable[[], int] | None = None,
    ) -> None:
        self.history = history
        self.plant = plant
        self.horizon = horizon
        self.values = values_feeder(history, groups or replay_groups(plant), horizon)
        self._lanes: list[_Lane] = []  # made as readers of other signals come
        self._uses = 0

    # ------------------------------------------------------------------ values
    def values_at(self, signal_ids: Sequence[str], t: int, rate: float = 0.0) -> ValuesAt | None:
        self.values.request(t, None, rate)
        window = self.values.window_for(t)
        return None if window is None else window.store.values_at(signal_ids, t)

    # ------------------------------------------------------------------- range
    def range(
        self, signal_ids: Sequence[str], t0: int, t1: int, bins: int, rate: float = 0.0
    ) -> SignalStore | None:
        if not signal_ids:
            return EMPTY_STORE
        lane = self._lane_for(signal_ids, t1 - t0, bins)
        span = lane.key[1]
        if self._at_growing_edge(t1):
            return self._edge_range(lane, t1)
        lane.feeder.request(t1, span, rate, prefetch_ns=span // PREFETCH_SPANS)
        window = lane.feeder.window_for(t1, span)
        return None if window is None else window.store

    def _lane_for(self, signal_ids: Sequence[str], span: int, bins: int) -> _Lane:
        """The lane reading these signals; else the least recently used one (or a new
        one, up to RANGE_LANES), pointed at them, this span and these bins."""
        key = (tuple(signal_ids), max(1, int(span)), int(bins))
        self._uses += 1
        lane = next((ln for ln in self._lanes if ln.key[0] == key[0]), None)
        if lane is None and len(self._lanes) < RANGE_LANES:
            name = "replay-plots" if not self._lanes else f"replay-range{len(self._lanes)}"
            loader = OverviewLoader((), (), NS_PER_S, 1)
            feeder = ReplayFeeder(self.history, loader, name=name, horizon=self.horizon)
            lane = _Lane(feeder)
            self._lanes.append(lane)
        if lane is None:
            lane = min(self._lanes, key=lambda ln: ln.used)
        lane.used = self._uses
        if key != lane.key:
            rates = tuple(self.plant.signal(sid).rate_hz for sid in key[0])
            lane.feeder.set_loader(OverviewLoader(key[0], rates, key[1], key[2]))
            lane.key = key
            lane.refreshed_at = None
        return lane

    def _at_growing_edge(self, t1: int) -> bool:
        return self.horizon is not None and t1 >= self.horizon() - EDGE_REFRESH_NS

    def _edge_range(self, lane: _Lane, t1: int) -> SignalStore | None:
        """At a recording's growing edge: the newest range, re-read every
        EDGE_REFRESH_NS (the recording grew since); None until the first one is loaded."""
        now = time.monotonic_ns()
        feeder = lane.feeder
        if lane.refreshed_at is None or now - lane.refreshed_at >= EDGE_REFRESH_NS:
            feeder.invalidate()
            lane.refreshed_at = now
        feeder.request(t1, lane.key[1], 0.0, prefetch_ns=EDGE_REFRESH_NS)
        window = feeder.current()
        if window is None or window.loader is not feeder.loader:
            return None
        return window.store

    # -------------------------------------------------------------------- wait
    def wait_ready(
        self,
        signal_ids: Sequence[str],
        t: int,
        plotted: Sequence[str],
        span: int,
        bins: int,
        timeout: float,
    ) -> bool:
        # Both loads start before either wait, as they do for a frame.
        self.values.request(t, None, 0.0)
        lane = None
        if plotted:
            lane = self._lane_for(plotted, span, bins)
            span = lane.key[1]
            lane.feeder.request(t, span, 0.0, prefetch_ns=span // PREFETCH_SPANS)
        ready = self.values.wait_loaded(t, None, timeout) is not None
        if lane is not None:
            ready = lane.feeder.wait_loaded(t, span, timeout) is not None and ready
        return ready

    def close(self) -> None:
        self.values.close()
        for lane in self._lanes:
            lane.feeder.close()


class TieredSeries:
    """The live rings first, the history beyond them: a live plant that records."""

    def __init__(self, live: LiveSeries, history: HistorySeries) -> None:
        self.live = live
        self.history = history

    def values_at(self, signal_ids: Sequence[str], t: int, rate: float = 0.0) -> ValuesAt | None:
        if self.live.holds_values_at(t):
            return self.live.values_at(signal_ids, t)
        return self.history.values_at(signal_ids, t, rate)

    def range(
        self, signal_ids: Sequence[str], t0: int, t1: int, bins: int, rate: float = 0.0
    ) -> SignalStore | None:
        if self.live.holds_range(t0, t1):
            return self.live.range(signal_ids, t0, t1, bins)
        older = self.history.range(signal_ids, t0, t1, bins, rate)
        if older is None and self.live.holds_values_at(t1):
            return self.live.range(signal_ids, t0, t1, bins)  # until the history's loads
        return older

    def wait_ready(
        self,
        signal_ids: Sequence[str],
        t: int,
        plotted: Sequence[str],
        span: int,
        bins: int,
        timeout: float,
    ) -> bool:
        if self.live.holds_values_at(t) and self.live.holds_range(t - span, t):
            return True
        return self.history.wait_ready(signal_ids, t, plotted, span, bins, timeout)

    def close(self) -> None:
        self.history.close()
