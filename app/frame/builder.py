"""What every view draws in one frame: the plant's values and states at the cursor time.

Computed once per frame and handed to each view, so the 3D scene, the tree, the values
table and the plots always agree on what moment they show. The builder reads through one
``SeriesReader`` (``twin.store.series``): the live rings, a window of the history, or
both tiered. It does not know which: live and replay differ only in the reader and the
clock that the composition gives it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.frame.states import FrameStates
from app.spans import DEFAULT_SPAN_S
from twin.clock import PlaybackClock
from twin.condition.snapshot import FleetHealth, HealthSource
from twin.plant.model import Plant
from twin.status import StatusEvaluator
from twin.store.series import SeriesReader
from twin.store.signal_store import SignalStore
from twin.timebase import NS_PER_S

# Bins across the plotted span: about one per pixel of a wide plot. Each is drawn as a
# min and a max, and pyqtgraph's peak downsampling takes it from there.
OVERVIEW_BINS = 2000


@dataclass(frozen=True)
class Frame:
    cursor_ns: int
    plots: SignalStore  # the plotted signals over [cursor - span, cursor]
    values: np.ndarray  # float64, plant signal order: each signal's last value <= cursor
    last_times: np.ndarray  # int64 ns of each value; negative where none
    signal_states: np.ndarray  # int8 twin.status.State
    asset_states: np.ndarray  # int8, plant asset order
    live: bool = True  # the cursor follows the live edge (the clock is live)
    health: FleetHealth | None = None  # the fleet's health at the cursor, where monitored


class FrameBuilder:
    """Reads ``reader`` (and ``health``, when the fleet is monitored) at the clock's
    cursor and evaluates states, for one frame."""

    def __init__(
        self,
        plant: Plant,
        reader: SeriesReader,
        clock: PlaybackClock,
        health: HealthSource | None = None,
    ) -> None:
        self.plant = plant
        self.reader = reader
        self.clock = clock
        self.health = health
        self.evaluator = StatusEvaluator(plant)
        self.states = FrameStates(self.evaluator)  # evaluated again only when they can change
        self.signal_ids = self.evaluator.signal_ids
        self.plotted: tuple[str, ...] = ()
        self.span_ns = DEFAULT_SPAN_S * NS_PER_S
        # Each plot panel (the main window's is ``None``, a second window's its own key)
        # asks for its signals and span; a frame holds them all, over the longest span.
        self._plotted_by: dict[object, tuple[str, ...]] = {}
        self._span_by: dict[object, int] = {}

    def set_span_s(self, seconds: int, owner: object = None) -> None:
        """The plots of ``owner`` now show ``seconds``."""
        self._span_by[owner] = int(seconds) * NS_PER_S
        self._combine()

    def set_plotted(self, signal_ids: tuple[str, ...], owner: object = None) -> None:
        """The plots of ``owner`` now show these signals."""
        self._plotted_by[owner] = tuple(signal_ids)
        self._combine()

    def forget(self, owner: object) -> None:
        """``owner``'s plots are gone: frames no longer read for them."""
        self._plotted_by.pop(owner, None)
        self._span_by.pop(owner, None)
        self._combine()

    def _combine(self) -> None:
        every = (s for ids in self._plotted_by.values() for s in ids)
        self.plotted = tuple(dict.fromkeys(every))  # once each, in order
        self.span_ns = max(self._span_by.values(), default=DEFAULT_SPAN_S * NS_PER_S)

    def wait_ready(self, cursor_ns: int, timeout: float = 30.0) -> bool:
        """Block until the data of the frame at ``cursor_ns`` is loaded (headless
        screenshots, exports, tests); True when it is."""
        return self.reader.wait_ready(
            self.signal_ids, cursor_ns, self.plotted, self.span_ns, OVERVIEW_BINS, timeout
        )

    def build(self, cursor_ns: int) -> Frame | None:
        """The frame at ``cursor_ns``; None while its data is still loading."""
        clock = self.clock
        rate = clock.rate if clock.playing else 0.0
        got = self.reader.values_at(self.signal_ids, cursor_ns, rate)
        plots = self.reader.range(
            self.plotted, cursor_ns - self.span_ns, cursor_ns, OVERVIEW_BINS, rate
        )
        if got is None or plots is None:
            return None
        values, last_times = got
        signal_states, asset_states = self.states.states(values, last_times, cursor_ns)
        return Frame(
            cursor_ns=cursor_ns,
            plots=plots,
            values=values,
            last_times=last_times,
            signal_states=signal_states,
            asset_states=asset_states,
            live=clock.is_live,
            health=None if self.health is None else self.health.health_at(cursor_ns),
        )
