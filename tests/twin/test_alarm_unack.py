"""Taking back an acknowledgement, and operator notes that outlive later actions: in the
live table and in the fold the journal replays (``apply_event``) alike."""

from __future__ import annotations

from collections.abc import Sequence

from twin.alarms import (
    Action,
    AlarmEvent,
    AlarmKind,
    AlarmRule,
    AlarmState,
    AlarmStatus,
    AlarmTable,
    Priority,
    apply_event,
)

S = AlarmState
HH_RULE = AlarmRule("m1.temp", "m1", AlarmKind.HH, Priority.HIGH, limit=130.0)
HH = HH_RULE.alarm_id


def table_and_events() -> tuple[AlarmTable, list[AlarmEvent]]:
    table = AlarmTable([HH_RULE], clock=lambda: 0)
    events: list[AlarmEvent] = []

    def record(batch: Sequence[AlarmEvent]) -> None:
        events.extend(batch)

    table.add_listener(record)
    return table, events


def raise_alarm(table: AlarmTable, t: int) -> None:
    with table.lock:
        table.emit(table.process(0, t, True, 135.0))


def fold(events: list[AlarmEvent]) -> AlarmStatus | None:
    status: AlarmStatus | None = None
    for e in events:
        status = apply_event(status, e)
    return status


def test_an_acknowledgement_taken_back_is_unacknowledged_again_and_journaled() -> None:
    table, events = table_and_events()
    raise_alarm(table, 10)
    assert table.acknowledge(HH, "ann", t=20) is not None
    e = table.unacknowledge(HH, "bob", "wrong row", t=30)
    assert e is not None and e.action is Action.UNACK
    assert (e.from_state, e.to_state, e.user, e.comment) == (
        S.ACK_ACTIVE, S.UNACK_ACTIVE, "bob", "wrong row",
    )  # fmt: skip
    status = table.snapshot()[HH]
    assert (status.state, status.acked_by, status.acked_at) == (S.UNACK_ACTIVE, None, None)
    assert (status.user, status.comment) == ("bob", "wrong row")
    folded = fold(events)
    assert folded is not None and folded.same_as(status)


def test_only_an_acknowledged_active_alarm_can_be_taken_back() -> None:
    table, events = table_and_events()
    assert table.unacknowledge(HH, "ann", t=5) is None  # NORMAL
    raise_alarm(table, 10)
    assert table.unacknowledge(HH, "ann", t=15) is None  # not acknowledged yet
    table.acknowledge(HH, "ann", t=20)
    table.shelve(HH, "ann", until=100, comment="maintenance", t=25)
    assert table.unacknowledge(HH, "ann", t=30) is None  # shelved
    assert [e.action for e in events] == [Action.RAISE, Action.ACK, Action.SHELVE]


def test_a_note_survives_an_acknowledgement_without_one() -> None:
    table, events = table_and_events()
    raise_alarm(table, 10)
    table.comment(HH, "ann", "fan B is noisy", t=15)
    table.acknowledge(HH, "bob", t=20)
    status = table.snapshot()[HH]
    assert (status.acked_by, status.user, status.comment) == ("bob", "ann", "fan B is noisy")
    folded = fold(events)
    assert folded is not None and folded.same_as(status)
    table.acknowledge(HH, "bob", t=21)  # nothing to acknowledge: no event, no change
    table.unacknowledge(HH, "bob", "meant M08", t=30)
    assert table.snapshot()[HH].comment == "meant M08"
