"""The ISA-18.2 state machine: the transition table, shelving and out of service, and
properties over random sequences of process changes and operator actions."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
NS = 1_000_000_000
RULES = [
    AlarmRule("m1.temp", "m1", AlarmKind.HH, Priority.HIGH, limit=130.0),
    AlarmRule("m1.temp", "m1", AlarmKind.H, Priority.MEDIUM, limit=110.0),
    AlarmRule("m2.volt", "m2", AlarmKind.LL, Priority.CRITICAL, limit=360.0),
]
HH, H, LL = (r.alarm_id for r in RULES)


class Recorder:
    def __init__(self) -> None:
        self.events: list[AlarmEvent] = []

    def __call__(self, events) -> None:
        self.events.extend(events)


def make_table() -> tuple[AlarmTable, Recorder]:
    table = AlarmTable(RULES, clock=lambda: 0)
    rec = Recorder()
    table.add_listener(rec)
    return table, rec


def process(table: AlarmTable, aid: str, t: int, active: bool, value: float = 1.0):
    with table.lock:
        events = table.process(table.rules.index(aid), t, active, value)
        table.emit(events)
    return events


def test_the_isa_cycle_with_acknowledgement_before_return() -> None:
    table, rec = make_table()
    assert table.state(HH) is S.NORMAL
    process(table, HH, 10, True, 131.0)
    assert table.state(HH) is S.UNACK_ACTIVE
    e = table.acknowledge(HH, "ann", "seen it", t=20)
    assert e is not None and (e.from_state, e.to_state) == (S.UNACK_ACTIVE, S.ACK_ACTIVE)
    process(table, HH, 30, False, 120.0)
    assert table.state(HH) is S.NORMAL
    assert [(e.t, e.action, e.from_state, e.to_state) for e in rec.events] == [
        (10, Action.RAISE, S.NORMAL, S.UNACK_ACTIVE),
        (20, Action.ACK, S.UNACK_ACTIVE, S.ACK_ACTIVE),
        (30, Action.CLEAR, S.ACK_ACTIVE, S.NORMAL),
    ]
    first = rec.events[0]
    assert (first.alarm_id, first.signal_id, first.asset_id, first.kind) == (
        HH, "m1.temp", "m1", AlarmKind.HH,
    )  # fmt: skip
    assert first.priority is Priority.HIGH and first.value == 131.0 and first.active
    assert (rec.events[1].user, rec.events[1].comment) == ("ann", "seen it")


def test_return_before_acknowledgement_and_reactivation() -> None:
    table, rec = make_table()
    process(table, H, 10, True)
    process(table, H, 20, False)
    assert table.state(H) is S.UNACK_RTN
    status = table.snapshot()[H]
    assert (status.since, status.raised_at, status.active) == (20, 10, False)
    process(table, H, 30, True)  # back before anyone looked
    assert table.state(H) is S.UNACK_ACTIVE
    process(table, H, 40, False)
    assert table.acknowledge(H, "bob", t=50) is not None
    assert table.state(H) is S.NORMAL
    assert table.snapshot() == {}
    assert [e.to_state for e in rec.events] == [
        S.UNACK_ACTIVE, S.UNACK_RTN, S.UNACK_ACTIVE, S.UNACK_RTN, S.NORMAL,
    ]  # fmt: skip


def test_actions_that_do_not_apply_change_nothing() -> None:
    table, rec = make_table()
    assert table.acknowledge(H, "ann", t=1) is None  # nothing to acknowledge
    assert table.unshelve(H, "ann", t=2) is None
    assert table.return_to_service(H, "ann", t=3) is None
    process(table, H, 4, True)
    assert table.acknowledge(H, "ann", t=5) is not None
    assert table.acknowledge(H, "bob", t=6) is None  # a second operator, same alarm
    assert len(rec.events) == 2
    with pytest.raises(KeyError, match="unknown alarm"):
        table.acknowledge("nope:HH", "ann")


@pytest.mark.parametrize("active", [True, False])
def test_shelf_expiry_returns_to_the_underlying_state(active: bool) -> None:
    table, rec = make_table()
    process(table, LL, 10, True)
    table.acknowledge(LL, "ann", t=15)
    e = table.shelve(LL, "ann", until=100, comment="sensor swap", t=20)
    assert e is not None and e.to_state is S.SHELVED and e.shelved_until == 100
    if not active:
        process(table, LL, 50, False)  # journaled, not annunciated
        assert rec.events[-1].from_state is rec.events[-1].to_state is S.SHELVED
    assert table.state(LL) is S.SHELVED
    assert table.expire_shelves(99) == []
    events = table.expire_shelves(130)
    assert [(e.t, e.action, e.from_state) for e in events] == [
        (100, Action.SHELVE_EXPIRED, S.SHELVED)
    ]
    # Active: it comes back unacknowledged (ISA-18.2); cleared meanwhile: NORMAL.
    assert table.state(LL) is (S.UNACK_ACTIVE if active else S.NORMAL)
    assert events[0].user is None


def test_a_shelf_expires_before_the_next_process_change_or_action() -> None:
    table, rec = make_table()
    table.shelve(H, "ann", until=100, t=0)
    process(table, H, 150, True)
    assert [(e.t, e.action, e.to_state) for e in rec.events[-2:]] == [
        (100, Action.SHELVE_EXPIRED, S.NORMAL),
        (150, Action.RAISE, S.UNACK_ACTIVE),
    ]
    table.shelve(HH, "ann", until=200, t=150)
    table.comment(HH, "bob", "why is this shelved?", t=250)
    assert [(e.t, e.action, e.to_state) for e in rec.events[-2:]] == [
        (200, Action.SHELVE_EXPIRED, S.NORMAL),
        (250, Action.COMMENT, S.NORMAL),
    ]


def test_shelving_needs_a_future_end_and_changes_nothing_otherwise() -> None:
    table, rec = make_table()
    table.shelve(H, "ann", until=100, t=0)
    with pytest.raises(ValueError, match="not after"):
        table.shelve(H, "ann", until=150, t=150)
    assert rec.events[-1].action is Action.SHELVE  # nothing was half done
    assert table.shelve(H, "ann", until=300, t=50) is not None  # a new shelf replaces
    assert table.snapshot()[H].shelved_until == 300


def test_out_of_service_hides_the_process_and_outranks_a_shelf() -> None:
    table, rec = make_table()
    table.shelve(H, "ann", until=100, t=0)
    e = table.remove_from_service(H, "tech", "sensor replaced", t=10)
    assert e is not None and e.to_state is S.OUT_OF_SERVICE and e.shelved_until is None
    assert table.shelve(H, "ann", until=500, t=20) is None
    process(table, H, 30, True)
    assert table.state(H) is S.OUT_OF_SERVICE and rec.events[-1].action is Action.RAISE
    assert table.expire_shelves(1000) == []  # the old shelf is gone
    assert table.acknowledge(H, "ann", t=40) is None
    e = table.return_to_service(H, "tech", t=50)
    assert e is not None and e.to_state is S.UNACK_ACTIVE


def test_status_fields_and_restore() -> None:
    table, _ = make_table()
    process(table, HH, 10, True, 135.0)
    table.acknowledge(HH, "ann", "on it", t=20)
    table.shelve(H, "bob", until=500, t=30)
    table.remove_from_service(LL, "tech", t=40)
    snap = table.snapshot()
    assert snap[HH] == AlarmStatus(
        HH, "m1.temp", "m1", AlarmKind.HH, Priority.HIGH, S.ACK_ACTIVE, since=20, active=True,
        value=135.0, raised_at=10, acked_by="ann", acked_at=20, user="ann", comment="on it",
    )  # fmt: skip
    other, _ = make_table()
    other.restore(snap)
    assert all(other.snapshot()[k].same_as(v) for k, v in snap.items())
    assert other.expire_shelves(600)[0].to_state is S.NORMAL  # the restored shelf runs out
    assert other.return_to_service(LL, "tech", t=700) is not None
    process(other, HH, 800, False)
    assert other.state(HH) is S.NORMAL


def test_a_failing_listener_does_not_stop_the_others() -> None:
    table, rec = make_table()

    def broken(events) -> None:
        raise RuntimeError("view gone")

    table.add_listener(broken)
    table.add_listener(rec2 := Recorder())
    process(table, H, 1, True)
    assert len(rec.events) == len(rec2.events) == 1
    table.remove_listener(broken)


def test_operator_threads_and_the_engine_thread_keep_each_alarm_in_order() -> None:
    table, rec = make_table()
    stop = threading.Event()

    def operator(name: str) -> None:
        while not stop.is_set():
            for aid in (HH, H, LL):
                table.acknowledge(aid, name)
                table.comment(aid, name, "x")

    threads = [threading.Thread(target=operator, args=(n,)) for n in ("ann", "bob")]
    for th in threads:
        th.start()
    for i in range(2000):
        for aid in (HH, H, LL):
            process(table, aid, i, i % 2 == 0)
    stop.set()
    for th in threads:
        th.join()
    check_chains(rec.events, table)


# --- properties over random sequences ----------------------------------------------------


def check_chains(events: list[AlarmEvent], table: AlarmTable) -> None:
    """Each alarm's events chain (from_state == previous to_state), the last one is the
    current state, and folding them rebuilds the live table."""
    last: dict[str, AlarmState] = {}
    folded: dict[str, AlarmStatus] = {}
    for e in events:
        assert e.from_state is last.get(e.alarm_id, S.NORMAL), e
        last[e.alarm_id] = e.to_state
        status = apply_event(folded.get(e.alarm_id), e)
        if status is None:
            folded.pop(e.alarm_id, None)
        else:
            folded[e.alarm_id] = status
    for alarm in table.alarms:
        assert alarm.state is last.get(alarm.rule.alarm_id, S.NORMAL)
    live = table.snapshot()
    assert folded.keys() == live.keys()
    for aid, status in live.items():
        assert folded[aid].same_as(status), (folded[aid], status)


class Model:
    """ISA-18.2 figure 5 as a plain table: an independent statement of the rules."""

    def __init__(self) -> None:
        self.state = S.NORMAL
        self.active = False
        self.until: int | None = None

    def expire(self, t: int) -> None:
        if self.state is S.SHELVED and self.until is not None and t >= self.until:
            self.state, self.until = (S.UNACK_ACTIVE if self.active else S.NORMAL), None

    def step(self, op: str, t: int, arg: int) -> None:
        self.expire(t)
        s = self.state
        if op == "raise" and not self.active:
            self.active = True
            self.state = {S.NORMAL: S.UNACK_ACTIVE, S.UNACK_RTN: S.UNACK_ACTIVE}.get(s, s)
        elif op == "clear" and self.active:
            self.active = False
            self.state = {S.UNACK_ACTIVE: S.UNACK_RTN, S.ACK_ACTIVE: S.NORMAL}.get(s, s)
        elif op == "ack":
            self.state = {S.UNACK_ACTIVE: S.ACK_ACTIVE, S.UNACK_RTN: S.NORMAL}.get(s, s)
        elif op == "shelve" and s is not S.OUT_OF_SERVICE:
            self.state, self.until = S.SHELVED, t + arg
        elif op in ("unshelve", "return") and s is (
            S.SHELVED if op == "unshelve" else S.OUT_OF_SERVICE
        ):
            self.state, self.until = (S.UNACK_ACTIVE if self.active else S.NORMAL), None
        elif op == "remove" and s is not S.OUT_OF_SERVICE:
            self.state, self.until = S.OUT_OF_SERVICE, None


OPS = ["raise", "clear", "ack", "shelve", "unshelve", "remove", "return", "comment", "tick"]
steps = st.lists(
    st.tuples(
        st.sampled_from(OPS),
        st.sampled_from([HH, H, LL]),
        st.integers(0, 50),  # time step
        st.integers(1, 120),  # shelf length
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_random_sequences_follow_isa_18_2(seq: list[tuple[str, str, int, int]]) -> None:
    table, rec = make_table()
    models = {aid: Model() for aid in (HH, H, LL)}
    t = 0
    for op, aid, dt, length in seq:
        t += dt
        n_before = len(rec.events)
        if op in ("raise", "clear"):
            process(table, aid, t, op == "raise")
        elif op == "ack":
            table.acknowledge(aid, "ann", t=t)
        elif op == "shelve":
            table.shelve(aid, "ann", until=t + length, t=t)
        elif op == "unshelve":
            table.unshelve(aid, "ann", t=t)
        elif op == "remove":
            table.remove_from_service(aid, "ann", t=t)
        elif op == "return":
            table.return_to_service(aid, "ann", t=t)
        elif op == "comment":
            table.comment(aid, "ann", "note", t=t)
        else:
            table.expire_shelves(t)
        for m in models.values() if op == "tick" else [models[aid]]:
            m.step(op, t, length) if op != "tick" else m.expire(t)
        for a, m in models.items():
            alarm = table.alarm(a)
            if a == aid or op == "tick":
                assert alarm.state is m.state, (op, a, t)
            assert alarm.state in set(S)
            # Active states agree with the process; a shelf never outlives its end once
            # time has reached it.
            assert alarm.state not in (S.UNACK_ACTIVE, S.ACK_ACTIVE) or alarm.active
            assert alarm.state not in (S.NORMAL, S.UNACK_RTN) or not alarm.active
            if (a == aid or op == "tick") and alarm.state is S.SHELVED:
                assert alarm.shelved_until is not None and alarm.shelved_until > t
        for e in rec.events[n_before:]:
            if e.action is Action.SHELVE_EXPIRED:  # stamped with the shelf's end, not now
                assert e.t <= t and e.to_state is (S.UNACK_ACTIVE if e.active else S.NORMAL)
    check_chains(rec.events, table)
    per_alarm: dict[str, int] = {}
    for e in rec.events:  # each alarm's journal runs forward in time
        assert e.t >= per_alarm.get(e.alarm_id, 0)
        per_alarm[e.alarm_id] = e.t
