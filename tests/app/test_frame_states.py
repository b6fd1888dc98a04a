"""A frame's states: the same as a fresh evaluation at every cursor, worked out again only
when new samples come or a signal turns stale."""

from __future__ import annotations

import numpy as np

from app.frame.states import FrameStates
from twin.plant.model import Area, Asset, Limits, Plant, Signal
from twin.status import State, StatusEvaluator
from twin.timebase import NS_PER_S

T0 = 1_700_000_000 * NS_PER_S
FRAME_NS = NS_PER_S // 30


def _plant(n: int) -> Plant:
    def asset(i: int) -> Asset:
        aid = f"M{i:03d}"
        fast = Signal(f"{aid}.current", aid, "current", "Current", "A", 1.0, (0, 30),
                      Limits(warn_high=32.0, alarm_high=40.0))  # fmt: skip
        slow = Signal(f"{aid}.temp", aid, "temp", "Temp", "C", 0.1, (20, 80))  # stale after 30 s
        return Asset(aid, aid, "motor", "a", (0, 0, 0), 0.0, (fast, slow), {})

    return Plant("test", "", (Area("a", "A"),), tuple(asset(i) for i in range(n)))


def test_states_match_a_fresh_evaluation_and_are_not_redone_each_frame() -> None:
    plant = _plant(50)
    evaluator = StatusEvaluator(plant)
    cached = FrameStates(StatusEvaluator(plant))
    rng = np.random.default_rng(3)
    m = len(evaluator.signal_ids)
    fast = np.array([s.rate_hz == 1.0 for s in plant.signals])
    last = np.full(m, T0, dtype=np.int64)
    values = rng.uniform(10.0, 35.0, m)  # some above the warning limit
    frames = changes = 0
    slow_stops_at = T0 + 5 * NS_PER_S  # then the slow signals stop; fast ones go on
    for cursor in range(T0, T0 + 60 * NS_PER_S, FRAME_NS):
        new_second = (cursor - T0) % NS_PER_S < FRAME_NS and cursor > T0
        if new_second:  # the 1 Hz signals' next sample (and the slow ones' until they stop)
            fresh = fast | (cursor <= slow_stops_at)
            last = np.where(fresh, cursor, last)
            values = np.where(fresh, rng.uniform(10.0, 35.0, m), values)
            changes += 1
        signal, asset = cached.states(values, last, cursor)
        expected = evaluator.signal_states(values, last, cursor)
        assert np.array_equal(signal, expected), f"at {(cursor - T0) / NS_PER_S:.3f} s"
        assert np.array_equal(asset, evaluator.asset_states(expected))
        frames += 1
    later = T0 + 60 * NS_PER_S
    signal, _ = cached.states(values, last, later)
    assert (signal[~fast] == State.NO_DATA).all()  # 55 s without a sample: stale
    assert (signal[fast] != State.NO_DATA).all()
    # Once a second for the new samples, once when the slow signals turned stale.
    assert cached.evaluations <= changes + 3 < frames / 20


def test_a_cursor_moved_back_is_evaluated_again() -> None:
    plant = _plant(3)
    evaluator = StatusEvaluator(plant)
    cached = FrameStates(StatusEvaluator(plant))
    m = len(evaluator.signal_ids)
    last = np.full(m, T0, dtype=np.int64)
    values = np.full(m, 20.0)
    late = T0 + 40 * NS_PER_S  # every signal stale
    assert (cached.states(values, last, late)[0] == State.NO_DATA).all()
    early = T0 + NS_PER_S  # the same samples, a second after them: none stale
    signal, _ = cached.states(values, last, early)
    assert np.array_equal(signal, evaluator.signal_states(values, last, early))
    assert (signal == State.NORMAL).all()
