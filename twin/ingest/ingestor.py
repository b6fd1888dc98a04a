"""The ingest thread: moves batches from sources into the signal store and on to sinks.

Sources call :meth:`Ingestor.offer` from their own threads; it never blocks. One thread
drains the queue, so every ring buffer has exactly one writer. Sinks (the history writer,
the alarm engine) see each batch after it is in the store; a sink must not block either.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from twin.batch import Batch
from twin.store.signal_store import SignalStore

log = logging.getLogger(__name__)

BatchSinkFn = Callable[[Batch], object]
_STOP = object()


class Ingestor:
    """Single writer of a :class:`SignalStore`, fed through a bounded queue."""

    def __init__(self, store: SignalStore, queue_size: int = 10_000) -> None:
        self.store = store
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._sinks: list[BatchSinkFn] = []
        self._thread: threading.Thread | None = None
        self.batches_in = 0
        self.samples_in = 0
        self.dropped_batches = 0
        self.last_error: str | None = None

    def add_sink(self, sink: BatchSinkFn) -> None:
        """Call ``sink(batch)`` on the ingest thread after each batch is stored."""
        self._sinks.append(sink)

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
            sink(batch)

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
