"""Pictures of the navigation bar and of several windows on one clock, as in README.

    TWINDECK_HEADLESS=1 xvfb-run -a -s "-screen 0 1920x1080x24" \\
        .venv/bin/python scripts/windows_screenshot.py assets/screenshots

Simulates the demo workshop for 90 s with motor M07 overloading at 30 s, walks the display
hierarchy down to M07's current (the breadcrumb shows the path), detaches the alarm list
into a window of its own and opens a second window on the door-panel press line; saves
``navigation.png`` (the main window) and ``second_window.png`` (the second window).
"""

import sys
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

from app.compose.live import compose_live
from app.compose.parts import qt_app
from app.export.screenshot import compose_window_image
from app.navigation.history import Place
from app.paths import demo_plant_path
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import load_plant
from twin.plant.model import Fault, FaultKind
from twin.timebase import now_ns, seconds_to_ns


def settle(ms: int = 500) -> None:
    """Run events for ``ms`` (flights of the camera end, layouts settle)."""
    clock = QElapsedTimer()
    clock.start()
    while clock.elapsed() < ms:
        QApplication.processEvents()


out = Path(sys.argv[1] if len(sys.argv) > 1 else "assets/screenshots")
plant = load_plant(demo_plant_path())
end = now_ns()
faults = [Fault("M07", FaultKind.OVERLOAD, 30.0)]
runtime = PlantRuntime.for_plant(plant, end - seconds_to_ns(90), faults, None, 600.0)
qt_app()
live = compose_live(plant, runtime, PlaybackClock(wall=lambda: end), 30, (1440, 860))
runtime.fast_forward(end)
window = live.window
window.show()
settle()
window.navigator.go(Place("motor_bay"))
window.selection.select("M07")
current = [s.key for s in plant.asset("M07").signals].index("current")
window.values.cellClicked.emit(current, 0)  # the signal detail, as a click in the table
window.scene_view.fly_to("M07", duration_ms=1)
alarms = window.windows.docks.dock("alarms")
assert alarms is not None
window.windows.docks.detach(alarms)
second = window.windows.open_window(Place("press_line", "P01"))
second.resize(1280, 760)
for _ in range(3):
    live.scheduler.tick()
    settle(300)
window.raise_()
settle()
compose_window_image(window).save(str(out / "navigation.png"))
# Any window with a scene_view composes the same way.
compose_window_image(second).save(str(out / "second_window.png"))  # type: ignore[arg-type]
print(f"written {out / 'navigation.png'} and {out / 'second_window.png'}")
second.close()
live.stop()
window.close()
