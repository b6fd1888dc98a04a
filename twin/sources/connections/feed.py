"""What every push-style connector (MQTT, OPC UA) shares: per-signal buffers that coalesce
messages into batches, the NaN that marks a gap, and the flusher thread.

Coalescing: a network thread pushes single samples; every ``coalesce_s`` (50 ms by
default) the flusher hands each signal's pending samples to the sink as one batch. At
20,000 messages/s that is 20 batches/s per signal instead of one per message, which keeps
the ingest queue short.

Gaps (signal quality): NaN is "no value" in the ring buffers and the history, and plots
draw it as a gap. A signal that has had a value ends it with one NaN sample when
  * its connection goes down, or
  * it has had no data for ``stale_periods`` periods (``1 / rate_hz``; at least three
    coalescing intervals, so that batching alone never looks like a gap). The connection
    option ``stale_periods`` sets it: 3 by default for MQTT; off (0) by default for
    OPC UA, whose servers report a value only when it changes (a steady value is not a
    missing one; the subscription's keep-alive tells a dead link).
Held values: a connector that knows its link is alive although a signal sends nothing (an
OPC UA subscription's keep-alive: "nothing changed") says so with ``vouch(until_ns)``. Each
live signal then gets its last value again, stamped ``until_ns``, at most every ``HOLD_S``
or its sample period, whichever is longer. The stamp is our clock, not the value's own
timeline: a steady value's source timestamp is when it last changed, which may be hours
ago. A signal whose last sample is already later than ``until_ns`` (a device clock ahead
of ours) needs no re-stamp until our clock passes it. The store, the history, the status
colours and the no-data alarms all see a steady value as current, live and in replay,
without asking where it came from; when the vouching stops (the subscription dies), so do
the re-stamps and the signal goes "no data" after its stale time as any other. A real
sample that arrives stamped at or before a re-stamp (a device clock behind ours by more
than the connector's margin) is moved to just after it rather than lost.

The NaN is stamped 1 ns after the signal's last sample, not "now": a later NaN would make
the store reject (as out of order) every sample that was stamped before it but arrives
after it, such as QoS 1 messages a broker queued during an outage or messages delayed
under load, and device clocks need not agree with ours. So a plot's line stops at the
last value. One NaN per gap: the next real value ends it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from twin.batch import Batch, ChannelGroup
from twin.plant.model import Connection, Signal
from twin.sources.base import BatchSink
from twin.sources.connections.health import ConnectionHealth, ConnState
from twin.sources.connections.payload import Column, Sample
from twin.timebase import NS_PER_S
from twin.values import NO_INT, from_python, is_int

log = logging.getLogger(__name__)

STALE_PERIODS = 3.0
DEFAULT_COALESCE_S = 0.05
HOLD_S = 0.5  # a vouched steady value is re-stamped at most this often (or once a period)


class SignalFeed:
    """Thread-safe per-signal sample buffers; ``flush`` turns them into batches."""

    def __init__(
        self,
        groups: Sequence[ChannelGroup],
        coalesce_s: float = DEFAULT_COALESCE_S,
        stale_periods: float = STALE_PERIODS,
    ) -> None:
        self.groups = tuple(groups)
        n = len(self.groups)
        self._lock = threading.Lock()
        self._t: list[list[int]] = [[] for _ in range(n)]
        self._v: list[list[float]] = [[] for _ in range(n)]
        self._dirty: set[int] = set()
        self._recv = [0] * n  # wall time of each signal's latest push
        floor = 3 * coalesce_s * NS_PER_S
        self._stale_ns = [
            max(stale_periods * NS_PER_S / g.rate_hz, floor) if stale_periods > 0 else math.inf
            for g in self.groups
        ]
        self._hold_ns = [max(HOLD_S, 1.0 / g.rate_hz) * NS_PER_S for g in self.groups]
        self._vouched_ns = 0  # wall time up to which the connector vouches for its signals
        # Touched by the flusher only:
        self._last_t = [0] * n  # newest timestamp handed out
        self._real_t = [0] * n  # newest timestamp of a real (not re-stamped) sample
        self._last_v: list[float | int] = [math.nan] * n  # value of the newest real sample
        # int64 signals: values stay exact ints, "no value" is NO_INT (twin.values)
        self._dtype = [np.dtype(np.int64 if g.dtype == "int64" else np.float64) for g in groups]
        self._none: list[float | int] = [NO_INT if is_int(d) else math.nan for d in self._dtype]
        self._live: set[int] = set()  # signals with a value that no NaN has ended yet
        self.down = True

    def push(self, samples: Iterable[Sample], recv_ns: int) -> None:
        """Queue samples (index, t ns, value) that arrived at wall time ``recv_ns``."""
        with self._lock:
            for index, t, v in samples:
                self._t[index].append(t)
                self._v[index].append(v)
                self._recv[index] = recv_ns
                self._dirty.add(index)

    def push_columns(self, columns: Iterable[Column], recv_ns: int) -> None:
        """Queue samples signal by signal, (index, [t ns], [value]) each, that arrived by
        wall time ``recv_ns``: one lock for a whole burst of messages."""
        with self._lock:
            for index, ts, vs in columns:
                self._t[index].extend(ts)
                self._v[index].extend(vs)
                self._recv[index] = recv_ns
                self._dirty.add(index)

    def vouch(self, until_ns: int) -> None:
        """Every signal that sent nothing since its last value still has that value, as of
        wall time ``until_ns`` (see "Held values" above); from any thread."""
        self._vouched_ns = max(self._vouched_ns, until_ns)

    def flush(self, now_ns: int) -> list[Batch]:
        """Batches of the pending samples, and a NaN for each signal whose data stopped."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            taken = {i: (self._t[i], self._v[i]) for i in dirty}
            for i in dirty:
                self._t[i], self._v[i] = [], []
            recv = self._recv  # ints, replaced whole: a racy read is one push stale at most
        out: list[Batch] = []
        # Only signals with news or a value to end: a connection may carry 10,000 signals.
        for i in sorted(self._live | taken.keys()):
            t = v = None
            if i in taken:
                ts, vs = taken[i]
                t, v = _ordered(np.array(ts, dtype=np.int64), from_python(vs, self._dtype[i]))
                t, v = self._after_held(i, t, v)
                self._last_t[i] = max(self._last_t[i], int(t[-1]))
                self._real_t[i], self._last_v[i] = self._last_t[i], v[-1].item()
                self._live.add(i)
            if i in self._live and not self.down and self._held_due(i):
                t_held, v_held = self._last_t[i], self._last_v[i]
                t = np.array([t_held]) if t is None else np.append(t, t_held)
                held = np.array([v_held], self._dtype[i])
                v = held if v is None else np.append(v, held)
            if i in self._live and (self.down or now_ns - recv[i] > self._stale_ns[i]):
                t_nan = self._last_t[i] + 1
                self._last_t[i] = t_nan
                self._live.discard(i)
                gap = np.array([self._none[i]], self._dtype[i])
                if t is None or v is None:
                    t, v = np.array([t_nan], dtype=np.int64), gap
                else:
                    t, v = np.append(t, t_nan), np.append(v, gap)
            if t is not None and v is not None:
                out.append(Batch(self.groups[i].key, t, v.reshape(1, -1)))
        return out

    def _held_due(self, i: int) -> bool:
        """Whether a vouch makes a re-stamp of signal ``i``'s last value due; if so, its
        time becomes the newest (``_last_t``). A last sample stamped long ago (a steady
        value's initial notification) is re-stamped in the same batch."""
        until = self._vouched_ns
        last = self._last_v[i]
        if last == self._none[i] or last != last or until - self._last_t[i] < self._hold_ns[i]:
            return False
        self._last_t[i] = until
        return True

    def _after_held(self, i: int, t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Real samples stamped between the last real one and a later re-stamp, moved to
        just after the re-stamp: a re-stamp must never cost a real value."""
        late = (t > self._real_t[i]) & (t <= self._last_t[i])
        if self._last_t[i] == self._real_t[i] or not late.any():
            return t, v
        t = t.copy()
        t[late] = self._last_t[i] + 1 + np.arange(int(late.sum()), dtype=np.int64)
        return _ordered(t, v)


def _ordered(t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort by time and keep the last value of equal timestamps (a batch's t must be
    strictly increasing); the common in-order case costs one comparison pass."""
    if t.shape[0] > 1 and not bool(np.all(t[1:] > t[:-1])):
        order = np.argsort(t, kind="stable")
        t, v = t[order], v[order]
        keep = np.append(t[1:] != t[:-1], True)
        t, v = t[keep], v[keep]
    return t, v


class ConnectorSource:
    """Base of the connector sources: ``groups``, ``health``, start/stop of a network
    thread (``_run``, implemented by the subclass) and, for push-style connectors, the
    flusher thread of a `SignalFeed`.

    ``signals`` are the plant signals bound to this connection, in a fixed order: a
    signal's index in it is its index in the feed.
    """

    protocol = ""
    default_stale_periods = STALE_PERIODS

    def __init__(
        self,
        connection: Connection,
        signals: Sequence[Signal],
        endpoint: str,
        groups: Sequence[ChannelGroup] | None = None,
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        self.connection = connection
        self.signals = tuple(signals)
        self.name = f"{self.protocol}:{connection.id}"
        self.endpoint = endpoint
        self._clock = clock
        self._groups = tuple(
            groups
            if groups is not None
            else (
                ChannelGroup(f"{self.protocol}/{connection.id}/{s.id}", (s.id,), s.rate_hz, s.dtype)
                for s in self.signals
            )
        )
        coalesce_ms = connection.options.get("coalesce_ms", DEFAULT_COALESCE_S * 1000)
        self.coalesce_s = float(coalesce_ms) / 1000  # type: ignore[arg-type]
        stale = connection.options.get("stale_periods", self.default_stale_periods)
        self.feed = SignalFeed(self._groups, self.coalesce_s, float(stale))  # type: ignore[arg-type]
        logger = logging.getLogger(type(self).__module__)
        self.health = ConnectionHealth(connection.id, self.protocol, endpoint, logger)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sink: BatchSink | None = None

    def groups(self) -> tuple[ChannelGroup, ...]:
        return self._groups

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def start(self, sink: BatchSink) -> None:
        """Start the network thread (and the flusher); a source starts once."""
        if self._threads or self._stop.is_set():
            raise RuntimeError(f"{self.name} was already started or stopped")
        self._sink = sink
        tag = f"twindeck-{self.protocol}-{self.connection.id}"
        self._threads = [threading.Thread(target=self._guarded_run, name=tag, daemon=True)]
        if self._pushes:
            self._threads.append(
                threading.Thread(target=self._flush_loop, name=f"{tag}-feed", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Disconnect, hand out what is pending, end live signals with a NaN; idempotent."""
        self._stop.set()
        self._interrupt()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout_s)
                if thread.is_alive():
                    log.warning(
                        "%s: thread %s did not stop in %.1f s", self.name, thread.name, timeout_s
                    )
        self.health.set_state(ConnState.STOPPED)

    # --- for subclasses -----------------------------------------------------------------

    _pushes = True  # False for polling connectors that build their own batches

    def _run(self) -> None:
        raise NotImplementedError

    def _interrupt(self) -> None:
        """Wake the network thread so that it sees the stop flag (close a socket, ...)."""

    def _emit(self, batch: Batch) -> None:
        if self._sink is not None:
            self._sink(batch)

    def _set_down(self, down: bool) -> None:
        self.feed.down = down

    # --- threads ------------------------------------------------------------------------

    def _guarded_run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # a bug must show in the health, not kill the app
            log.exception("%s: connector thread failed", self.name)
            self.health.set_state(ConnState.FAILED, f"{self.endpoint}: internal error: {exc!r}")
        finally:
            self._set_down(True)

    def _flush_loop(self) -> None:
        while not self._stop.wait(self.coalesce_s):
            self._flush_once()
        self._threads[0].join(5.0)  # the network thread's last pushes come first
        self.feed.down = True  # stopping: end every live signal with a NaN
        self._flush_once()

    def _flush_once(self) -> None:
        try:
            for batch in self.feed.flush(self._clock()):
                self._emit(batch)
        except Exception:
            log.exception("%s: flushing samples failed", self.name)
