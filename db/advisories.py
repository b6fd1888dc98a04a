"""Advisory events (condition monitoring) as rows of the ``events`` table.

One row per ``AdvisoryEvent``: ``kind`` is "advisory.raise" or "advisory.clear",
``asset_id`` the asset, ``state`` the cause ("bearing", "cooling", ...), ``comment`` the
summary in words; severity, health and the evidence ride in ``payload`` (JSON).
``AdvisoryJournal.write`` queues events for a thread of its own (a ``HealthMonitor``
listener runs on the ingest thread, which must never wait for the database).
"""

from __future__ import annotations

import json
import logging
import math
import queue
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, select

from db import schema
from db.errors import HistoryError, translate
from db.history import History
from twin.condition.advisories import CLEAR, RAISE, AdvisoryEvent

log = logging.getLogger(__name__)

PREFIX = "advisory."
EVENT_KINDS = (PREFIX + RAISE, PREFIX + CLEAR)
_ev = schema.events
_STOP = object()


def event_row(e: AdvisoryEvent) -> dict[str, Any]:
    """The ``events`` row of an advisory event."""
    health = None if math.isnan(e.health) else e.health
    payload = {"severity": e.severity, "health": health, "evidence": e.evidence}
    return {
        "t": e.t_ns,
        "kind": PREFIX + e.action,
        "asset_id": e.asset_id,
        "signal_id": None,
        "state": e.cause,
        "priority": None,
        "user": None,
        "comment": e.summary,
        "payload": json.dumps(payload, separators=(",", ":")),
    }


def row_event(row: Any) -> AdvisoryEvent:
    """The advisory event of an ``events`` row (a mapping or a Row)."""
    m = getattr(row, "_mapping", row)
    p = json.loads(m["payload"])
    health = p.get("health")
    return AdvisoryEvent(
        t_ns=int(m["t"]),
        asset_id=m["asset_id"],
        cause=m["state"],
        action=m["kind"].removeprefix(PREFIX),
        severity=float(p["severity"]),
        health=math.nan if health is None else float(health),
        summary=m["comment"] or "",
        evidence=p.get("evidence", ""),
    )


class AdvisoryJournal:
    """Advisory events in a history: ``write`` from any thread (never blocks), ``read``
    from any thread; ``close()`` writes what is queued and stops the writer thread."""

    def __init__(self, history: History) -> None:
        self.history = history
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._cond = threading.Condition()
        self._queued = 0
        self._done = 0
        self._thread: threading.Thread | None = None
        self._closed = False
        self.error: HistoryError | None = None
        self.written = 0

    @property
    def writable(self) -> bool:
        return not (self._closed or self.error is not None or self.history.read_only)

    def write(self, events: Sequence[AdvisoryEvent]) -> bool:
        """Queue events (a ``HealthMonitor`` listener); False when the journal is
        read-only, closed or stopped by a write error (``error``)."""
        if not events:
            return True
        if not self.writable:
            return False
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="twindeck-advisory-journal", daemon=True
                )
                self._thread.start()
            self._queued += 1
        self._queue.put(list(events))
        return True

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

    def __enter__(self) -> AdvisoryJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        while True:
            items = [self._queue.get()]
            while len(items) < 1000:  # what piled up while we wrote: one transaction
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(i is _STOP for i in items)
            work: list[list[AdvisoryEvent]] = [i for i in items if i is not _STOP]  # type: ignore[misc]
            rows = [event_row(e) for batch in work for e in batch]
            if rows and self.error is None:
                try:
                    with self.history.transaction("writing advisory events") as conn:
                        conn.execute(_ev.insert(), rows)
                    self.written += len(rows)
                except Exception as exc:
                    self.error = translate(exc, self.history.where, "writing advisory events")
                    log.error("advisory journal: writing stopped: %s", self.error)
            with self._cond:
                self._done += len(work)
                self._cond.notify_all()
            if stop:
                return

    def read(
        self,
        t0: int,
        t1: int,
        *,
        asset_ids: Iterable[str] | None = None,
        causes: Iterable[str] | None = None,
    ) -> list[AdvisoryEvent]:
        """Advisory events with t0 <= t < t1 in time order (then written order)."""
        q: Select[Any] = select(
            _ev.c.t, _ev.c.kind, _ev.c.asset_id, _ev.c.state, _ev.c.comment, _ev.c.payload
        ).where(_ev.c.t >= t0, _ev.c.t < t1, _ev.c.kind.in_(EVENT_KINDS))
        if asset_ids is not None:
            q = q.where(_ev.c.asset_id.in_(list(asset_ids)))
        if causes is not None:
            q = q.where(_ev.c.state.in_(list(causes)))
        with self.history.reading("reading advisory events") as conn:
            rows = conn.execute(q.order_by(_ev.c.t, _ev.c.id)).all()
        return [row_event(r) for r in rows]
