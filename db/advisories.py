"""Advisory events (condition monitoring) as rows of the ``events`` table.

One row per ``AdvisoryEvent``: ``kind`` is "advisory.raise" or "advisory.clear",
``asset_id`` the asset, ``state`` the cause ("bearing", "cooling", ...), ``comment`` the
summary in words; severity, health and the evidence ride in ``payload`` (JSON).
``AdvisoryJournal.write`` queues events for a thread of its own (a ``HealthMonitor``
listener runs on the ingest thread, which must never wait for the database).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, select

from db import schema
from db.write.queued import QueuedWriter
from twin.condition.advisories import CLEAR, RAISE, AdvisoryEvent

PREFIX = "advisory."
EVENT_KINDS = (PREFIX + RAISE, PREFIX + CLEAR)
_ev = schema.events


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


class AdvisoryJournal(QueuedWriter):
    """Advisory events in a history: ``write`` from any thread (never blocks), ``read``
    from any thread; ``close()`` writes what is queued and stops the writer thread."""

    thread_name = "twindeck-advisory-journal"
    doing = "writing advisory events"

    def write(self, events: Sequence[AdvisoryEvent]) -> bool:
        """Queue events (a ``HealthMonitor`` listener); False when the journal is
        read-only, closed or stopped by a write error (``error``)."""
        if not events:
            return True
        if not self.writable:
            return False
        self._put(list(events))
        return True

    def _write(self, items: list[Any], *, final: bool) -> None:
        rows = [event_row(e) for batch in items for e in batch]
        if rows:
            with self.history.transaction(self.doing) as conn:
                conn.execute(_ev.insert(), rows)
            self.written += len(rows)

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
