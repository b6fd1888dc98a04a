"""An asset in alarm carries a beacon of fixed size on screen, visible in the overview."""

from __future__ import annotations

from tests.app.incident import MOTOR
from tests.app.pixels import alarm_mask, count
from twin.plant.model import Fault, FaultKind
from twin.status import State

BEACON_MIN_PX = 150  # a 16 px disc is ~200 px; the motor's red body alone is ~40 here


def _overview_red(live) -> int:
    view = live.window.scene_view
    view.reset_camera()
    live.scheduler.tick()
    view.draw()
    return count(alarm_mask(view.frame_pixels()))


def test_an_alarm_shows_a_beacon_at_overview_distance(qtbot, demo_plant, make_live_app) -> None:
    live = make_live_app(demo_plant, after_s=60.0, faults=(Fault(MOTOR, FaultKind.OVERLOAD, 20),))
    live.window.show()
    qtbot.waitExposed(live.window)
    red = _overview_red(live)
    beacons = live.window.scene_view.scene.beacons
    assert beacons.shown(State.ALARM) == 1
    assert red >= BEACON_MIN_PX


def test_a_healthy_plant_shows_no_beacon(qtbot, demo_plant, make_live_app) -> None:
    live = make_live_app(demo_plant, after_s=10.0)
    live.window.show()
    qtbot.waitExposed(live.window)
    assert _overview_red(live) < 20
    assert live.window.scene_view.scene.beacons.shown(State.ALARM) == 0
