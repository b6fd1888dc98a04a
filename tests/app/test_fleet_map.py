"""The fleet map: tiles by area coloured by health, hover text, click to select, drawn
again only when the health changes; 10,000 tiles readable in a docked half screen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from app.fleet.map import QtFleetMap
from app.fleet.panel import QtFleetPanel
from app.fleet.tiles import plan_tiles
from app.frame.builder import Frame
from app.theme import health_rgb
from tests.app.fleet_data import Sick, fleet_health
from twin.condition.series import SnapshotSeries
from twin.condition.snapshot import Ne107
from twin.plant.model import Area, Asset, Plant
from twin.timebase import NS_PER_S

T0 = 1_800_000_000 * NS_PER_S
SICK = {"M07": Sick(8, Ne107.FAILURE, "bearing", 3 * 3600, "bearing wear, outer race")}


def _frame(plant: Plant, health: object) -> Frame:
    empty = np.zeros(0)
    states = np.zeros(len(plant.assets), np.int8)
    return Frame(T0, None, empty, empty, empty, states, health=health)  # type: ignore[arg-type]


def _map(qtbot, plant: Plant, size: tuple[int, int] = (600, 400)) -> QtFleetMap:
    view = QtFleetMap(plant)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


def _pixel(view: QtFleetMap, point: QPoint) -> tuple[int, int, int]:
    colour = view.grab().toImage().pixelColor(point)
    return (colour.red(), colour.green(), colour.blue())


def _rgb(health: float) -> tuple[int, int, int]:
    r, g, b = health_rgb(np.array([health]))[0]
    return (int(r), int(g), int(b))


def test_tiles_are_coloured_by_health(qtbot, demo_plant) -> None:
    view = _map(qtbot, demo_plant)
    health = fleet_health([a.id for a in demo_plant.assets], T0, SICK)
    view.update_frame(_frame(demo_plant, health))
    assert _pixel(view, view.tile_rect("M07").center()) == _rgb(8)
    m02 = health.health[health.row_of("M02")]
    assert _pixel(view, view.tile_rect("M02").center()) == _rgb(float(m02))
    assert _rgb(8) != _rgb(float(m02))


def test_hover_tells_the_asset_and_its_cause(qtbot, demo_plant) -> None:
    view = _map(qtbot, demo_plant)
    view.update_frame(_frame(demo_plant, fleet_health([a.id for a in demo_plant.assets], T0, SICK)))
    at = view.tile_rect("M07").center()
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, at, view.mapToGlobal(at)))
    qtbot.waitUntil(QToolTip.isVisible)
    text = QToolTip.text()
    assert demo_plant.asset("M07").name in text and "(M07)" in text
    assert "bearing wear, outer race" in text and "failure" in text and "~3 h" in text
    QToolTip.hideText()


def test_a_steady_fleet_is_not_drawn_again(qtbot, demo_plant) -> None:
    view = _map(qtbot, demo_plant)
    health = fleet_health([a.id for a in demo_plant.assets], T0, SICK)
    view.update_frame(_frame(demo_plant, health))
    view.repaint()
    built = view.renders
    for _ in range(3):
        view.update_frame(_frame(demo_plant, health))
        view.repaint()
    assert view.renders == built


def test_clicking_a_tile_selects_the_asset_everywhere(qtbot, demo_plant, make_live_app) -> None:
    ids = [a.id for a in demo_plant.assets]
    live = make_live_app(
        demo_plant, after_s=3.0, health=SnapshotSeries([fleet_health(ids, 0, SICK)])
    )
    window = live.window
    window.show()
    qtbot.waitExposed(window)
    live.scheduler.tick()
    view = window.panels["fleet_map"]
    assert isinstance(view, QtFleetMap)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.tile_rect("M07").center())
    assert window.selection.asset_id == "M07"
    assert [i.data(0, Qt.ItemDataRole.UserRole) for i in window.tree.tree.selectedItems()] == [
        "M07"
    ]
    assert window.scene_view.scene.selection.asset_id == "M07"
    table = window.panels["fleet"]
    assert isinstance(table, QtFleetPanel)
    assert table.model.asset_at(table.table.selectionModel().selectedRows()[0].row()) == "M07"


def _big_plant(halls: int = 10, per_hall: int = 1000) -> Plant:
    areas = tuple(Area(f"hall{h}", f"Hall {h + 1}") for h in range(halls))
    assets = tuple(
        Asset(f"M{h}{k:04d}", f"Motor {h}-{k}", "motor", f"hall{h}", (0.0, 0.0, 0.0), 0.0, ())
        for h in range(halls)
        for k in range(per_hall)
    )
    return Plant("big", "/nonexistent/big.toml", areas, assets)


@pytest.mark.parametrize("size", [(900, 900), (640, 1000), (1920, 500)])
def test_ten_thousand_tiles_fit_in_blocks_that_do_not_overlap(size: tuple[int, int]) -> None:
    width, height = size
    layout = plan_tiles([1000] * 10, width, height, label_h=16)
    assert layout.tile >= 4  # a sick motor's colour is still a visible square
    boxes = []
    for b in layout.blocks:
        rows = -(-b.count // b.columns)
        right, bottom = b.x + b.columns * layout.pitch, b.y + layout.label_h + rows * layout.pitch
        assert right <= width and bottom <= height
        boxes.append((b.x, b.y, right, bottom))
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        for u0, v0, u1, v1 in boxes[i + 1 :]:
            assert x1 <= u0 or u1 <= x0 or y1 <= v0 or v1 <= y0, "blocks overlap"
    assert layout.hit(*layout.origin(3, 999)) == (3, 999)
    assert layout.hit(layout.origin(0, 0)[0] + layout.tile, layout.origin(0, 0)[1]) is None


def test_ten_thousand_tiles_hit_the_right_asset(qtbot) -> None:
    plant = _big_plant()
    view = _map(qtbot, plant, (900, 900))
    ids = [a.id for a in plant.assets]
    view.update_frame(
        _frame(plant, fleet_health(ids, T0, {"M70421": Sick(3, Ne107.FAILURE, "supply")}))
    )
    at = view.tile_rect("M70421").center()
    assert view.asset_at(at) == ids.index("M70421")
    assert _pixel(view, at) == _rgb(3)
