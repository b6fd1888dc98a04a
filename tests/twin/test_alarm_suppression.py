"""Designed suppression: a lost connection raises one alarm and suppresses the no-data
alarms of its signals; they are journaled, not annunciated, and released when data returns."""

from __future__ import annotations

import numpy as np

from twin.alarms import Action, AlarmEngine, AlarmEvent, AlarmKind, AlarmState, alarm_id
from twin.alarms.rules import build_rules, connection_rule, connection_signals, signal_rules
from twin.batch import Batch, ChannelGroup
from twin.plant.model import Area, Asset, Connection, Plant, Signal

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
PLC1 = ("m1.temp", "m1.current", "m2.temp")
PLC2 = ("m3.temp",)


def _signal(sid: str, conn: str) -> Signal:
    asset, key = sid.split(".")
    src = {"connection": conn, "topic": f"plant/{sid}"}
    return Signal(sid, asset, key, key, "", 1.0, (0.0, 100.0), source=src)


def _plant() -> Plant:
    sigs = [_signal(s, "plc1") for s in PLC1] + [_signal(s, "plc2") for s in PLC2]
    assets = tuple(
        Asset(
            a, a, "motor", "hall", (0.0, 0.0, 0.0), 0.0, tuple(s for s in sigs if s.asset_id == a)
        )
        for a in ("m1", "m2", "m3")
    )
    conns = tuple(Connection(c, "mqtt", "127.0.0.1", 1883) for c in ("plc1", "plc2"))
    return Plant("p", "p.toml", (Area("hall", "Hall"),), assets, connections=conns)


class Rig:
    """An engine over the two connections' groups, the link states it polls, the events."""

    def __init__(self) -> None:
        plant = _plant()
        self.groups = {
            "plc1": ChannelGroup("plc1", PLC1, 1.0),
            "plc2": ChannelGroup("plc2", PLC2, 1.0),
        }
        self.engine = AlarmEngine(build_rules(plant), self.groups.values(), start_ns=T0)
        self.links: dict[str, tuple[bool, str]] = {}
        self.engine.follow_connections(connection_signals(plant), lambda: dict(self.links))
        self.events: list[AlarmEvent] = []
        self.engine.add_listener(self.events.extend)

    def feed(self, group: str, second: float) -> None:
        n = self.groups[group].channels
        t = np.array([T0 + round(second * NS)], dtype=np.int64)
        self.engine.on_batch(Batch(group, t, np.full((n, 1), 50.0)))

    def tick(self, second: float) -> list[AlarmEvent]:
        return self.engine.check_stale(T0 + round(second * NS))

    def state(self, aid: str) -> AlarmState:
        return self.engine.table.state(aid)


ND1 = [alarm_id(s, AlarmKind.NO_DATA) for s in PLC1]
CONN1 = alarm_id("plc1", AlarmKind.CONNECTION)


def _run_until_lost(rig: Rig) -> None:
    for s in range(4):
        rig.feed("plc1", s)
        rig.feed("plc2", s)
        rig.tick(s + 0.5)
    rig.links = {"plc1": (True, "connection refused"), "plc2": (False, "connected")}
    rig.tick(4.0)  # the poll sees plc1 lost
    for s in range(4, 15):  # plc1 silent, plc2 flowing
        rig.feed("plc2", s)
        rig.tick(s + 0.5)


def test_bound_signals_and_one_rule_per_connection() -> None:
    plant = _plant()
    assert connection_signals(plant) == {"plc1": PLC1, "plc2": PLC2}
    rules = build_rules(plant)
    assert [r.alarm_id for r in rules if r.kind is AlarmKind.CONNECTION] == [
        CONN1,
        alarm_id("plc2", AlarmKind.CONNECTION),
    ]
    assert connection_rule("plc1").asset_id == ""
    assert AlarmEngine(rules, []).unbound == tuple(
        r.alarm_id for s in plant.signals for r in signal_rules(s)
    )


def test_a_lost_connection_raises_one_alarm_and_suppresses_its_no_data_alarms() -> None:
    rig = Rig()
    _run_until_lost(rig)
    raised = [e for e in rig.events if e.annunciated]
    assert [e.alarm_id for e in raised] == [CONN1]
    assert "plc1" in (raised[0].comment or "") and "connection refused" in (raised[0].comment or "")
    suppressed = [e for e in rig.events if e.action is Action.SUPPRESS]
    assert sorted(e.alarm_id for e in suppressed) == sorted(ND1)
    # The no-data alarms did go active, journaled as suppressed, with no horn.
    hidden = [e for e in rig.events if e.action is Action.RAISE and e.kind is AlarmKind.NO_DATA]
    assert sorted(e.alarm_id for e in hidden) == sorted(ND1)
    assert all(e.to_state is AlarmState.SUPPRESSED for e in hidden)
    snap = rig.engine.table.snapshot()
    assert {a for a, s in snap.items() if s.state is AlarmState.SUPPRESSED} == set(ND1)
    assert snap[CONN1].state is AlarmState.UNACK_ACTIVE
    assert rig.state(alarm_id("m3.temp", AlarmKind.NO_DATA)) is AlarmState.NORMAL


def test_data_back_restores_and_clears_every_suppressed_alarm() -> None:
    rig = Rig()
    _run_until_lost(rig)
    rig.events.clear()
    rig.links["plc1"] = (False, "connected")
    rig.tick(15.0)
    assert [e.action for e in rig.events if e.alarm_id == CONN1] == [Action.CLEAR]
    assert all(rig.state(a) is AlarmState.SUPPRESSED for a in ND1)  # no fresh data yet
    rig.feed("plc1", 15.2)
    unsuppressed = [e for e in rig.events if e.action is Action.UNSUPPRESS]
    assert sorted(e.alarm_id for e in unsuppressed) == sorted(ND1)
    assert all(e.to_state is AlarmState.NORMAL for e in unsuppressed)
    assert all(rig.state(a) is AlarmState.NORMAL for a in ND1)
    assert not [e for e in rig.events if e.annunciated]


def test_signals_still_silent_after_the_reconnect_come_back_as_real_no_data_alarms() -> None:
    rig = Rig()
    _run_until_lost(rig)
    rig.events.clear()
    rig.links["plc1"] = (False, "connected")
    rig.tick(15.0)
    assert all(rig.state(a) is AlarmState.SUPPRESSED for a in ND1)
    rig.tick(16.0)  # within the stale time: still waiting for data
    assert all(rig.state(a) is AlarmState.SUPPRESSED for a in ND1)
    rig.tick(18.0)
    assert all(rig.state(a) is AlarmState.UNACK_ACTIVE for a in ND1)


def test_an_alarm_already_raised_when_the_loss_is_seen_is_suppressed_too() -> None:
    rig = Rig()
    for s in range(4):
        rig.feed("plc1", s)
        rig.feed("plc2", s)
    rig.tick(9.0)  # silence noticed before the connection's loss is
    assert all(rig.state(a) is AlarmState.UNACK_ACTIVE for a in ND1)
    rig.engine.update_connections({"plc1": (True, "keepalive timeout")}, T0 + 10 * NS)
    assert all(rig.state(a) is AlarmState.SUPPRESSED for a in ND1)
    assert rig.engine.table.snapshot()[CONN1].comment == "connection plc1 lost: keepalive timeout"


def test_after_a_restart_suppressed_alarms_are_released_when_the_connection_is_up() -> None:
    rig = Rig()
    _run_until_lost(rig)
    again = Rig()
    again.engine.restore(rig.engine.table.snapshot())
    assert all(again.state(a) is AlarmState.SUPPRESSED for a in ND1)
    again.links = {"plc1": (False, "connected")}
    again.tick(20.0)
    assert [e.action for e in again.events if e.alarm_id == CONN1] == [Action.CLEAR]
    again.feed("plc1", 20.5)
    assert all(again.state(a) is AlarmState.NORMAL for a in ND1)
