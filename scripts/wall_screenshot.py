"""The wall screen of the demo workshop, as in README: the door-panel line's page three
hours into a simulated early shift (06:00-09:00 UTC), with a motor overloading and a
bearing wearing in the motor bay.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/wall_screenshot.py \
        -o assets/screenshots/wall_screen.png

The demo's fast waveform channels are left out, so that the live rings can hold the whole
shift; the rest (line machines, motors, alarms, health monitor) runs as in the demo. The
screen is grabbed at its size (1920x1080 on such a display) and scaled to ``--width``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from PySide6.QtCore import Qt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.compose.live import compose_live  # noqa: E402
from app.compose.parts import qt_app  # noqa: E402
from app.wall.install import wall_screen  # noqa: E402
from twin.clock import PlaybackClock  # noqa: E402
from twin.ingest.runtime import PlantRuntime  # noqa: E402
from twin.plant.faults import parse_fault_spec  # noqa: E402
from twin.plant.loader import load_plant  # noqa: E402
from twin.plant.model import Plant  # noqa: E402

NS = 1_000_000_000
DAY0 = 20_600 * 86_400 * NS  # a midnight (UTC)
FAULTS = ("M07:overload@2.9h", "M03:bearing_wear@1h+2h", "B01:overload@2.8h")
SLOW_HZ = 20.0  # signals up to this rate are kept


def slow_demo(plant: Plant) -> Plant:
    """The demo without its waveform channels."""
    assets = tuple(
        dataclasses.replace(a, signals=tuple(s for s in a.signals if s.rate_hz <= SLOW_HZ))
        for a in plant.assets
    )
    return dataclasses.replace(plant, assets=assets)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default="wall_screen.png")
    parser.add_argument("--hours", type=float, default=3.0, help="into the early shift")
    parser.add_argument("--width", type=int, default=1280, help="of the saved picture")
    parser.add_argument("--lang", default=None, help="e.g. zh_CN")
    parser.add_argument(
        "--page", default=None, help="the page whose name starts so (default: the line's)"
    )
    args = parser.parse_args()
    if args.lang:
        from app.i18n import set_language_override

        set_language_override(args.lang)
    plant = slow_demo(load_plant(ROOT / "assets" / "plants" / "demo_workshop.toml"))
    faults = [parse_fault_spec(spec, plant) for spec in FAULTS]
    start = DAY0 + 6 * 3600 * NS
    end = start + round(args.hours * 3600 * NS)
    retention = args.hours * 3600 + 120
    runtime = PlantRuntime.simulated(plant, start, faults, retention_s=retention)
    qt_app()
    clock = PlaybackClock(wall=lambda: end)
    session = compose_live(plant, runtime, clock, 30, (1600, 1000))
    runtime.fast_forward(end)
    wall = wall_screen(session.window)
    assert wall is not None
    chosen = [
        i
        for i, p in enumerate(wall.pages)
        if (p.name.startswith(args.page) if args.page else p.line_id is not None)
    ]
    if not chosen:
        parser.error(f"--page {args.page}: none of {', '.join(p.name for p in wall.pages)}")
    try:
        session.scheduler.tick()
        wall.enter()
        wall.show_page(chosen[0])
        for _ in range(3):  # let the layout settle between frames
            qt_app().processEvents()
            session.scheduler.tick()
            wall.refresh()
        image = wall.grab().toImage()
        image = image.scaledToWidth(args.width, Qt.TransformationMode.SmoothTransformation)
        ok = image.save(args.output, "PNG")  # type: ignore[call-overload]
        print(f"{args.output}: {image.width()}x{image.height()}" if ok else "not written")
        return 0 if ok else 1
    finally:
        wall.leave()
        session.stop()
        session.window.close()


if __name__ == "__main__":
    sys.exit(main())
