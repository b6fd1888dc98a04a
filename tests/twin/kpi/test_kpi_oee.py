"""OEE arithmetic on known losses, and the indicators of a line from hand-made signals."""

from __future__ import annotations

import numpy as np
import pytest

from tests.twin.kpi.lines import COUNTER, line_plant
from twin.kpi.indicators import compute
from twin.kpi.oee import compute_oee
from twin.kpi.plan import plant_plan, shift_window
from twin.kpi.tracker import CycleTracker

NS = 1_000_000_000


def test_oee_is_availability_times_performance_times_quality() -> None:
    # 8 h planned, 30 min down, 100 parts of which 4 scrap, ideal 216 s a part.
    o = compute_oee(28_800.0, 1_800.0, 100, 4, 216.0)
    assert float(o.availability) == pytest.approx(27_000 / 28_800)
    assert float(o.performance) == pytest.approx(21_600 / 27_000)
    assert float(o.quality) == pytest.approx(0.96)
    assert float(o.oee) == pytest.approx(0.9375 * 0.8 * 0.96)
    # The losses and the good parts' ideal time add up to the planned time.
    total = o.downtime_s + o.speed_loss_s + o.scrap_loss_s + 216.0 * o.good
    assert float(total) == pytest.approx(28_800.0)


def test_oee_without_parts_or_time_is_undefined_not_a_crash() -> None:
    o = compute_oee(np.array([0.0, 3600.0]), np.array([0.0, 3600.0]), 0, 0, 216.0)
    assert np.isnan(o.oee[0]) and o.oee[1] == 0.0
    assert np.isnan(o.quality).all()


def _series(t_end_s: float, events: list[tuple[float, float]], rate_hz: float = 1.0):
    """A step signal sampled from 0 to ``t_end_s``: value ``v`` from each (time, v) on."""
    t_s = np.arange(0.0, t_end_s + 1e-9, 1.0 / rate_hz)
    times = np.array([e[0] for e in events])
    values = np.array([e[1] for e in events])
    k = np.searchsorted(times, t_s, side="right") - 1
    return (t_s * NS).astype(np.int64), values[np.maximum(k, 0)]


def test_line_indicators_from_known_cycles_downtime_and_scrap() -> None:
    plant = line_plant(COUNTER, machines=2)
    tracker = CycleTracker(plant)
    # P2 (the output) makes a part every 240 s for 2 h, but stands 20 min for a tool
    # change (state 3) from 3000 s; 2 parts are scrap. P1 makes one every 200 s.
    ends2 = [e for e in np.arange(240.0, 7200.0 + 1, 240.0) if not 3000 < e <= 4200]
    tracker.feed(
        "P2.panel_count", *_series(7200, [(0, 0)] + [(e, i + 1) for i, e in enumerate(ends2)])
    )
    tracker.feed("P2.state", *_series(7200, [(0, 1), (3000, 3), (4200, 1)]))
    tracker.feed("P2.scrap_count", *_series(7200, [(0, 0), (1000, 1), (5000, 2)]))
    tracker.feed("P2.power", *_series(7200, [(0, 10.0)]))
    ends1 = np.arange(200.0, 7200.0 + 1, 200.0)
    tracker.feed(
        "P1.panel_count", *_series(7200, [(0, 0)] + [(e, i + 1) for i, e in enumerate(ends1)])
    )
    t0 = 0
    start, end = shift_window(plant.shifts[0], 7 * 3600 * NS)  # 06:00 - 14:00 of day 0
    ind = compute(tracker, t0, 7200 * NS, plant_plan(plant), ("early", start, end))
    line = ind.line("L")
    assert line.parts == len(ends2) and line.good == len(ends2) - 2
    assert line.downtime_by_cause["Tool change"] == pytest.approx(1200.0)
    assert float(line.oee.availability) == pytest.approx(6000 / 7200)
    assert float(line.oee.oee) == pytest.approx(216 * (len(ends2) - 2) / 7200)
    assert line.bottleneck == "P2"  # 240 s a part against P1's 200 s
    assert np.median(line.cycle_s) == pytest.approx(240.0)
    assert line.energy_per_part_kwh == pytest.approx(10.0 * 2.0 / len(ends2), rel=0.01)
    # Before the shift started: nothing of its plan is due yet.
    assert line.plan_parts == 120 and line.plan_so_far == 0.0
    assert ind.machines.parts_per_hour[0] == pytest.approx(len(ends1) / 2.0)


def test_quantiles_per_machine_match_numpy_on_each_machine_alone() -> None:
    from twin.kpi.groups import quantiles

    rng = np.random.default_rng(4)
    group = rng.integers(0, 6, 500)
    group[group == 4] = 5  # machine 4 made nothing
    x = rng.gamma(9.0, 24.0, 500)
    got = quantiles(group, x, 7, (0.1, 0.5, 0.9))
    for m in range(7):
        mine = x[group == m]
        want = np.quantile(mine, [0.1, 0.5, 0.9]) if mine.size else np.full(3, np.nan)
        assert np.allclose(got[:, m], want, equal_nan=True)


def test_energy_from_a_cumulative_meter_ignores_its_resets() -> None:
    cycle = '{ rule = "counter", signal = "panel_count", energy = "power" }'  # kWh meter
    plant = line_plant(cycle, machines=1)
    tracker = CycleTracker(plant)
    ends = np.arange(300.0, 3600.0 + 1, 300.0)
    tracker.feed(
        "P1.panel_count", *_series(3600, [(0, 0)] + [(e, i + 1) for i, e in enumerate(ends)])
    )
    # 0.5 kWh a part, the meter rolling over to 0 at 1800 s.
    t, _ = _series(3600, [(0, 0.0)])
    meter = np.floor(t / NS / 300.0) * 0.5
    meter[t >= 1800 * NS] -= 3.0
    tracker.feed("P1.power", t, meter)
    line = compute(tracker, 0, 3600 * NS).line("L")
    assert line.parts == len(ends)
    assert line.energy_per_part_kwh == pytest.approx(0.5 * (len(ends) - 1) / len(ends))
