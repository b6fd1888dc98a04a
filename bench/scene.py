"""3D scene: frame rate with live status colours, and the time to open a 10,000-motor plant.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/scene.py

Plants of 100, 1,000 and 10,000 motors come from scripts/make_plant.py. Each frame gives
every motor a random state and a running speed, as the frame scheduler would, and draws a
1280x800 view of the whole plant on Mesa llvmpipe. Targets (DESIGN.md and the scene brief):
fps_100 >= 30, fps_1000 >= 20, fps_10000 >= 5, load_10000_s <= 5 (load_plant, build the
scene, first render). Prints the figures, then one JSON object as the last line.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QApplication

from app.frame.builder import Frame
from app.scene.qt_scene_view import QtSceneView
from twin.plant.loader import load_plant
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)
FRAMES = 40


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
        store=None,  # type: ignore[arg-type]  # the 3D view reads values and states only
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


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    make_plant = _make_plant_module()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (100, 1000, 10_000):
            path = Path(tmp) / f"motors{n}.toml"
            path.write_text(make_plant.plant_toml(n), encoding="utf-8")
            view, load_s = open_view(app, path)
            figures[f"fps_{n}"] = fps(app, view)
            if n == 10_000:
                figures["load_10000_s"] = load_s
            view.close()
            app.processEvents()
    targets = {"fps_100": ">= 30", "fps_1000": ">= 20", "fps_10000": ">= 5", "load_10000_s": "<= 5"}
    for key, value in figures.items():
        print(f"{key:14s} {value:8.2f}   (target {targets[key]})")
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
