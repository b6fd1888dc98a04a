"""What more windows cost the GUI thread at plant scale: 10,000 motors, one frame scheduler.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/windows.py [--motors N]

A live window on a simulated plant of N motors (scripts/make_plant.py, 1,000 a hall) draws
frames with a moving cursor (motion, values and plots change every frame). Measured: CPU ms
of the process per frame (scheduler tick and the paint events it causes) and the reader's
``values_at`` calls per frame, for the main window alone, then with a detached alarm list,
a second window on one hall, and a second window on the whole plant. Prints the figures,
then one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.compose.live import compose_live
from app.compose.parts import Session, qt_app
from app.navigation.history import Place
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import load_plant
from twin.timebase import NS_PER_S, now_ns

ROOT = Path(__file__).resolve().parents[1]
FRAMES = 90
SIMULATED_S = 120


def _make_plant_module() -> Any:
    spec = importlib.util.spec_from_file_location("make_plant", ROOT / "scripts" / "make_plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _session(motors: int, folder: Path) -> Session:
    path = folder / "plant.toml"
    path.write_text(_make_plant_module().plant_toml(motors), encoding="utf-8")
    plant = load_plant(path)
    end = now_ns()
    runtime = PlantRuntime.simulated(plant, end - SIMULATED_S * NS_PER_S)
    runtime.fast_forward(end)
    cursor = [end - (SIMULATED_S - 10) * NS_PER_S]

    def wall() -> int:
        cursor[0] += NS_PER_S // 30  # the cursor moves a frame's worth each frame
        return cursor[0]

    live = compose_live(plant, runtime, clock=PlaybackClock(wall=wall), size=(1600, 1000))
    live.window.show()
    live.window.selection.select(plant.assets[0].id)
    return live


def _timed(view: Any, spent: list[float]) -> None:
    """Add the time ``view.update_frame`` takes to ``spent[0]``."""
    update = view.update_frame

    def timed(frame: Any) -> None:
        started = time.perf_counter()
        update(frame)
        spent[0] += time.perf_counter() - started

    view.update_frame = timed


def _measure(
    app: QApplication, live: Session, reads: list[int], spent: list[float] | None = None
) -> dict[str, float]:
    for _ in range(10):  # settle: first renders, layouts
        live.scheduler.tick()
        app.processEvents()
    reads[0] = 0
    spent = spent if spent is not None else [0.0]
    spent[0] = 0.0
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(FRAMES):
        live.scheduler.tick()
        app.processEvents()
    return {
        "cpu_ms": (time.process_time() - cpu) * 1000 / FRAMES,
        "wall_ms": (time.perf_counter() - wall) * 1000 / FRAMES,
        "reads": reads[0] / FRAMES,
        "second_view_ms": spent[0] * 1000 / FRAMES,  # the second window's update_frame
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motors", type=int, default=10_000)
    args = parser.parse_args()
    app = qt_app()
    with tempfile.TemporaryDirectory() as folder:
        live = _session(args.motors, Path(folder))
        reader = live.scheduler.builder.reader
        reads = [0]
        values_at = reader.values_at

        def counted(*a: Any, **k: Any) -> Any:
            reads[0] += 1
            return values_at(*a, **k)

        reader.values_at = counted  # type: ignore[method-assign]
        window, plant = live.window, live.plant
        results: dict[str, dict[str, float]] = {"main": _measure(app, live, reads)}
        docks = window.windows.docks
        alarms = docks.dock("alarms")
        assert alarms is not None
        docks.detach(alarms)
        results["detached_alarms"] = _measure(app, live, reads)
        for name, place in (
            ("second_on_a_hall", Place(plant.areas[0].id)),
            ("second_on_the_plant", Place()),
        ):
            second, spent = window.windows.open_window(place), [0.0]
            second.resize(1280, 800)
            _timed(second, spent)
            results[name] = _measure(app, live, reads, spent)
            second.close()
        live.stop()
        window.close()
    base = results["main"]["cpu_ms"]
    for name, r in results.items():
        print(
            f"{name:22s} cpu {r['cpu_ms']:7.1f} ms/frame  wall {r['wall_ms']:7.1f} ms/frame  "
            f"x{r['cpu_ms'] / base:4.2f}  values_at calls/frame {r['reads']:.2f}  "
            f"second window's views {r['second_view_ms']:5.1f} ms/frame"
        )
    flat = {f"{k}_{m}": round(v, 2) for k, r in results.items() for m, v in r.items()}
    print(json.dumps({"motors": args.motors, **flat}))


if __name__ == "__main__":
    main()
