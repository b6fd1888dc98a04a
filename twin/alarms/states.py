"""The ISA-18.2 alarm states of a rule set: the ``AlarmTable`` and its ``Alarm`` objects
(``twin.alarms.alarm``, one per alarm that is not NORMAL).

An alarm's state follows from five facts: the process condition (``active``), whether
the operator has acknowledged it, a shelf (until a time), out of service and suppression
by design (its connection is lost). Shelving, out of service and suppression hide the
process: when they end the alarm comes back as UNACK_ACTIVE if its condition is active,
else NORMAL (ISA-18.2 figure 5).

Every change is an ``AlarmEvent``; process changes while shelved or out of service are
journaled too (with from_state == to_state) but not annunciated. One alarm's events are in
time order: an event found at a time before the alarm's previous event (samples stamped by
a device clock behind ours, arriving after a raise stamped by our clock) is stamped with
that previous event's time instead. Operator actions that do
not apply (acknowledging a NORMAL alarm, unshelving one that is not shelved) change nothing
and return None, so two operators clicking the same alarm is harmless.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import overload

import numpy as np

from twin.alarms.alarm import Alarm
from twin.alarms.model import Action, AlarmEvent, AlarmState, AlarmStatus
from twin.alarms.rules import AlarmRule, RuleSet

log = logging.getLogger(__name__)

Listener = Callable[[Sequence[AlarmEvent]], object]


class AlarmTable:
    """Every alarm of a rule set, the lock that guards them, and the event listeners.

    Operator actions may come from any thread; they take ``lock`` (an RLock shared with
    the engine, held for one batch at most) and return the event, or None when the action
    does not apply. Listeners get each group of events in order, under the lock: they must
    be quick and must not block (queue the events, emit a Qt signal).

    An ``Alarm`` object exists only for an alarm that is not NORMAL or that was asked for
    (``alarm``, ``alarms[i]``): a plant of 220,000 alarms keeps a few objects, not
    220,000. One that is back to NORMAL is dropped after its step, keeping only its last
    event time and value (in columns) for the next one.
    """

    def __init__(
        self, rules: RuleSet | Iterable[AlarmRule], clock: Callable[[], int] = time.time_ns
    ):
        self.rules = rules if isinstance(rules, RuleSet) else RuleSet(rules)
        self._objects: dict[int, Alarm] = {}
        self._last_t = np.zeros(len(self.rules), dtype=np.int64)
        self._value = np.full(len(self.rules), math.nan)
        self.alarms = _AlarmsView(self)
        self.lock = threading.RLock()
        self.clock = clock
        self._listeners: list[Listener] = []
        self._shelved: set[int] = set()  # indexes of shelved alarms, for expiry sweeps

    # --- alarm objects (the caller holds the lock) -------------------------------------------

    def alarm_at(self, index: int) -> Alarm:
        """The alarm at a rule position, made (NORMAL) if it has no object yet."""
        alarm = self._objects.get(index)
        if alarm is None:
            rule = self.rules.at(index)
            last_t, value = int(self._last_t[index]), float(self._value[index])
            alarm = self._objects[index] = Alarm(rule, last_t, value)
        return alarm

    def peek(self, index: int) -> Alarm | None:
        """The alarm at a rule position if it has an object (None: it is NORMAL)."""
        return self._objects.get(index)

    def active_flags(self) -> np.ndarray:
        """Per rule position, whether the alarm's process condition is active."""
        flags = np.zeros(len(self.rules), dtype=bool)
        for i, alarm in self._objects.items():
            flags[i] = alarm.active
        return flags

    def _settle(self, index: int) -> None:
        """Drop the object of an alarm back to NORMAL, keeping what its next step needs."""
        alarm = self._objects.get(index)
        if alarm is not None and alarm.state is AlarmState.NORMAL:
            self._last_t[index], self._value[index] = alarm.last_t, alarm.value
            del self._objects[index]

    # --- listeners -----------------------------------------------------------------------

    def add_listener(self, fn: Listener) -> None:
        """Call ``fn(events)`` after every step that produced events."""
        with self.lock:
            self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        with self.lock:
            self._listeners.remove(fn)

    def emit(self, events: Sequence[AlarmEvent]) -> None:
        """Deliver events to the listeners (the caller holds the lock)."""
        if not events:
            return
        for fn in self._listeners:
            try:
                fn(events)
            except Exception:  # a broken view must not stop alarm processing
                log.exception("alarm listener %r failed", fn)

    # --- access --------------------------------------------------------------------------

    def alarm(self, alarm_id: str) -> Alarm:
        with self.lock:
            return self.alarm_at(self.rules.index(alarm_id))

    def state(self, alarm_id: str) -> AlarmState:
        with self.lock:
            alarm = self.peek(self.rules.index(alarm_id))
            return AlarmState.NORMAL if alarm is None else alarm.state

    def snapshot(self) -> dict[str, AlarmStatus]:
        """The alarm table now: the status of every alarm that is not NORMAL."""
        with self.lock:
            return {
                a.rule.alarm_id: a.status()
                for _, a in sorted(self._objects.items())
                if a.state is not AlarmState.NORMAL
            }

    def restore(self, statuses: Mapping[str, AlarmStatus]) -> None:
        """Resume from the journal's ``states_at(now)`` after a restart (no events).
        Unknown alarm ids (rules removed from the plant) are skipped."""
        with self.lock:
            for aid, status in statuses.items():
                if aid in self.rules:
                    i = self.rules.index(aid)
                    alarm = self.alarm_at(i)
                    alarm.restore(status)
                    if alarm.shelved_until is not None:
                        self._shelved.add(i)
                    self._settle(i)

    # --- the engine's side (caller holds the lock) -----------------------------------------

    def process(
        self, index: int, t: int, active: bool, value: float, reason: str | None = None
    ) -> list[AlarmEvent]:
        alarm = self._objects.get(index)
        if alarm is None:
            if not active:  # NORMAL and not active: nothing changes
                return []
            alarm = self.alarm_at(index)
        events = alarm.process(t, active, value, reason)
        if events and events[0].action is Action.SHELVE_EXPIRED:
            self._shelved.discard(index)
        self._settle(index)
        return events

    def suppress(self, index: int, t: int, reason: str) -> AlarmEvent | None:
        """Suppress the alarm at a rule position by design (see ``Alarm.suppress``)."""
        return self.alarm_at(index).suppress(t, reason)

    def unsuppress(self, index: int, t: int, reason: str | None = None) -> AlarmEvent | None:
        """End the suppression of the alarm at a rule position, if it is suppressed."""
        alarm = self._objects.get(index)
        event = alarm.unsuppress(t, reason) if alarm is not None else None
        self._settle(index)
        return event

    def expire_due(self, now_ns: int) -> list[AlarmEvent]:
        """End every shelf due by ``now_ns``; the caller holds the lock and emits."""
        events = []
        for i in sorted(self._shelved):
            e = self.alarm_at(i).expire(now_ns)
            if e is not None:
                events.append(e)
                self._shelved.discard(i)
                self._settle(i)
        return events

    def expire_shelves(self, now_ns: int) -> list[AlarmEvent]:
        """End every shelf due by ``now_ns`` and deliver the events."""
        with self.lock:
            events = self.expire_due(now_ns)
            self.emit(events)
            return events

    # --- operator actions ----------------------------------------------------------------

    def _act(self, alarm_id: str, t: int | None, do: Callable[[Alarm, int], AlarmEvent | None]):
        with self.lock:
            i = self.rules.index(alarm_id)
            alarm = self.alarm_at(i)
            now = self.clock() if t is None else t
            events = [e] if (e := alarm.expire(now)) is not None else []
            event = do(alarm, now)
            if event is not None:
                events.append(event)
            if alarm.shelved_until is None:
                self._shelved.discard(i)
            else:
                self._shelved.add(i)
            self._settle(i)
            self.emit(events)
            return event

    def acknowledge(
        self, alarm_id: str, user: str, comment: str | None = None, *, t: int | None = None
    ) -> AlarmEvent | None:
        """Acknowledge an unacknowledged alarm (UNACK_ACTIVE or UNACK_RTN)."""
        return self._act(alarm_id, t, lambda a, now: a.acknowledge(now, user, comment))

    def unacknowledge(
        self, alarm_id: str, user: str, comment: str | None = None, *, t: int | None = None
    ) -> AlarmEvent | None:
        """Undo an acknowledgement (ACK_ACTIVE back to UNACK_ACTIVE); None otherwise."""
        return self._act(alarm_id, t, lambda a, now: a.unacknowledge(now, user, comment))

    def shelve(
        self,
        alarm_id: str,
        user: str,
        until: int,
        comment: str | None = None,
        *,
        t: int | None = None,
    ) -> AlarmEvent | None:
        """Shelve until ``until`` (ns); ValueError if that is not in the future."""
        now = self.clock() if t is None else t
        if until <= now:  # checked first, so that nothing has changed when it raises
            raise ValueError(f"{alarm_id}: shelve until {until} is not after now ({now})")
        return self._act(alarm_id, now, lambda a, now: a.shelve(now, user, until, comment))

    def unshelve(
        self, alarm_id: str, user: str, comment: str | None = None, *, t: int | None = None
    ) -> AlarmEvent | None:
        return self._act(alarm_id, t, lambda a, now: a.unshelve(now, user, comment))

    def remove_from_service(
        self, alarm_id: str, user: str, comment: str | None = None, *, t: int | None = None
    ) -> AlarmEvent | None:
        return self._act(alarm_id, t, lambda a, now: a.remove_from_service(now, user, comment))

    def return_to_service(
        self, alarm_id: str, user: str, comment: str | None = None, *, t: int | None = None
    ) -> AlarmEvent | None:
        return self._act(alarm_id, t, lambda a, now: a.return_to_service(now, user, comment))

    def comment(
        self, alarm_id: str, user: str, comment: str, *, t: int | None = None
    ) -> AlarmEvent | None:
        """Attach a comment to an alarm in any state (journaled; the state is unchanged)."""
        return self._act(alarm_id, t, lambda a, now: a.add_comment(now, user, comment))


class _AlarmsView(Sequence[Alarm]):
    """``AlarmTable.alarms``: the alarms by rule position, each made when first read."""

    def __init__(self, table: AlarmTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table.rules)

    @overload
    def __getitem__(self, index: int) -> Alarm: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Alarm]: ...
    def __getitem__(self, index: int | slice) -> Alarm | Sequence[Alarm]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        with self._table.lock:
            return self._table.alarm_at(index % len(self))

    def __iter__(self) -> Iterator[Alarm]:
        return (self[i] for i in range(len(self)))
