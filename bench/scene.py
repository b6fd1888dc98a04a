"""3D scene: frame rate with live status colours, and the time to open a 10,000-motor plant.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/scene.py

Plants of 100, 1,000 and 10,000 motors come from scripts/make_plant.py. Each frame gives
every motor a random state and a running speed, as the frame scheduler would, and draws a
1280x800 view of the whole plant on Mesa llvmpipe. Targets (DESIGN.md and the scene brief):
fps_100 >= 30, fps_1000 >= 20, fps_10000 >= 5, load_10000_s <= 5 (load_plant, build the
scene, first render). Then the steady plant of 10,000 motors as a control room sees it
most of the time (``--steady-only`` runs this part alone): every shaft turning, states
unchanged, one motor's alarm flashing, frames at 30 a second for ``STEADY_S`` in simulated
time (see ``SceneClock``); ``steady_renders_per_s`` and ``steady_cpu_per_s`` (CPU seconds of
the process per simulated second, the view's frame updates and renders). Prints the
figures, then one JSON object as the last line.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QApplication

from app.frame.builder import Frame
from app.scene import qt_scene_view
from app.scene.qt_scene_view import QtSceneView
from twin.plant.loader import load_plant
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)
FRAMES = 40
STEADY_S = 20.0  # simulated seconds
RENDER_S = 0.09
FLASH_S = 0.5  # the alarm list's flashing half-period


def _make_plant_module() -> Any:
    spec = importlib.util.spec_from_file_location("make_plant", ROOT / "scripts" / "make_plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _frame(plant: Plant, t_ns: int, rng: np.random.Generator, speed: np.ndarray) -> Frame:
    n, m = len(plant.assets), len(plant.signals)
    values = np.full(m, 50.0)
    values[speed] = 1470.0 + rng.normal(0.0, 5.0, len(speed))
    return Frame(
        cursor_ns=t_ns,
        plots=None,  # type: ignore[arg-type]  # the 3D view reads values and states only
        values=values,
        last_times=np.full(m, t_ns, dtype=np.int64),
        signal_states=np.zeros(m, dtype=np.int8),
        asset_states=rng.integers(0, 4, n).astype(np.int8),
    )


def open_view(app: QApplication, path: Path) -> tuple[QtSceneView, float]:
    """Load the plant, build the view and draw its first frame; (view, seconds)."""
    start = time.perf_counter()
    plant = load_plant(path)
    view = QtSceneView(plant)
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    view.draw()
    return view, time.perf_counter() - start


def fps(app: QApplication, view: QtSceneView) -> float:
    plant = view.scene.plant
    rng = np.random.default_rng(1)
    speed = np.array([i for i, s in enumerate(plant.signals) if s.key == "speed"], dtype=np.int64)
    t = 1_700_000_000 * NS_PER_S
    view.update_frame(_frame(plant, t, rng, speed))
    start = time.perf_counter()
    for k in range(1, FRAMES + 1):
        view.update_frame(_frame(plant, t + k * NS_PER_S // 30, rng, speed))
        app.processEvents()
    return FRAMES / (time.perf_counter() - start)


class SceneClock:
    """The view's clock in simulated time, so that the figures do not depend on what else
    runs on the machine: frames come 30 a second, and each render takes RENDER_S (a
    10,000-motor render on llvmpipe on a quiet machine), as the view sees it."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def perf_counter(self) -> float:
        return self.now

    def render(self, *_: object) -> None:
        self.now += RENDER_S


def steady(view: QtSceneView) -> dict[str, float]:
    """Renders and CPU seconds (every thread of the process, llvmpipe's included) per
    simulated second of a steady plant at 30 frames a second."""
    plant = view.scene.plant
    rng = np.random.default_rng(1)
    speed = np.array([i for i, s in enumerate(plant.signals) if s.key == "speed"], dtype=np.int64)
    states = np.zeros(len(plant.assets), dtype=np.int8)
    states[0] = 3  # one motor in alarm, unacknowledged: it flashes
    clock = SceneClock()
    renders = [0]
    view.render_window.AddObserver("StartEvent", clock.render)
    view.render_window.AddObserver("EndEvent", lambda *_: renders.__setitem__(0, renders[0] + 1))
    setattr(qt_scene_view, "time", clock)  # noqa: B010  (the view's clock, see SceneClock)
    t0 = 1_700_000_000 * NS_PER_S
    on = True
    cpu = time.process_time()
    for k in range(round(STEADY_S * 30)):
        if clock.now > k / 30:  # a tick while the last frame was drawing: dropped
            continue
        clock.now = k / 30
        if int(clock.now / FLASH_S) % 2 != on:
            on = not on
            view.flash(frozenset({plant.assets[0].id}), on)
        frame = _frame(plant, t0 + round(clock.now * NS_PER_S), rng, speed)
        view.update_frame(replace(frame, asset_states=states))
    cpu = time.process_time() - cpu
    setattr(qt_scene_view, "time", time)  # noqa: B010
    return {"steady_renders_per_s": renders[0] / STEADY_S, "steady_cpu_per_s": cpu / STEADY_S}


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    make_plant = _make_plant_module()
    figures: dict[str, float] = {}
    steady_only = "--steady-only" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        for n in (10_000,) if steady_only else (100, 1000, 10_000):
            path = Path(tmp) / f"motors{n}.toml"
            path.write_text(make_plant.plant_toml(n), encoding="utf-8")
            view, load_s = open_view(app, path)
            if not steady_only:
                figures[f"fps_{n}"] = fps(app, view)
            if n == 10_000:
                figures["load_10000_s"] = load_s
                figures.update(steady(view))
            view.close()
            app.processEvents()
    targets = {"fps_100": ">= 30", "fps_1000": ">= 20", "fps_10000": ">= 5", "load_10000_s": "<= 5"}
    for key, value in figures.items():
        target = f"   (target {targets[key]})" if key in targets else ""
        print(f"{key:20s} {value:8.2f}{target}")
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
