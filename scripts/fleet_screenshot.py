"""A picture of the fleet views on a simulated plant with developing faults, as in README.

    python scripts/make_plant.py --motors 10000 --faults 20 --fault-hours 1 --seed 7 -o p.toml
    TWINDECK_HEADLESS=1 xvfb-run -a -s "-screen 0 1920x1080x24" \
        .venv/bin/python scripts/fleet_screenshot.py p.toml fleet.png 10800

Simulates the plant for the given seconds (all of it through the health monitor), selects
the worst motor, colours the 3D view by health, raises the Fleet health tab, and saves the
window.
"""

import sys

from PySide6.QtWidgets import QDockWidget

from app.compose.live import compose_live
from app.compose.parts import qt_app
from app.export.screenshot import screenshot_and_exit
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import load_plant
from twin.timebase import now_ns, seconds_to_ns

plant = load_plant(sys.argv[1])
end = now_ns()
runtime = PlantRuntime.for_plant(plant, end - seconds_to_ns(float(sys.argv[3])), [], None, 600.0)
qt_app()
live = compose_live(plant, runtime, PlaybackClock(wall=lambda: end), 30, (1920, 1080))
runtime.fast_forward(end)
window = live.window
live.scheduler.tick()
assert live.health is not None
health = live.health.health_at(end)
assert health is not None
worst = health.asset_ids[int(health.worst_first()[0])]
window.selection.select(worst)
window.colour_by_health.trigger()
dock = window.findChild(QDockWidget, "dock_fleet")
assert dock is not None and health is not None
dock.raise_()
code = screenshot_and_exit(window, live.scheduler.tick, sys.argv[2])
live.stop()
sys.exit(code)
