"""Developing faults: when each first crosses a limit, and how fast a day is simulated.

    python bench/faults.py [--motors 10000] [--hours 24] [--skip-speed]

1. Alarm timing: one motor per (fault kind, rating, development time) of
   scripts/make_plant.py's plant, each fault starting 1 h in; prints, per kind and rating,
   when the first warning and the first alarm limit of the plant file is crossed, in hours
   after the start and as a multiple of the development time (median over the
   development times). A condition monitor has from the fault's start until then.
2. Fast-forward: ``--motors`` motors at 1 Hz through ``--hours`` with
   ``Simulator.fast_forward`` (steps of 60 s, no pacing): samples/s and minutes of wall time.

Prints lines, then one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import time
from pathlib import Path
from types import ModuleType

import numpy as np

from twin.plant.loader import parse_plant
from twin.plant.model import Plant
from twin.sources.sim import Simulator

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
ROOT = Path(__file__).resolve().parents[1]
KINDS = ("bearing_wear", "cooling_loss", "overload", "supply_imbalance", "insulation_ageing")
DEVELOP_H = (1.0, 3.0, 6.0)
START_H = 1.0


def make_plant_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_plant", ROOT / "scripts" / "make_plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timing_plant(mp: ModuleType) -> tuple[Plant, dict[str, tuple[str, str, float]]]:
    """Motors 4k .. 4k + 3 have the four ratings (make_plant's layout); each group of four
    gets one (kind, development time). Returns the plant and motor id -> (kind, rating, h)."""
    cases = [(k, d) for k in KINDS for d in DEVELOP_H]
    motors = 4 * len(cases)
    text = mp.plant_toml(motors)
    rating_of = {}
    for block in text.split("[[assets]]")[1:]:
        ident = block.split('id = "')[1].split('"')[0]
        rating_of[ident] = block.split('template = "')[1].split('"')[0]
    truth: dict[str, tuple[str, str, float]] = {}
    for i, (kind, develop_h) in enumerate(cases):
        for j in range(4):
            motor = f"M{4 * i + j + 1:05d}"
            truth[motor] = (kind, rating_of[motor], develop_h)
            text += (
                f'\n[[faults]]\nasset = "{motor}"\nkind = "{kind}"\n'
                f'at = "{START_H}h"\ndevelop = "{develop_h}h"\n'
            )
    return parse_plant(text, "timing.toml"), truth


Crossings = dict[str, dict[str, tuple[float, str]]]


def first_crossings(plant: Plant, hours: float) -> Crossings:
    """Per asset, the first time (s after start) any of its signals crosses a warning
    ("warn") or an alarm ("alarm") limit, as the raw samples show it, and that signal's key."""
    sim = Simulator(plant, T0)
    found: Crossings = {a.id: {} for a in plant.assets}
    for _, batches in sim.fast_forward(T0 + round(hours * 3600 * NS), 600 * NS):
        for batch in batches:
            group = next(g for g in sim.groups() if g.key == batch.group)
            for c, signal_id in enumerate(group.signal_ids):
                sig = plant.signal(signal_id)
                lim = sig.limits
                v = batch.v[c]
                for level, lo, hi in (
                    ("warn", lim.warn_low, lim.warn_high),
                    ("alarm", lim.alarm_low, lim.alarm_high),
                ):
                    if level in found[sig.asset_id]:
                        continue
                    bad = np.zeros(v.shape, bool)
                    if lo is not None:
                        bad |= v < lo
                    if hi is not None:
                        bad |= v > hi
                    if bad.any():
                        t = (int(batch.t[np.argmax(bad)]) - T0) / NS
                        found[sig.asset_id][level] = (t, sig.key)
    return found


def alarm_table(mp: ModuleType) -> dict[str, object]:
    plant, truth = timing_plant(mp)
    hours = START_H + 3.0 * max(DEVELOP_H)
    found = first_crossings(plant, hours)
    rows: dict[str, object] = {}
    print(
        f"first limit crossed, h after the fault's start (x development time, median of "
        f"{', '.join(f'{d:g}' for d in DEVELOP_H)} h); the signal that crossed first"
    )
    print(f"{'kind':18s} {'rating':10s} {'warning':>22s} {'alarm':>30s}")
    for kind in KINDS:
        for rating in sorted({r for k, r, _ in truth.values() if k == kind}):
            cells = []
            for level in ("warn", "alarm"):
                ids = [m for m, (k, r, _) in truth.items() if k == kind and r == rating]
                after = [found[m].get(level, (np.inf, ""))[0] - START_H * 3600 for m in ids]
                ratios = [a / (truth[m][2] * 3600) for a, m in zip(after, ids, strict=True)]
                keys = sorted({found[m].get(level, (0.0, "-"))[1] for m in ids})
                per_d = "/".join(f"{a / 3600:.2f}" for a in after)
                cells.append((per_d, statistics.median(ratios), ",".join(keys)))
                rows[f"{kind}/{rating}/{level}"] = {
                    "hours_after_start": [round(a / 3600, 3) for a in after],
                    "develop_h": [truth[m][2] for m in ids],
                    "signals": keys,
                }
            (wh, wx, ws), (ah, ax, asig) = cells
            print(
                f"{kind:18s} {rating:10s} {wh:>14s} ({wx:4.2f}x) {ws:12s} "
                f"{ah:>14s} ({ax:4.2f}x) {asig}"
            )
    return rows


def fast_forward_speed(mp: ModuleType, motors: int, hours: float) -> dict[str, float]:
    plant = parse_plant(mp.plant_toml(motors), "speed.toml")
    sim = Simulator(plant, T0)
    samples = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for _, batches in sim.fast_forward(T0 + round(hours * 3600 * NS)):
        samples += sum(b.v.size for b in batches)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rate = samples / wall
    day_min = motors * 6 * 86400 / rate / 60
    print(
        f"{motors} motors x 6 signals at 1 Hz through {hours:g} h: {samples:,} samples "
        f"in {wall:.1f} s wall ({cpu:.1f} s CPU): {rate / 1e6:.2f} M samples/s, "
        f"{hours * 3600 / wall:.0f}x real time; 24 h of 10,000 motors would take "
        f"{day_min * 10_000 / motors:.1f} min"
    )
    return {
        "motors": motors,
        "hours": hours,
        "samples": samples,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "samples_per_s": round(rate),
        "minutes_10k_motors_24h": round(day_min * 10_000 / motors, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motors", type=int, default=10_000)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-alarms", action="store_true")
    args = parser.parse_args()
    mp = make_plant_module()
    out: dict[str, object] = {}
    if not args.skip_alarms:
        out["alarms"] = alarm_table(mp)
    if not args.skip_speed:
        out["fast_forward"] = fast_forward_speed(mp, args.motors, args.hours)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
