"""Rules as columns and alarm objects made on demand: the same rules and the same events
as one object per rule would give, with objects only for alarms that are not NORMAL."""

from __future__ import annotations

import numpy as np
import pytest

from twin.alarms import (
    Action,
    AlarmEngine,
    AlarmEvent,
    AlarmKind,
    AlarmRule,
    AlarmState,
    AlarmTable,
    Priority,
    RuleSet,
    build_rules,
    signal_rules,
)
from twin.alarms.rules import connection_rule
from twin.batch import Batch, ChannelGroup
from twin.plant.model import Plant

NS = 1_000_000_000
T0 = 1_750_000_000 * NS


def test_build_rules_holds_each_signals_rules_in_file_order(demo_plant: Plant) -> None:
    rules = build_rules(demo_plant)
    expected = [r for s in demo_plant.signals for r in signal_rules(s)]
    expected += [connection_rule(c.id) for c in demo_plant.connections]
    assert list(rules) == expected  # (the NaN limits are the same object: equal)
    for i, x in enumerate(expected):
        assert rules.index(x.alarm_id) == i and rules.alarm_id(i) == x.alarm_id


def test_rules_built_from_objects_keep_their_order_and_fields() -> None:
    given = [
        AlarmRule("b.y", "b", AlarmKind.H, Priority.LOW, limit=5.0, deadband=0.5),
        AlarmRule("a.x", "a", AlarmKind.NO_DATA, Priority.HIGH, stale_s=7.0),
        AlarmRule("b.y", "b", AlarmKind.LL, Priority.CRITICAL, limit=-3.0, on_delay_s=2.0),
    ]
    rules = RuleSet(given)
    assert list(rules) == given
    assert rules.indices_of_signal("b.y") == [0, 2] and rules.indices_of_signal("c.z") == []
    assert "a.x:NO_DATA" in rules and "a.x:H" not in rules and "a.x" not in rules
    assert rules.column("limit", np.array([2, 0])).tolist() == [-3.0, 5.0]


def test_an_alarm_defined_twice_is_named() -> None:
    twice = AlarmRule("m.t", "m", AlarmKind.H, Priority.LOW, limit=1.0)
    with pytest.raises(ValueError, match=r"alarm 'm\.t:H' is defined twice"):
        RuleSet([twice, connection_rule("c1"), twice])


def with_objects(table: AlarmTable) -> list[int]:
    return [i for i in range(len(table.rules)) if table.peek(i) is not None]


def test_alarm_objects_exist_only_while_an_alarm_is_not_normal() -> None:
    rules = [
        AlarmRule(f"m{i}.t", f"m{i}", AlarmKind.H, Priority.LOW, limit=10.0) for i in range(50)
    ]
    group = ChannelGroup("g", tuple(r.signal_id for r in rules), 1.0)
    engine = AlarmEngine(rules, [group], start_ns=T0)
    table = engine.table
    assert table.snapshot() == {} and with_objects(table) == []
    v = np.zeros((50, 2))
    v[7] = [11.0, 12.0]
    engine.on_batch(Batch("g", np.array([T0 + NS, T0 + 2 * NS]), v))
    assert list(table.snapshot()) == ["m7.t:H"]
    assert with_objects(table) == [7]
    table.acknowledge("m7.t:H", "li.wei", t=T0 + 3 * NS)
    v[7] = [1.0, 1.0]
    engine.on_batch(Batch("g", np.array([T0 + 4 * NS, T0 + 5 * NS]), v))
    assert table.snapshot() == {} and with_objects(table) == []
    assert table.state("m7.t:H") is AlarmState.NORMAL


def test_an_alarm_back_to_normal_keeps_its_event_times_in_order() -> None:
    rule = AlarmRule("m.t", "m", AlarmKind.H, Priority.LOW, limit=10.0)
    table = AlarmTable([rule], clock=lambda: 0)
    events: list[AlarmEvent] = []
    table.add_listener(events.extend)
    with table.lock:
        table.emit(table.process(0, 100, True, 11.0))
        table.emit(table.process(0, 200, False, 9.0))
    table.acknowledge("m.t:H", "li.wei", t=300)  # UNACK_RTN -> NORMAL: the object goes
    assert table.peek(0) is None
    with table.lock:  # a raise found at a time before the last event: stamped at it
        table.emit(table.process(0, 250, True, 12.0))
    assert [(e.action, e.t) for e in events] == [
        (Action.RAISE, 100),
        (Action.CLEAR, 200),
        (Action.ACK, 300),
        (Action.RAISE, 300),
    ]
    shelf = table.shelve("m.t:H", "li.wei", until=900, t=400)
    assert shelf is not None and shelf.value == 12.0  # the last measured value is kept
