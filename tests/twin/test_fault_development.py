"""Faults that develop: each kind's signals against a healthy run of the same plant and seed.

One plant of motors (a 15 kW rating, 1 Hz), each with a fault starting at START and
developing over DEVELOP, is simulated beside the same plant without faults.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from twin.plant.loader import parse_plant
from twin.plant.model import Fault, FaultKind, Plant
from twin.sources.sim import Simulator
from twin.sources.sim.faults import (
    COOLING_GROWTH,
    IMBALANCE_DROP,
    INSULATION_END_K,
    INSULATION_GROWTH,
    OVERLOAD_RATIO,
)

from .test_simulator import START as T0
from .test_simulator import make_asset, make_plant, run, series


def make_plant_script() -> ModuleType:
    """scripts/make_plant.py, which is a script and not a package module."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "make_plant.py"
    spec = importlib.util.spec_from_file_location("make_plant", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


START, DEVELOP = 600.0, 1800.0
END = START + 2 * DEVELOP
AMPS = 28.5
KEYS = ("current", "voltage", "vibration", "winding_temp", "bearing_temp", "speed", "power")
KINDS = (
    FaultKind.BEARING_WEAR,
    FaultKind.COOLING_LOSS,
    FaultKind.OVERLOAD,
    FaultKind.SUPPLY_IMBALANCE,
    FaultKind.INSULATION_AGEING,
)

Series = dict[str, tuple[np.ndarray, np.ndarray]]


def _plant(faults: Sequence[Fault] = (), seed: int = 7) -> Plant:
    motors = [
        make_asset(
            kind.value,
            "motor",
            KEYS,
            rate=1.0,
            rated_current_a=AMPS,
            rated_speed_rpm=1475.0,
            thermal_tau_s=120.0,
            rated_temp_rise_k=50.0,
            ambient_c=30.0,
        )
        for kind in KINDS
    ]
    return make_plant(motors, faults, seed)


FAULTS = tuple(Fault(k.value, k, START, DEVELOP) for k in KINDS)


def _signals(plant: Plant, seconds: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    sim = Simulator(plant, T0)
    data = run(sim, seconds)
    return {s.id: series(sim, data, s.id) for s in plant.signals}


@pytest.fixture(scope="module")
def healthy() -> Series:
    return _signals(_plant(), END)


@pytest.fixture(scope="module")
def faulty() -> Series:
    return _signals(_plant(FAULTS), END)


def _at(data: Series, signal_id: str, x: float, width_s: float = 120.0) -> float:
    """Mean of a signal over ``width_s`` ending at progress ``x`` (START + x DEVELOP)."""
    t, v = data[signal_id]
    end = START + x * DEVELOP
    return float(v[(t > end - width_s) & (t <= end)].mean())


def _windows(data: Series, signal_id: str, lo: float, hi: float, n: int) -> np.ndarray:
    """Medians of ``n`` equal windows between progress ``lo`` and ``hi``."""
    t, v = data[signal_id]
    edges = START + np.linspace(lo, hi, n + 1) * DEVELOP
    return np.array([np.median(v[(t > a) & (t <= b)]) for a, b in itertools.pairwise(edges)])


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_before_the_start_every_signal_equals_the_healthy_run(
    kind: FaultKind, healthy: Series, faulty: Series
) -> None:
    for key in KEYS:
        sid = f"{kind.value}.{key}"
        t, v = faulty[sid]
        before = t < START
        assert before.sum() == START - 1  # 1 Hz, from t = 1 s
        np.testing.assert_array_equal(v[before], healthy[sid][1][before], err_msg=sid)


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_after_the_start_the_fault_shows(kind: FaultKind, healthy: Series, faulty: Series) -> None:
    moved = [
        key
        for key in KEYS
        if not np.array_equal(faulty[f"{kind.value}.{key}"][1], healthy[f"{kind.value}.{key}"][1])
    ]
    assert "winding_temp" in moved or "vibration" in moved, moved


def test_bearing_wear_climbs_through_the_iso_zones_and_warms_the_bearing(
    healthy: Series, faulty: Series
) -> None:
    vib = "bearing_wear.vibration"
    base = _at(healthy, vib, 1.0, 600)
    assert 1.0 < base < 2.8  # zone A/B: a healthy motor
    medians = _windows(faulty, vib, 0.0, 1.5, 15)
    assert np.all(np.diff(medians) > 0)  # it only grows, and faster and faster
    growth = np.diff(medians)
    assert growth[-1] > 3 * growth[0]
    mid, end = _at(faulty, vib, 0.5), _at(faulty, vib, 1.0)
    assert 2.8 < mid < 7.1  # zones B-C half way
    assert 7.1 < end < 11.0  # zone D when developed
    assert _at(faulty, vib, 2.0) > 15.0  # and on to wreckage
    # Zone C at mid-development already shows, at a few kelvin, on the bearing; 15-25 K when
    # developed (4 K per mm/s of extra vibration, through the bearing's thermal lag).
    warm = "bearing_wear.bearing_temp"
    assert 1.0 < _at(faulty, warm, 0.5) - _at(healthy, warm, 0.5) < 10.0
    assert 15.0 < _at(faulty, warm, 1.0) - _at(healthy, warm, 1.0) < 25.0
    assert np.all(np.diff(_windows(faulty, warm, 0.1, 1.5, 7)) > 0)


def test_cooling_loss_heats_the_winding_beyond_what_its_current_explains(
    healthy: Series, faulty: Series
) -> None:
    # Same current as the healthy run: the load is the same, only the cooling is not.
    np.testing.assert_array_equal(
        faulty["cooling_loss.current"][1], healthy["cooling_loss.current"][1]
    )
    hot, cool = "cooling_loss.winding_temp", healthy["cooling_loss.winding_temp"]
    ambient = 30.0
    for x in (0.5, 1.0, 1.5):
        # The rise over ambient scales with the thermal resistance (less a little lag).
        expected = 1.0 + COOLING_GROWTH * x
        ratio = (_at(faulty, hot, x) - ambient) / (_at(healthy, hot, x) - ambient)
        assert expected - 0.15 < ratio < expected + 0.05, x
    t, w = faulty[hot]
    assert np.all(w[t < START + DEVELOP] < 130.0)  # no limit alarm while it develops
    assert w.max() > 130.0  # ... but some time after it
    residual = _windows(faulty, hot, 0.0, 2.0, 8) - _windows({"h": cool}, "h", 0.0, 2.0, 8)
    assert np.all(np.diff(residual) > 0)


def test_creeping_overload_loads_the_motor_step_by_step(healthy: Series, faulty: Series) -> None:
    amps = "overload.current"
    healthy_ratio = _at(healthy, amps, 0.5) / AMPS
    for x in (0.25, 0.5, 0.75):
        goal = healthy_ratio + x * (OVERLOAD_RATIO - healthy_ratio)
        assert abs(_at(faulty, amps, x, 60) / AMPS - goal) < 0.12, x
    assert abs(_at(faulty, amps, 1.5) / AMPS - OVERLOAD_RATIO) < 0.12
    added = _windows(faulty, amps, 0.0, 1.0, 5) - _windows(healthy, amps, 0.0, 1.0, 5)
    assert np.all(np.diff(added) > 0)
    # Power rises with the current, speed slips, the winding heats.
    for key, sign in (("power", 1), ("speed", -1), ("winding_temp", 1)):
        sid = f"overload.{key}"
        assert sign * (_at(faulty, sid, 1.0) - _at(healthy, sid, 1.0)) > 0, key
    assert _at(faulty, "overload.winding_temp", 1.5) > 130.0


def test_supply_imbalance_sinks_and_unsettles_the_voltage(healthy: Series, faulty: Series) -> None:
    volts, amps = "supply_imbalance.voltage", "supply_imbalance.current"
    for x in (0.5, 1.0):
        drop = 1.0 - _at(faulty, volts, x, 300) / _at(healthy, volts, x, 300)
        assert abs(drop - IMBALANCE_DROP * x) < 0.01, x
        # The load holds its power, so the current rises by 1 / supply.
        gain = _at(faulty, amps, x, 300) / _at(healthy, amps, x, 300)
        assert abs(gain - 1.0 / (1.0 - IMBALANCE_DROP * x)) < 0.02, x

    def unsteadiness(data: Series, x: float) -> float:
        t, v = data[volts]
        end = START + x * DEVELOP
        window = v[(t > end - 300) & (t <= end)]
        return float(np.std(window[5:] - window[:-5]))  # swings over 5 s

    assert unsteadiness(faulty, 1.0) > 2.0 * unsteadiness(healthy, 1.0)
    assert unsteadiness(faulty, 1.0) > unsteadiness(faulty, 0.5) > unsteadiness(faulty, 0.1)
    # Negative-sequence heating: hotter than the higher current alone would make it.
    wind = "supply_imbalance.winding_temp"
    gain = _at(faulty, amps, 1.0) / _at(healthy, amps, 1.0)
    by_current = 30.0 + (_at(healthy, wind, 1.0) - 30.0) * gain**2
    assert _at(faulty, wind, 1.0) > by_current + 3.0


def test_insulation_ageing_adds_load_independent_heat_that_accelerates(
    healthy: Series, faulty: Series
) -> None:
    np.testing.assert_array_equal(
        faulty["insulation_ageing.current"][1], healthy["insulation_ageing.current"][1]
    )
    wind = "insulation_ageing.winding_temp"
    for x in (0.5, 1.0, 1.5):
        expected = (
            INSULATION_END_K * math.expm1(INSULATION_GROWTH * x) / math.expm1(INSULATION_GROWTH)
        )
        # The winding lags its heat by the thermal time constant (120 s).
        slope = INSULATION_END_K * INSULATION_GROWTH * math.exp(INSULATION_GROWTH * x)
        lag = 120.0 * slope / math.expm1(INSULATION_GROWTH) / DEVELOP
        residual = _at(faulty, wind, x, 30) - _at(healthy, wind, x, 30)
        assert abs(residual - (expected - lag)) < 1.5, x
    residuals = _windows(faulty, wind, 0.0, 2.0, 10) - _windows(healthy, wind, 0.0, 2.0, 10)
    assert np.all(np.diff(residuals) > 0)


def test_developing_faults_are_deterministic_and_chunking_does_not_matter() -> None:
    plant = _plant(FAULTS)
    whole = Simulator(plant, T0)
    a = whole.advance(T0 + 1500 * 10**9)
    stepped = Simulator(plant, T0)
    parts = [b for _, bs in stepped.fast_forward(T0 + 1500 * 10**9, 7 * 10**9 + 3) for b in bs]
    for batch in a:
        t = np.concatenate([p.t for p in parts if p.group == batch.group])
        v = np.concatenate([p.v for p in parts if p.group == batch.group], axis=1)
        np.testing.assert_array_equal(t, batch.t)
        np.testing.assert_array_equal(v, batch.v)
    other = Simulator(_plant(FAULTS, seed=8), T0).advance(T0 + 1500 * 10**9)
    assert not np.array_equal(a[0].v, other[0].v)


def test_fault_events_say_when_a_fault_has_developed() -> None:
    sim = Simulator(_plant([*FAULTS, Fault("overload", FaultKind.VOLTAGE_SAG, 5.0)]), T0)
    events = {(e.asset_id, e.kind): e for e in sim.scheduled_faults}
    wear = events["bearing_wear", FaultKind.BEARING_WEAR]
    assert wear.t_ns == T0 + int(START) * 10**9
    assert wear.developed_ns == T0 + int(START + DEVELOP) * 10**9 and wear.end_ns is None
    assert events["overload", FaultKind.VOLTAGE_SAG].developed_ns is None


def test_a_fault_with_a_negative_development_is_refused() -> None:
    with pytest.raises(ValueError, match="develop_s must be finite and >= 0"):
        Simulator(_plant([Fault("overload", FaultKind.OVERLOAD, 1.0, -5.0)]), T0)


def test_the_outer_race_tone_grows_with_bearing_wear() -> None:
    motor = make_asset("m", "motor", ["acceleration"], rate=1000.0)
    sim = Simulator(make_plant([motor], [Fault("m", FaultKind.BEARING_WEAR, 10.0, 60.0)]), T0)
    t, a = series(sim, run(sim, 71), "m.acceleration")
    bpfo_hz = 3.58 * 1480.0 / 60.0  # outer-race defect frequency of the default motor

    def tone(end_s: float) -> float:
        """Amplitude of the defect tone over the second before ``end_s``."""
        w = (t > end_s - 1.0) & (t <= end_s)
        phase = 2 * np.pi * bpfo_hz * t[w]
        return float(2 * np.hypot(np.mean(a[w] * np.sin(phase)), np.mean(a[w] * np.cos(phase))))

    before, mid, end = tone(10.0), tone(40.0), tone(70.0)
    assert before < 0.05 < mid  # m/s^2: nothing before the fault starts
    assert end > 2.5 * mid  # the defect grows faster and faster
    # Fully developed: the tone carries the vibration added on top of the baseline (about
    # 7-8 mm/s RMS), as acceleration at the defect frequency.
    assert 5.0 < end / (np.sqrt(2) * 1e-3 * 2 * np.pi * bpfo_hz) < 9.0


@pytest.mark.slow
def test_healthy_motors_stay_in_their_zones_and_limits_for_a_day() -> None:
    """No fault, 24 h: the load wanders, the signals do not drift into warnings."""
    plant = parse_plant(make_plant_script().plant_toml(4), "healthy.toml")
    assert {a.params["rated_current_a"] for a in plant.assets} == {8.2, 15.0, 28.5, 100.0}
    sim = Simulator(plant, T0)
    groups = {g.key: g for g in sim.groups()}
    hourly: dict[str, list[float]] = {}
    for _, batches in sim.fast_forward(T0 + 24 * 3600 * 10**9, 3600 * 10**9):
        for batch in batches:
            for c, signal_id in enumerate(groups[batch.group].signal_ids):
                v, limits = batch.v[c], plant.signal(signal_id).limits
                assert limits.warn_high is not None and np.all(v < limits.warn_high), signal_id
                assert limits.warn_low is None or np.all(v > limits.warn_low), signal_id
                hourly.setdefault(signal_id, []).append(float(v.mean()))
    band = {"winding_temp": 1.5, "bearing_temp": 1.0, "vibration": 0.1, "voltage": 1.5}
    for signal_id, means in hourly.items():
        assert len(means) == 24
        key = plant.signal(signal_id).key
        if key == "vibration":
            assert max(means) < 2.8, signal_id  # ISO 20816-3 zones A/B
        if key in band:
            assert max(means) - min(means) < band[key], signal_id
