"""Alarm vocabulary: kinds, priorities, ISA-18.2 states, operator actions, events, status.

An ``AlarmEvent`` records one step of one alarm: a process change (raise/clear), an
operator action, or a shelf expiring. ``AlarmStatus`` is an alarm's row in the alarm table;
``apply_event`` folds events into statuses, so the journal can rebuild the table as it
stood at any time from the events alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum


class AlarmKind(StrEnum):
    """What an alarm watches: a limit (HH, H, L, LL), the rate of change, no data, or a
    live connection (its "signal" is the connection id and it names no asset)."""

    HH = "HH"
    H = "H"
    L = "L"
    LL = "LL"
    ROC = "ROC"
    NO_DATA = "NO_DATA"
    CONNECTION = "CONNECTION"


class Priority(IntEnum):
    """Ordered: a bigger number is more urgent (stored as this integer in the journal)."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, name: str) -> Priority:
        """ "low", "medium", "high" or "critical" (the plant-file spelling)."""
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


class AlarmState(StrEnum):
    """The ISA-18.2 alarm states. SUPPRESSED is suppressed by design: the no-data alarms
    of a lost connection, kept and journaled but not annunciated while it stands."""

    NORMAL = "NORMAL"
    UNACK_ACTIVE = "UNACK_ACTIVE"
    ACK_ACTIVE = "ACK_ACTIVE"
    UNACK_RTN = "UNACK_RTN"
    SHELVED = "SHELVED"
    OUT_OF_SERVICE = "OUT_OF_SERVICE"
    SUPPRESSED = "SUPPRESSED"


class Action(StrEnum):
    """Why an event happened: the process (raise/clear), an operator, or a shelf timer."""

    RAISE = "raise"
    CLEAR = "clear"
    ACK = "ack"
    UNACK = "unack"  # an acknowledgement taken back (a correction): unacknowledged again
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    SHELVE_EXPIRED = "shelve_expired"
    REMOVE = "remove_from_service"
    RETURN = "return_to_service"
    COMMENT = "comment"
    SUPPRESS = "suppress"  # by design: the alarm's connection was lost
    UNSUPPRESS = "unsuppress"


PROCESS_ACTIONS = frozenset({Action.RAISE, Action.CLEAR})
# Entering one of these states means the operator must acknowledge anew.
UNACKED_STATES = frozenset({AlarmState.UNACK_ACTIVE, AlarmState.UNACK_RTN})


def alarm_id(signal_id: str, kind: AlarmKind | str) -> str:
    """The id of a signal's alarm of one kind: "<signal id>:<kind>", e.g. "M07.current:HH"."""
    return f"{signal_id}:{kind}"


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One step of one alarm. ``from_state == to_state`` for comments and for process
    changes while the alarm is shelved or out of service (journaled, not annunciated).

    ``value`` is what the rule measured: the signal value for limit alarms, the rate
    (unit/s) for ROC, the first value after the gap for NO_DATA (NaN when raised).
    ``active`` is the process condition after the event.
    """

    t: int
    alarm_id: str
    signal_id: str
    asset_id: str
    kind: AlarmKind
    action: Action
    from_state: AlarmState
    to_state: AlarmState
    priority: Priority
    active: bool
    value: float = math.nan
    user: str | None = None
    comment: str | None = None
    shelved_until: int | None = None

    @property
    def annunciated(self) -> bool:
        """A raise the operator sees (not one hidden by shelving, out of service or
        suppression)."""
        return self.action is Action.RAISE and self.to_state is AlarmState.UNACK_ACTIVE


@dataclass(frozen=True, slots=True)
class AlarmStatus:
    """An alarm's row in the alarm table. Statuses exist only for alarms that are not
    NORMAL: entering NORMAL forgets ``raised_at``, the acknowledgement and the comment.

    ``since`` is when the current state was entered; ``raised_at`` the last activation;
    ``comment`` is the last operator note and ``user`` who wrote it: an action without a
    comment (an acknowledgement, say) keeps the note, so the list does not lose it.
    """

    alarm_id: str
    signal_id: str
    asset_id: str
    kind: AlarmKind
    priority: Priority
    state: AlarmState
    since: int
    active: bool
    value: float = math.nan
    raised_at: int | None = None
    acked_by: str | None = None
    acked_at: int | None = None
    shelved_until: int | None = None
    user: str | None = None
    comment: str | None = None

    def same_as(self, other: AlarmStatus) -> bool:
        """Equality that treats NaN values as equal (for tests and replay checks)."""
        both_nan = math.isnan(self.value) and math.isnan(other.value)
        return replace(self, value=0.0) == replace(other, value=0.0) if both_nan else self == other


def apply_event(status: AlarmStatus | None, e: AlarmEvent) -> AlarmStatus | None:
    """The alarm's status after event ``e`` (``status`` None: the alarm was NORMAL).

    Returns None when the alarm is NORMAL afterwards. The live alarm table keeps the same
    fields by its own bookkeeping; a test checks that both agree.
    """
    if e.to_state is AlarmState.NORMAL:
        return None
    prev_state = status.state if status is not None else AlarmState.NORMAL
    since = e.t if status is None or e.to_state is not prev_state else status.since
    raised_at = status.raised_at if status is not None else None
    acked_by = status.acked_by if status is not None else None
    acked_at = status.acked_at if status is not None else None
    user = status.user if status is not None else None
    comment = status.comment if status is not None else None
    if e.action is Action.RAISE:
        raised_at = e.t
    if e.action is Action.ACK:
        acked_by, acked_at = e.user, e.t
    elif e.to_state in UNACKED_STATES:
        acked_by = acked_at = None
    if e.comment is not None:  # a note, or why a raise or suppression happened
        user, comment = e.user, e.comment
    return AlarmStatus(
        alarm_id=e.alarm_id,
        signal_id=e.signal_id,
        asset_id=e.asset_id,
        kind=e.kind,
        priority=e.priority,
        state=e.to_state,
        since=since,
        active=e.active,
        value=e.value,
        raised_at=raised_at,
        acked_by=acked_by,
        acked_at=acked_at,
        shelved_until=e.shelved_until if e.to_state is AlarmState.SHELVED else None,
        user=user,
        comment=comment,
    )
