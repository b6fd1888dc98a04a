"""The alarm journal: alarm events and operator actions as rows of the ``events`` table.

One row per ``AlarmEvent``: ``kind`` is "alarm.<action>" ("alarm.raise", "alarm.ack",
...), ``state`` the state after the event, ``priority`` the integer priority; the alarm
id, kind, previous state, value, process condition and shelf end ride in ``payload``
(JSON). ``Journal.write`` queues events for a thread of its own, so the ingest thread
never waits for the database; ``flush`` waits for the queue to be written.

``states_at(T)`` rebuilds the alarm table as it stood at T by folding the events with
``apply_event``. So that this does not read the whole journal, the writer adds an
"alarm.snapshot" row (the non-NORMAL statuses after the events so far) every
``snapshot_every`` events; ``states_at`` starts from the newest snapshot at or before T.
Events are folded in the order they were written: one that happened earlier than one
written before it (operator time vs. sample time) still applies after it.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Select, func, select

from db import schema
from db.history import History
from db.write.queued import QueuedWriter
from twin.alarms.health import HealthReport, alarm_health
from twin.alarms.model import (
    Action,
    AlarmEvent,
    AlarmKind,
    AlarmState,
    AlarmStatus,
    Priority,
    apply_event,
)

PREFIX = "alarm."
SNAPSHOT = "alarm.snapshot"
EVENT_KINDS = tuple(PREFIX + a.value for a in Action)
# states_at looks this far before its snapshot for events written late (index range on t).
SNAPSHOT_SLACK_NS = 3600 * 1_000_000_000
END_OF_TIME = 2**62
CSV_COLUMNS = (
    "time_utc", "t_ns", "alarm_id", "signal_id", "asset_id", "kind", "action",
    "from_state", "to_state", "priority", "active", "value", "user", "comment",
    "shelved_until_ns",
)  # fmt: skip
_ev = schema.events


# --- rows <-> events ----------------------------------------------------------------------


def _num(x: float) -> float | None:
    return None if math.isnan(x) else x


def event_row(e: AlarmEvent) -> dict[str, Any]:
    """The ``events`` row of an alarm event."""
    payload = {
        "id": e.alarm_id,
        "alarm": e.kind.value,
        "from": e.from_state.value,
        "active": e.active,
        "value": _num(e.value),
        "until": e.shelved_until,
    }
    return {
        "t": e.t,
        "kind": PREFIX + e.action.value,
        "asset_id": e.asset_id,
        "signal_id": e.signal_id,
        "state": e.to_state.value,
        "priority": int(e.priority),
        "user": e.user,
        "comment": e.comment,
        "payload": json.dumps(payload, separators=(",", ":")),
    }


def row_event(row: Any) -> AlarmEvent:
    """The alarm event of an ``events`` row (a mapping, or a Row with those columns)."""
    m = getattr(row, "_mapping", row)  # Row.t is SQLAlchemy's tuple accessor: use the mapping
    p = json.loads(m["payload"])
    value = p.get("value")
    return AlarmEvent(
        t=int(m["t"]),
        alarm_id=p["id"],
        signal_id=m["signal_id"],
        asset_id=m["asset_id"],
        kind=AlarmKind(p["alarm"]),
        action=Action(m["kind"].removeprefix(PREFIX)),
        from_state=AlarmState(p["from"]),
        to_state=AlarmState(m["state"]),
        priority=Priority(m["priority"]),
        active=bool(p["active"]),
        value=math.nan if value is None else float(value),
        user=m["user"],
        comment=m["comment"],
        shelved_until=p.get("until"),
    )


def _status_json(s: AlarmStatus) -> dict[str, Any]:
    d = asdict(s)
    d["value"] = _num(s.value)
    return d


def _status_from(d: dict[str, Any]) -> AlarmStatus:
    d = dict(d)
    d["kind"] = AlarmKind(d["kind"])
    d["priority"] = Priority(d["priority"])
    d["state"] = AlarmState(d["state"])
    d["value"] = math.nan if d["value"] is None else d["value"]
    return AlarmStatus(**d)


_COLUMNS = (
    _ev.c.id, _ev.c.t, _ev.c.kind, _ev.c.asset_id, _ev.c.signal_id, _ev.c.state,
    _ev.c.priority, _ev.c.user, _ev.c.comment, _ev.c.payload,
)  # fmt: skip


# --- the journal ----------------------------------------------------------------------------


class Journal(QueuedWriter):
    """Alarm events in a history. ``write`` from any thread (never blocks); read from any
    thread. ``close()`` writes what is queued, then a final snapshot, and stops the writer
    thread."""

    thread_name = "twindeck-alarm-journal"
    doing = "writing alarm events"
    start_doing = "reading the alarm journal"
    batch_items = 10_000

    def __init__(self, history: History, *, snapshot_every: int = 1000) -> None:
        super().__init__(history)
        self.snapshot_every = snapshot_every
        # Writer-thread state: the fold of everything written, for snapshots.
        self._state: dict[str, AlarmStatus] = {}
        self._max_t = -END_OF_TIME
        self._since_snapshot = 0

    # --- writing ----------------------------------------------------------------------------

    def write(self, events: Sequence[AlarmEvent]) -> bool:
        """Queue events for writing (an ``AlarmTable`` listener). False when the journal is
        read-only, closed or stopped by a write error (see ``last_error``). Alarm events
        are never dropped: if the database stalls they wait in memory."""
        if not events:
            return True
        if not self.writable:
            return False
        self._put(list(events))
        return True

    def resync(self, statuses: Mapping[str, AlarmStatus], t: int) -> bool:
        """Record the live alarm table as a snapshot at ``t`` (at start-up, when the table
        was not restored from ``states_at``), so later events fold onto what really is."""
        if not self.writable:
            return False
        self._put(("resync", dict(statuses), t))
        return True

    # --- writer thread ------------------------------------------------------------------

    def _start(self) -> None:
        """Continue the fold (and the snapshots) from what is already written."""
        self._state = self.states_at(END_OF_TIME)
        with self.history.reading("reading the alarm journal") as conn:
            latest = conn.execute(
                select(func.max(_ev.c.t)).where(_ev.c.kind.in_((*EVENT_KINDS, SNAPSHOT)))
            ).scalar()
        self._max_t = -END_OF_TIME if latest is None else int(latest)

    def _write(self, items: list[Any], *, final: bool) -> None:
        """Insert the events (and any snapshot due) of several write() calls in one
        transaction, in order: a snapshot row's id follows the events it folds."""
        rows: list[dict[str, Any]] = []
        events = 0
        for item in items:
            if isinstance(item, tuple):  # ("resync", statuses, t)
                _, statuses, t = item
                self._state = dict(statuses)
                self._max_t = max(self._max_t, t)
                rows.append(self._snapshot_row())
                continue
            for e in item:
                rows.append(event_row(e))
                self._fold(e)
            events += len(item)
            if self._since_snapshot >= self.snapshot_every:
                rows.append(self._snapshot_row())
        if final and self._since_snapshot:
            rows.append(self._snapshot_row())
        if rows:
            with self.history.transaction("writing alarm events") as conn:
                conn.execute(_ev.insert(), rows)
            self.written += events

    def _fold(self, e: AlarmEvent) -> None:
        status = apply_event(self._state.get(e.alarm_id), e)
        if status is None:
            self._state.pop(e.alarm_id, None)
        else:
            self._state[e.alarm_id] = status
        self._max_t = max(self._max_t, e.t)
        self._since_snapshot += 1

    def _snapshot_row(self) -> dict[str, Any]:
        self._since_snapshot = 0
        payload = {"alarms": {k: _status_json(s) for k, s in self._state.items()}}
        row = dict.fromkeys(("asset_id", "signal_id", "state", "priority", "user", "comment"))
        return {**row, "t": self._max_t, "kind": SNAPSHOT, "payload": json.dumps(payload)}

    # --- reading ------------------------------------------------------------------------

    def read(
        self,
        t0: int,
        t1: int,
        *,
        alarm_ids: Iterable[str] | None = None,
        signal_ids: Iterable[str] | None = None,
        asset_ids: Iterable[str] | None = None,
        kinds: Iterable[AlarmKind | str] | None = None,
        actions: Iterable[Action | str] | None = None,
        states: Iterable[AlarmState | str] | None = None,
        users: Iterable[str] | None = None,
        min_priority: Priority | int | None = None,
        limit: int | None = None,
    ) -> list[AlarmEvent]:
        """Alarm events with t0 <= t < t1 in time order, filtered by any of the arguments
        (each an iterable of accepted values; ``states`` is the state after the event)."""
        ids = set(alarm_ids) if alarm_ids is not None else None
        want_kinds = {AlarmKind(k) for k in kinds} if kinds is not None else None
        kind_col = EVENT_KINDS if actions is None else tuple(PREFIX + Action(a) for a in actions)
        q: Select[Any] = select(*_COLUMNS).where(
            _ev.c.t >= t0, _ev.c.t < t1, _ev.c.kind.in_(kind_col)
        )
        if ids is not None:  # narrow in SQL by the signals, then exactly below
            q = q.where(_ev.c.signal_id.in_({a.rsplit(":", 1)[0] for a in ids}))
        if signal_ids is not None:
            q = q.where(_ev.c.signal_id.in_(list(signal_ids)))
        if asset_ids is not None:
            q = q.where(_ev.c.asset_id.in_(list(asset_ids)))
        if states is not None:
            q = q.where(_ev.c.state.in_([AlarmState(s).value for s in states]))
        if users is not None:
            q = q.where(_ev.c.user.in_(list(users)))
        if min_priority is not None:
            q = q.where(_ev.c.priority >= int(min_priority))
        exact = ids is not None or want_kinds is not None
        if limit is not None and not exact:
            q = q.limit(limit)
        out = []
        for row in self._rows(q.order_by(_ev.c.t, _ev.c.id), "reading alarm events"):
            e = row_event(row)
            if (ids is None or e.alarm_id in ids) and (want_kinds is None or e.kind in want_kinds):
                out.append(e)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def times(self, t0: int, t1: int, actions: Iterable[Action | str]) -> np.ndarray:
        """The times (int64 ns, in order) of the events of ``actions`` in [t0, t1): marks
        for a timeline, read without building an event per row."""
        kinds = [PREFIX + Action(a) for a in actions]
        q = select(_ev.c.t).where(_ev.c.t >= t0, _ev.c.t < t1, _ev.c.kind.in_(kinds))
        rows = self._rows(q.order_by(_ev.c.t), "reading alarm times")
        return np.fromiter((r[0] for r in rows), np.int64, len(rows))

    def _rows(self, q: Select[Any], doing: str) -> list[Any]:
        with self.history.reading(doing) as conn:
            return list(conn.execute(q))

    def states_at(self, t: int) -> dict[str, AlarmStatus]:
        """The alarm table as it stood at ``t``: every alarm not NORMAL, by id, after the
        events written with a time <= t."""
        snap_q = (
            select(_ev.c.id, _ev.c.t, _ev.c.payload)
            .where(_ev.c.kind == SNAPSHOT, _ev.c.t <= t)
            .order_by(_ev.c.t.desc(), _ev.c.id.desc())
            .limit(1)
        )
        snap = self._rows(snap_q, "reading the alarm journal")
        state: dict[str, AlarmStatus] = {}
        q = select(*_COLUMNS).where(_ev.c.kind.in_(EVENT_KINDS), _ev.c.t <= t)
        if snap:
            sid, st, payload = snap[0]
            state = {k: _status_from(d) for k, d in json.loads(payload)["alarms"].items()}
            q = q.where(_ev.c.id > sid, _ev.c.t >= int(st) - SNAPSHOT_SLACK_NS)
        for row in self._rows(q.order_by(_ev.c.id), "reading the alarm journal"):
            e = row_event(row)
            status = apply_event(state.get(e.alarm_id), e)
            if status is None:
                state.pop(e.alarm_id, None)
            else:
                state[e.alarm_id] = status
        return state

    def health(self, t0: int, t1: int, **options: Any) -> HealthReport:
        """EEMUA 191 figures over [t0, t1) (options: see ``twin.alarms.health``)."""
        initial = self.states_at(t0 - 1)
        return alarm_health(self.read(t0, t1), t0, t1, initial=initial, **options)

    def export_csv(self, t0: int, t1: int, path: str | os.PathLike[str], **filters: Any) -> int:
        """Write the events of [t0, t1) (``read`` filters apply) to a CSV file; returns the
        number of events. Written to "<path>.partial" and renamed when complete."""
        events = self.read(t0, t1, **filters)
        target = Path(path)
        partial = target.with_name(target.name + ".partial")
        try:
            with open(partial, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(CSV_COLUMNS)
                times = np.array([e.t for e in events], dtype="datetime64[ns]")
                iso = np.datetime_as_string(times, unit="ms").tolist()
                for e, when in zip(events, iso, strict=True):
                    w.writerow(
                        (
                            when + "Z",
                            e.t,
                            e.alarm_id,
                            e.signal_id,
                            e.asset_id,
                            e.kind.value,
                            e.action.value,
                            e.from_state.value,
                            e.to_state.value,
                            e.priority.label,
                            int(e.active),
                            "" if math.isnan(e.value) else f"{e.value:.9g}",
                            e.user or "",
                            e.comment or "",
                            "" if e.shelved_until is None else e.shelved_until,
                        )
                    )
            os.replace(partial, target)
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
        return len(events)


__all__ = ["Journal", "event_row", "row_event"]
