"""Cycles of simulated presses against the simulator's ground truth, live (batches through
the tracker) and at a cursor (read back through a series reader)."""

from __future__ import annotations

import numpy as np

from tests.twin.kpi.lines import COUNTER, line_plant
from twin.kpi.indicators import compute
from twin.kpi.replay import CursorIndicators
from twin.kpi.tracker import CycleTracker
from twin.sources.sim import Simulator
from twin.sources.sim.cycles import STATE_RUN
from twin.sources.sim.press import PressModel
from twin.store.series import LiveSeries
from twin.store.signal_store import SignalStore

NS = 1_000_000_000
DAY0 = 20_000 * 86_400 * NS  # a midnight
HOURS = 3


def _run(seed: int) -> tuple[Simulator, CycleTracker, SignalStore]:
    # Frequent breakdowns and scrap, so that three hours hold some of each.
    params = "{ mtbf_h = 1.0, scrap_p = 0.1, microstop_p = 0.2 }"
    plant = line_plant(COUNTER, machines=3, params=params)
    sim = Simulator(plant, DAY0, seed=seed)
    tracker = CycleTracker(plant, sim.groups())
    store = SignalStore(sim.groups(), retention_s=HOURS * 3600 + 60)
    for _, batches in sim.fast_forward(DAY0 + HOURS * 3600 * NS, 300 * NS):
        for batch in batches:
            store.append(batch)
            tracker.consume(batch)
    return sim, tracker, store


def test_counted_parts_scrap_and_downtime_match_what_the_simulator_did() -> None:
    sim, tracker, _ = _run(seed=5)
    ind = compute(tracker, DAY0, DAY0 + HOURS * 3600 * NS)
    model = next(m for m in sim._models if isinstance(m, PressModel))
    assert tracker.first_t is not None
    first_s = (tracker.first_t - DAY0) / NS
    for row, asset in enumerate(model.assets):
        truth = model.schedule.truth(row, HOURS * 3600.0)
        made = truth.end > first_s
        i = ind.machines.asset_ids.index(asset.id)
        assert ind.machines.parts[i] == made.sum() > 0
        assert ind.machines.scrap[i] == truth.scrap[made].sum() > 0
        assert len(truth.down) > 0
        down = np.clip(truth.down[:, 1], first_s, None) - np.clip(truth.down[:, 0], first_s, None)
        seen = ind.machines.downtime_by_code[i, 2:].sum()
        assert abs(seen - down.sum()) <= 2.0 * len(truth.down) + 1e-9  # a sample each edge


def test_same_seed_same_cycles_other_seed_other_cycles() -> None:
    a = _run(seed=5)[1].cycles()
    b = _run(seed=5)[1].cycles()
    c = _run(seed=6)[1].cycles()
    assert np.array_equal(a.end, b.end) and np.array_equal(a.machine, b.machine)
    assert a.end.shape != c.end.shape or not np.array_equal(a.end, c.end)


def test_indicators_at_a_cursor_equal_the_live_ones() -> None:
    sim, tracker, store = _run(seed=5)
    plant = sim.plant
    cursor = CursorIndicators(plant, LiveSeries(store))
    t = DAY0 + HOURS * 3600 * NS
    start = t - 8 * 3600 * NS  # the plant's shift starts at 06:00: before it, the last 8 h
    live = compute(tracker, start, t)
    for step in (t - 3600 * NS, t):  # forward in two steps: the second feeds what is new
        at = cursor.at(step)
    assert at is not None
    assert np.array_equal(at.machines.parts, live.machines.parts)
    assert np.allclose(at.machines.oee.oee, live.machines.oee.oee)
    assert np.allclose(at.machines.cycle_median_s, live.machines.cycle_median_s)
    assert at.machines.state[0] in (0.0, STATE_RUN, 2.0, 3.0, 4.0, 5.0)
