"""Carry alarm events from whichever thread caused them to the GUI thread."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal

from twin.alarms import AlarmEvent, AlarmStatus, AlarmTable


class AlarmBridge(QObject):
    """Listens to an ``AlarmTable`` and re-emits its events as ``events(list)`` on the
    thread this object lives in (the GUI thread).

    The table calls listeners under its lock on the ingest or operator thread, so the
    listener only queues: events gathered until the GUI thread gets round to them arrive
    as one list (a flood of batches becomes one update, not thousands). ``events`` is
    always delivered from the event loop, never while the table's lock is held.
    """

    events = Signal(list)  # list[AlarmEvent], in the order the table produced them
    _wake = Signal()

    def __init__(self, table: AlarmTable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self._lock = threading.Lock()
        self._pending: list[AlarmEvent] = []
        self._scheduled = False
        self._closed = False
        self._wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        table.add_listener(self._on_events)

    def _on_events(self, events: Sequence[AlarmEvent]) -> None:
        """The table's listener: any thread, under the table's lock; never blocks."""
        with self._lock:
            if self._closed:
                return
            self._pending.extend(events)
            if self._scheduled:
                return
            self._scheduled = True
        self._wake.emit()

    def flush(self) -> None:
        """Deliver what is queued now (GUI thread), e.g. before showing the live table
        again, so that it is current in this very frame."""
        self._deliver()

    def _deliver(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
            self._scheduled = False
        if batch and not self._closed:
            self.events.emit(batch)

    def snapshot(self) -> dict[str, AlarmStatus]:
        """The table now, consistent with ``events``: what has not been delivered yet is
        already in the snapshot and is dropped, so a view that starts from the snapshot
        and then applies ``events`` sees every change exactly once."""
        with self.table.lock:
            statuses = self.table.snapshot()
            with self._lock:
                self._pending.clear()
        return statuses

    def close(self) -> None:
        """Stop listening; idempotent. Events still queued are dropped."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._pending.clear()
        with contextlib.suppress(ValueError):  # already removed
            self.table.remove_listener(self._on_events)
