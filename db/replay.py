"""ReplayFeeder: keeps a replay SignalStore filled from the history around the cursor.

The views draw a replay exactly as they draw live data: from a ``SignalStore`` with the
same channel groups, read at the clock's cursor. The feeder loads
``[cursor - span - behind, cursor + ahead]`` on a worker thread into a *fresh* store and
publishes it, with its range, as one immutable ``ReplayWindow`` by swapping a single
reference under a lock. The GUI thread therefore only ever sees complete stores, and
since a published store is never written again, reading it needs no care at all.

Reloads happen only when the cursor's needs leave what is loaded (or being loaded): the
plotted span ``[cursor - span, cursor]`` plus half the prefetch in the play direction, so
the next load starts while the cursor still has data ahead. Requests coalesce: the worker
serves only the newest one, and drops a finished load that no longer covers the newest
request (a far seek made while it ran).

Decimated (pyramid) loads for zoomed-out spans are not done yet: every load is raw.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from db.engine import History
from db.errors import HistoryError, translate
from db.reader import HistoryReader, Series
from twin.batch import Batch, ChannelGroup
from twin.ring import NO_TIME, RingBuffer
from twin.store import SignalStore
from twin.timebase import NS_PER_S

log = logging.getLogger(__name__)

DEFAULT_SPAN_NS = 600 * NS_PER_S  # the plots' default span
DEFAULT_PREFETCH_NS = 60 * NS_PER_S
# At high replay speeds prefetch at least this many wall seconds of replay ahead, so that
# a load (hundreds of ms for a big plant) finishes before the cursor runs out of data.
LEAD_WALL_S = 10.0

_T_MIN = int(np.iinfo(np.int64).min)
_T_MAX = int(np.iinfo(np.int64).max)


@dataclass(frozen=True, slots=True)
class ReplayWindow:
    """A complete replay store and the range [t0, t1] (inclusive) loaded into it."""

    store: SignalStore
    t0: int
    t1: int
    generation: int
    samples: int

    def covers(self, t0: int, t1: int) -> bool:
        return self.t0 <= t0 and t1 <= self.t1


@dataclass(frozen=True, slots=True)
class _Request:
    t0: int  # range to load, inclusive
    t1: int
    need: tuple[int, int]  # what the cursor needed when asking
    generation: int

    def covers(self, t0: int, t1: int) -> bool:
        return self.t0 <= t0 and t1 <= self.t1


class ReplayFeeder:
    """Loads history around a cursor into replay stores on a thread of its own.

    ``groups`` are the live store's channel groups. ``on_loaded`` is called on the worker
    thread after each published load (the app forwards it to the GUI through a Qt
    signal). ``reader_factory`` makes the worker's own HistoryReader (readers are
    one-thread objects). Call ``close()`` when done.
    """

    def __init__(
        self,
        history: History,
        groups: Sequence[ChannelGroup],
        *,
        span_ns: int = DEFAULT_SPAN_NS,
        prefetch_ns: int = DEFAULT_PREFETCH_NS,
        lead_wall_s: float = LEAD_WALL_S,
        on_loaded: Callable[[ReplayWindow], None] | None = None,
        reader_factory: Callable[[History], HistoryReader] = HistoryReader,
    ) -> None:
        if span_ns <= 0 or prefetch_ns < 0:
            raise ValueError("span_ns must be > 0 and prefetch_ns >= 0")
        self.history = history
        self.groups = tuple(groups)
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
        self._thread = threading.Thread(
            target=self._run, name="twindeck-replay-feeder", daemon=True
        )
        self._thread.start()

    # ------------------------------------------------------------- GUI thread side
    def request(self, cursor: int, span_ns: int | None = None, rate: float = 1.0) -> bool:
        """Make sure the data around ``cursor`` is (being) loaded; cheap enough to call
        every frame. ``span_ns`` is the plotted span (default: the feeder's), ``rate`` the
        replay speed: its sign gives the play direction, its size the prefetch. Returns
        True when this queued a load."""
        span = self.span_ns if span_ns is None else max(1, int(span_ns))
        ahead = max(self.prefetch_ns, round(abs(rate) * self.lead_wall_s * NS_PER_S))
        half = ahead // 2
        if rate >= 0:
            need = (cursor - span, cursor + half)
            want = (cursor - span - half, cursor + ahead)
        else:
            need = (cursor - span - half, cursor)
            want = (cursor - span - ahead, cursor + half)
        with self._cond:
            if self._closing:
                return False
            for have in (self._pending, self._inflight, self._current, self._failed):
                if have is not None and have.generation > self._valid_after and have.covers(*need):
                    return False
            self._generation += 1
            self._pending = _Request(want[0], want[1], need, self._generation)
            self._cond.notify_all()
            return True

    def current(self) -> ReplayWindow | None:
        """The newest complete load (possibly not around the cursor yet), or None."""
        with self._cond:
            return self._current

    def current_store(self) -> SignalStore | None:
        window = self.current()
        return None if window is None else window.store

    def window_for(self, cursor: int, span_ns: int | None = None) -> ReplayWindow | None:
        """The newest load if it holds ``[cursor - span, cursor]``, else None (loading)."""
        span = self.span_ns if span_ns is None else int(span_ns)
        window = self.current()
        if window is None or not window.covers(cursor - span, cursor):
            return None
        return window

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
            return idle and w is not None and w.covers(cursor - span, cursor)

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
        """Read [t0, t1] of every group into a new store; None when closed meanwhile."""
        blocks: list[tuple[ChannelGroup, np.ndarray, np.ndarray]] = []
        for group in self.groups:
            if self._closing:
                return None
            series = reader.read_many(group.signal_ids, req.t0, req.t1 + 1)  # half-open
            blocks.extend(_group_blocks(group, [series[s] for s in group.signal_ids]))
        # Size every ring for what was read (rates are nominal; timestamps may be denser).
        retention_s = max([1.0, *((t.shape[0] + 1) / g.rate_hz for g, t, _ in blocks)])
        store = SignalStore([g for g, _, _ in blocks], retention_s=retention_s)
        samples = 0
        for group, t, v in blocks:
            if t.shape[0]:
                samples += store.append(Batch(group.key, t, v)) * group.channels
        return ReplayWindow(store, req.t0, req.t1, req.generation, samples)


def _group_blocks(
    group: ChannelGroup, series: list[Series]
) -> list[tuple[ChannelGroup, np.ndarray, np.ndarray]]:
    """One (group, t, v) block when every channel was recorded at the same timestamps (as
    the recorder writes a group); otherwise (a signal added to the group later, say) one
    single-signal group per signal, so no signal gets NaN holes from another's times."""
    ts = [s[0] for s in series]
    first = next((t for t in ts if t.shape[0]), None)
    if first is None:
        return [(group, np.empty(0, np.int64), np.empty((group.channels, 0), np.float32))]
    if all(t is first or np.array_equal(t, first) for t in ts):
        return [(group, first, np.stack([s[1] for s in series]))]
    return [
        (ChannelGroup(f"{group.key}/{sid}", (sid,), group.rate_hz), t, v.reshape(1, -1))
        for sid, (t, v) in zip(group.signal_ids, series, strict=True)
    ]


# --------------------------------------------------------------- values at a time
@dataclass(frozen=True, slots=True)
class _Segment:
    ring: RingBuffer
    channels: np.ndarray  # channel index in the ring, per output position
    out: np.ndarray  # output positions


_plans: weakref.WeakKeyDictionary[SignalStore, dict[tuple[str, ...], tuple[_Segment, ...]]]
_plans = weakref.WeakKeyDictionary()
_plans_lock = threading.Lock()


def latest_values_at(
    store: SignalStore, signal_ids: Sequence[str], t: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each signal's newest value (float64) at or before ``t`` and its time (int64), in
    order; NaN and ``NO_TIME`` where a signal has none. ``store.latest_values`` at a
    cursor: the frame at ``t`` never shows a sample from after ``t``.

    One search per group, not per signal. Exact on replay stores (never written after
    they are published); on a live store a value can only be torn when ``t`` falls among
    the oldest samples at the moment the writer overwrites them.
    """
    segments = _plan(store, signal_ids)
    values = np.full(len(signal_ids), np.nan, dtype=np.float64)
    times = np.full(len(signal_ids), NO_TIME, dtype=np.int64)
    hi = min(int(t), _T_MAX - 1)  # window() searches for t + 1
    for seg in segments:
        ts, vs = seg.ring.window(_T_MIN, hi)
        if ts.shape[0]:
            times[seg.out] = ts[-1]
            values[seg.out] = vs[seg.channels, -1]
    return values, times


def _plan(store: SignalStore, signal_ids: Sequence[str]) -> tuple[_Segment, ...]:
    key = signal_ids if isinstance(signal_ids, tuple) else tuple(signal_ids)
    with _plans_lock:
        per_store = _plans.setdefault(store, {})
        plan = per_store.get(key)
    if plan is not None:
        return plan
    by_group: dict[str, tuple[list[int], list[int]]] = {}
    for i, sid in enumerate(key):
        group, ch = store.locate(sid)
        chans, out = by_group.setdefault(group, ([], []))
        chans.append(ch)
        out.append(i)
    plan = tuple(
        _Segment(store.ring(g), np.array(c, dtype=np.intp), np.array(o, dtype=np.intp))
        for g, (c, o) in by_group.items()
    )
    with _plans_lock:
        if len(per_store) >= 8:  # frames reuse one or two tuples of ids
            per_store.clear()
        per_store[key] = plan
    return plan
