"""Fleet health against the truth: a generated plant with developing faults, fast-forwarded
through a simulated day, scored on whether the monitor's advisories come before the alarms.

    python -m bench.health [--motors 10000] [--hours 24] [--faults 20] [--seed 7]

The plant is scripts/make_plant.py's (six 1 Hz signals a motor) with ``--faults`` developing
faults of random kinds at random motors and times (its ``[[faults]]``: the ground truth);
every other motor keeps its normal noise and wandering load. The simulator runs with no
pacing, a minute at a time; each minute's batches go to the ``HealthMonitor`` (timed: that
is the evaluation cost) and to a limit check that finds each signal's first crossing of its
plant-file alarm limits (the first limit alarm: the plant's alarms have no delays).

Scores:
- ``detected_fraction``: faults whose motor had an advisory before its first limit alarm
  (or at all, for a fault that raised no alarm within the run);
- ``median_lead_min`` / ``min_lead_min``: advisory to first limit alarm, over the faults
  that alarmed;
- ``false_advisories``: advisories raised on motors without a fault;
- ``eval_ms_per_s``: the monitor's CPU per simulated second (summing and evaluating).

Human-readable lines, then one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from twin.batch import Batch, ChannelGroup
from twin.condition.advisories import RAISE, AdvisoryEvent
from twin.condition.monitor import HealthMonitor
from twin.plant.loader import parse_plant
from twin.plant.model import Plant
from twin.sources.sim import Simulator

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
ROOT = Path(__file__).resolve().parents[1]


def plant_text(motors: int, faults: int, hours: float, seed: int) -> str:
    spec = importlib.util.spec_from_file_location("make_plant", ROOT / "scripts" / "make_plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # Faults start within the first two thirds of the run, so each has time to develop.
    return str(module.plant_toml(motors, faults=faults, fault_hours=hours * 2 / 3, seed=seed))


class FirstAlarms:
    """Each signal's first sample beyond its alarm limits, checked a batch at a time."""

    def __init__(self, plant: Plant, groups: tuple[ChannelGroup, ...]) -> None:
        self.first: dict[str, int] = {}
        self._limits: dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]] = {}
        for g in groups:
            sigs = [plant.signal(s) for s in g.signal_ids]
            hi = np.array(
                [s.limits.alarm_high if s.limits.alarm_high is not None else np.inf for s in sigs]
            )
            lo = np.array(
                [s.limits.alarm_low if s.limits.alarm_low is not None else -np.inf for s in sigs]
            )
            self._limits[g.key] = (g.signal_ids, hi, lo)

    def add(self, batch: Batch) -> None:
        ids, hi, lo = self._limits[batch.group]
        beyond = (batch.v > hi[:, None]) | (batch.v < lo[:, None])
        rows = np.flatnonzero(beyond.any(axis=1))
        for r in rows.tolist():
            sid = ids[r]
            if sid not in self.first:
                self.first[sid] = int(batch.t[int(np.argmax(beyond[r]))])

    def by_asset(self) -> dict[str, tuple[int, str]]:
        """asset id -> (time of its first alarm, the signal)."""
        out: dict[str, tuple[int, str]] = {}
        for sid, t in self.first.items():
            asset = sid.split(".", 1)[0]
            if asset not in out or t < out[asset][0]:
                out[asset] = (t, sid)
        return out


@dataclass
class Run:
    advisories: list[AdvisoryEvent] = field(default_factory=list)
    monitor_s: float = 0.0
    wall_s: float = 0.0


def simulate(plant: Plant, hours: float) -> tuple[Run, FirstAlarms, HealthMonitor]:
    sim = Simulator(plant, T0)  # the plant's faults and seed
    groups = sim.groups()
    monitor = HealthMonitor(plant, groups)
    alarms = FirstAlarms(plant, groups)
    run = Run()
    monitor.add_listener(run.advisories.extend)
    w0 = time.perf_counter()
    for i, (end, batches) in enumerate(sim.fast_forward(T0 + int(hours * 3600) * NS)):
        for b in batches:
            c0 = time.process_time()
            monitor.consume(b)
            run.monitor_s += time.process_time() - c0
            alarms.add(b)
        if i % 60 == 59:
            print(f"  {(end - T0) / 3600 / NS:5.1f} h simulated, {time.perf_counter() - w0:6.0f} s")
    c0 = time.process_time()
    monitor.flush()
    run.monitor_s += time.process_time() - c0
    run.wall_s = time.perf_counter() - w0
    return run, alarms, monitor


def score(plant: Plant, run: Run, alarms: FirstAlarms, hours: float) -> dict[str, float]:
    faulty = {f.asset_id: f for f in plant.faults}
    first_adv: dict[str, AdvisoryEvent] = {}
    for e in run.advisories:
        if e.action == RAISE and e.asset_id not in first_adv:
            first_adv[e.asset_id] = e
    first_alarm = alarms.by_asset()
    leads, detected = [], 0
    print(f"{'motor':8} {'fault':18} {'start h':>7} {'dev h':>6} {'advisory h':>10} "
          f"{'alarm h':>8} {'lead min':>8}  cause / alarm signal")  # fmt: skip
    for asset, fault in sorted(faulty.items(), key=lambda kv: kv[1].at_s):
        adv, alarm = first_adv.get(asset), first_alarm.get(asset)
        adv_h = (adv.t_ns - T0) / NS / 3600 if adv else float("nan")
        alarm_h = (alarm[0] - T0) / NS / 3600 if alarm else float("nan")
        lead = (alarm[0] - adv.t_ns) / NS / 60 if adv and alarm else float("nan")
        ok = adv is not None and (alarm is None or adv.t_ns < alarm[0])
        detected += ok
        if adv and alarm:
            leads.append(lead)
        print(f"{asset:8} {fault.kind:18} {fault.at_s / 3600:7.2f} {fault.develop_s / 3600:6.2f} "
              f"{adv_h:10.2f} {alarm_h:8.2f} {lead:8.0f}  {adv.cause if adv else '-'} / "
              f"{alarm[1].split('.', 1)[1] if alarm else '-'}")  # fmt: skip
    false = [e for e in run.advisories if e.action == RAISE and e.asset_id not in faulty]
    for e in false[:10]:
        print(
            f"  false advisory: {e.asset_id} {e.cause} at "
            f"{(e.t_ns - T0) / NS / 3600:.2f} h: {e.summary}"
        )
    return {
        "faults": len(faulty),
        "detected_fraction": detected / max(len(faulty), 1),
        "median_lead_min": statistics.median(leads) if leads else float("nan"),
        "min_lead_min": min(leads) if leads else float("nan"),
        "false_advisories": len(false),
        "eval_ms_per_s": 1000.0 * run.monitor_s / (hours * 3600),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motors", type=int, default=10_000)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--faults", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    plant = parse_plant(plant_text(args.motors, args.faults, args.hours, args.seed), "bench.toml")
    print(f"{args.motors:,} motors, {len(plant.faults)} developing faults, {args.hours:g} h")
    run, alarms, _monitor = simulate(plant, args.hours)
    figures = score(plant, run, alarms, args.hours)
    print(
        f"detected {figures['detected_fraction']:.0%} before their alarm; lead median "
        f"{figures['median_lead_min']:.0f} min, min {figures['min_lead_min']:.0f} min; "
        f"{figures['false_advisories']} false advisories; monitor "
        f"{figures['eval_ms_per_s']:.2f} ms per simulated second; run {run.wall_s / 60:.1f} min"
    )
    print(json.dumps({"motors": args.motors, "hours": args.hours, "seed": args.seed,
                      **{k: round(v, 3) for k, v in figures.items()}}))  # fmt: skip


if __name__ == "__main__":
    main()
