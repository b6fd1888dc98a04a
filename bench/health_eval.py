"""Health evaluation benchmark: ``python bench/health_eval.py [--motors 10000]``.

A plant of N motors from ``scripts/make_plant.py`` (six 1 Hz signals each), fed as the
simulator does: one batch per signal group per second of plant time, each group holding
that signal of every motor. Two costs, measured separately and then added up per second
of plant data: summing the batches into the open window on the ingest side, and the
evaluation of every motor once per closed 60 s window (zones, thermal model, 30-point
robust trends, severities, advisories), amortised over the window. The evaluator is
filled with a full trend window first, so the figures are the steady state. Figures are
the fastest of several runs (the machine may be shared). The last line printed is one
JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from make_plant import plant_toml

from twin.batch import Batch, ChannelGroup
from twin.condition.monitor import HealthMonitor
from twin.condition.profile import KEYS
from twin.plant.loader import parse_plant

NS = 1_000_000_000
T0 = 1_750_000_020 * NS  # a window boundary (multiple of 60 s)
WINDOW_S = 60
RUNS = 3
TYPICAL = {
    "winding_temp": (60.0, 0.3), "bearing_temp": (48.0, 0.1), "current": (0.7, 0.02),
    "voltage": (400.0, 1.0), "vibration": (1.8, 0.05), "speed": (1470.0, 1.0),
}  # fmt: skip


def make(motors: int) -> tuple[HealthMonitor, list[ChannelGroup], np.ndarray]:
    plant = parse_plant(plant_toml(motors), "bench.toml")
    groups = [
        ChannelGroup(f"sim/motor/{k}@1", tuple(f"{a.id}.{k}" for a in plant.assets), 1.0)
        for k in KEYS
    ]
    monitor = HealthMonitor(plant, groups)
    rated = monitor.profile.rated_current_a
    base = np.array([[TYPICAL[k][0] for k in KEYS]] * motors)
    base[:, KEYS.index("current")] *= rated
    return monitor, groups, base


def batches(
    groups: list[ChannelGroup], base: np.ndarray, second: int, rng: np.random.Generator
) -> list[Batch]:
    t = np.array([T0 + second * NS], dtype=np.int64)
    out = []
    for c, (g, k) in enumerate(zip(groups, KEYS, strict=False)):
        sd = TYPICAL[k][1] * (base[:, c] / TYPICAL[k][0] if k == "current" else 1.0)
        v = base[:, c] + sd * rng.standard_normal(base.shape[0])
        out.append(Batch(g.key, t, v[:, None]))
    return out


def run(motors: int) -> dict[str, float]:
    rng = np.random.default_rng(1)
    monitor, groups, base = make(motors)
    # Fill a trend window (30 windows) and time every batch and every evaluation after.
    fill = monitor.evaluator.trend_points * WINDOW_S
    seconds = fill + 4 * WINDOW_S
    pre = [batches(groups, base, s, rng) for s in range(seconds + 3)]
    ingest, evals = [], []
    for s, bs in enumerate(pre):
        for b in bs:
            start = time.perf_counter()
            closed = monitor.accumulator.add(b)
            mid = time.perf_counter()
            for w in closed:
                monitor.evaluate_window(w)
            end = time.perf_counter()
            if s > fill:
                ingest.append(mid - start)
                if closed:
                    evals.append(end - mid)
    per_second_ingest = sum(ingest) / (len(pre) - fill - 1)
    per_eval = min(evals)
    return {
        "ingest_ms_per_plant_s": 1e3 * per_second_ingest,
        "eval_ms_per_window": 1e3 * per_eval,
        "eval_ms_per_plant_s": 1e3 * per_eval / WINDOW_S,
        "total_ms_per_plant_s": 1e3 * (per_second_ingest + per_eval / WINDOW_S),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motors", type=int, default=10_000)
    args = parser.parse_args()
    results: dict[str, float] = {}
    for _ in range(RUNS):
        r = run(args.motors)
        results = r if not results else {k: min(v, r[k]) for k, v in results.items()}
    results["motors"] = float(args.motors)
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(
        f"{args.motors} motors x {len(KEYS)} signals at 1 Hz, {WINDOW_S} s windows, "
        f"best of {RUNS} runs"
    )
    for key, value in results.items():
        print(f"  {key:28s} {value:10.3f}")
    print(json.dumps({k: round(v, 3) for k, v in results.items()}))


if __name__ == "__main__":
    main()
