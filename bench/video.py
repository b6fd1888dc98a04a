"""Video export speed: 20 s of the demo replay at 30 fps, the whole window, as MP4.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/video.py [--seconds 20]

Records a minute of the demo workshop (motor M07 overloading 20 s in), opens it as a
replay in a 1600x1000 window with M07 selected, and exports ``--seconds`` of it through
File > Export replay as video's code path. Prints the export's wall time per second of
video (target <= 2 on the project's machine), the frames written (exactly 30 per second)
and their size, then one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import imageio.v3 as iio
from PySide6.QtWidgets import QApplication

from app.compose.parts import qt_app
from app.compose.replay import Recording, compose_replay
from app.export.video import FPS, export_replay_video
from app.paths import demo_plant_path
from db.write.recorder import Recorder
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import load_plant
from twin.plant.model import Fault, FaultKind
from twin.timebase import NS_PER_S, now_ns

RECORDED_S = 60


def record(path: Path) -> tuple[int, int]:
    """A minute of the demo plant, M07 overloading 20 s in; returns (start, end) ns."""
    plant = load_plant(demo_plant_path())
    end = now_ns()
    start = end - RECORDED_S * NS_PER_S
    runtime = PlantRuntime.simulated(plant, start, (Fault("M07", FaultKind.OVERLOAD, 20.0),))
    recorder = Recorder.open(path, runtime.store.groups, plant)
    runtime.connect([runtime.alarm_sink()])
    runtime.ingestor.add_sink(recorder.offer)
    runtime.fast_forward(end)
    recorder.close()
    return start, end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="video length (s)")
    args = parser.parse_args()
    app = qt_app()
    folder = Path(tempfile.mkdtemp(prefix="twindeck-video-bench-"))
    start, end = record(folder / "demo.twinhist")
    plant = load_plant(demo_plant_path())
    t0 = start + 30 * NS_PER_S
    t1 = t0 + round(args.seconds * NS_PER_S)
    session = compose_replay(Recording(str(folder / "demo.twinhist"), plant, start, end, t0))
    window = session.window
    window.resize(1600, 1000)
    window.show()
    window.selection.select("M07")
    for _ in range(3):
        app.processEvents()
    out = folder / "replay.mp4"
    began = time.perf_counter()
    ok = export_replay_video(window, session.scheduler, t0, t1, str(out))
    elapsed = time.perf_counter() - began
    session.stop()
    window.close()
    frames = iio.imread(out) if ok else []
    height, width = (frames[0].shape[:2]) if len(frames) else (0, 0)
    figures = {
        "export_s": round(elapsed, 2),
        "export_s_per_video_s": round(elapsed / args.seconds, 3),
        "frames": len(frames),
        "expected_frames": round(args.seconds * FPS),
        "width": int(width),
        "height": int(height),
        "mp4_bytes": out.stat().st_size if out.exists() else 0,
    }
    print(f"exported {args.seconds:g} s of replay in {elapsed:.1f} s", file=sys.stderr)
    print(json.dumps(figures))
    QApplication.processEvents()


if __name__ == "__main__":
    main()
