"""The ingest thread: moves batches from sources into the signal store and on to sinks.

Sources call :meth:`Ingestor.offer` from their own threads; it never blocks. One thread
drains the queue, so every ring buffer has exactly one writer. Sinks (the alarm engine,
the history writer, and whatever a composition adds) see each batch after it is in the
store; a sink must not block either. Sinks are isolated from each other: one that raises
is counted and named (``sink_errors``), and every other sink still gets the batch.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from twin.batch import Batch
from twin.store.signal_store import SignalStore

log = logging.getLogger(__name__)

BatchSinkFn = Callable[[Batch], object]
_STOP = object()


@dataclass(frozen=True, slots=True)
class Sink:
    """A named consumer of every stored batch (the name shows in errors and counts)."""

    name: str
    consume: BatchSinkFn


@dataclass(slots=True)
class SinkFailure:
    """How often one sink raised, and its last error."""

    count: int = 0
    last: str = ""


class Ingestor:
    """Single writer of a :class:`SignalStore`, fed through a bounded queue."""

    def __init__(self, store: SignalStore, queue_size: int = 10_000) -> None:
        self.store = store
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._sinks: list[Sink] = []
        self.sink_errors: dict[str, SinkFailure] = {}
        self._thread: threading.Thread | None = None
        self.batches_in = 0
        self.samples_in = 0
        self.dropped_batches = 0
        self.last_error: str | None = None

    def add_sink(self, sink: Sink | BatchSinkFn) -> None:
        """Call ``sink`` on the ingest thread after each batch is stored."""
        if not isinstance(sink, Sink):
            sink = Sink(getattr(sink, "__qualname__", repr(sink)), sink)
        if any(s.name == sink.name for s in self._sinks):
            raise ValueError(f"an ingest sink named {sink.name!r} is already connected")
        self._sinks.append(sink)

    @property
    def sinks(self) -> tuple[str, ...]:
        """The connected sinks' names, in the order they see each batch."""
        return tuple(s.name for s in self._sinks)

    def offer(self, batch: Batch) -> bool:
        """Queue a batch from any thread; False (and counted) when the queue is full."""
        try:
            self._queue.put_nowait(batch)
        except queue.Full:
            self.dropped_batches += 1
            if self.dropped_batches == 1:
                log.warning("ingest queue full: dropping batches (the store is not keeping up)")
            return False
        return True

    def ingest(self, batch: Batch) -> None:
        """Store one batch and pass it to the sinks, on the calling thread."""
        self.samples_in += self.store.append(batch) * batch.v.shape[0]
        self.batches_in += 1
        for sink in self._sinks:
            try:
                sink.consume(batch)
            except Exception as exc:  # isolated: the other sinks still get this batch
                self._sink_failed(sink, exc)

    def _sink_failed(self, sink: Sink, exc: Exception) -> None:
        failure = self.sink_errors.setdefault(sink.name, SinkFailure())
        failure.count += 1
        failure.last = f"{type(exc).__name__}: {exc}"
        if failure.count == 1:
            log.exception("ingest sink %r failed (counted; other sinks unaffected)", sink.name)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="twindeck-ingest", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Drain what is queued, then stop the thread; idempotent."""
        if self._thread is None:
            return
        self._queue.put(_STOP)
        self._thread.join(timeout)
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            try:
                self.ingest(item)  # type: ignore[arg-type]
            except Exception as exc:  # one bad batch must not stop the plant's data
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("ingest failed for a batch")
