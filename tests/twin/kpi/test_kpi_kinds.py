"""Cycles of simulated moulding machines, extruders, robots and looms against the
simulator's ground truth: what the line indicators detect from the signals is what the
schedule drew (counts exactly, durations within 1 %, downtime by cause)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from twin.kpi.detect import NO_TIME
from twin.kpi.indicators import Indicators, compute
from twin.kpi.tracker import CycleTracker
from twin.plant.loader import parse_plant
from twin.plant.model import Plant
from twin.sources.sim import Simulator
from twin.sources.sim.cycles import DOWN_CAUSES, STATE_IDLE, CycleSchedule

NS = 1_000_000_000
DAY0 = 20_000 * 86_400 * NS  # a midnight
HOURS = 3
# Frequent breakdowns, micro-stops and scrap, so that three hours hold some of each.
BUSY = "mtbf_h = 0.75, mttr_min = 4, microstop_p = 0.2"


@dataclass(frozen=True)
class Case:
    kind: str
    counter: str
    rate_hz: float  # fast enough that one sample is under 1 % of the shortest cycle
    params: str
    extra_keys: tuple[str, ...] = ()


CASES = {
    "moulder": Case("extruder", "shot_count", 5, 'type = "injection", cycle_s = 32'),
    "extruder": Case(
        "extruder", "piece_count", 1, 'type = "extrusion", piece_m = 6, line_speed_m_min = 3',
        ("output_m",),
    ),
    "robot": Case("robot", "cycle_count", 10, "cycle_s = 14"),
    "loom": Case("loom", "piece_count", 1, "piece_m = 2, rated_ppm = 700", ("speed",)),
}  # fmt: skip


def kind_plant(case: Case, machines: int = 2, params: str = BUSY) -> Plant:
    """``machines`` machines of one case in line "L", their cycle signals at its rate."""
    scrap = case.kind != "robot"  # a robot moves the parts others make: it has no scrap
    keys = (case.counter, "state", "power", *case.extra_keys) + ("scrap_count",) * scrap
    scrap_p = ", scrap_p = 0.1" if scrap else ""
    signals = ", ".join(
        f'{{ key = "{k}", rate_hz = {case.rate_hz}, normal = [0, 100000] }}' for k in keys
    )
    parts = ['[plant]\nname = "Kinds"\n', '[[areas]]\nid = "bay"\n']
    parts.append('[[shifts]]\nid = "early"\nstart = "00:00"\nlength = "8h"\n')
    for i in range(machines):
        parts.append(
            f'[[assets]]\nid = "K{i}"\nkind = "{case.kind}"\narea = "bay"\n'
            f"position = [{3 * i}, 0, 0]\nparams = {{ {case.params}, {params}{scrap_p} }}\n"
            f"signals = [{signals}]\n"
        )
    members = ", ".join(f'"K{i}"' for i in range(machines))
    rule = f'{{ rule = "counter", signal = "{case.counter}", state = "state", power = "power"' + (
        ', scrap = "scrap_count" }' if scrap else " }"
    )
    parts.append(
        f'[[lines]]\nid = "L"\nmachines = [{members}]\ntarget_cycle_s = 30\ncycle = {rule}\n'
    )
    return parse_plant("\n".join(parts), f"{case.kind}.toml")


@dataclass
class Run:
    sim: Simulator
    tracker: CycleTracker
    ind: Indicators
    data: dict[str, tuple[np.ndarray, np.ndarray]]  # signal id -> (s since start, values)

    def schedule(self, asset_id: str) -> tuple[CycleSchedule, int]:
        for model in self.sim._models:
            ids = [a.id for a in model.assets]
            schedule = getattr(model, "schedule", None)
            if asset_id in ids and isinstance(schedule, CycleSchedule):
                return schedule, ids.index(asset_id)
        raise KeyError(asset_id)


def simulate(plant: Plant, seed: int = 5, hours: float = HOURS) -> Run:
    sim = Simulator(plant, DAY0, seed=seed)
    tracker = CycleTracker(plant, sim.groups())
    ids = {g.key: g.signal_ids for g in sim.groups()}
    pieces: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for _, batches in sim.fast_forward(DAY0 + round(hours * 3600 * NS), 300 * NS):
        for batch in batches:
            tracker.consume(batch)
            for row, sid in enumerate(ids[batch.group]):
                pieces.setdefault(sid, []).append(((batch.t - DAY0) / NS, batch.v[row]))
    data = {
        sid: (np.concatenate([t for t, _ in p]), np.concatenate([v for _, v in p]))
        for sid, p in pieces.items()
    }
    ind = compute(tracker, DAY0, DAY0 + round(hours * 3600 * NS))
    return Run(sim, tracker, ind, data)


@pytest.fixture(scope="module", params=list(CASES))
def case_run(request: pytest.FixtureRequest) -> tuple[Case, Run]:
    case = CASES[request.param]
    return case, simulate(kind_plant(case))


def test_counts_and_scrap_are_exactly_the_parts_the_schedule_made(
    case_run: tuple[Case, Run],
) -> None:
    case, run = case_run
    for i, asset_id in enumerate(run.ind.machines.asset_ids):
        t, _ = run.data[f"{asset_id}.{case.counter}"]
        schedule, row = run.schedule(asset_id)
        truth = schedule.truth(row, float(t[-1]))
        made = truth.end > t[0]  # before the counter's first sample nothing can be counted
        assert run.ind.machines.parts[i] == made.sum() > 5
        assert run.ind.machines.scrap[i] == truth.scrap[made].sum()


def test_cycle_durations_are_within_1_percent_of_the_true_ones(
    case_run: tuple[Case, Run],
) -> None:
    _, run = case_run
    cycles = run.tracker.cycles()
    for i, asset_id in enumerate(run.ind.machines.asset_ids):
        schedule, row = run.schedule(asset_id)
        truth = schedule.truth(row, HOURS * 3600.0)
        mine = (cycles.machine == i) & (cycles.start > NO_TIME)
        start = (cycles.start[mine] - DAY0) / NS
        end = (cycles.end[mine] - DAY0) / NS
        # Each detected cycle is the true one whose end is the last before its count.
        j = np.searchsorted(truth.end, end, side="right") - 1
        assert np.array_equal(np.searchsorted(truth.end, start, side="right") - 1, j - 1)
        true = truth.end[j] - truth.end[j - 1]
        error = np.abs((end - start) - true) / true
        assert error.size > 5 and error.max() <= 0.01, asset_id


def test_breakdowns_show_their_cause_in_the_state_signal(case_run: tuple[Case, Run]) -> None:
    _, run = case_run
    for i, asset_id in enumerate(run.ind.machines.asset_ids):
        t, state = run.data[f"{asset_id}.state"]
        schedule, row = run.schedule(asset_id)
        down = schedule.truth(row, float(t[-1])).down
        assert len(down) > 0 and set(down[:, 2]) <= set(DOWN_CAUSES)
        for start, end, cause in down:
            inside = (t > start) & (t < end)
            assert np.all(state[inside] == cause)
        seen = run.ind.machines.downtime_by_code[i, 2:].sum()
        true = (np.minimum(down[:, 1], t[-1]) - np.maximum(down[:, 0], t[0])).sum()
        period = float(t[1] - t[0])
        assert abs(seen - true) <= 2.0 * period * len(down) + 1e-9  # a sample each edge


def test_energy_per_part_is_measured(case_run: tuple[Case, Run]) -> None:
    _, run = case_run
    energy = run.ind.machines.energy_per_part_kwh
    assert np.all(np.isfinite(energy)) and np.all(energy > 0)


def test_same_seed_same_signals_other_seed_other_cycles() -> None:
    plant = kind_plant(CASES["moulder"])
    a, b, c = (simulate(plant, seed, hours=0.5) for seed in (5, 5, 6))
    for sid, (t, v) in a.data.items():
        assert np.array_equal(t, b.data[sid][0]) and np.array_equal(v, b.data[sid][1])
    counter = "K0.shot_count"
    assert not np.array_equal(a.data[counter][1], c.data[counter][1])


def test_a_loom_stands_still_at_each_warp_break() -> None:
    run = simulate(kind_plant(CASES["loom"], machines=1, params="stops_per_h = 6"), hours=2)
    t, speed = run.data["K0.speed"]
    _, state = run.data["K0.state"]
    schedule, row = run.schedule("K0")
    stops = schedule.truth(row, float(t[-1])).stops
    assert len(stops) >= 5
    for start, end in stops:
        inside = (t > start) & (t < end)
        assert inside.any()
        assert np.all(speed[inside] < 5.0)  # standing: 0 and the sensor's noise
    # The state signal samples at 1 Hz: a stop is idle there too.
    t1, _ = run.data["K0.state"]
    for start, end in stops:
        inside = (t1 > start) & (t1 < end)
        assert np.all(state[inside] == STATE_IDLE)


def test_an_extruder_cuts_a_piece_at_every_piece_length() -> None:
    run = simulate(kind_plant(CASES["extruder"], machines=1), hours=1)
    _, metres = run.data["K0.output_m"]
    _, pieces = run.data["K0.piece_count"]
    assert np.all(np.diff(metres) >= 0.0)
    # Between cuts the pipe grows by at most one piece: metres / 6 lies in [pieces, pieces + 1).
    assert np.all(metres / 6.0 >= pieces - 1e-9) and np.all(metres / 6.0 < pieces + 1.0)
    assert pieces[-1] > 10
