"""The plant simulator: determinism, exact timing, chunking invariance, physics and faults."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from types import MappingProxyType

import numpy as np
import pytest

from twin.batch import Batch
from twin.plant.model import Area, Asset, Fault, FaultKind, Plant, Signal
from twin.sources.sim import BLOCK_NS, Simulator, supported_keys
from twin.sources.sim.faults import OVERLOAD_RATIO, SAG_DEPTH
from twin.sources.sim.press import PressModel

START = 1_750_000_000_123_456_789  # deliberately not on a second boundary
S = 1_000_000_000

# -- helpers --------------------------------------------------------------------------------


def make_asset(
    asset_id: str,
    kind: str,
    keys: Iterable[str] | None = None,
    rate: float = 10.0,
    **params: float | str,
) -> Asset:
    keys = supported_keys(kind) if keys is None else keys
    signals = tuple(Signal(f"{asset_id}.{k}", asset_id, k, k, "", rate, (0.0, 1.0)) for k in keys)
    return Asset(
        asset_id, asset_id, kind, "hall", (0.0, 0.0, 0.0), 0.0, signals, MappingProxyType(params)
    )


def make_plant(assets: Sequence[Asset], faults: Sequence[Fault] = (), seed: int = 7) -> Plant:
    return Plant("test", "", (Area("hall", "Hall"),), tuple(assets), tuple(faults), seed)


def collect(batches: Iterable[Batch]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Concatenate batches per group."""
    parts: dict[str, list[Batch]] = {}
    for b in batches:
        parts.setdefault(b.group, []).append(b)
    return {
        g: (np.concatenate([b.t for b in bs]), np.concatenate([b.v for b in bs], axis=1))
        for g, bs in parts.items()
    }


def run(sim: Simulator, seconds: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return collect(sim.advance(sim.start_ns + round(seconds * S)))


def series(
    sim: Simulator, data: dict[str, tuple[np.ndarray, np.ndarray]], signal_id: str
) -> tuple[np.ndarray, np.ndarray]:
    """(seconds since start, values) of one signal."""
    for group in sim.groups():
        if signal_id in group.signal_ids:
            t, v = data[group.key]
            return (t - sim.start_ns) / S, v[group.signal_ids.index(signal_id)]
    raise KeyError(signal_id)


def every_kind() -> list[Asset]:
    """Two of each kind, at different rates, with every key the model knows."""
    assets = []
    for kind in ("motor", "press", "conveyor", "extruder", "loom", "pump", "robot", "elevator"):
        assets.append(make_asset(f"{kind}-a", kind, rate=10.0))
        assets.append(make_asset(f"{kind}-b", kind, rate=3.0))
    assets.append(make_asset("punch", "press", rate=1 / 3, mode="punch"))
    assets.append(make_asset("mould", "extruder", rate=7.0, type="injection"))
    assets.append(make_asset("vib", "motor", ["acceleration", "vibration"], rate=500.0))
    return assets


ALL_FAULTS = (
    Fault("motor-a", FaultKind.OVERLOAD, 4.05),
    Fault("motor-b", FaultKind.BEARING_WEAR, 2.0),
    Fault("pump-a", FaultKind.VOLTAGE_SAG, 3.3),
    Fault("press-a", FaultKind.SENSOR_FREEZE, 5.55),
    Fault("elevator-b", FaultKind.SENSOR_FREEZE, 0.0),
)


# -- determinism and timing -----------------------------------------------------------------


def test_same_seed_same_data_and_different_seed_different_data() -> None:
    plant = make_plant(every_kind(), ALL_FAULTS)
    a = run(Simulator(plant, START), 20)
    b = run(Simulator(plant, START), 20)
    c = run(Simulator(plant, START, seed=8), 20)
    assert a.keys() == b.keys() == c.keys()
    for key in a:
        assert np.array_equal(a[key][0], b[key][0])
        assert np.array_equal(a[key][1], b[key][1])
    same = [k for k in a if np.array_equal(a[k][1], c[k][1])]
    # Only noise-free step signals (counters, machine states, door contacts, a moulding
    # machine's metres extruded, always 0) may coincide across seeds in 20 s.
    steps = {"panel_count", "shot_count", "piece_count", "scrap_count", "state", "door_open"}
    assert {k.split("/")[2].split("@")[0] for k in same} <= steps | {"output_m"}
    assert len(same) < len(a) // 4


def test_output_is_bit_identical_however_advance_is_chunked() -> None:
    plant = make_plant(every_kind(), ALL_FAULTS)
    whole = run(Simulator(plant, START), 22.5)

    sim = Simulator(plant, START)
    rng = np.random.default_rng(0)
    batches: list[Batch] = []
    until = START
    steps = [1, BLOCK_NS - 1, 1, BLOCK_NS, 3 * BLOCK_NS + 7, 0, -5 * S]  # incl. odd and no-ops
    while until < START + 22_500_000_000:
        step = steps.pop(0) if steps else int(rng.integers(1, 700_000_000))
        until = min(until + step, START + 22_500_000_000)
        batches.extend(sim.advance(until))
    chunked = collect(batches)

    assert chunked.keys() == whole.keys()
    for key, (t, v) in whole.items():
        assert np.array_equal(chunked[key][0], t), key
        # Bit patterns rather than float equality, which would let -0.0 pass for 0.0.
        assert np.array_equal(chunked[key][1].view(np.int64), v.view(np.int64)), key


@pytest.mark.parametrize("rate", [10.0, 3.0, 1 / 3, 0.5, 7.0, 50.0, 2.5])
def test_sample_times_are_exact_for_each_rate(rate: float) -> None:
    sim = Simulator(make_plant([make_asset("m", "motor", ["current"], rate=rate)]), START)
    t = np.concatenate([b.t for step in range(1, 38) for b in sim.advance(START + step * S)])
    period = Fraction(S) / Fraction(rate).limit_denominator(1000)
    n = np.arange(1, t.size + 1)
    expected = np.array([START + round(k * period) for k in n.tolist()], dtype=np.int64)
    assert t.dtype == np.int64
    assert np.array_equal(t, expected)
    # Everything in (start, start + 37 s]: the last sample is not later, the next would be.
    assert t[-1] <= START + 37 * S < START + round((t.size + 1) * period)


def test_groups_and_batch_shapes() -> None:
    assets = [
        make_asset("m1", "motor", ["current", "voltage", "humidity"]),
        make_asset("m2", "motor", ["current"], rate=1.0),
        make_asset("m3", "motor", ["current"]),
        make_asset("oven", "furnace", ["temp"]),
    ]
    sim = Simulator(make_plant(assets), START)
    groups = {g.key: g for g in sim.groups()}
    assert set(groups) == {"sim/motor/current@10", "sim/motor/voltage@10", "sim/motor/current@1"}
    assert groups["sim/motor/current@10"].signal_ids == ("m1.current", "m3.current")
    assert groups["sim/motor/current@1"].rate_hz == 1.0
    assert set(sim.unsupported_signals) == {"m1.humidity", "oven.temp"}

    batches = sim.advance(START + 2 * S + 1)
    assert {b.group for b in batches} == set(groups)
    for b in batches:
        g = groups[b.group]
        assert b.v.shape == (g.channels, round(2 * g.rate_hz))
        assert np.isfinite(b.v).all()
    assert sim.now_ns == START + 2 * S + 1
    assert sim.advance(START + S) == []  # going back in time produces nothing


def test_adding_another_kind_does_not_change_motor_data() -> None:
    motor = make_asset("m1", "motor")
    alone = run(Simulator(make_plant([motor]), START), 5)
    mixed = run(Simulator(make_plant([make_asset("l1", "loom"), motor]), START), 5)
    for key, (_, v) in alone.items():
        assert np.array_equal(mixed[key][1], v)


def test_faults_on_unknown_assets_are_rejected() -> None:
    plant = make_plant([make_asset("m1", "motor")])
    with pytest.raises(ValueError, match="nowhere"):
        Simulator(plant, START, faults=[Fault("nowhere", FaultKind.OVERLOAD, 1.0)])


# -- motor physics and faults -------------------------------------------------------------


def test_motor_signals_are_plausible() -> None:
    sim = Simulator(make_plant([make_asset("m", "motor", rated_current_a=20.0)]), START)
    data = run(sim, 60)
    ranges = {
        "current": (0.55 * 20, 0.9 * 20),
        "voltage": (380, 420),
        "vibration": (0.5, 3.5),
        "speed": (1450, 1500),
        "winding_temp": (40, 80),
        "bearing_temp": (35, 70),
    }
    for key, (lo, hi) in ranges.items():
        v = series(sim, data, f"m.{key}")[1]
        assert lo < v.min() and v.max() < hi, key
    energy = series(sim, data, "m.energy")[1]
    assert np.all(np.diff(energy) >= 0)


def test_overload_heats_the_winding_past_130_c_in_the_time_the_thermal_model_predicts() -> None:
    fault_s, tau, ambient, rise = 30.0, 120.0, 30.0, 50.0
    motor = make_asset(
        "m",
        "motor",
        ["current", "winding_temp"],
        rated_current_a=20.0,
        thermal_tau_s=tau,
        ambient_c=ambient,
        rated_temp_rise_k=rise,
    )
    sim = Simulator(make_plant([motor], [Fault("m", FaultKind.OVERLOAD, fault_s)]), START)
    data = run(sim, fault_s + 200)
    t, current = series(sim, data, "m.current")
    assert current[t < fault_s].max() < 0.9 * 20
    assert current[(t >= fault_s + 1) & (t < fault_s + 200)].min() > 1.4 * 20

    # Slowest case: coldest start (load 0.6) and the lowest overload ratio the model uses.
    hot = ambient + rise * (OVERLOAD_RATIO - 0.03) ** 2
    cold = ambient + rise * 0.6**2
    bound = tau * math.log((hot - cold) / (hot - 130.0))
    t, temp = series(sim, data, "m.winding_temp")
    assert temp[t < fault_s].max() < 100
    crossing = t[np.argmax(temp > 130.0)]
    assert fault_s + 60 < crossing < fault_s + bound + 2
    assert bound < 150


def test_bearing_wear_ramps_vibration_and_warms_the_bearing() -> None:
    motor = make_asset("m", "motor", ["vibration", "bearing_temp"])
    sim = Simulator(make_plant([motor], [Fault("m", FaultKind.BEARING_WEAR, 20.0)]), START)
    data = run(sim, 400)
    t, vib = series(sim, data, "m.vibration")
    assert vib[t < 20].max() < 4.0
    assert vib[(t > 190) & (t < 200)].min() > 7.1  # ISO 10816 "unacceptable" zone
    assert 10.0 < np.median(vib[t > 390]) < 13.0
    t, bearing = series(sim, data, "m.bearing_temp")
    assert bearing[t > 390].mean() > bearing[t < 20].mean() + 10


def test_voltage_sag_dips_and_recovers_and_current_rises() -> None:
    motor = make_asset("m", "motor", ["voltage", "current"], rate=5.0)
    sim = Simulator(make_plant([motor], [Fault("m", FaultKind.VOLTAGE_SAG, 10.0)]), START)
    data = run(sim, 60)
    t, volts = series(sim, data, "m.voltage")
    _, amps = series(sim, data, "m.current")
    before, during, after = t < 10, (t > 11) & (t < 29), t > 31
    sag = 1 - volts[during].mean() / volts[before].mean()
    assert abs(sag - SAG_DEPTH) < 0.02 and 0.2 <= SAG_DEPTH <= 0.25
    assert abs(volts[after].mean() - volts[before].mean()) < 3.0

    # The load draws constant power: current jumps by 1 / (1 - depth) and drops back after.
    def amps_in(lo: float, hi: float) -> float:
        return float(amps[(t > lo) & (t < hi)].mean())

    assert amps_in(10.5, 11.5) > 1.2 * amps_in(9, 10)
    assert amps_in(30.5, 31.5) < 0.85 * amps_in(28, 29)


def test_sensor_freeze_repeats_the_last_value_exactly_on_every_signal() -> None:
    assets = [make_asset("p", "press"), make_asset("q", "press")]
    sim = Simulator(make_plant(assets, [Fault("p", FaultKind.SENSOR_FREEZE, 33.33)]), START)
    data = run(sim, 60)
    for key in supported_keys("press"):
        t, v = series(sim, data, f"p.{key}")
        frozen = v[t >= 33.33]
        assert frozen.size > 200 and np.all(frozen == v[t < 33.33][-1]), key
        if key not in ("panel_count", "scrap_count", "state"):  # counters and states step
            assert np.unique(v[t < 33.33]).size > 10, key
            assert np.unique(series(sim, data, f"q.{key}")[1][t >= 33.33]).size > 10, key
    assert [e.asset_id for e in sim.fault_log] == ["p"]


# -- presses and elevators ------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["shear", "punch"])
def test_press_stroke_stays_in_range_and_counts_one_panel_per_cycle(mode: str) -> None:
    press = make_asset("p", "press", mode=mode, stroke_mm=100.0)
    sim = Simulator(make_plant([press]), START)
    data = run(sim, 700)
    t, ram = series(sim, data, "p.ram_position")
    assert ram.min() >= 0.0 and ram.max() <= 100.0
    assert ram.max() > 99.0 and np.mean(ram < 1.0) > 0.5  # full strokes, mostly idle at top
    _, force = series(sim, data, "p.force")
    assert force[ram > 90].max() > 100 and force[ram < 10].max() < 10
    _, count = series(sim, data, "p.panel_count")
    steps = np.flatnonzero(np.diff(count))
    assert np.all(np.diff(count)[steps] == 1)
    # Each panel is counted at the first sample after the simulator's cycle ended, and
    # the cycles vary around the nominal 216 s.
    model = next(m for m in sim._models if isinstance(m, PressModel))
    ends = model.schedule.truth(0, float(t[-1])).end
    assert np.allclose(t[steps + 1], ends[ends > t[0]], atol=0.11)
    assert len(ends) >= 2 and 150.0 < np.median(np.diff(ends)) < 300.0


def test_elevator_stays_in_the_shaft_and_its_speed_matches_its_position() -> None:
    car = make_asset("e", "elevator", height_m=80.0, floors=21)
    sim = Simulator(make_plant([car]), START)
    data = run(sim, 600)
    t, pos = series(sim, data, "e.car_position")
    _, speed = series(sim, data, "e.car_speed")
    _, door = series(sim, data, "e.door_open")
    assert pos.min() >= 0.0 and pos.max() <= 80.0
    assert pos.max() - pos.min() > 40  # it does travel
    derivative = np.diff(pos) / np.diff(t)
    mid_speed = 0.5 * (speed[1:] + speed[:-1])
    assert np.abs(derivative - mid_speed).max() < 0.15
    assert np.abs(speed[door == 1]).max() < 0.05  # doors only open at a standstill
    assert 0.1 < door.mean() < 0.7


def test_sampling_another_key_at_another_rate_does_not_change_a_signal() -> None:
    plain = make_asset("e", "elevator", ["car_position"], rate=10.0)
    alone = Simulator(make_plant([plain]), START)
    pos = series(alone, run(alone, 300), "e.car_position")[1]
    # A slow group sampled first in each block must not disturb the faster one.
    slow_door = Signal("e.door_open", "e", "door_open", "door", "", 0.3, (0.0, 1.0))
    both = make_plant([dataclasses.replace(plain, signals=(slow_door, *plain.signals))])
    mixed = Simulator(both, START)
    assert np.array_equal(series(mixed, run(mixed, 300), "e.car_position")[1], pos)


# -- the demo plant -----------------------------------------------------------------------


def test_demo_plant_simulates_300_s_with_finite_values_in_a_generous_band(
    demo_plant: Plant,
) -> None:
    plant = demo_plant
    sim = Simulator(plant, START)
    data = collect(b for step in range(1, 31) for b in sim.advance(START + step * 10 * S))
    assert set(data) == {g.key for g in sim.groups()}
    for group in sim.groups():
        _, v = data[group.key]
        assert v.shape[1] >= 1 and np.isfinite(v).all(), group.key
        for sid, row in zip(group.signal_ids, v, strict=True):
            lo, hi = plant.signal(sid).normal
            span = max(hi - lo, abs(hi), abs(lo), 1.0)
            assert lo - 3 * span <= row.min() and row.max() <= hi + 3 * span, sid


def test_a_rebased_simulator_is_the_one_built_at_its_new_start() -> None:
    """A live window rebases its plant to when it opens: the same data, faults and sensor
    freezes as a simulator built then."""
    plant = make_plant(every_kind(), ALL_FAULTS)
    later = START + 7_654_321_987
    rebased = Simulator(plant, START)
    rebased.rebase(later)
    built = Simulator(plant, later)
    a, b = run(rebased, 40), run(built, 40)
    assert a.keys() == b.keys()
    for key in a:
        assert np.array_equal(a[key][0], b[key][0])
        assert np.array_equal(a[key][1], b[key][1], equal_nan=True)
    assert rebased.scheduled_faults == built.scheduled_faults
    assert [g.freeze_ns for g in rebased._groups] == [g.freeze_ns for g in built._groups]


def test_a_simulator_that_produced_samples_cannot_be_rebased() -> None:
    sim = Simulator(make_plant(every_kind()), START)
    run(sim, 1)
    with pytest.raises(RuntimeError, match="cannot be rebased"):
        sim.rebase(START + 10 * S)
