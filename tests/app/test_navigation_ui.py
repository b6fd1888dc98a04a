"""The display hierarchy in the window: the breadcrumb, Back/Forward (Alt+Left/Right) and
every way of going somewhere (tree, values table, 3D clicks on assets and area names, the
alarm list's "show asset") pushing onto the history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from app.navigation.history import Level, Place
from app.scene.floor import area_label_anchors
from tests.app.test_main_window import _motor_screen_pos

MOTOR = "M07"
AREA = "motor_bay"

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")


@pytest.fixture
def window(qtbot, make_live_app, demo_plant):
    live = make_live_app(demo_plant, after_s=5)
    live.window.show()
    qtbot.waitExposed(live.window)
    QApplication.setActiveWindow(live.window)  # Xvfb has no window manager to do it
    live.scheduler.tick()
    return live.window


def _crumbs(window) -> list[str]:
    parts = window.navigator.bar.parts[::2]  # every other part is a separator
    return [p.text().replace("<b>", "").replace("</b>", "") for p in parts]


def _click_tree(qtbot, window, text: str) -> None:
    tree = window.tree.tree
    item = next(
        i for i in tree.findItems(text, Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
    )
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _alt(qtbot, window, key: Qt.Key) -> None:
    qtbot.keyClick(window.scene_view.gl_widget, key, Qt.KeyboardModifier.AltModifier)


def _focal(window) -> list[float]:
    focal = window.scene_view.camera_view()["focal_point"]
    assert isinstance(focal, list)
    return focal


def test_tree_values_and_keys_walk_the_hierarchy_back_and_forth(qtbot, window) -> None:
    plant = window.plant
    area, motor = plant.areas[0], plant.asset(MOTOR)
    signal = motor.signals[1]
    assert _crumbs(window) == [plant.name]

    _click_tree(qtbot, window, area.name)
    assert _crumbs(window) == [plant.name, area.name]
    assert window.selection.asset_id is None
    _click_tree(qtbot, window, motor.name)
    assert window.selection.asset_id == MOTOR
    assert _crumbs(window) == [plant.name, area.name, motor.name]
    window.scene_view.fly_to(MOTOR, duration_ms=1)  # the operator frames the motor ("F")
    qtbot.waitUntil(lambda: not window.scene_view.flying, timeout=5_000)
    at_motor = _focal(window)
    rect = window.values.visualItemRect(window.values.item(1, 0))
    qtbot.mouseClick(window.values.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert _crumbs(window) == [plant.name, area.name, motor.name, signal.name]
    assert window.navigator.place == Place(AREA, MOTOR, signal.id)
    window.scene_view.reset_camera()  # looking elsewhere before going back

    _alt(qtbot, window, Qt.Key.Key_Left)
    assert window.navigator.place == Place(AREA, MOTOR)
    assert _crumbs(window) == [plant.name, area.name, motor.name]
    _alt(qtbot, window, Qt.Key.Key_Left)
    assert window.selection.asset_id is None
    assert _crumbs(window) == [plant.name, area.name]
    _alt(qtbot, window, Qt.Key.Key_Right)
    assert window.selection.asset_id == MOTOR
    assert _crumbs(window) == [plant.name, area.name, motor.name]
    # The camera comes back to what was seen there, not to where it was last put.
    qtbot.waitUntil(lambda: not window.scene_view.flying, timeout=5_000)
    assert _focal(window) == pytest.approx(at_motor, abs=1e-6)
    assert window.navigator.forward_action.isEnabled()
    assert window.plots.asset_id == MOTOR  # every view follows the selection


def test_the_signal_detail_scrolls_its_trend_into_view(qtbot, window) -> None:
    window.resize(1600, 900)  # the strips do not all fit: the plots scroll
    _click_tree(qtbot, window, window.plant.asset(MOTOR).name)
    scroll = window.plots.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0, timeout=5_000)
    assert scroll.value() == 0
    last = window.values.rowCount() - 1
    rect = window.values.visualItemRect(window.values.item(last, 0))
    qtbot.mouseClick(window.values.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.navigator.place.signal == window.plant.asset(MOTOR).signals[last].id
    plot = window.plots.graphics.getItem(last, 0)
    strip = plot.mapRectToScene(plot.boundingRect())
    shown = window.plots.scroll_area.viewport().height()
    assert scroll.value() > 0
    assert scroll.value() <= strip.center().y() <= scroll.value() + shown  # its trend in view
    _alt(qtbot, window, Qt.Key.Key_Left)
    window.navigator.forward()
    assert window.values.currentRow() == last


def test_a_breadcrumb_click_goes_up_and_drops_the_places_ahead(qtbot, window) -> None:
    plant = window.plant
    window.selection.select(MOTOR)
    window.navigator.go(Place(AREA, MOTOR, plant.asset(MOTOR).signals[1].id))
    _alt(qtbot, window, Qt.Key.Key_Up)  # up one level: the signal's asset
    assert window.navigator.place == Place(AREA, MOTOR)
    window.navigator.go(Place(AREA, MOTOR, plant.asset(MOTOR).signals[0].id))
    crumb = window.navigator.bar.crumb(Level.AREA)
    assert isinstance(crumb, QToolButton)
    assert isinstance(window.navigator.bar.crumb(Level.SIGNAL), QLabel)  # here: not a link
    qtbot.mouseClick(crumb, Qt.MouseButton.LeftButton)
    assert window.navigator.place == Place(AREA)
    assert window.selection.asset_id is None
    assert _crumbs(window) == [plant.name, plant.areas[0].name]
    assert window.scene_view.flying  # to the area
    assert not window.navigator.forward_action.isEnabled()
    qtbot.mouseClick(window.navigator.bar.crumb(Level.PLANT), Qt.MouseButton.LeftButton)
    assert window.navigator.place == Place()
    assert not window.navigator.up_action.isEnabled()
    _alt(qtbot, window, Qt.Key.Key_Left)
    assert window.navigator.place == Place(AREA)


def test_clicks_in_the_3d_view_and_the_alarm_list_are_places_too(qtbot, window) -> None:
    view = window.scene_view
    x, y = _motor_screen_pos(type("Live", (), {"window": window}))
    qtbot.mouseClick(view.gl_widget, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert window.navigator.place == Place(AREA, MOTOR)

    area, anchor = next((a, p) for a, p in area_label_anchors(window.plant) if a.id != AREA)
    qtbot.mouseClick(
        view.gl_widget, Qt.MouseButton.LeftButton, pos=QPoint(*view.display_position(anchor))
    )
    assert window.navigator.place == Place(area.id)
    assert window.selection.asset_id is None

    other = window.plant.assets_in(area.id)[0]
    window.show_alarm_asset(other.id)  # what a click in the alarm list does
    assert window.navigator.place == Place(area.id, other.id)
    _alt(qtbot, window, Qt.Key.Key_Left)
    assert window.navigator.place == Place(area.id)
    _alt(qtbot, window, Qt.Key.Key_Left)
    assert window.navigator.place == Place(AREA, MOTOR)
    assert window.selection.asset_id == MOTOR


def test_back_and_forward_are_in_the_view_menu(window) -> None:
    from tests.app.dialogs import menu_action

    back = menu_action(window, "Back")
    assert back.shortcut().toString() == "Alt+Left"
    assert menu_action(window, "Forward").shortcut().toString() == "Alt+Right"
