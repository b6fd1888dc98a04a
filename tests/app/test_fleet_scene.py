"""Health colouring of the 3D view: the sick asset in the health scale's red, the healthy
one not, a colour scale shown, and nothing repainted for a snapshot already drawn."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.frame.builder import Frame
from app.scene import camera as cam
from app.theme import health_rgb
from tests.app.dialogs import menu_action
from tests.app.fleet_data import Sick, fleet_health
from tests.app.pixels import alarm_mask, box, count
from twin.condition.series import SnapshotSeries
from twin.condition.snapshot import Ne107
from twin.plant.model import Area, Asset, Plant, Signal
from twin.status import State
from twin.timebase import NS_PER_S

T0 = 1_800_000_000 * NS_PER_S


def _motor(asset_id: str, x: float) -> Asset:
    signal = Signal(f"{asset_id}.current", asset_id, "current", "Current", "A", 10.0, (0, 1))
    return Asset(asset_id, asset_id, "motor", "a", (x, 0.0, 0.0), 0.0, (signal,))


def _frame(plant: Plant, health: object, t_ns: int = T0) -> Frame:
    n = len(plant.signals)
    return Frame(
        cursor_ns=t_ns,
        plots=None,  # type: ignore[arg-type]
        values=np.zeros(n),
        last_times=np.full(n, t_ns, dtype=np.int64),
        signal_states=np.zeros(n, dtype=np.int8),
        asset_states=np.full(len(plant.assets), State.NORMAL, dtype=np.int8),
        health=health,  # type: ignore[arg-type]
    )


def _green(pixels: np.ndarray) -> np.ndarray:
    """The healthy end of the health scale, shaded: green above red and blue."""
    p = pixels.astype(np.int32)
    return (p[..., 1] > p[..., 0] + 12) & (p[..., 1] > p[..., 2] + 8) & (p[..., 1] > 70)


def test_assets_coloured_by_health_in_the_3d_view(make_view) -> None:
    plant = Plant("t", "/nonexistent/p.toml", (Area("a", "A"),), (_motor("M1", 0), _motor("M2", 3)))
    view = make_view(plant)
    view.apply_view(cam.fit_view((-1, 4, -1, 1, 0, 1), (0.0, -1.0, 0.6), margin=0.9))
    health = fleet_health(["M1", "M2"], T0, {"M2": Sick(6, Ne107.FAILURE, "bearing")})
    view.update_frame(_frame(plant, health))
    m1 = view.display_position(view.scene.asset_centre("M1"))
    m2 = view.display_position(view.scene.asset_centre("M2"))
    # By alarm state (the default) both are normal grey: no red anywhere.
    assert count(alarm_mask(view.frame_pixels())) == 0
    assert not view.scene.health_legend.bar.GetVisibility()
    view.set_colour_by_health(True)
    view.update_frame(_frame(plant, health))
    pixels = view.frame_pixels()
    red, green = alarm_mask(pixels), _green(pixels)
    assert count(box(red, m2, 60)) > 300
    assert count(box(red, m1, 60)) == 0
    assert count(box(green, m1, 60)) > 300
    assert view.scene.health_legend.bar.GetVisibility()
    assert "Health: 6" in view.hover_text("M2")
    view.set_colour_by_health(False)
    view.update_frame(_frame(plant, health))
    assert count(alarm_mask(view.frame_pixels())) == 0


def test_a_snapshot_already_drawn_is_not_repainted(make_view) -> None:
    plant = Plant("t", "/nonexistent/p.toml", (Area("a", "A"),), (_motor("M1", 0), _motor("M2", 3)))
    view = make_view(plant)
    scene = view.scene
    scene.colour_by_health(True)
    first = fleet_health(["M1", "M2"], T0, {"M1": Sick(20, Ne107.FAILURE, "supply")})
    assert scene.set_health(first)
    body = next(g for g in scene.groups if g.body)
    before = body.colours.copy()
    assert not scene.set_health(first)
    assert not scene.set_health(fleet_health(["M1", "M2"], T0))  # same time: same snapshot
    later = fleet_health(["M1", "M2"], T0 + NS_PER_S, {"M1": Sick(90, Ne107.NORMAL, "")})
    assert scene.set_health(later)
    assert not np.array_equal(body.colours, before)
    slot = int(np.flatnonzero(body.assets == 0)[0])
    assert tuple(body.colours[slot]) == tuple(health_rgb(np.array([90.0]))[0])


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")
def test_the_view_menu_toggles_health_colours(qtbot, demo_plant, make_live_app) -> None:
    ids = [a.id for a in demo_plant.assets]
    live = make_live_app(demo_plant, after_s=2.0, health=SnapshotSeries([fleet_health(ids, 0)]))
    window = live.window
    window.show()
    qtbot.waitExposed(window)
    action = menu_action(window, "Colour assets by health")
    assert action.isEnabled() and action.shortcut().toString() == "H"
    QApplication.setActiveWindow(window)  # Xvfb has no window manager to do it
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_H)
    assert action.isChecked() and window.scene_view.scene.by_health
    action.trigger()
    assert not window.scene_view.scene.by_health
