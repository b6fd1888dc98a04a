"""Start-up at plant size: the alarm engine built in-process, and the real program launched
to its first drawn frame.

    xvfb-run -a -s "-screen 0 1920x1080x24" python -m bench.startup \
        [--motors 10000] [--runs 3] [--engine-only]

The engine figures are the best of three builds (the machine may be shared): loading the
plant file, ``build_rules`` and ``AlarmEngine(rules, groups)`` on the simulator's groups,
and the whole ``PlantRuntime.for_plant`` (simulator, store, engine). ``python -X importtime``
style import costs are not measured here; ``imports_s`` is the time a fresh interpreter
takes to import the live composition. ``start_s`` is the median launch-to-first-frame of
``python -m app --plant ... --db ... --fault ... --metrics FILE`` (what ``bench/plant.py``
reports), each run into a fresh SQLite history; ``start_cpu_s`` the program's CPU time
(all threads) when its first frame is seen, which a loaded machine inflates less. The
program runs as installed: its modules compiled to bytecode beforehand (into a cache in the
bench's temporary folder, whatever ``PYTHONDONTWRITEBYTECODE`` says).

Human-readable lines, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.plant import app_command, installed_env, launched, proc_figures, wait_for
from bench.storage import motor_plant_file
from twin.alarms import AlarmEngine, build_rules
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import load_plant
from twin.timebase import now_ns

BUILDS = 3
FAULT = "M00001:overload@60"


def best_of[T](fn: Callable[[], T], runs: int = BUILDS) -> tuple[float, T]:
    """Fastest wall time of ``runs`` calls, and the last result."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
        if _ < runs - 1:
            del result  # not alive while the next one is built
    return best, result


def engine_figures(plant_path: Path) -> dict[str, Any]:
    """Seconds to load the plant, build its rules, the engine, and the whole runtime."""
    load_s, plant = best_of(lambda: load_plant(plant_path))
    groups = PlantRuntime.simulated(plant, now_ns()).store.groups
    rules_s, rules = best_of(lambda: build_rules(plant))
    engine_s, _ = best_of(lambda: AlarmEngine(build_rules(plant), groups))
    runtime_s, _ = best_of(lambda: PlantRuntime.for_plant(plant, now_ns()))
    return {
        "signals": len(plant.signals),
        "alarms": len(rules),
        "load_plant_s": round(load_s, 3),
        "build_rules_s": round(rules_s, 3),
        "engine_s": round(engine_s, 3),
        "runtime_s": round(runtime_s, 3),
    }


def imports_s(runs: int, env: dict[str, str]) -> float:
    """Median time of a fresh interpreter importing the live composition and its runner."""
    code = "import app.compose.run"
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def start_s(
    plant_path: Path, folder: Path, runs: int, env: dict[str, str]
) -> list[tuple[float, float]]:
    """(launch to first frame, CPU seconds then) of each run of the live program on a
    fresh history."""
    out = []
    for i in range(runs):
        metrics = folder / f"start{i}.jsonl"
        history = folder / f"start{i}.twinhist"
        args = app_command("--plant", str(plant_path), "--db", str(history), "--fault", FAULT)
        log = folder / f"start{i}.log"
        with launched([*args, "--metrics", str(metrics)], log, env) as proc:
            age = float(wait_for(metrics, "first_frame", proc, 600)["age_s"])
            out.append((age, proc_figures(proc.pid)[0]))
        print(f"  run {i + 1}: first frame {age:.2f} s after launch, {out[-1][1]:.2f} s CPU")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motors", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="launches of the program")
    parser.add_argument("--engine-only", action="store_true", help="no program launches")
    parser.add_argument("--launch-only", action="store_true", help="no in-process figures")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="twindeck-bench-startup-"))
    plant_path = motor_plant_file(args.motors, folder)
    figures: dict[str, Any] = {"motors": args.motors, "load_average": os.getloadavg()[0]}
    if not args.launch_only:
        figures |= engine_figures(plant_path)
        print(
            f"{args.motors:,} motors, {figures['signals']:,} signals, {figures['alarms']:,}"
            f" alarms: load plant {figures['load_plant_s']:.2f} s, rules"
            f" {figures['build_rules_s']:.2f} s, rules + engine {figures['engine_s']:.2f} s,"
            f" runtime {figures['runtime_s']:.2f} s"
        )
    if not args.engine_only:
        if not os.environ.get("DISPLAY"):
            parser.error("no display: run it under xvfb-run (see the docstring)")
        env = installed_env(folder)
        figures["imports_s"] = round(imports_s(args.runs, env), 2)
        print(f"imports of the live composition: {figures['imports_s']:.2f} s")
        starts = start_s(plant_path, folder, args.runs, env)
        figures["start_s"] = round(statistics.median(s for s, _ in starts), 2)
        figures["start_cpu_s"] = round(statistics.median(c for _, c in starts), 2)
        figures["start_runs_s"] = [round(s, 2) for s, _ in starts]
        figures["load_average_after"] = os.getloadavg()[0]
        print(
            f"start (launch to first frame): median {figures['start_s']:.2f} s,"
            f" {figures['start_cpu_s']:.2f} s CPU"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
