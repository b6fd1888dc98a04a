"""Asset and signal states from limits, staleness and missing data."""

from __future__ import annotations

import numpy as np

from twin.plant.model import Area, Asset, Limits, Plant, Signal
from twin.status import State, StatusEvaluator
from twin.timebase import NS_PER_S


def _signal(asset: str, key: str, rate: float = 10.0, **limits: float) -> Signal:
    return Signal(
        id=f"{asset}.{key}",
        asset_id=asset,
        key=key,
        name=key,
        unit="",
        rate_hz=rate,
        normal=(0.0, 100.0),
        limits=Limits(**limits),
    )


def _plant() -> Plant:
    a = Asset(
        "A",
        "A",
        "motor",
        "z",
        (0, 0, 0),
        0.0,
        (
            _signal("A", "temp", 1.0, warn_high=100, alarm_high=120),
            _signal("A", "volt", 10.0, alarm_low=340, warn_low=370, warn_high=430, alarm_high=460),
        ),
    )
    empty = Asset("E", "E", "pump", "z", (0, 0, 0), 0.0, ())
    b = Asset("B", "B", "loom", "z", (0, 0, 0), 0.0, (_signal("B", "speed"),))
    return Plant("p", "p.toml", (Area("z", "Z"),), (a, empty, b))


T = 1_000 * NS_PER_S


def test_limits_classify_each_signal() -> None:
    ev = StatusEvaluator(_plant())
    times = np.full(3, T, dtype=np.int64)
    cases = {
        (50.0, 400.0): [State.NORMAL, State.NORMAL],
        (110.0, 400.0): [State.WARNING, State.NORMAL],
        (125.0, 400.0): [State.ALARM, State.NORMAL],
        (50.0, 360.0): [State.NORMAL, State.WARNING],
        (50.0, 300.0): [State.NORMAL, State.ALARM],
        (50.0, 470.0): [State.NORMAL, State.ALARM],
    }
    for (temp, volt), expected in cases.items():
        states = ev.signal_states(np.array([temp, volt, 700.0]), times, T)
        assert list(states[:2]) == expected, (temp, volt)


def test_stale_missing_and_nan_are_no_data_even_outside_limits() -> None:
    ev = StatusEvaluator(_plant())
    values = np.array([150.0, np.nan, 700.0])
    times = np.array([T - 10 * NS_PER_S, T, -1], dtype=np.int64)
    assert list(ev.signal_states(values, times, T)) == [State.NO_DATA] * 3


def test_slow_signal_is_not_stale_between_samples() -> None:
    ev = StatusEvaluator(_plant())
    times = np.array([T - int(1.5 * NS_PER_S), T, T], dtype=np.int64)
    assert ev.signal_states(np.array([50.0, 400.0, 1.0]), times, T)[0] == State.NORMAL


def test_asset_shows_its_worst_signal_and_assets_without_signals_have_no_data() -> None:
    ev = StatusEvaluator(_plant())
    signal_states = np.array([State.WARNING, State.ALARM, State.NORMAL], dtype=np.int8)
    assert list(ev.asset_states(signal_states)) == [State.ALARM, State.NO_DATA, State.NORMAL]
    assert ev.asset_ids == ("A", "E", "B")
