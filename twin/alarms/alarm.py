"""One alarm's ISA-18.2 state machine (``Alarm``); ``twin.alarms.states`` holds the table.

An alarm's state follows from five facts: the process condition (``active``), whether
the operator has acknowledged it, a shelf (until a time), out of service and suppression
by design (its connection is lost). See ``twin.alarms.states`` for the rules of events.
"""

from __future__ import annotations

import math

from twin.alarms.model import Action, AlarmEvent, AlarmState, AlarmStatus
from twin.alarms.rules import AlarmRule


class Alarm:
    """One alarm's state machine. Not thread-safe: the ``AlarmTable`` lock guards it."""

    __slots__ = (
        "acked",
        "acked_at",
        "acked_by",
        "active",
        "comment",
        "last_t",
        "out_of_service",
        "raised_at",
        "rule",
        "shelved_until",
        "since",
        "state",
        "suppressed",
        "user",
        "value",
    )

    def __init__(self, rule: AlarmRule, last_t: int = 0, value: float = math.nan) -> None:
        self.rule = rule
        self.active = False
        self.acked = True  # nothing to acknowledge yet
        self.shelved_until: int | None = None
        self.out_of_service = False
        self.suppressed = False
        self.state = AlarmState.NORMAL
        self.since = 0
        self.last_t = last_t  # time of the latest event
        self.value = value
        self.raised_at: int | None = None
        self.acked_by: str | None = None
        self.acked_at: int | None = None
        self.user: str | None = None
        self.comment: str | None = None

    def _derive(self) -> AlarmState:
        if self.out_of_service:
            return AlarmState.OUT_OF_SERVICE
        if self.shelved_until is not None:
            return AlarmState.SHELVED
        if self.suppressed:
            return AlarmState.SUPPRESSED
        if self.active:
            return AlarmState.ACK_ACTIVE if self.acked else AlarmState.UNACK_ACTIVE
        return AlarmState.NORMAL if self.acked else AlarmState.UNACK_RTN

    def _step(
        self, t: int, action: Action, user: str | None = None, comment: str | None = None
    ) -> AlarmEvent:
        """Derive the new state and describe the step; keeps the status fields that
        ``apply_event`` rebuilds from the journal."""
        t = self.last_t = max(t, self.last_t)
        old, new = self.state, self._derive()
        if new is not old:
            self.state, self.since = new, t
        if action is Action.RAISE:
            self.raised_at = t
        if action is Action.ACK:
            self.acked_by, self.acked_at = user, t
        elif new is AlarmState.UNACK_ACTIVE or new is AlarmState.UNACK_RTN:
            self.acked_by = self.acked_at = None
        if comment is not None:  # a note (or a reason) is kept until the next one
            self.user, self.comment = user, comment
        if new is AlarmState.NORMAL:  # a NORMAL alarm has no history worth showing
            self.raised_at = self.acked_by = self.acked_at = self.user = self.comment = None
        rule = self.rule
        return AlarmEvent(
            t=t,
            alarm_id=rule.alarm_id,
            signal_id=rule.signal_id,
            asset_id=rule.asset_id,
            kind=rule.kind,
            action=action,
            from_state=old,
            to_state=new,
            priority=rule.priority,
            active=self.active,
            value=self.value,
            user=user,
            comment=comment,
            shelved_until=self.shelved_until,
        )

    def _come_back(self) -> None:
        """Leaving a shelf or out of service: re-annunciate if the condition is active."""
        self.acked = not self.active

    def expire(self, t: int) -> AlarmEvent | None:
        """End a shelf that is due by ``t``; the event is stamped with the shelf's end."""
        until = self.shelved_until
        if until is None or t < until or self.out_of_service:
            return None
        self.shelved_until = None
        self._come_back()
        return self._step(until, Action.SHELVE_EXPIRED)

    def process(
        self, t: int, active: bool, value: float, reason: str | None = None
    ) -> list[AlarmEvent]:
        """The rule's condition became ``active`` (or cleared) at ``t``; ``reason`` is
        journaled with it (why a connection was lost)."""
        events = [e] if (e := self.expire(t)) is not None else []
        if active == self.active:
            return events
        self.active, self.value = active, value
        hidden = self.shelved_until is not None or self.out_of_service or self.suppressed
        if active and not hidden:
            self.acked = False
        events.append(self._step(t, Action.RAISE if active else Action.CLEAR, comment=reason))
        return events

    def suppress(self, t: int, reason: str) -> AlarmEvent | None:
        """Suppress by design (the alarm's connection is lost): hidden, not annunciated,
        its process changes still journaled."""
        if self.suppressed:
            return None
        self.suppressed = True
        return self._step(t, Action.SUPPRESS, comment=reason)

    def unsuppress(self, t: int, reason: str | None = None) -> AlarmEvent | None:
        """End a suppression: back as UNACK_ACTIVE if the condition is still active."""
        if not self.suppressed:
            return None
        self.suppressed = False
        if self.shelved_until is None and not self.out_of_service:
            self._come_back()
        return self._step(t, Action.UNSUPPRESS, comment=reason)

    def acknowledge(self, t: int, user: str, comment: str | None = None) -> AlarmEvent | None:
        if self.state not in (AlarmState.UNACK_ACTIVE, AlarmState.UNACK_RTN):
            return None
        self.acked = True
        return self._step(t, Action.ACK, user, comment)

    def unacknowledge(self, t: int, user: str, comment: str | None = None) -> AlarmEvent | None:
        """Take back an acknowledgement given by mistake: an acknowledged active alarm is
        unacknowledged again (the correction is journaled as its own step)."""
        if self.state is not AlarmState.ACK_ACTIVE:
            return None
        self.acked = False
        return self._step(t, Action.UNACK, user, comment)

    def shelve(
        self, t: int, user: str, until: int, comment: str | None = None
    ) -> AlarmEvent | None:
        """Hide the alarm until ``until`` (a new shelf replaces the current one)."""
        if until <= t:
            raise ValueError(f"{self.rule.alarm_id}: shelve until {until} is not after {t}")
        if self.out_of_service:
            return None
        self.shelved_until = until
        return self._step(t, Action.SHELVE, user, comment)

    def unshelve(self, t: int, user: str, comment: str | None = None) -> AlarmEvent | None:
        if self.shelved_until is None or self.out_of_service:
            return None
        self.shelved_until = None
        self._come_back()
        return self._step(t, Action.UNSHELVE, user, comment)

    def remove_from_service(
        self, t: int, user: str, comment: str | None = None
    ) -> AlarmEvent | None:
        if self.out_of_service:
            return None
        self.out_of_service = True
        self.shelved_until = None  # out of service outranks a shelf; do not resurrect it
        return self._step(t, Action.REMOVE, user, comment)

    def return_to_service(self, t: int, user: str, comment: str | None = None) -> AlarmEvent | None:
        if not self.out_of_service:
            return None
        self.out_of_service = False
        self._come_back()
        return self._step(t, Action.RETURN, user, comment)

    def add_comment(self, t: int, user: str, comment: str) -> AlarmEvent:
        return self._step(t, Action.COMMENT, user, comment)

    def status(self) -> AlarmStatus:
        rule = self.rule
        return AlarmStatus(
            alarm_id=rule.alarm_id,
            signal_id=rule.signal_id,
            asset_id=rule.asset_id,
            kind=rule.kind,
            priority=rule.priority,
            state=self.state,
            since=self.since,
            active=self.active,
            value=self.value,
            raised_at=self.raised_at,
            acked_by=self.acked_by,
            acked_at=self.acked_at,
            shelved_until=self.shelved_until,
            user=self.user,
            comment=self.comment,
        )

    def restore(self, s: AlarmStatus) -> None:
        """Take over a status from the journal (after a restart), without an event."""
        self.active = s.active
        self.value = s.value
        self.out_of_service = s.state is AlarmState.OUT_OF_SERVICE
        self.shelved_until = s.shelved_until if s.state is AlarmState.SHELVED else None
        self.suppressed = s.state is AlarmState.SUPPRESSED
        self.acked = s.state not in (AlarmState.UNACK_ACTIVE, AlarmState.UNACK_RTN)
        if self.out_of_service or self.shelved_until is not None or self.suppressed:
            self.acked = not s.active
        self.state, self.since = s.state, s.since
        self.last_t = s.since
        self.raised_at, self.acked_by, self.acked_at = s.raised_at, s.acked_by, s.acked_at
        self.user, self.comment = s.user, s.comment
