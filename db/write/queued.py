"""A writer thread fed by a queue: what the alarm journal and the advisory journal share.

Their ``write`` is called from threads that must never wait for the database (the GUI,
the ingest thread): items go to a queue, one thread of the writer's own takes what piled
up and writes it in one transaction. Nothing queued is dropped while the writer works;
after a write error the writer stops writing (``error``) and only drains the queue.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from typing import Any

from db.errors import HistoryError, translate
from db.history import History

log = logging.getLogger(__name__)

_STOP = object()


class QueuedWriter:
    """Base of a queued history writer. A subclass implements ``_write(items, final=)``
    (one transaction for several queued items; ``final`` on the last call before the
    thread stops) and may override ``_start()`` (run once on the thread, first)."""

    thread_name = "twindeck-writer"
    doing = "writing"  # for error messages: "writing alarm events"
    start_doing = "reading the history"  # ... of _start()
    batch_items = 1000  # the most queued items written in one transaction

    def __init__(self, history: History) -> None:
        self.history = history
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._cond = threading.Condition()
        self._queued = 0  # items taken by _put
        self._done = 0  # ... of which written (or given up on)
        self._thread: threading.Thread | None = None
        self._closed = False
        self.error: HistoryError | None = None
        self.written = 0

    @property
    def last_error(self) -> str | None:
        """The error that stopped writing, in words (for a status line); None while fine."""
        return None if self.error is None else str(self.error)

    @property
    def writable(self) -> bool:
        return not (self._closed or self.error is not None or self.history.read_only)

    def _put(self, item: object) -> None:
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=self.thread_name, daemon=True
                )
                self._thread.start()
            self._queued += 1
        self._queue.put(item)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is written; False on timeout."""
        with self._cond:
            target = self._queued
            return self._cond.wait_for(lambda: self._done >= target, timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Write what is queued and stop; idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        """Run once on the writer thread before the first write."""

    def _write(self, items: list[Any], *, final: bool) -> None:
        raise NotImplementedError

    def _fail(self, exc: Exception, doing: str) -> None:
        self.error = translate(exc, self.history.where, doing)
        log.error("%s: writing stopped: %s", self.thread_name, self.error)

    def _run(self) -> None:
        try:
            self._start()
        except Exception as exc:
            self._fail(exc, self.start_doing)  # then only drain the queue
        while True:
            items = [self._queue.get()]
            with contextlib.suppress(queue.Empty):
                while len(items) < self.batch_items:  # what piled up: one transaction
                    items.append(self._queue.get_nowait())
            stop = any(i is _STOP for i in items)
            work = [i for i in items if i is not _STOP]
            try:
                if self.error is None:
                    self._write(work, final=stop)
            except Exception as exc:
                self._fail(exc, self.doing)
            with self._cond:
                self._done += len(work)
                self._cond.notify_all()
            if stop:
                return
