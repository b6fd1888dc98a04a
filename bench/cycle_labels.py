"""Cost of the cycle labels in the 3D view, on the demo workshop's door-panel line some
hours into a simulated early shift (its fast waveform channels left out).

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/cycle_labels.py --hours 4

Prints medians: a refresh (the line indicators at the cursor, the labels' words, the VTK
text and boxes), the same with the indicators already worked out (what the labels add to
the Lines panel's own), a lay-out of the labels for a moved camera, a frame that finds the
refresh not yet due, and a render of the default camera with the labels shown and hidden
(software GL here); then one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QApplication

from app.frame.builder import Frame
from app.scene.cycle_label_text import plant_labels
from app.scene.cycle_labels import QtCycleLabels
from app.scene.qt_scene_view import QtSceneView
from twin.kpi.replay import CursorIndicators
from twin.plant.loader import load_plant
from twin.plant.model import Plant
from twin.sources.sim import Simulator
from twin.store.series import EMPTY_STORE, LiveSeries
from twin.store.signal_store import SignalStore

ROOT = Path(__file__).resolve().parents[1]
NS = 1_000_000_000
DAY0 = 20_600 * 86_400 * NS  # a midnight (UTC)


def slow_demo() -> Plant:
    plant = load_plant(ROOT / "assets" / "plants" / "demo_workshop.toml")
    assets = tuple(
        dataclasses.replace(a, signals=tuple(s for s in a.signals if s.rate_hz <= 20.0))
        for a in plant.assets
    )
    return dataclasses.replace(plant, assets=assets)


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return 1000.0 * statistics.median(times)


def frame(t: int) -> Frame:
    none = np.empty(0)
    i8 = none.astype(np.int8)
    return Frame(t, EMPTY_STORE, none, none.astype(np.int64), i8, i8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=4.0, help="into the early shift")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    app = QApplication([])
    plant = slow_demo()
    start = DAY0 + 6 * 3600 * NS
    end = start + round(args.hours * 3600 * NS)
    sim = Simulator(plant, start)
    store = SignalStore(sim.groups(), retention_s=args.hours * 3600 + 60)
    for _, batches in sim.fast_forward(end, 600 * NS):
        for batch in batches:
            store.append(batch)
    view = QtSceneView(plant)
    view.resize(1100, 650)
    view.show()
    app.processEvents()
    source = CursorIndicators(plant, LiveSeries(store))
    labels = QtCycleLabels(view, source, view)
    source.at(end - NS)  # the shift so far read once, as the Lines panel does at start
    step = iter(range(1, 10**9))
    refresh = median_ms(lambda: labels.refresh(end - NS + next(step) * 1000), args.repeat)
    earlier, now = source.at(end - 100 * NS), source.at(end)
    assert earlier is not None and now is not None
    both = [earlier, now]  # other figures each time: every label's text and box redone
    words = median_ms(lambda: labels.labels.set(plant_labels(both[next(step) % 2])), args.repeat)
    camera = view.renderer.GetActiveCamera()

    def lay_out() -> None:
        camera.Azimuth(0.01)
        labels.labels.lay_out()

    layout = median_ms(lay_out, args.repeat)
    view.reset_camera()
    due = median_ms(lambda: labels.update_frame(frame(end + next(step))), args.repeat)
    shown = median_ms(view.draw, args.repeat)
    labels.set_on(False)
    hidden = median_ms(view.draw, args.repeat)
    figures = {
        "hours": args.hours,
        "labels": len(labels.labels.labels),
        "refresh_ms": round(refresh, 3),
        "words_and_vtk_ms": round(words, 3),
        "layout_ms": round(layout, 3),
        "frame_not_due_ms": round(due, 4),
        "render_shown_ms": round(shown, 2),
        "render_hidden_ms": round(hidden, 2),
    }
    for key, value in figures.items():
        print(f"{key:>18}: {value}")
    print(json.dumps(figures))
    view.close()


if __name__ == "__main__":
    main()
