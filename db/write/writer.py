"""HistoryWriter: records batches on its own thread, fed through a bounded queue.

The ingest thread calls ``offer(batch)``, which never blocks: when the queue is full the
batch is dropped and counted (the live view must not stall because the disk is slow). The
writer thread buffers per group, flushes at least once per ``flush_interval_s`` and on
``close()``, and stops recording (``last_error`` set, ``offer`` returning False) on a write
error such as a full disk, while the rest of the application keeps running. A compactor
thread (db.write.compactor) merges the slow groups' staged rows into chunks meanwhile.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from db import pyramid
from db.errors import ReadOnlyError, translate
from db.history import History
from db.write.compactor import Compactor, SliceInfo
from db.write.sink import ChunkSink, FlushInfo
from twin.batch import Batch, ChannelGroup
from twin.plant.model import Plant

log = logging.getLogger(__name__)

_STOP = object()


@dataclass(frozen=True, slots=True)
class WriterState:
    """A snapshot for the UI's recording indicator."""

    recording: bool
    rate_samples_per_s: float
    written_samples: int
    dropped_samples: int
    rejected_samples: int
    queue_depth: int
    last_error: str | None
    bytes_on_disk: int


class HistoryWriter:
    """Record the batches of ``groups`` into ``history`` from a thread of its own.

    ``queue_size`` bounds the batches waiting for the thread; ``max_pending_samples``
    forces an early flush so memory stays bounded at high rates. ``on_flush`` is called on
    the writer thread after each committed flush (tests and diagnostics). ``compact`` runs
    the compactor beside it (``on_compact``: called after each committed slice).
    """

    def __init__(
        self,
        history: History,
        groups: Sequence[ChannelGroup],
        *,
        queue_size: int = 4096,
        flush_interval_s: float = 1.0,
        max_pending_samples: int = 4_000_000,
        plant: Plant | None = None,
        compress: bool | None = None,
        on_flush: Callable[[FlushInfo], None] | None = None,
        compact: bool = True,
        on_compact: Callable[[SliceInfo], None] | None = None,
    ) -> None:
        if history.read_only:
            raise ReadOnlyError(
                f"{history.where} is open read-only; cannot record into it.",
                where=history.where,
            )
        self.history = history
        self._sink = ChunkSink(history, groups, plant=plant, compress=compress)
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._interval = flush_interval_s
        self._max_pending = max_pending_samples
        self._on_flush = on_flush
        self._lock = threading.Lock()
        self._recording = True
        self._closed = False
        self._dropping = False
        self._dropped = 0
        self._written = 0
        self._rate = 0.0
        self._error: str | None = None
        self._bytes = history.size_bytes()
        self._compactor = (
            Compactor(history, self._sink.layout_ids, on_slice=on_compact) if compact else None
        )
        self._thread = threading.Thread(
            target=self._run, name="twindeck-history-writer", daemon=True
        )
        self._thread.start()

    # --- ingest side (any thread; never blocks) -----------------------------------------

    def offer(self, batch: Batch) -> bool:
        """Queue a batch for recording. False when it was not taken: queue full (counted
        in ``dropped_samples``), recording stopped after an error, or writer closed."""
        if not self._recording:
            return False
        try:
            self._queue.put_nowait(batch)
        except queue.Full:
            with self._lock:
                self._dropped += int(batch.v.size)
                if not self._dropping:
                    self._dropping = True
                    log.warning(
                        "history: writer queue full, dropping samples (%s)", self.history.where
                    )
            return False
        if self._dropping:
            with self._lock:
                if self._dropping:
                    self._dropping = False
                    log.warning(
                        "history: writer caught up; %d samples dropped so far", self._dropped
                    )
        return True

    @property
    def dropped_samples(self) -> int:
        return self._dropped

    @property
    def recording(self) -> bool:
        return self._recording

    @property
    def last_error(self) -> str | None:
        return self._error

    def state(self) -> WriterState:
        return WriterState(
            recording=self._recording,
            rate_samples_per_s=self._rate,
            written_samples=self._written,
            dropped_samples=self._dropped,
            rejected_samples=self._sink.rejected_samples,
            queue_depth=self._queue.qsize(),
            last_error=self._error,
            bytes_on_disk=self._bytes,
        )

    def wait_compacted(self, timeout: float) -> bool:
        """Wait until the compactor has nothing due (benchmarks, tests); True if so."""
        return self._compactor is None or self._compactor.idle.wait(timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Record what is queued, write the partial pyramid buckets, stop the thread."""
        if self._closed:
            return
        self._closed = True
        if self._thread.is_alive():
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                log.error("history: writer did not drain its queue within %.0f s", timeout)
            self._thread.join(timeout)
        self._recording = False
        if self._compactor is not None:
            self._compactor.close(timeout)

    def __enter__(self) -> HistoryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writer thread ------------------------------------------------------------------

    def _run(self) -> None:
        sink = self._sink
        try:
            # A crash may have left the pyramid behind the raw chunks; fill it before
            # adding to it, so every level stays contiguous.
            pyramid.catch_up(self.history, sink.signal_keys)
        except Exception as exc:
            self._fail(exc, "catching up the pyramid")
            return
        last_flush = time.monotonic()
        while True:
            timeout = max(0.0, last_flush + self._interval - time.monotonic())
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                item = None
            try:
                if item is _STOP:
                    self._flush(final=True, since=last_flush)
                    return
                if isinstance(item, Batch):
                    sink.add(item)
                now = time.monotonic()
                if now - last_flush >= self._interval or sink.pending_samples >= self._max_pending:
                    self._flush(final=False, since=last_flush)
                    last_flush = now
            except (KeyError, ValueError) as exc:  # a malformed batch: skip it, keep going
                log.error("history: ignoring batch: %s", exc)
            except Exception as exc:
                self._fail(exc, "writing samples")
                return

    def _flush(self, *, final: bool, since: float) -> None:
        info = self._sink.flush(final=final)
        elapsed = max(time.monotonic() - since, 1e-3)
        if info is not None:
            self._written += info.samples
            self._rate = info.samples / elapsed
            self._bytes = self.history.size_bytes()
            if self._on_flush is not None:
                self._on_flush(info)
            if self._compactor is not None and info.staged_rows:
                self._compactor.poke()
        else:
            self._rate = 0.0

    def _fail(self, exc: Exception, doing: str) -> None:
        err = translate(exc, self.history.where, doing)
        self._error = str(err)
        self._recording = False
        log.error("history: recording stopped: %s", err)
        # Free the memory held by batches that will never be written.
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
