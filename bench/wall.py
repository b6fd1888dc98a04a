"""Cost of the wall screen at plant size: 10,000 motors in 10 halls, a fleet-health
snapshot with a few motors wearing out, and an alarm flood of 3,000 standing alarms.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/wall.py

Prints medians: a page turned to (the alarm, health and state summaries of its area and
every label set), the page said again (the once-a-second refresh), the summaries alone,
and a frame that finds the refresh not yet due (what every other frame costs while the
wall screen is shown) or the wall screen hidden, then one JSON object.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QApplication

from app.frame.builder import Frame
from app.wall.screen import QtWallScreen
from app.wall.summary import summarise_alarms, summarise_health, summarise_states
from twin.alarms import AlarmKind, AlarmState, AlarmStatus, Priority
from twin.condition.plant_rows import PlantRows
from twin.plant.loader import load_plant
from twin.plant.model import Plant
from twin.timebase import now_ns

ROOT = Path(__file__).resolve().parents[1]
MOTORS = 10_000
FLOOD = 3_000


def _module(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flood(plant: Plant, t: int) -> dict[str, AlarmStatus]:
    """FLOOD standing alarms on random motors, of every priority and state."""
    rng = np.random.default_rng(3)
    chosen = rng.choice(len(plant.assets), FLOOD, replace=False)
    states = (AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE, AlarmState.UNACK_RTN)
    out = {}
    for k, i in enumerate(chosen):
        asset = plant.assets[int(i)]
        signal = asset.signals[0].id
        out[f"{signal}:H"] = AlarmStatus(
            f"{signal}:H",
            signal,
            asset.id,
            AlarmKind.H,
            Priority(int(rng.integers(1, 5))),
            states[k % 3],
            t - k,
            True,
            value=float(k),
            raised_at=t - k,
        )
    return out


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    make_plant = _module("make_plant", ROOT / "scripts" / "make_plant.py")
    fleet = _module("fleet_bench", ROOT / "bench" / "fleet.py")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plant.toml"
        path.write_text(make_plant.plant_toml(MOTORS, 1000, 3.0, 1.0), encoding="utf-8")
        plant = load_plant(path)
    end = now_ns()
    health = fleet.synthetic_day(plant, end).health_at(end)
    statuses = flood(plant, end)
    empty = np.zeros(0)
    states = np.zeros(len(plant.assets), np.int8)
    frame = Frame(end, None, empty, empty, empty, states, health=health)  # type: ignore[arg-type]
    wall = QtWallScreen(plant, None, lambda: statuses)
    wall.resize(1920, 1080)
    wall.show()
    wall.update_frame(frame)
    app.processEvents()
    pages = len(wall.pages)
    rows = PlantRows(plant)
    area = {a.id: i for i, a in enumerate(plant.areas)}
    asset_area = {a.id: area[a.area_id] for a in plant.assets}

    def turn() -> None:
        wall.step(1)

    def summaries() -> None:
        summarise_alarms(statuses, asset_area, wall.page, 12)
        summarise_health(health, rows.area_of_row(health), wall.page, 12)
        summarise_states(states, wall.area_of_asset, wall.page, 4)

    figures = {
        "assets": len(plant.assets),
        "pages": pages,
        "standing_alarms": sum(s.state is not AlarmState.UNACK_RTN for s in statuses.values()),
        "page_refresh_ms": round(_median_ms(turn, 3 * pages), 2),
        "same_page_refresh_ms": round(_median_ms(wall.refresh, 20), 2),
        "summaries_ms": round(_median_ms(summaries, 50), 2),
        "frame_between_refreshes_us": round(
            1000 * _median_ms(lambda: wall.update_frame(frame), 1000), 2
        ),
    }
    wall.hide()
    figures["frame_hidden_us"] = round(1000 * _median_ms(lambda: wall.update_frame(frame), 1000), 2)
    wall.close()
    for key, value in figures.items():
        print(f"{key:>28}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
