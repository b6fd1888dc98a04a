"""EEMUA 191 health figures over synthetic journals: rates, floods, chattering, standing
alarms, bad actors and the priority mix."""

from __future__ import annotations

import numpy as np
import pytest

from twin.alarms import Action, AlarmEvent, AlarmKind, AlarmState, AlarmStatus, Priority
from twin.alarms.health import alarm_health

S = AlarmState
NS = 1_000_000_000
MIN = 60 * NS
T0 = 1_750_000_000 * NS


def ev(
    t: int,
    aid: str,
    action: Action = Action.RAISE,
    to: AlarmState | None = None,
    priority: Priority = Priority.MEDIUM,
    user: str | None = None,
) -> AlarmEvent:
    raise_ = action is Action.RAISE
    to = to or (S.UNACK_ACTIVE if raise_ else S.UNACK_RTN)
    sid, kind = aid.split(":")
    return AlarmEvent(
        t=t, alarm_id=aid, signal_id=sid, asset_id=sid.split(".")[0], kind=AlarmKind(kind),
        action=action, from_state=S.NORMAL, to_state=to, priority=priority,
        active=raise_ if action in (Action.RAISE, Action.CLEAR) else True, user=user,
    )  # fmt: skip


def cycle(t: int, aid: str, hold: int = NS, **kw) -> list[AlarmEvent]:
    return [ev(t, aid, **kw), ev(t + hold, aid, Action.CLEAR)]


def test_rates_per_ten_minutes_and_floods() -> None:
    events = []
    for i in range(6):  # a quiet hour: one alarm per 10 min
        events += cycle(T0 + i * 10 * MIN + MIN, f"m{i}.temp:H")
    for i in range(25):  # then 25 alarms within 5 minutes: a flood
        events += cycle(T0 + 60 * MIN + i * 12 * NS, f"m{i % 7}.current:HH")
    rep = alarm_health(events, T0, T0 + 90 * MIN)
    assert rep.annunciated == rep.activations == 31
    np.testing.assert_array_equal(rep.per_bucket, [1, 1, 1, 1, 1, 1, 25, 0, 0])
    assert rep.average_per_bucket == pytest.approx(31 / 9)
    assert rep.peak_per_bucket == 25
    assert len(rep.floods) == 1
    flood = rep.floods[0]
    assert (flood.start, flood.end, flood.alarms) == (T0 + 60 * MIN, T0 + 70 * MIN, 25)
    assert flood.top[0] == ("m0.current:HH", 4)
    assert rep.percent_time_in_flood == pytest.approx(100 / 9)


def test_the_sliding_peak_sees_a_burst_across_two_buckets() -> None:
    events = []
    for i in range(12):  # 12 alarms within 4 minutes straddling a bucket edge
        events += cycle(T0 + 8 * MIN + i * 20 * NS, f"a{i}.x:H")
    rep = alarm_health(events, T0, T0 + 30 * MIN)
    assert rep.per_bucket.tolist() == [6, 6, 0]
    assert rep.floods == ()  # no fixed bucket above 10
    assert rep.peak_per_bucket == 12


def test_chattering_alarms() -> None:
    events = []
    for k in range(5):  # 5 activations 10 s apart: chattering
        events += cycle(T0 + k * 10 * NS, "p.force:H", hold=2 * NS)
    for k in range(5):  # 5 activations 5 minutes apart: not chattering
        events += cycle(T0 + k * 5 * MIN, "p.ram:HH", hold=2 * NS)
    events += cycle(T0 + MIN, "q.x:L") + cycle(T0 + MIN + 30 * NS, "q.x:L")  # only 2
    rep = alarm_health(events, T0, T0 + 60 * MIN)
    assert [(c.alarm_id, c.activations, c.max_in_window) for c in rep.chattering] == [
        ("p.force:H", 5, 5)
    ]
    strict = alarm_health(events, T0, T0 + 60 * MIN, chatter_count=2)
    assert {c.alarm_id for c in strict.chattering} == {"p.force:H", "q.x:L"}


def test_standing_alarms_from_before_and_within_the_period() -> None:
    day = 24 * 3600 * NS
    initial = {
        "m1.temp:H": AlarmStatus(
            "m1.temp:H", "m1.temp", "m1", AlarmKind.H, Priority.MEDIUM, S.ACK_ACTIVE,
            since=T0 - 2 * day, active=True, raised_at=T0 - 2 * day,
        ),
        "m2.temp:H": AlarmStatus(  # returned, unacknowledged: not standing
            "m2.temp:H", "m2.temp", "m2", AlarmKind.H, Priority.MEDIUM, S.UNACK_RTN,
            since=T0 - day, active=False, raised_at=T0 - 3 * day,
        ),
    }  # fmt: skip
    events = [
        ev(T0 + 10 * MIN, "m3.volt:LL"),  # raised in the period and never cleared
        *cycle(T0 + MIN, "m4.x:H", hold=MIN),  # short
        ev(T0 + 2 * day, "m1.temp:H", Action.CLEAR),
    ]
    rep = alarm_health(events, T0, T0 + 3 * day, initial=initial, standing_s=24 * 3600)
    got = [(s.alarm_id, s.since, s.until) for s in rep.standing]
    assert got == [
        ("m1.temp:H", T0 - 2 * day, T0 + 2 * day),
        ("m3.volt:LL", T0 + 10 * MIN, None),
    ]
    assert rep.standing[0].duration_s == 4 * 24 * 3600
    short = alarm_health(events, T0, T0 + 3 * day, standing_s=30)
    assert "m4.x:H" in {s.alarm_id for s in short.standing}


def test_top_ten_priorities_and_what_counts_as_annunciated() -> None:
    events: list[AlarmEvent] = []
    for i in range(12):
        for _ in range(i + 1):
            events += cycle(T0 + len(events) * NS, f"a{i}.x:H", priority=Priority.LOW)
    events += cycle(T0 + 900 * NS, "z.x:HH", priority=Priority.CRITICAL)
    # Raised while shelved: an activation, not annunciated.
    events.append(ev(T0 + 950 * NS, "s.x:H", to=S.SHELVED))
    events.append(ev(T0 + 960 * NS, "z.x:HH", Action.ACK, to=S.NORMAL, user="ann"))
    events.append(ev(T0 + 970 * NS, "s.x:H", Action.UNSHELVE, to=S.UNACK_ACTIVE, user="ann"))
    rep = alarm_health(events, T0, T0 + 3600 * NS)
    assert rep.annunciated == 78 + 1 and rep.activations == 80
    assert len(rep.top) == 10
    assert rep.top[0] == ("a11.x:H", 12, pytest.approx(100 * 12 / 79))
    assert [a for a, _, _ in rep.top[:3]] == ["a11.x:H", "a10.x:H", "a9.x:H"]
    assert rep.priority_percent == pytest.approx({"critical": 100 / 79, "low": 7800 / 79})
    assert rep.operator_actions == {"ack": 1, "unshelve": 1}


def test_events_outside_the_period_are_ignored_and_empty_periods_refused() -> None:
    events = cycle(T0 - MIN, "a.x:H") + cycle(T0 + 2 * MIN, "b.x:H")
    rep = alarm_health(events, T0, T0 + 10 * MIN)
    assert rep.annunciated == 1 and rep.peak_per_bucket == 1
    empty = alarm_health([], T0, T0 + 10 * MIN)
    assert empty.annunciated == 0 and empty.top == () and empty.priority_percent == {}
    with pytest.raises(ValueError, match="empty period"):
        alarm_health([], T0, T0)
