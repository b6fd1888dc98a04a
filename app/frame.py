"""What every view draws in one frame: the plant's values and states at the cursor time.

Computed once per frame and handed to each view, so the 3D scene, the tree, the values
table and the plots always agree on what moment they show, live or replayed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from db.replay import ReplayFeeder, latest_values_at
from twin.clock import PlaybackClock
from twin.plant.model import Plant
from twin.status import StatusEvaluator
from twin.store import SignalStore
from twin.timebase import NS_PER_S

# What replay keeps loaded behind the cursor, until the plots say how much they show.
DEFAULT_REPLAY_SPAN_NS = 120 * NS_PER_S


@dataclass(frozen=True)
class Frame:
    cursor_ns: int
    store: SignalStore  # the store the views read: live, or replay around the cursor
    values: np.ndarray  # float64, plant signal order: each signal's last value <= cursor
    last_times: np.ndarray  # int64 ns of each value; negative where none
    signal_states: np.ndarray  # int8 twin.status.State
    asset_states: np.ndarray  # int8, plant asset order
    live: bool = True


class FrameBuilder:
    """Reads the right store at the clock's cursor and evaluates states, for one frame.

    Live, it reads the live store's newest values. Replaying, it reads the history
    through ``feeder`` (loaded around the cursor on a worker thread), or, without a
    history, whatever the live store still holds at the cursor.
    """

    def __init__(
        self,
        plant: Plant,
        store: SignalStore,
        clock: PlaybackClock | None = None,
        feeder: ReplayFeeder | None = None,
        replay_only: bool = False,
    ) -> None:
        self.plant = plant
        self.replay_only = replay_only  # no live data: even a live clock reads the history
        self.store = store
        self.clock = clock
        self.feeder = feeder
        self.span_ns = DEFAULT_REPLAY_SPAN_NS  # the plots' span: what replay must load
        self.evaluator = StatusEvaluator(plant)
        self.signal_ids = self.evaluator.signal_ids

    def set_span_s(self, seconds: int) -> None:
        """The plots now show ``seconds``: replay loads that much behind the cursor."""
        self.span_ns = seconds * NS_PER_S

    def build(self, cursor_ns: int) -> Frame | None:
        """The frame at ``cursor_ns``; None while replay data for it is still loading."""
        live = (self.clock is None or self.clock.is_live) and not self.replay_only
        if live:
            store = self.store
            values, last_times = store.latest_values(self.signal_ids)
        else:
            replay_store = self._replay_store(cursor_ns)
            if replay_store is None:
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
        )

    def _replay_store(self, cursor_ns: int) -> SignalStore | None:
        if self.feeder is None:
            return self.store  # rewind within what the live store still holds
        clock = self.clock
        rate = clock.rate if clock is not None and clock.playing else 0.0
        self.feeder.request(cursor_ns, self.span_ns, rate)
        window = self.feeder.window_for(cursor_ns, self.span_ns)
        return None if window is None else window.store
