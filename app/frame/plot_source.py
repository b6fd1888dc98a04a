"""Where the plots read from: the live store, or the history at plot resolution.

The plots show the selected asset's signals over ``[cursor - span, cursor]``, for spans
from seconds to a day. Replaying, and live when the span reaches beyond what the live
store keeps, they read an overview of just those signals from the history (raw where a
plot bin holds at most one sample, min/max per bin beyond), loaded by a feeder of their
own beside the one that loads the values at the cursor.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from app.spans import DEFAULT_SPAN_S
from db.read.feeder import ReplayFeeder
from db.read.loaders import OverviewLoader
from twin.plant.model import Plant
from twin.store.signal_store import SignalStore
from twin.timebase import NS_PER_S

# Bins across the plotted span: about one per pixel of a wide plot. Each is drawn as a
# min and a max, and pyqtgraph's peak downsampling takes it from there.
OVERVIEW_BINS = 2000
# Paused or playing slowly, an overview reaches 1/PREFETCH_SPANS of its span ahead.
PREFETCH_SPANS = 16
# While live, a history overview is re-read this often (its right edge lags by as much).
LIVE_REFRESH_NS = 2 * NS_PER_S


class PlotSource:
    """Picks the store the plots read for each frame, loading overviews through ``feeder``."""

    def __init__(self, plant: Plant, feeder: ReplayFeeder | None, live_span_limit_ns: int) -> None:
        self.plant = plant
        self.feeder = feeder
        self.live_span_limit_ns = live_span_limit_ns  # what the live store holds
        self.signal_ids: tuple[str, ...] = ()
        self.span_ns = DEFAULT_SPAN_S * NS_PER_S
        self._refreshed_at: int | None = None

    def set_signals(self, signal_ids: Sequence[str]) -> None:
        """The plots now show these signals."""
        self.signal_ids = tuple(signal_ids)
        self._reload()

    def set_span_ns(self, span_ns: int) -> None:
        """The plots now show this much time."""
        self.span_ns = int(span_ns)
        self._reload()

    def _reload(self) -> None:
        if self.feeder is None or not self.signal_ids:
            return
        rates = tuple(self.plant.signal(sid).rate_hz for sid in self.signal_ids)
        self.feeder.set_loader(OverviewLoader(self.signal_ids, rates, self.span_ns, OVERVIEW_BINS))
        self._refreshed_at = None

    @property
    def wanted(self) -> bool:
        """True when the plots show something that only the history can give."""
        return self.feeder is not None and bool(self.signal_ids)

    def replay_store(self, cursor_ns: int, rate: float) -> SignalStore | None:
        """The overview around ``cursor_ns`` when loaded, else None (loading)."""
        feeder = self.feeder
        if feeder is None:
            return None
        self._request(cursor_ns, rate)
        window = feeder.window_for(cursor_ns, self.span_ns)
        return None if window is None else window.store

    def _request(self, cursor_ns: int, rate: float) -> None:
        assert self.feeder is not None
        prefetch = self.span_ns // PREFETCH_SPANS
        self.feeder.request(cursor_ns, self.span_ns, rate, prefetch_ns=prefetch)

    def wait_loaded(self, cursor_ns: int, timeout: float) -> bool:
        """Block until the overview around ``cursor_ns`` is loaded; True when it is."""
        if self.feeder is None:
            return True
        self._request(cursor_ns, 0.0)
        return self.feeder.wait_loaded(cursor_ns, self.span_ns, timeout) is not None

    def live_store(self, cursor_ns: int, live: SignalStore) -> SignalStore:
        """Live: ``live`` itself while the span fits in it; else the history's overview,
        re-read every LIVE_REFRESH_NS (``live`` until the first one is loaded)."""
        feeder = self.feeder
        if feeder is None or not self.signal_ids or self.span_ns <= self.live_span_limit_ns:
            return live
        now = time.monotonic_ns()
        if self._refreshed_at is None or now - self._refreshed_at >= LIVE_REFRESH_NS:
            feeder.invalidate()  # the recording grew: read its newest part again
            self._refreshed_at = now
        feeder.request(cursor_ns, self.span_ns, 0.0, prefetch_ns=LIVE_REFRESH_NS)
        window = feeder.current()
        if window is None or window.loader is not feeder.loader:
            return live
        return window.store
