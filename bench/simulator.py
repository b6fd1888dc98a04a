"""Simulator cost: CPU time per second of simulated time, stepping as live does (0.1 s).

    python bench/simulator.py

Prints lines, then one JSON object. The demo plant, and 1,000 motors x 8 signals at 10 Hz
(DESIGN.md's full plant); the whole plant must stay far inside one core.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace

from app.paths import demo_plant_path
from twin.plant.loader import load_plant
from twin.plant.model import Plant, Signal
from twin.sources.sim import Simulator
from twin.timebase import NS_PER_S

SIM_SECONDS = 120
STEP_NS = NS_PER_S // 10


def cpu_ms_per_sim_second(plant: Plant) -> float:
    sim = Simulator(plant, start_ns=0)
    start = time.process_time()
    for step in range(1, SIM_SECONDS * 10 + 1):
        sim.advance(step * STEP_NS)
    return (time.process_time() - start) * 1000 / SIM_SECONDS


def motor_plant(template: Plant, count: int) -> Plant:
    """``count`` copies of the demo's first motor, with power, energy added (8 signals)."""
    motor = next(a for a in template.assets if a.kind == "motor")
    extra = [
        Signal(f"{motor.id}.{key}", motor.id, key, key, unit, 10.0, (0.0, 1e6))
        for key, unit in (("power", "kW"), ("energy", "kWh"))
    ]
    base = replace(motor, signals=(*motor.signals, *extra))
    assets = []
    for i in range(count):
        aid = f"M{i:05d}"
        signals = tuple(
            replace(s, id=f"{aid}.{s.key}", asset_id=aid, rate_hz=10.0) for s in base.signals
        )
        assets.append(
            replace(
                base, id=aid, name=aid, position=(i % 40 * 2.0, i // 40 * 2.0, 0.0), signals=signals
            )
        )
    return replace(template, assets=tuple(assets), faults=())


def main() -> None:
    demo = load_plant(demo_plant_path())
    figures = {
        "demo_cpu_ms_per_sim_s": cpu_ms_per_sim_second(demo),
        "motors_1000x8_cpu_ms_per_sim_s": cpu_ms_per_sim_second(motor_plant(demo, 1000)),
    }
    for key, value in figures.items():
        print(f"{key:34s} {value:8.2f} ms CPU per simulated second ({value / 10:.2f} % of a core)")
    print(json.dumps({k: round(v, 3) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
