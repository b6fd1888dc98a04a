"""The simulator as a telemetry source: a daemon thread that keeps it level with a clock."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from twin.batch import ChannelGroup
from twin.sources.base import BatchSink
from twin.sources.sim import Simulator
from twin.timebase import NS_PER_S

log = logging.getLogger(__name__)

# Catching up a long gap (fast-forward, a suspended laptop) in one advance would build one
# huge batch per group; hand it to the sink in slices of this much simulated time instead.
MAX_STEP_NS = 10 * NS_PER_S


class SimulatorSource:
    """Runs a ``Simulator`` on its own thread, advancing it to ``clock()`` every tick.

    ``clock`` returns ns since the epoch (injectable for tests and replays). If ``advance``
    or the sink raises, the error is logged, kept in ``last_error`` and the thread stops.
    """

    name = "simulator"

    def __init__(
        self,
        simulator: Simulator,
        tick_s: float = 0.1,
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        if not tick_s > 0:
            raise ValueError(f"tick_s must be positive, got {tick_s!r}")
        self.simulator = simulator
        self.tick_s = tick_s
        self._clock = clock
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one advance at a time: thread vs fast_forward
        self._thread: threading.Thread | None = None
        self.last_error: BaseException | None = None

    def groups(self) -> tuple[ChannelGroup, ...]:
        return self.simulator.groups()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, sink: BatchSink) -> None:
        """Start the producing thread; a source starts once and cannot restart after stop."""
        if self._thread is not None or self._stop.is_set():
            raise RuntimeError("SimulatorSource was already started or stopped")
        self._thread = threading.Thread(
            target=self._run, args=(sink,), name="twin-simulator", daemon=True
        )
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop and join the thread; idempotent, and fine before ``start``."""
        self._stop.set()
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            return
        thread.join(timeout_s)
        if thread.is_alive():
            log.warning(
                "simulator thread did not stop within %.1f s (blocked in the sink?)", timeout_s
            )

    def fast_forward(self, until_ns: int, sink: BatchSink) -> None:
        """Produce everything up to ``until_ns`` synchronously, on the caller's thread."""
        self._pump(until_ns, sink, interruptible=False)

    def _pump(self, until_ns: int, sink: BatchSink, *, interruptible: bool) -> None:
        with self._lock:
            sim = self.simulator
            while sim.now_ns < until_ns:
                if interruptible and self._stop.is_set():
                    return
                for batch in sim.advance(min(until_ns, sim.now_ns + MAX_STEP_NS)):
                    sink(batch)

    def _run(self, sink: BatchSink) -> None:
        try:
            while not self._stop.is_set():
                self._pump(self._clock(), sink, interruptible=True)
                # wait() rather than sleep(): stop() wakes the thread at once.
                self._stop.wait(self.tick_s)
        except Exception as exc:
            self.last_error = exc
            log.exception("simulator source stopped after an error")
