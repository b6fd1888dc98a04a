"""Frame cost of the main window on the demo plant, and of the plots at DESIGN's load.

    xvfb-run -a python bench/frame.py

Prints medians in ms, then one JSON object. Targets (DESIGN.md): plots of 10 traces x
60 k points <= 20 ms per frame on software raster; the whole frame well inside 33 ms.
``frame_ms_demo`` is a whole frame (views updated, window painted) with a motor's six
strips over 10 min; the 3D view redraws only when colours or moving parts change, and
``render_3d_ms_demo`` is what one such redraw costs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

from app.compose.live import compose_live
from app.paths import demo_plant_path
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import load_plant
from twin.timebase import NS_PER_S, now_ns

FRAMES = 60


def _median_ms(fn, repeats: int = FRAMES) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_window(app: QApplication) -> dict[str, float]:
    plant = load_plant(demo_plant_path())
    end = now_ns()
    runtime = PlantRuntime.simulated(plant, end - 600 * NS_PER_S)
    runtime.fast_forward(end)
    cursor = [end - 60 * NS_PER_S]

    def clock() -> int:
        cursor[0] += NS_PER_S // 30  # a moving cursor, as live
        return cursor[0]

    live = compose_live(plant, runtime, clock=PlaybackClock(wall=clock), size=(1600, 1000))
    live.window.show()
    live.window.selection.select("M07")
    live.window.plots.set_span_s(600)  # 10 min: 6,000 points per 10 Hz trace
    for _ in range(5):
        app.processEvents()
        live.scheduler.tick()

    def frame() -> None:
        live.scheduler.tick()
        app.processEvents()

    result = {
        "frame_ms_demo": _median_ms(frame),
        "render_3d_ms_demo": _median_ms(live.window.scene_view.draw, 20),
    }
    live.stop()
    live.window.close()
    return result


def bench_plots(app: QApplication, traces: int = 10, points: int = 60_000) -> dict[str, float]:
    win = pg.GraphicsLayoutWidget(size=(1200, 900))
    plot = win.addPlot()
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    x = 1.7e9 + np.arange(points, dtype=np.float64) / 100
    curves = [plot.plot(pen=(i, traces)) for i in range(traces)]
    ys = [
        np.sin(x / (5 + i)) + np.random.default_rng(i).normal(0, 0.1, points) for i in range(traces)
    ]
    win.show()
    app.processEvents()
    shift = [0.0]

    def frame() -> None:
        shift[0] += 0.01
        for curve, y in zip(curves, ys, strict=True):
            curve.setData(x + shift[0], y)
        plot.setXRange(x[0] + shift[0], x[-1] + shift[0], padding=0)
        win.repaint()

    result = {f"plot_ms_{traces}x{points // 1000}k": _median_ms(frame, 30)}
    win.close()
    return result


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    figures = {**bench_window(app), **bench_plots(app)}
    for key, value in figures.items():
        print(f"{key:24s} {value:8.2f} ms (median)")
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
