"""Cost of the fleet health views at plant size (10,000 motors, 10 halls), and a screenshot.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/fleet.py [--screenshot FILE]

A day of synthetic snapshots (one every 10 minutes; a few motors wearing out) feeds the
Fleet health table, the fleet map and the 3D view's health colouring. Prints medians in ms
for a new snapshot (10 minutes on), for the table the next second's snapshot, and for a
frame whose snapshot is unchanged (what every frame costs between evaluations), then one
JSON object. With ``--screenshot`` it also composes the live
window on the plant at 1920x1080 with the fleet views docked and writes it as a PNG.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QApplication, QDockWidget

from app.fleet.map import QtFleetMap
from app.fleet.panel import QtFleetPanel
from app.frame.builder import Frame
from app.scene.vtk_plant_scene import VtkPlantScene
from twin.condition.series import SnapshotSeries
from twin.condition.snapshot import CAUSES, FleetHealth, Ne107
from twin.plant.loader import load_plant
from twin.plant.model import Plant
from twin.timebase import NS_PER_S, now_ns

ROOT = Path(__file__).resolve().parents[1]
MOTORS = 10_000
STEP_S = 600
SICK = 40  # motors wearing out over the day


def _make_plant_module() -> Any:
    spec = importlib.util.spec_from_file_location("make_plant", ROOT / "scripts" / "make_plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_day(plant: Plant, end_ns: int) -> SnapshotSeries:
    """144 snapshots over 24 h: most motors healthy, SICK of them wearing out."""
    rng = np.random.default_rng(7)
    ids = tuple(a.id for a in plant.assets)
    n = len(ids)
    base = rng.uniform(86, 99, n).astype(np.float32)
    sick = rng.choice(n, SICK, replace=False)
    rate = rng.uniform(0.5, 4.0, SICK)  # health points lost per hour
    causes = rng.integers(1, len(CAUSES), SICK)
    steps = 24 * 3600 // STEP_S
    series = SnapshotSeries()
    for k in range(steps + 1):
        hours = k * STEP_S / 3600
        health = base.copy()
        health[sick] = np.clip(base[sick] - rate * hours, 0, 100)
        status = np.zeros(n, np.int8)
        status[sick] = np.select(
            [health[sick] < 20, health[sick] < 45, health[sick] < 70],
            [Ne107.FAILURE, Ne107.OUT_OF_SPECIFICATION, Ne107.MAINTENANCE_REQUIRED],
            Ne107.NORMAL,
        )
        cause = np.zeros(n, np.int8)
        cause[sick] = np.where(status[sick] > 0, causes, 0)
        ttl = np.full(n, np.inf)
        ttl[sick] = np.where(status[sick] > 0, health[sick] / rate * 3600, np.inf)
        summary = [""] * n
        evidence = [""] * n
        for j, i in enumerate(sick):
            if status[i]:
                summary[i] = f"{CAUSES[causes[j]]}: health falling {rate[j]:.1f}/h"
                evidence[i] = f"slope -{rate[j]:.2f}/h over 6 h"
        t = end_ns - (steps - k) * STEP_S * NS_PER_S
        series.add(FleetHealth(t, ids, health, status, cause, ttl, tuple(summary), tuple(evidence)))
    return series


def _frame(plant: Plant, health: FleetHealth | None) -> Frame:
    empty = np.zeros(0)
    states = np.zeros(len(plant.assets), np.int8)
    t = health.t_ns if health else 0
    return Frame(t, None, empty, empty, empty, states, health=health)  # type: ignore[arg-type]


def _median_ms(fn: Callable[[int], object], repeats: int) -> float:
    times = []
    for k in range(repeats):
        start = time.perf_counter()
        fn(k)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_views(
    app: QApplication, plant: Plant, series: SnapshotSeries, end: int
) -> dict[str, float]:
    snapshots = [series.health_at(end - k * STEP_S * NS_PER_S) for k in range(40)]
    panel = QtFleetPanel(plant, series)
    panel.resize(1200, 500)
    panel.show()
    tiles = QtFleetMap(plant)
    tiles.resize(900, 900)
    tiles.show()
    app.processEvents()
    figures: dict[str, float] = {}

    def table(k: int) -> None:
        panel.update_frame(_frame(plant, snapshots[k % len(snapshots)]))
        panel.table.viewport().repaint()  # the visible rows' text and sparklines

    figures["table_new_snapshot_ms"] = _median_ms(table, 40)
    # One evaluation a second: the rows re-rank, the sparklines keep their history.
    seconds = [replace(snapshots[0], t_ns=snapshots[0].t_ns + k * NS_PER_S) for k in range(41)]

    def next_second(k: int) -> None:
        panel.update_frame(_frame(plant, seconds[k + 1]))
        panel.table.viewport().repaint()

    figures["table_next_second_ms"] = _median_ms(next_second, 40)
    same = _frame(plant, snapshots[0])
    figures["table_same_snapshot_ms"] = _median_ms(lambda _: panel.update_frame(same), 200)

    def tile_map(k: int) -> None:
        tiles.update_frame(_frame(plant, snapshots[k % len(snapshots)]))
        tiles.repaint()

    figures["map_new_snapshot_ms"] = _median_ms(tile_map, 40)
    figures["map_same_snapshot_ms"] = _median_ms(lambda _: tiles.update_frame(same), 200)
    figures["map_tile_px"] = float(tiles._layout().tile)
    from vtkmodules.vtkRenderingCore import vtkRenderer

    scene = VtkPlantScene(plant, vtkRenderer(), lod=1)
    scene.colour_by_health(True)
    figures["scene_new_snapshot_ms"] = _median_ms(
        lambda k: scene.set_health(snapshots[k % len(snapshots)]), 40
    )
    figures["scene_same_snapshot_ms"] = _median_ms(lambda _: scene.set_health(snapshots[0]), 200)
    figures["sparkline_30_rows_ms"] = _median_ms(
        lambda k: [
            series.health_history(plant.assets[(k * 30 + j) % MOTORS].id, 0, end) for j in range(30)
        ],
        20,
    )
    scene.close()
    panel.close()
    tiles.close()
    return figures


def screenshot(plant: Plant, series: SnapshotSeries, end: int, path: str) -> None:
    from app.compose.live import compose_live
    from app.export.screenshot import save_window_screenshot
    from twin.clock import PlaybackClock
    from twin.ingest.runtime import PlantRuntime

    runtime = PlantRuntime.simulated(plant, end - 5 * NS_PER_S)
    live = compose_live(
        plant, runtime, clock=PlaybackClock(wall=lambda: end), size=(1920, 1080), health=series
    )
    runtime.fast_forward(end)
    window = live.window
    window.showNormal()
    worst = series.health_at(end)
    assert worst is not None
    window.selection.select(worst.asset_ids[int(worst.worst_first()[0])])
    window.colour_by_health.trigger()
    fleet = window.findChild(QDockWidget, "dock_fleet")
    if fleet is not None:
        fleet.raise_()
    app = QApplication.instance()
    assert app is not None
    for _ in range(5):
        app.processEvents()
        live.draw_loaded_frame()
    print("screenshot", path, save_window_screenshot(window, path))
    live.stop()
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", help="write the window on the 10,000-motor plant here")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    end = now_ns()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "motors.toml"
        path.write_text(_make_plant_module().plant_toml(MOTORS), encoding="utf-8")
        plant = load_plant(path)
        series = synthetic_day(plant, end)
        figures = bench_views(app, plant, series, end)
        for key, value in figures.items():
            print(f"{key:24s} {value:8.3f}")
        print(json.dumps({k: round(v, 3) for k, v in figures.items()}))
        if args.screenshot:
            screenshot(plant, series, end, args.screenshot)


if __name__ == "__main__":
    main()
