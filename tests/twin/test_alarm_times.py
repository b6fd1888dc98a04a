"""Alarm event times when source timestamps are old or behind our clock: one alarm's
events stay in time order, and nothing is stamped before the engine's start."""

from __future__ import annotations

import math

import numpy as np

from twin.alarms import Action, AlarmEngine, AlarmEvent, AlarmKind, AlarmRule, Priority
from twin.batch import Batch, ChannelGroup

NS = 1_000_000_000
T0 = 1_750_000_000 * NS


def _engine(start: int) -> tuple[AlarmEngine, list[AlarmEvent]]:
    rules = [
        AlarmRule("a.x", "a", AlarmKind.NO_DATA, Priority.MEDIUM, stale_s=2.0),
        AlarmRule("a.x", "a", AlarmKind.H, Priority.HIGH, limit=10.0),
    ]
    engine = AlarmEngine(rules, [ChannelGroup("g", ("a.x",), 1.0)], clock=lambda: start)
    events: list[AlarmEvent] = []
    engine.add_listener(events.extend)
    return engine, events


def _batch(seconds: list[float], values: list[float]) -> Batch:
    t = T0 + np.round(np.asarray(seconds) * NS).astype(np.int64)
    return Batch("g", t, np.asarray([values], dtype=np.float64))


def _in_order(events: list[AlarmEvent]) -> bool:
    by_alarm: dict[str, list[int]] = {}
    for e in events:
        by_alarm.setdefault(e.alarm_id, []).append(e.t)
    return all(ts == sorted(ts) for ts in by_alarm.values())


def test_samples_behind_our_clock_clear_no_data_after_its_raise_not_before() -> None:
    """A device clock 1.5 s behind ours: check_stale (our clock) raises at the last
    sample + stale; the next samples, stamped earlier than that raise, clear it: the
    clear is stamped at the raise, not before it."""
    engine, events = _engine(T0)
    engine.begin()
    engine.on_batch(_batch([0.0], [1.0]))
    engine.check_stale(T0 + 3 * NS)  # silent for 3 s by our clock: raised at 0 + 2 s
    engine.on_batch(_batch([1.5, 2.5], [1.0, 1.0]))  # stamped by the device's clock
    kinds = [(e.action, e.t) for e in events if e.kind is AlarmKind.NO_DATA]
    assert kinds == [(Action.RAISE, T0 + 2 * NS), (Action.CLEAR, T0 + 2 * NS)]
    assert _in_order(events)


def test_samples_older_than_the_start_raise_nothing_in_the_past() -> None:
    """A value stamped an hour before the engine started (a retained message): its high
    alarm is raised at the start, and no-data timing starts at the start, not an hour
    earlier."""
    start = T0 + 3600 * NS
    engine, events = _engine(start)
    engine.begin()
    engine.on_batch(_batch([0.0], [50.0]))  # an hour before the start, above the limit
    assert engine.check_stale(start + NS) == []  # not yet silent for 2 s since the start
    engine.check_stale(start + 3 * NS)
    raised = {e.kind: e.t for e in events if e.action is Action.RAISE}
    assert raised == {AlarmKind.H: start, AlarmKind.NO_DATA: start + 2 * NS}
    assert all(e.t >= start for e in events)


def test_without_begin_the_first_batch_starts_the_engine_as_before() -> None:
    engine, events = _engine(T0 + 3600 * NS)
    engine.on_batch(_batch([0.0, 1.0], [1.0, math.nan]))
    engine.check_stale(T0 + 10 * NS)
    raised = [e.t for e in events if e.action is Action.RAISE]
    assert raised == [T0 + 2 * NS]  # 2 s after the last finite sample, in data time
