"""The main window on the demo plant, under a real X server, checked on rendered pixels."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QPoint, Qt

from tests.app.pixels import alarm_mask, box, count, normal_mask
from twin.plant.model import Fault, FaultKind
from twin.status import State

MOTOR = "M07"


def _show(qtbot, live) -> None:
    live.window.show()
    qtbot.waitExposed(live.window)
    live.scheduler.tick()


def _motor_screen_pos(live) -> tuple[int, int]:
    b = live.window.scene_view.scene.asset_bounds(MOTOR)
    centre = ((b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2)
    return live.window.scene_view.display_position(centre)


def test_demo_plant_renders_in_normal_grey_without_alarms(qtbot, make_live_app, demo_plant) -> None:
    live = make_live_app(demo_plant, after_s=20)
    _show(qtbot, live)
    pixels = live.window.scene_view.frame_pixels()
    area = pixels.shape[0] * pixels.shape[1]
    assert count(normal_mask(pixels)) > 0.01 * area  # the floor and background are not grey
    assert count(alarm_mask(pixels)) == 0
    assert (live.scheduler.last_frame.asset_states == State.ALARM).sum() == 0


def test_overloaded_motor_turns_alarm_red_on_its_own_pixels(
    qtbot, make_live_app, demo_plant
) -> None:
    live = make_live_app(demo_plant, after_s=90, faults=(Fault(MOTOR, FaultKind.OVERLOAD, 10.0),))
    _show(qtbot, live)
    pixels = live.window.scene_view.frame_pixels()
    near_motor = box(pixels, _motor_screen_pos(live), 25)
    assert count(alarm_mask(near_motor)) > 15
    # The red is that motor's alone: hardly any outside its neighbourhood.
    assert count(alarm_mask(pixels)) - count(alarm_mask(near_motor)) < 0.2 * count(
        alarm_mask(near_motor)
    )


def test_clicking_the_motor_selects_it_everywhere_and_plots_rising_temperature(
    qtbot, make_live_app, demo_plant
) -> None:
    live = make_live_app(demo_plant, after_s=100, faults=(Fault(MOTOR, FaultKind.OVERLOAD, 20.0),))
    _show(qtbot, live)
    vtk_widget = live.window.scene_view.gl_widget
    x, y = _motor_screen_pos(live)
    with qtbot.waitSignal(live.window.selection.changed, timeout=2000) as blocker:
        qtbot.mouseClick(vtk_widget, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert blocker.args == [MOTOR]
    assert [i.data(0, Qt.ItemDataRole.UserRole) for i in live.window.tree.tree.selectedItems()] == [
        MOTOR
    ]
    live.scheduler.tick()
    xs, temps = live.window.plots.curves[f"{MOTOR}.winding_temp"].getData()
    assert len(xs) > 50
    assert temps[-1] > temps[0] + 15  # overloaded windings heat up
    assert np.all(np.diff(xs) > 0)
    rows = {
        live.window.values.item(r, 0).text(): live.window.values.item(r, 3).text()
        for r in range(live.window.values.rowCount())
    }
    assert rows[demo_plant.asset(MOTOR).signal("current").name] == "alarm"


def test_selecting_in_the_tree_fills_plots_and_values(qtbot, make_live_app, demo_plant) -> None:
    live = make_live_app(demo_plant, after_s=30)
    _show(qtbot, live)
    item = live.window.tree.item_of("L01")
    with qtbot.waitSignal(live.window.selection.changed, timeout=2000):
        live.window.tree.tree.setCurrentItem(item)
    live.scheduler.tick()
    signals = demo_plant.asset("L01").signals
    assert set(live.window.plots.curves) == {s.id for s in signals}
    assert live.window.values.rowCount() == len(signals)
    # More than 10 s of each signal's samples (its piece counter and state are at 1 Hz).
    rate = {s.id: s.rate_hz for s in signals}
    curves = live.window.plots.curves
    assert all(len(c.getData()[0]) > 10 * rate[sid] for sid, c in curves.items())


def test_filter_box_hides_assets_that_do_not_match(qtbot, make_live_app, demo_plant) -> None:
    live = make_live_app(demo_plant)
    live.window.show()
    qtbot.keyClicks(live.window.tree.filter, "loom")
    items = [live.window.tree.item_of(a.id) for a in demo_plant.assets]
    visible = [i for i in items if i is not None and not i.isHidden()]
    assert visible and all("loom" in i.text(1) for i in visible)


def test_live_mode_scrolls_with_running_threads_and_stops_cleanly(
    qtbot, make_live_app, demo_plant
) -> None:
    live = make_live_app(demo_plant, after_s=1, wall=time.time_ns)
    live.window.show()
    live.start()
    samples_before = live.runtime.ingestor.samples_in
    qtbot.waitUntil(lambda: live.runtime.ingestor.samples_in > samples_before + 1000, timeout=5000)
    qtbot.waitUntil(lambda: live.scheduler.frames >= 5, timeout=5000)
    live.stop()
    assert not live.runtime.ingestor.running
    assert not live.scheduler.active
