"""The workspace restored per plant: a window arranged by hand comes back the same in a
new window; export and import on a clean profile; layouts off every screen; bad files."""

from __future__ import annotations

import json
import logging

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from app.alarms.model import Column
from app.compose.parts import Session
from app.workspace.capture import available_screens, capture, docks_of, splitters_of
from app.workspace.keeper import WorkspaceKeeper
from app.workspace.model import Rect, Workspace, dumps, to_dict
from app.workspace.store import WorkspaceStore
from tests.app.dialogs import answer_dialog, menu_action
from tests.app.workspace_rig import choose_file, layouts_item, open_window

__all__ = ["open_window"]  # fixture

Area = Qt.DockWidgetArea


def _click_tree_asset(qtbot, live: Session, asset_id: str) -> None:
    tree = live.window.tree
    item = tree.item_of(asset_id)
    assert item is not None
    rect = tree.tree.visualItemRect(item)
    qtbot.mouseClick(tree.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: live.window.selection.asset_id == asset_id)


def _arrange_by_hand(qtbot, live: Session) -> None:
    """Every piece of the workspace changed from its default, mostly by real events."""
    window = live.window
    window.setGeometry(60, 50, 1400, 900)
    qtbot.keyClicks(window.tree.filter, "M0")
    _click_tree_asset(qtbot, live, "M07")
    docks = docks_of(window)
    window.addDockWidget(Area.RightDockWidgetArea, docks["dock_Plant"])  # tree to the right
    window.tabifyDockWidget(docks["dock_Values"], docks["dock_Plant"])  # as a tab of Values
    docks["dock_lines"].setFloating(True)
    docks["dock_lines"].setGeometry(200, 150, 640, 300)
    docks["dock_advisories"].toggleViewAction().trigger()  # closed
    splitters_of(window)["split_views"].setSizes([300, 500])
    menu_action(window, "Plots: longer span").trigger()
    table = live.alarms.table
    qtbot.keyClick(table.state_combo, Qt.Key.Key_Down)  # "Unacknowledged"
    qtbot.keyClicks(table.search, "temp")
    header = table.view.horizontalHeader()
    x = header.sectionViewportPosition(Column.ASSET) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    view_menu = window.findChild(QMenu, "menu_view")
    assert view_menu is not None
    presets = next(a.menu() for a in view_menu.actions() if "presets" in a.text())
    assert isinstance(presets, QMenu)
    presets.actions()[1].trigger()  # fly to the second area
    qtbot.waitUntil(lambda: not window.scene_view.flying, timeout=5_000)
    QApplication.processEvents()


def _same(a: Workspace, b: Workspace) -> None:
    """Two windows show the same workspace (the state blob aside: it is checked through
    what it restores)."""
    assert (a.geometry, a.maximized, a.full_screen) == (b.geometry, b.maximized, b.full_screen)
    assert a.docks == b.docks
    assert a.splitters == b.splitters
    assert (a.selected_asset, a.tree_filter, a.plot, a.alarms) == (
        b.selected_asset,
        b.tree_filter,
        b.plot,
        b.alarms,
    )
    assert a.camera is not None and b.camera is not None
    for field in ("position", "focal_point", "view_up"):
        assert getattr(b.camera, field) == pytest.approx(getattr(a.camera, field), abs=1e-6)


def test_a_window_arranged_by_hand_comes_back_the_same(qtbot, open_window, tmp_path) -> None:
    store = WorkspaceStore(tmp_path)
    first = open_window(store)
    default = capture(first.window)
    _arrange_by_hand(qtbot, first)
    before = capture(first.window)
    assert before.docks["dock_Plant"].area == "right" and before.docks["dock_lines"].floating
    assert not before.docks["dock_advisories"].visible
    assert before.plot is not None and before.plot.span_s == 600
    assert before.plot.signals and all(s.startswith("M07.") for s in before.plot.signals)
    assert before.alarms is not None and before.alarms.sort_column == "ASSET"
    assert before.alarms.states is not None and "UNACK_ACTIVE" in before.alarms.states
    for piece in (
        "geometry",
        "docks",
        "splitters",
        "selected_asset",
        "tree_filter",
        "plot",
        "alarms",
    ):
        assert getattr(before, piece) != getattr(default, piece), piece
    first.window.close()  # saves
    assert store.current_path("Demo workshop").is_file()

    second = open_window(store)
    QApplication.processEvents()
    after = capture(second.window)
    _same(before, after)
    window = second.window
    assert window.tree.tree.selectedItems()[0].text(0) == window.plant.asset("M07").name
    hidden = [i for i in window.tree._items if i.isHidden()]
    assert hidden and all(
        "M0" not in f"{i.text(0)} {i.data(0, Qt.ItemDataRole.UserRole)}" for i in hidden
    )
    assert docks_of(window)["dock_lines"].isFloating()
    assert docks_of(window)["dock_advisories"].isHidden()
    assert set(window.plots.plotted) == set(before.plot.signals)


def test_export_then_import_on_a_clean_profile_gives_the_same(qtbot, open_window, tmp_path) -> None:
    first = open_window(WorkspaceStore(tmp_path / "mine"))
    _arrange_by_hand(qtbot, first)
    before = capture(first.window)
    exported = tmp_path / "control room.json"
    answer_dialog(choose_file(exported), QFileDialog)
    layouts_item(first.window, "Export layout…").trigger()
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["plant"]) == (
        "twindeck-workspace",
        1,
        "Demo workshop",
    )

    clean = WorkspaceStore(tmp_path / "clean")
    second = open_window(clean)
    assert capture(second.window).docks != before.docks
    answer_dialog(choose_file(exported), QFileDialog)
    layouts_item(second.window, "Import layout…").trigger()
    QApplication.processEvents()
    _same(before, capture(second.window))
    assert QApplication.activeModalWidget() is None  # nothing skipped to report
    assert clean.layouts("Demo workshop") == ["control room"]


def test_a_layout_for_a_screen_that_is_gone_opens_on_the_screen(
    qtbot, open_window, tmp_path
) -> None:
    store = WorkspaceStore(tmp_path)
    first = open_window(store)
    docks_of(first.window)["dock_lines"].setFloating(True)
    saved = to_dict(capture(first.window))
    first.window.close()
    # Saved beside a second screen that is not there now: right of it, and left of it.
    saved["window"]["geometry"] = {"x": 4000, "y": 100, "width": 1200, "height": 800}
    saved["window"]["docks"]["dock_lines"]["geometry"] = {
        "x": -2500,
        "y": 300,
        "width": 500,
        "height": 250,
    }
    store.current_path("Demo workshop").write_text(json.dumps(saved), encoding="utf-8")

    second = open_window(store)
    screen = available_screens()[0]
    window_rect = second.window.geometry()
    dock = docks_of(second.window)["dock_lines"]
    assert dock.isFloating()
    assert screen.contains(window_rect), (window_rect, screen)
    assert window_rect.size().toTuple() == (1200, 800)
    assert screen.contains(dock.geometry()), (dock.geometry(), screen)
    assert dock.geometry().size().toTuple() == (500, 250)


def test_a_corrupt_workspace_is_ignored_with_a_warning(
    qtbot, open_window, tmp_path, caplog
) -> None:
    store = WorkspaceStore(tmp_path)
    path = store.current_path("Demo workshop")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00\x01 not a workspace {")
    with caplog.at_level(logging.WARNING, logger="twindeck.workspace"):
        live = open_window(store)
    assert f"workspace ignored: {path}" in caplog.text
    assert live.window.isVisible() and live.window.selection.asset_id is None
    assert QApplication.activeModalWidget() is None  # no error dialog


def test_what_no_longer_applies_is_skipped_piece_by_piece(
    qtbot, open_window, tmp_path, caplog
) -> None:
    store = WorkspaceStore(tmp_path)
    ws = Workspace(plant="Demo workshop", tree_filter="P0", selected_asset="M99")
    data = to_dict(ws)
    data["view"]["plot"] = {"span_s": 30, "signals": ["M99.temp", "P01.ram_position"]}
    data["view"]["camera"] = {"position": "here"}
    data["window"]["splitters"] = {"split_views": [1, 2, 3]}
    store.current_path("Demo workshop").parent.mkdir(parents=True)
    store.current_path("Demo workshop").write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="twindeck.workspace"):
        live = open_window(store)
    window = live.window
    assert window.tree.filter.text() == "P0"
    assert window.plots.span_s == 30
    assert window.plots.asset_id == "P01"  # the saved signals still in the plant
    for message in (
        "view.camera.position: expected three numbers",
        "view.selected_asset: no asset 'M99' in Demo workshop",
        "view.plot.signals: no longer in Demo workshop: M99.temp",
        "window.splitters.split_views: 3 sizes for 2 panes",
    ):
        assert message in caplog.text


def test_the_workspace_is_saved_when_the_window_closes(qtbot, open_window, tmp_path) -> None:
    store = WorkspaceStore(tmp_path)
    live = open_window(store, restore=False)
    qtbot.keyClicks(live.window.tree.filter, "robot")
    live.window.close()
    saved = json.loads(store.current_path("Demo workshop").read_text(encoding="utf-8"))
    assert saved["view"]["tree_filter"] == "robot"


def test_the_workspace_is_saved_every_few_minutes_while_open(
    qtbot, make_live_app, demo_plant, tmp_path
) -> None:
    store = WorkspaceStore(tmp_path)
    live = make_live_app(demo_plant)
    keeper = WorkspaceKeeper(live.window, store, autosave_ms=50)  # minutes, in the app
    keeper.start()
    live.window.show()
    qtbot.keyClicks(live.window.tree.filter, "loom")
    path = store.current_path("Demo workshop")

    def saved_filter() -> str | None:
        loaded = store.load_current("Demo workshop") if path.exists() else None
        return loaded.workspace.tree_filter if loaded else None

    qtbot.waitUntil(lambda: saved_filter() == "loom", timeout=3_000)
    assert live.window.isVisible()  # saved while open, not on close


def test_a_dock_the_layout_does_not_know_keeps_its_place(qtbot, open_window, tmp_path) -> None:
    """A layout from a window without the Lines panel leaves this window's where it is."""
    first = open_window(WorkspaceStore(tmp_path / "a"))
    lines = docks_of(first.window)["dock_lines"]
    first.window.removeDockWidget(lines)
    ws = capture(first.window)
    assert "dock_lines" not in ws.docks or not ws.docks["dock_lines"].visible
    path = tmp_path / "without lines.json"
    path.write_text(dumps(ws), encoding="utf-8")
    second = open_window(WorkspaceStore(tmp_path / "b"))
    keeper = second.window.findChild(WorkspaceKeeper)
    assert keeper is not None
    assert keeper.import_layout(path)[0] == "without lines"
    QApplication.processEvents()
    assert docks_of(second.window)["dock_lines"].isVisible()


def test_without_its_state_blob_a_layout_places_docks_from_their_description(
    qtbot, open_window, tmp_path
) -> None:
    """A hand-written layout (or a blob another Qt refuses): areas, tabs, floating, shown."""
    live = open_window(WorkspaceStore(tmp_path))
    data = to_dict(capture(live.window))
    data["window"]["state"] = "bm90IGEgc3RhdGU="  # base64 of something Qt does not take
    docks = data["window"]["docks"]
    docks["dock_Plant"] = {"area": "right", "tabbed_with": ["dock_Values"]}
    docks["dock_Values"] = {"area": "right", "tabbed_with": ["dock_Plant"]}
    docks["dock_lines"] = {
        "area": "bottom",
        "floating": True,
        "geometry": {"x": 300, "y": 200, "width": 500, "height": 260},
    }
    docks["dock_advisories"] = {"area": "bottom", "visible": False}
    path = tmp_path / "by hand.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    keeper = live.window.findChild(WorkspaceKeeper)
    assert keeper is not None
    name, problems = keeper.import_layout(path)
    QApplication.processEvents()
    assert name == "by hand"  # no name in the file: the file's
    assert problems == [
        "window.state: not a window state this version takes; docks placed from window.docks"
    ]
    after = capture(live.window)
    assert after.docks["dock_Plant"].area == "right"
    assert after.docks["dock_Plant"].tabbed_with == ("dock_Values",)
    assert after.docks["dock_lines"].floating
    assert after.docks["dock_lines"].geometry == Rect(300, 200, 500, 260)
    assert not after.docks["dock_advisories"].visible


def test_a_maximized_window_comes_back_maximized_over_its_normal_place(
    qtbot, open_window, tmp_path
) -> None:
    store = WorkspaceStore(tmp_path)
    first = open_window(store)
    first.window.setGeometry(120, 80, 1300, 860)
    QApplication.processEvents()
    first.window.setWindowState(Qt.WindowState.WindowMaximized)
    qtbot.waitUntil(first.window.isMaximized)
    saved = capture(first.window)
    assert saved.maximized and saved.geometry == Rect(120, 80, 1300, 860)
    first.window.close()
    second = open_window(store)
    assert second.window.isMaximized()
    second.window.setWindowState(Qt.WindowState.WindowNoState)
    qtbot.waitUntil(lambda: not second.window.isMaximized())
    assert second.window.normalGeometry() == QRect(120, 80, 1300, 860)
