"""What every view draws in one frame: the plant's values and states at the cursor time.

Computed once per frame and handed to each view, so the 3D scene, the tree, the values
table and the plots always agree on what moment they show, live or replayed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.frame.plot_source import PlotSource
from db.read.feeder import ReplayFeeder
from twin.clock import PlaybackClock
from twin.plant.model import Plant
from twin.status import StatusEvaluator
from twin.store.signal_store import SignalStore
from twin.store.values_at import latest_values_at
from twin.timebase import NS_PER_S


@dataclass(frozen=True)
class Frame:
    cursor_ns: int
    store: SignalStore  # the values' store: live, or replay around the cursor
    values: np.ndarray  # float64, plant signal order: each signal's last value <= cursor
    last_times: np.ndarray  # int64 ns of each value; negative where none
    signal_states: np.ndarray  # int8 twin.status.State
    asset_states: np.ndarray  # int8, plant asset order
    live: bool = True
    plot_store: SignalStore | None = None  # what the plots read; None: ``store``

    @property
    def plots(self) -> SignalStore:
        """The store the plots read: an overview of their signals, or ``store``."""
        return self.store if self.plot_store is None else self.plot_store


class FrameBuilder:
    """Reads the right stores at the clock's cursor and evaluates states, for one frame.

    Live, it reads the live store's newest values. Replaying, it reads the history
    through ``feeder`` (every signal, raw, just around the cursor) and ``plot_feeder``
    (the plotted signals over the plotted span at plot resolution), both loaded on
    worker threads; without a history, whatever the live store still holds.
    """

    def __init__(
        self,
        plant: Plant,
        store: SignalStore,
        clock: PlaybackClock | None = None,
        feeder: ReplayFeeder | None = None,
        replay_only: bool = False,
        plot_feeder: ReplayFeeder | None = None,
    ) -> None:
        self.plant = plant
        self.replay_only = replay_only  # no live data: even a live clock reads the history
        self.store = store
        self.clock = clock
        self.feeder = feeder
        self.plots = PlotSource(plant, plot_feeder, int(store.retention_s * NS_PER_S))
        self.evaluator = StatusEvaluator(plant)
        self.signal_ids = self.evaluator.signal_ids

    @property
    def span_ns(self) -> int:
        return self.plots.span_ns

    def set_span_s(self, seconds: int) -> None:
        """The plots now show ``seconds``."""
        self.plots.set_span_ns(seconds * NS_PER_S)

    def set_plotted(self, signal_ids: tuple[str, ...]) -> None:
        """The plots now show these signals."""
        self.plots.set_signals(signal_ids)

    def wait_ready(self, cursor_ns: int, timeout: float = 30.0) -> bool:
        """Block until the replay data of the frame at ``cursor_ns`` is loaded (headless
        screenshots, exports, tests); True when it is."""
        if self.feeder is None:
            return True
        self.feeder.request(cursor_ns, None, 0.0)
        if self.plots.wanted:  # both loads run at once, as they do for a frame
            self.plots.replay_store(cursor_ns, 0.0)
        ready = self.feeder.wait_loaded(cursor_ns, None, timeout) is not None
        if self.plots.wanted:
            ready = self.plots.wait_loaded(cursor_ns, timeout) and ready
        return ready

    def build(self, cursor_ns: int) -> Frame | None:
        """The frame at ``cursor_ns``; None while replay data for it is still loading."""
        live = (self.clock is None or self.clock.is_live) and not self.replay_only
        plot_store: SignalStore | None
        if live:
            store = self.store
            values, last_times = store.latest_values(self.signal_ids)
            plot_store = self.plots.live_store(cursor_ns, store)
        else:
            rate = self.clock.rate if self.clock is not None and self.clock.playing else 0.0
            replay_store = self._replay_store(cursor_ns, rate)
            plot_store = self.plots.replay_store(cursor_ns, rate) if self.plots.wanted else None
            if replay_store is None or (self.plots.wanted and plot_store is None):
                return None
            store = replay_store
            values, last_times = latest_values_at(store, self.signal_ids, cursor_ns)
        signal_states = self.evaluator.signal_states(values, last_times, cursor_ns)
        return Frame(
            cursor_ns=cursor_ns,
            store=store,
            values=values,
            last_times=last_times,
            signal_states=signal_states,
            asset_states=self.evaluator.asset_states(signal_states),
            live=live,
            plot_store=plot_store,
        )

    def _replay_store(self, cursor_ns: int, rate: float) -> SignalStore | None:
        if self.feeder is None:
            return self.store  # rewind within what the live store still holds
        self.feeder.request(cursor_ns, None, rate)
        window = self.feeder.window_for(cursor_ns)
        return None if window is None else window.store
