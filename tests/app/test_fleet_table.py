"""The Fleet health panel: worst first, filters by area and cause, sparklines, and a click
that selects the asset in the tree and the 3D view."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from app.fleet.model import AREA, ASSET, CAUSE, HEALTH, LIMIT, STATUS, TREND
from app.fleet.panel import QtFleetPanel
from app.fleet.text import time_to_limit_words
from app.frame.builder import Frame
from app.theme import PLOT_PENS
from tests.app.fleet_data import Sick, fleet_health
from twin.condition.series import SnapshotSeries
from twin.condition.snapshot import Ne107
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

T0 = 1_800_000_000 * NS_PER_S
SICK = {
    "L03": Sick(55, Ne107.MAINTENANCE_REQUIRED, "cooling", 30 * 3600, "cooling fouled"),
    "M07": Sick(12, Ne107.FAILURE, "bearing", 2 * 3600, "bearing wear, outer race", "zone D"),
    "M11": Sick(40, Ne107.OUT_OF_SPECIFICATION, "overload", 6 * 3600, "overloaded"),
    "P01": Sick(35, Ne107.OUT_OF_SPECIFICATION, "bearing", 9 * 3600, "bearing noise"),
}


def _frame(plant: Plant, health: object, t_ns: int = T0) -> Frame:
    n = len(plant.assets)
    empty = np.zeros(0)
    return Frame(t_ns, None, empty, empty, empty, np.zeros(n, np.int8), health=health)  # type: ignore[arg-type]


def _column(panel: QtFleetPanel, column: int) -> list[str]:
    model = panel.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _panel(qtbot, plant: Plant, series: SnapshotSeries) -> QtFleetPanel:
    panel = QtFleetPanel(plant, series)
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_assets_are_ranked_worst_first_with_status_cause_and_time_to_limit(
    qtbot, demo_plant
) -> None:
    ids = [a.id for a in demo_plant.assets]
    health = fleet_health(ids, T0, SICK)
    panel = _panel(qtbot, demo_plant, SnapshotSeries([health]))
    panel.update_frame(_frame(demo_plant, health))
    assert panel.model.rowCount() == len(ids)
    # Failure first, then out of specification (the lower health first), then maintenance.
    assert _column(panel, ASSET)[:4] == ["M07", "P01", "M11", "L03"]
    top = [panel.model.index(0, c).data() for c in (AREA, HEALTH, STATUS, CAUSE, LIMIT)]
    assert top == ["Motor bay", "12", "failure", "bearing wear, outer race", "~2 h"]
    assert _column(panel, LIMIT)[4] == "—"  # healthy: no limit in sight
    assert panel.model.index(0, CAUSE).data(Qt.ItemDataRole.ToolTipRole) == "zone D"
    healthy = [float(h) for h in _column(panel, HEALTH)[4:]]
    assert healthy == sorted(healthy)
    assert panel.count.text() == f"{len(ids)} of {len(ids)} assets"


def test_filters_by_area_and_by_cause(qtbot, demo_plant) -> None:
    health = fleet_health([a.id for a in demo_plant.assets], T0, SICK)
    panel = _panel(qtbot, demo_plant, SnapshotSeries([health]))
    panel.update_frame(_frame(demo_plant, health))
    panel.cause_filter.setCurrentIndex(panel.cause_filter.findText("bearing"))
    assert _column(panel, ASSET) == ["M07", "P01"]
    press = [a.id for a in demo_plant.areas].index("press_line")
    panel.area_filter.setCurrentIndex(panel.area_filter.findData(press))
    assert panel.area_filter.currentText() == "Door-panel press line"
    assert _column(panel, ASSET) == ["P01"]
    panel.cause_filter.setCurrentIndex(0)  # all causes, press line only
    press_line = [a.id for a in demo_plant.assets if a.area_id == "press_line"]
    assert sorted(_column(panel, ASSET)) == sorted(press_line)
    assert _column(panel, ASSET)[0] == "P01"
    assert panel.count.text() == f"{len(press_line)} of {len(demo_plant.assets)} assets"


def test_the_rows_change_only_with_a_snapshot_of_another_time(qtbot, demo_plant) -> None:
    ids = [a.id for a in demo_plant.assets]
    first = fleet_health(ids, T0, SICK)
    panel = _panel(qtbot, demo_plant, SnapshotSeries([first]))
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    panel.update_frame(_frame(demo_plant, first))
    panel.update_frame(_frame(demo_plant, replace(first, summary=first.summary)))  # same t
    assert len(resets) == 1
    later = fleet_health(ids, T0 + NS_PER_S, {"M02": Sick(5, Ne107.FAILURE, "supply")})
    panel.update_frame(_frame(demo_plant, later))
    assert len(resets) == 2
    assert _column(panel, ASSET)[0] == "M02"


def test_the_trend_column_draws_each_assets_health_history(qtbot, demo_plant) -> None:
    ids = [a.id for a in demo_plant.assets]
    hours = range(0, 12)
    snapshots = [
        fleet_health(
            ids, T0 + h * 3600 * NS_PER_S, {"M07": Sick(90 - 7 * h, Ne107.FAILURE, "bearing")}
        )
        for h in hours
    ]
    panel = _panel(qtbot, demo_plant, SnapshotSeries(snapshots))
    panel.update_frame(_frame(demo_plant, snapshots[-1]))
    _, health = panel.model.trend(0)
    assert panel.model.asset_at(0) == "M07"
    assert health.tolist() == [90 - 7 * h for h in hours]
    rect = panel.table.visualRect(panel.model.index(0, TREND))
    pixels = panel.table.viewport().grab(rect).toImage()
    pen = tuple(int(PLOT_PENS[0][i : i + 2], 16) for i in (1, 3, 5))

    def near_pen(x: int, y: int) -> bool:
        c = pixels.pixelColor(x, y)
        return abs(c.red() - pen[0]) + abs(c.green() - pen[1]) + abs(c.blue() - pen[2]) < 60

    drawn = [
        (x, y) for x in range(pixels.width()) for y in range(pixels.height()) if near_pen(x, y)
    ]
    assert len(drawn) > 10
    # Falling health: the line starts high on the left and ends low on the right.
    left = min(drawn)
    right = max(drawn)
    assert left[1] < right[1]


def test_time_to_limit_in_words() -> None:
    assert time_to_limit_words(6 * 3600) == "~6 h"
    assert time_to_limit_words(6.4 * 3600) == "~6.4 h"
    assert time_to_limit_words(30 * 3600) == "~30 h"
    assert time_to_limit_words(90 * 60) == "~1.5 h"
    assert time_to_limit_words(40 * 60) == "~40 min"
    assert time_to_limit_words(3 * 86400) == "~3 d"
    assert time_to_limit_words(30) == "~30 s"
    assert time_to_limit_words(0) == "now"
    assert time_to_limit_words(float("inf")) == ""


def test_clicking_a_row_selects_the_asset_in_the_tree_the_3d_view_and_the_map(
    qtbot, demo_plant, make_live_app
) -> None:
    ids = [a.id for a in demo_plant.assets]
    live = make_live_app(
        demo_plant, after_s=3.0, health=SnapshotSeries([fleet_health(ids, 0, SICK)])
    )
    window = live.window
    window.show()
    qtbot.waitExposed(window)
    live.scheduler.tick()
    panel = window.panels["fleet"]
    assert isinstance(panel, QtFleetPanel)
    assert window.findChild(QDockWidget, "dock_fleet") is not None
    row = _column(panel, ASSET).index("M11")
    panel.table.scrollTo(panel.model.index(row, 0))
    where = panel.table.visualRect(panel.model.index(row, CAUSE)).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.selection.asset_id == "M11"
    assert [i.data(0, Qt.ItemDataRole.UserRole) for i in window.tree.tree.selectedItems()] == [
        "M11"
    ]
    assert window.scene_view.scene.selection.asset_id == "M11"
    assert window.plots.asset_id == "M11"
    # And the other way: a selection made elsewhere shows in the table.
    window.selection.select("P01")
    assert panel.table.selectionModel().selectedRows()[0].row() == _column(panel, ASSET).index(
        "P01"
    )


def test_no_fleet_views_for_a_plant_with_nothing_to_monitor(qtbot, make_live_app) -> None:
    from tests.plants import asset, build_plant

    presses = build_plant(asset("P01", "press", {"key": "force", "rate_hz": 10, "normal": [0, 1]}))
    live = make_live_app(presses, after_s=2.0)
    assert live.health is None
    assert "fleet" not in live.window.panels and "fleet_map" not in live.window.panels
    assert not live.window.colour_by_health.isEnabled()


def test_a_live_plant_of_motors_is_monitored_and_shows_its_fleet_views(
    qtbot, demo_plant, make_live_app
) -> None:
    live = make_live_app(demo_plant, after_s=2.0)
    assert live.health is not None
    assert "fleet" in live.window.panels and "fleet_map" in live.window.panels
    assert live.window.colour_by_health.isEnabled()


def test_trends_are_read_again_once_the_cursor_moved_about_a_pixel(qtbot, demo_plant) -> None:
    ids = [a.id for a in demo_plant.assets]
    sick = {"M07": Sick(40, Ne107.FAILURE, "bearing")}
    snapshots = [fleet_health(ids, T0 + s * NS_PER_S, sick) for s in (0, 1, 2, 3600)]
    series = SnapshotSeries(snapshots)
    panel = _panel(qtbot, demo_plant, series)
    panel.update_frame(_frame(demo_plant, snapshots[0]))
    assert len(panel.model.trend(0)[0]) == 1
    panel.update_frame(_frame(demo_plant, snapshots[2]))  # 2 s on: the same pixel
    assert len(panel.model.trend(0)[0]) == 1
    panel.update_frame(_frame(demo_plant, snapshots[3]))  # an hour on: read again
    assert panel.model.trend(0)[0].tolist() == [s.t_ns for s in snapshots]
    panel.update_frame(_frame(demo_plant, snapshots[1]))  # back: read again
    assert panel.model.trend(0)[0].tolist() == [s.t_ns for s in snapshots[:2]]
