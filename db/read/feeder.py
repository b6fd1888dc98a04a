"""ReplayFeeder: keeps a replay SignalStore filled from the history around the cursor.

The views draw a replay exactly as they draw live data: from a ``SignalStore``, read at
the clock's cursor. A feeder loads ``[cursor - behind, cursor + ahead]`` on a worker
thread into a *fresh* store (what a load reads is its loader's job: see
``db.read.loaders``) and publishes it, with its range, as one immutable
``ReplayWindow`` by swapping a single reference under a lock. The GUI thread therefore
only ever sees complete stores, and since a published store is never written again,
reading it needs no care at all.

Reloads happen only when the cursor's needs leave what is loaded (or being loaded):
``[cursor - behind, cursor]`` plus half the prefetch in the play direction, so the next
load starts while the cursor still has data ahead. The prefetch grows with the replay
speed (``lead_wall_s`` of wall time ahead), so that each load stays small and the data
read per wall second is what the replay consumes. Requests coalesce: the worker serves
only the newest one, and drops a finished load that no longer covers the newest request
(a far seek made while it ran). Changing the loader (the plotted signals, the zoom)
makes every earlier load stale at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from db.engine import History
from db.errors import HistoryError, translate
from db.read.loaders import samples_in
from db.read.reader import HistoryReader
from twin.store.signal_store import SignalStore
from twin.timebase import NS_PER_S

log = logging.getLogger(__name__)

# Defaults of a feeder: how far behind the cursor a request needs data when it names no
# span, and the least it loads ahead (the app's feeders set both).
DEFAULT_SPAN_NS = 600 * NS_PER_S
DEFAULT_PREFETCH_NS = 60 * NS_PER_S
# At high replay speeds prefetch this many wall seconds of replay ahead: the next load
# starts when half of it is left, and must finish within that half.
LEAD_WALL_S = 1.0


class WindowLoader(Protocol):
    """Reads one load's range [t0, t1] (inclusive) into a new store."""

    def load(
        self, reader: HistoryReader, t0: int, t1: int, closing: Callable[[], bool]
    ) -> SignalStore | None: ...


@dataclass(frozen=True, slots=True)
class ReplayWindow:
    """A complete replay store and the range [t0, t1] (inclusive) loaded into it."""

    store: SignalStore
    t0: int
    t1: int
    generation: int
    samples: int
    loader: WindowLoader

    def covers(self, t0: int, t1: int) -> bool:
        return self.t0 <= t0 and t1 <= self.t1


@dataclass(frozen=True, slots=True)
class _Request:
    t0: int  # range to load, inclusive
    t1: int
    need: tuple[int, int]  # what the cursor needed when asking
    generation: int
    loader: WindowLoader

    def covers(self, t0: int, t1: int) -> bool:
        return self.t0 <= t0 and t1 <= self.t1


class ReplayFeeder:
    """Loads history around a cursor into replay stores on a thread of its own.

    ``loader`` says what a load reads (``set_loader`` changes it). ``span_ns`` is how far
    behind the cursor a request needs data when it names no span. ``on_loaded`` is called
    on the worker thread after each published load (the app forwards it to the GUI
    through a Qt signal). ``reader_factory`` makes the worker's own HistoryReader
    (readers are one-thread objects). ``horizon``, for a history still being recorded,
    gives the newest time that can hold data (now): loads end there, so that a cursor
    replaying towards the live edge reloads instead of trusting an empty future. Call
    ``close()`` when done.
    """

    def __init__(
        self,
        history: History,
        loader: WindowLoader,
        *,
        span_ns: int = DEFAULT_SPAN_NS,
        prefetch_ns: int = DEFAULT_PREFETCH_NS,
        lead_wall_s: float = LEAD_WALL_S,
        on_loaded: Callable[[ReplayWindow], None] | None = None,
        reader_factory: Callable[[History], HistoryReader] = HistoryReader,
        name: str = "replay-feeder",
        horizon: Callable[[], int] | None = None,
    ) -> None:
        if span_ns <= 0 or prefetch_ns < 0:
            raise ValueError("span_ns must be > 0 and prefetch_ns >= 0")
        self.history = history
        self._loader = loader
        self._horizon = horizon
        self.span_ns = int(span_ns)
        self.prefetch_ns = int(prefetch_ns)
        self.lead_wall_s = float(lead_wall_s)
        self._on_loaded = on_loaded
        self._reader_factory = reader_factory
        self._cond = threading.Condition()
        self._pending: _Request | None = None
        self._inflight: _Request | None = None
        self._current: ReplayWindow | None = None
        self._failed: _Request | None = None  # not retried until the cursor leaves it
        self._generation = 0
        self._valid_after = 0  # loads of a generation <= this are stale (invalidate)
        self._closing = False
        self.loads = 0
        """Loads published so far."""
        self.last_error: HistoryError | None = None
        """Why the last load failed (cleared by the next published load)."""
        self._thread = threading.Thread(target=self._run, name=f"twindeck-{name}", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------- GUI thread side
    def request(
        self,
        cursor: int,
        span_ns: int | None = None,
        rate: float = 1.0,
        prefetch_ns: int | None = None,
    ) -> bool:
        """Make sure the data around ``cursor`` is (being) loaded; cheap enough to call
        every frame. ``span_ns`` is how far back the cursor needs data (default: the
        feeder's), ``rate`` the replay speed: its sign gives the play direction, its size
        the prefetch, which is at least ``prefetch_ns`` (default: the feeder's). Returns
        True when this queued a load."""
        span = self.span_ns if span_ns is None else max(1, int(span_ns))
        least = self.prefetch_ns if prefetch_ns is None else max(0, int(prefetch_ns))
        ahead = max(least, round(abs(rate) * self.lead_wall_s * NS_PER_S))
        half = ahead // 2
        back = min(half, span)  # a margin against the play direction, for small steps
        if rate >= 0:
            need = (cursor - span, cursor + half)
            want = (cursor - span - back, cursor + ahead)
        else:
            need = (cursor - span - half, cursor)
            want = (cursor - span - ahead, cursor + back)
        if self._horizon is not None:  # nothing is recorded beyond it yet: do not count on it
            edge = self._horizon()
            need = (need[0], max(need[0], min(need[1], edge)))
            want = (want[0], max(want[0], min(want[1], edge)))
        with self._cond:
            if self._closing:
                return False
            for have in (self._pending, self._inflight, self._current, self._failed):
                if have is not None and self._usable(have) and have.covers(*need):
                    return False
            self._generation += 1
            self._pending = _Request(want[0], want[1], need, self._generation, self._loader)
            self._cond.notify_all()
            return True

    def _usable(self, have: _Request | ReplayWindow) -> bool:
        return have.generation > self._valid_after and have.loader is self._loader

    @property
    def loader(self) -> WindowLoader:
        return self._loader

    def set_loader(self, loader: WindowLoader) -> None:
        """Read with ``loader`` from now on: earlier loads no longer count."""
        with self._cond:
            if loader is self._loader:
                return
            self._loader = loader
            self._valid_after = self._generation
            self._cond.notify_all()

    def current(self) -> ReplayWindow | None:
        """The newest complete load (possibly not around the cursor yet), or None."""
        with self._cond:
            return self._current

    def current_store(self) -> SignalStore | None:
        window = self.current()
        return None if window is None else window.store

    def window_for(self, cursor: int, span_ns: int | None = None) -> ReplayWindow | None:
        """The newest load if it holds ``[cursor - span, cursor]`` and was read by the
        current loader, else None (loading)."""
        span = self.span_ns if span_ns is None else int(span_ns)
        window = self.current()
        if window is None or window.loader is not self._loader:
            return None
        return window if window.covers(cursor - span, cursor) else None

    def wait_loaded(
        self, cursor: int, span_ns: int | None = None, timeout: float = 10.0
    ) -> ReplayWindow | None:
        """Block until no load is queued or running and the newest holds ``[cursor -
        span, cursor]``; returns it (None on timeout or a failed load). For tests and
        headless screenshots."""
        span = self.span_ns if span_ns is None else int(span_ns)

        def ready() -> bool:
            w = self._current
            idle = self._pending is None and self._inflight is None
            fits = w is not None and w.loader is self._loader and w.covers(cursor - span, cursor)
            return idle and fits

        with self._cond:
            errors = self.last_error
            self._cond.wait_for(
                lambda: ready() or self.last_error is not errors or self._closing, timeout
            )
            return self._current if ready() else None

    def invalidate(self) -> None:
        """Reload on the next ``request`` even where data is loaded (the recording grew,
        retention deleted some) or a load failed; the current window stays readable."""
        with self._cond:
            self._valid_after = self._generation

    def close(self, timeout: float = 10.0) -> None:
        """Stop the worker (abandoning a load in progress between groups); idempotent."""
        with self._cond:
            self._closing = True
            self._pending = None
            self._cond.notify_all()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("replay: the feeder thread did not stop within %.0f s", timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def __enter__(self) -> ReplayFeeder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ worker
    def _run(self) -> None:
        reader: HistoryReader | None = None
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closing)
                if self._closing:
                    return
                req = self._pending
                assert req is not None
                self._pending, self._inflight = None, req
            try:
                if reader is None:
                    reader = self._reader_factory(self.history)
                window = self._load(reader, req)
            except Exception as exc:
                err = translate(exc, self.history.where, "loading the replay")
                log.error("replay: %s", err)
                with self._cond:
                    self._inflight = None
                    self._failed = req
                    self.last_error = err
                    self._cond.notify_all()
                continue
            with self._cond:
                self._inflight = None
                newer = self._pending
                publish = window is not None and (newer is None or window.covers(*newer.need))
                if publish:
                    self._current = window
                    self._failed = None
                    self.loads += 1
                    self.last_error = None
                self._cond.notify_all()
            if publish and window is not None and self._on_loaded is not None:
                self._on_loaded(window)

    def _load(self, reader: HistoryReader, req: _Request) -> ReplayWindow | None:
        """Read the request's range with its loader; None when closed meanwhile."""
        store = req.loader.load(reader, req.t0, req.t1, lambda: self._closing)
        if store is None:
            return None
        return ReplayWindow(store, req.t0, req.t1, req.generation, samples_in(store), req.loader)
