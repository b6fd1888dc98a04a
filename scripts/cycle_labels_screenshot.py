"""The 3D view of the demo workshop's door-panel press line with its cycle labels, as in
README: 43 minutes into a simulated early shift (06:00 UTC on; B01 is then stopped for
material), seen from the press line's camera preset (``--overview``: the default camera).
``--window``: the whole window, with the Lines panel's figures of the same moment (else
the 3D view alone, the docks and plots hidden).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python \
        scripts/cycle_labels_screenshot.py -o assets/screenshots/cycle_labels.png

The demo's fast waveform channels are left out (``wall_screenshot.slow_demo``), so that
the live rings can hold the shift. The picture is saved at the size drawn, or scaled to
``--width``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.compose.live import compose_live  # noqa: E402
from app.compose.parts import qt_app  # noqa: E402
from app.export.screenshot import compose_window_image  # noqa: E402
from app.scene.cycle_labels_install import cycle_labels  # noqa: E402
from scripts.wall_screenshot import slow_demo  # noqa: E402
from twin.clock import PlaybackClock  # noqa: E402
from twin.ingest.runtime import PlantRuntime  # noqa: E402
from twin.plant.loader import load_plant  # noqa: E402

NS = 1_000_000_000
DAY0 = 20_600 * 86_400 * NS  # a midnight (UTC)
AREA = "press_line"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default="cycle_labels.png")
    parser.add_argument("--hours", type=float, default=0.72, help="into the early shift")
    parser.add_argument("--width", type=int, default=0, help="of the saved picture (0: as drawn)")
    parser.add_argument("--size", default="1280x800", help="of the window")
    parser.add_argument("--lang", default=None, help="e.g. zh_CN")
    parser.add_argument("--overview", action="store_true", help="the default camera")
    parser.add_argument(
        "--window", action="store_true", help="the whole window, the Lines panel in front"
    )
    args = parser.parse_args()
    if args.lang:
        from app.i18n import set_language_override

        set_language_override(args.lang)
    plant = slow_demo(load_plant(ROOT / "assets" / "plants" / "demo_workshop.toml"))
    start = DAY0 + 6 * 3600 * NS
    end = start + round(args.hours * 3600 * NS)
    runtime = PlantRuntime.simulated(plant, start, retention_s=args.hours * 3600 + 120)
    app = qt_app()
    width, height = (int(v) for v in args.size.split("x"))
    session = compose_live(plant, runtime, PlaybackClock(wall=lambda: end), 30, (width, height))
    runtime.fast_forward(end)
    window, view = session.window, session.window.scene_view
    try:
        if not args.window:  # the 3D view alone fills the window
            for dock in window.findChildren(QDockWidget):
                dock.hide()
            window.plots.hide()
        window.show()
        if not args.overview:
            area = next(a.name for a in plant.areas if a.id == AREA)
            view.apply_view(dict(view.area_views())[area])
        labels = cycle_labels(window)
        assert labels is not None
        for _ in range(3):  # let the layout settle between frames
            app.processEvents()
            session.scheduler.tick()
        labels.refresh(end)
        if args.window:
            lines = window.findChild(QDockWidget, "dock_lines")
            if lines is not None:
                lines.raise_()
            app.processEvents()
            image = compose_window_image(window)
        else:
            image = view.grab_frame()
        if args.width:
            image = image.scaledToWidth(args.width, Qt.TransformationMode.SmoothTransformation)
        ok = image.save(args.output, "PNG")  # type: ignore[call-overload]
        print(f"{args.output}: {image.width()}x{image.height()}" if ok else "not written")
        return 0 if ok else 1
    finally:
        session.stop()
        window.close()


if __name__ == "__main__":
    sys.exit(main())
