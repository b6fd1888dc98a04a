"""Designed suppression (ISA-18.2): a lost connection raises one alarm, not thousands.

When a connection is lost its CONNECTION alarm is raised (naming the connection and the
reason) and the no-data alarms of every signal bound to it are suppressed: still
evaluated and journaled, but neither annunciated nor counted. When the connection is
back its alarm clears and each suppressed alarm is released: at once if its signal is
fresh, else when its no-data alarm clears (data flows again), or, failing that, after a
grace of its stale time, when it comes back as a real no-data alarm.

``ConnectionSuppression`` is the bookkeeping; the ``AlarmEngine`` owns one and calls it
under the table's lock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from twin.alarms.model import AlarmEvent, AlarmKind, alarm_id
from twin.alarms.states import AlarmTable
from twin.timebase import NS_PER_S

# A connection's state as the engine is told it: lost (with the reason) or not.
LinkStates = Mapping[str, tuple[bool, str]]


class ConnectionSuppression:
    """Which no-data alarms each connection suppresses, and the ones being released."""

    def __init__(self, table: AlarmTable, bindings: Mapping[str, Sequence[str]]) -> None:
        """``bindings``: connection id -> the signal ids bound to it. Connections without
        a CONNECTION rule in the table are skipped (nothing to raise)."""
        self.table = table
        rules = table.rules
        self._alarm: dict[str, int] = {}
        self._members: dict[str, list[int]] = {}
        for conn, signals in bindings.items():
            aid = alarm_id(conn, AlarmKind.CONNECTION)
            if aid not in rules:
                continue
            self._alarm[conn] = rules.index(aid)
            nd = (alarm_id(s, AlarmKind.NO_DATA) for s in signals)
            self._members[conn] = [rules.index(a) for a in nd if a in rules]
        self.lost: dict[str, str] = {}  # connection id -> reason, while lost
        self._releasing: dict[int, int] = {}  # alarm index -> release deadline (ns)

    @property
    def connections(self) -> tuple[str, ...]:
        return tuple(self._alarm)

    def members(self, connection_id: str) -> tuple[str, ...]:
        """The alarm ids a loss of ``connection_id`` suppresses."""
        rules = self.table.rules
        return tuple(rules.alarm_id(i) for i in self._members.get(connection_id, ()))

    def resume(self) -> None:
        """After ``AlarmTable.restore``: a connection with suppressed alarms counts as
        lost, so that the first poll finding it up releases them."""
        table = self.table
        for conn, members in self._members.items():
            if any((a := table.peek(i)) is not None and a.suppressed for i in members):
                own = table.peek(self._alarm[conn])
                self.lost.setdefault(conn, (own.comment if own is not None else None) or "")

    def update(self, states: LinkStates, t: int) -> list[AlarmEvent]:
        """Apply the connections' states at ``t``: raise and suppress for each newly lost
        one, clear and release for each one back. Unknown connection ids are ignored."""
        events: list[AlarmEvent] = []
        for conn, (lost, reason) in states.items():
            if conn not in self._alarm:
                continue
            if lost and conn not in self.lost:
                events += self._lose(conn, t, reason)
            elif not lost and conn in self.lost:
                events += self._restore(conn, t)
        return events

    def _lose(self, conn: str, t: int, reason: str) -> list[AlarmEvent]:
        self.lost[conn] = reason
        text = f"connection {conn} lost: {reason}" if reason else f"connection {conn} lost"
        events = self.table.process(self._alarm[conn], t, True, float("nan"), text)
        for i in self._members[conn]:
            self._releasing.pop(i, None)
            if (e := self.table.suppress(i, t, text)) is not None:
                events.append(e)
        return events

    def _restore(self, conn: str, t: int) -> list[AlarmEvent]:
        del self.lost[conn]
        events = self.table.process(self._alarm[conn], t, False, float("nan"))
        for i in self._members[conn]:
            alarm = self.table.peek(i)
            if alarm is None or not alarm.suppressed:
                continue
            if alarm.active:  # no fresh data yet: wait for it, a stale time at most
                grace = round(alarm.rule.stale_s * NS_PER_S)
                self._releasing[i] = t + grace + round(alarm.rule.on_delay_s * NS_PER_S)
            elif (e := self.table.unsuppress(i, t, f"connection {conn} back")) is not None:
                events.append(e)
        return events

    def after_process(self, events: Sequence[AlarmEvent]) -> list[AlarmEvent]:
        """Release alarms being released whose no-data alarm just cleared."""
        if not self._releasing:
            return []
        out: list[AlarmEvent] = []
        rules = self.table.rules
        for e in events:
            if e.kind is AlarmKind.NO_DATA and not e.active:
                i = rules.index(e.alarm_id)
                if self._releasing.pop(i, None) is not None:
                    released = self.table.unsuppress(i, e.t, "data back")
                    if released is not None:
                        out.append(released)
        return out

    def release_due(self, now_ns: int) -> list[AlarmEvent]:
        """Release alarms whose grace has passed without data: real no-data alarms now."""
        due = [i for i, deadline in self._releasing.items() if deadline <= now_ns]
        out: list[AlarmEvent] = []
        for i in due:
            deadline = self._releasing.pop(i)
            if (e := self.table.unsuppress(i, deadline, "no data after reconnect")) is not None:
                out.append(e)
        return out
