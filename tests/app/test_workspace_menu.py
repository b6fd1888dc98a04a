"""View > Layouts: named layouts saved, switched to and deleted through the menu; reset to
the default layout; ``--no-workspace``; an import from another plant."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMainWindow, QMessageBox

from app.cli import parse_args
from app.compose.run import keep_workspace
from app.workspace.capture import capture, docks_of, splitters_of
from app.workspace.menu import QtLayoutsMenu
from app.workspace.model import to_dict
from app.workspace.store import WorkspaceStore
from tests.app.dialogs import answer_dialog
from tests.app.workspace_rig import choose_file, layouts_item, layouts_menu, open_window

__all__ = ["open_window"]  # fixture

PLANT = "Demo workshop"


def texts(window: QMainWindow) -> list[str]:
    return [a.text().replace("&", "") for a in layouts_menu(window).actions() if a.text()]


def type_name(name: str) -> Callable[[QInputDialog], None]:
    def answer(dialog: QInputDialog) -> None:
        dialog.setTextValue(name)
        dialog.accept()

    return answer


def test_the_layouts_menu_sits_in_the_view_menu(qtbot, open_window, tmp_path) -> None:
    live = open_window(WorkspaceStore(tmp_path))
    view = next(a.menu() for a in live.window.menuBar().actions() if a.text() == "&View")
    assert any(a.menu() is live.window.findChild(QtLayoutsMenu) for a in view.actions())
    assert texts(live.window) == [
        "Save layout as…",
        "(no saved layouts)",
        "Delete layout…",
        "Export layout…",
        "Import layout…",
        "Reset to default layout",
    ]
    assert not layouts_item(live.window, "Delete layout…").isEnabled()


def test_named_layouts_save_switch_and_delete(qtbot, open_window, tmp_path) -> None:
    store = WorkspaceStore(tmp_path)
    window = open_window(store).window
    values = docks_of(window)["dock_Values"]
    qtbot.keyClicks(window.tree.filter, "M0")
    values.toggleViewAction().trigger()  # closed in "Motors"
    answer_dialog(type_name("Motors"))
    layouts_item(window, "Save layout as…").trigger()
    window.tree.filter.clear()
    values.toggleViewAction().trigger()
    answer_dialog(type_name("Everything"))
    layouts_item(window, "Save layout as…").trigger()
    assert store.layouts(PLANT) == ["Everything", "Motors"]
    assert texts(window)[1:3] == ["Everything", "Motors"]
    asked: list[str] = []

    def keep_the_old_one(box: QMessageBox) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    answer_dialog(type_name("Motors"))
    answer_dialog(keep_the_old_one, QMessageBox)
    layouts_item(window, "Save layout as…").trigger()  # the name is taken: asked first
    assert asked == ["Replace the layout Motors?"]

    layouts_item(window, "Motors").trigger()
    assert window.tree.filter.text() == "M0" and values.isHidden()
    layouts_item(window, "Everything").trigger()
    assert window.tree.filter.text() == "" and not values.isHidden()

    answer_dialog(type_name("Motors"))  # the item picked in the list
    layouts_item(window, "Delete layout…").trigger()
    assert store.layouts(PLANT) == ["Everything"]
    assert "Motors" not in texts(window)


def test_reset_to_default_and_no_workspace_give_the_same_layout(
    qtbot, open_window, tmp_path
) -> None:
    store = WorkspaceStore(tmp_path)
    first = open_window(store)
    window = first.window
    docks_of(window)["dock_lines"].setFloating(True)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, docks_of(window)["dock_Values"])
    splitters_of(window)["split_views"].setSizes([200, 600])
    qtbot.keyClicks(window.tree.filter, "press")
    window.close()
    restored = open_window(store).window
    assert restored.tree.filter.text() == "press"
    plain = open_window(store, restore=False).window
    assert plain.tree.filter.text() == ""

    layouts_item(restored, "Reset to default layout").trigger()
    QApplication.processEvents()
    reset, default = capture(restored), capture(plain)
    assert reset.docks == default.docks
    assert reset.docks["dock_Values"].area == "right" and not reset.docks["dock_lines"].floating
    (top, bottom), (default_top, default_bottom) = (
        reset.splitters["split_views"],
        default.splitters["split_views"],
    )
    assert top / (top + bottom) == pytest.approx(
        default_top / (default_top + default_bottom), abs=0.05
    )
    assert (reset.tree_filter, reset.selected_asset) == ("", None)


def test_no_workspace_on_the_command_line_starts_with_the_default(
    qtbot, make_live_app, demo_plant, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # the default store's folder
    first = make_live_app(demo_plant)
    keep_workspace(first, parse_args([]))
    qtbot.keyClicks(first.window.tree.filter, "robot")
    first.window.close()
    assert (tmp_path / "TwinDeck" / "workspaces" / "demo_workshop" / "current.json").is_file()

    again = make_live_app(demo_plant)
    keep_workspace(again, parse_args(["--select", "M07"]))
    assert again.window.tree.filter.text() == "robot"
    assert again.window.selection.asset_id == "M07"  # the command line over the workspace
    fresh = make_live_app(demo_plant)
    keep_workspace(fresh, parse_args(["--no-workspace"]))
    assert fresh.window.tree.filter.text() == ""


def test_a_layout_of_another_plant_imports_what_applies(qtbot, open_window, tmp_path) -> None:
    store = WorkspaceStore(tmp_path)
    window = open_window(store).window
    theirs = to_dict(capture(window, "Line 2 wall"))
    theirs["plant"] = "Line 2"
    theirs["view"]["selected_asset"] = "L2-M01"
    theirs["view"]["tree_filter"] = "M0"
    theirs["window"]["docks"]["dock_their_panel"] = {"area": "left"}
    path = tmp_path / "line2.json"
    path.write_text(json.dumps(theirs), encoding="utf-8")
    reported: list[str] = []

    def read_report(box: QMessageBox) -> None:
        reported.append(box.text())
        box.accept()

    answer_dialog(choose_file(path), QFileDialog)
    answer_dialog(read_report, QMessageBox)
    layouts_item(window, "Import layout…").trigger()
    qtbot.waitUntil(lambda: bool(reported))
    assert window.tree.filter.text() == "M0"
    assert "view.selected_asset: no asset 'L2-M01' in Demo workshop" in reported[0]
    assert "window.docks.dock_their_panel: no such dock here" in reported[0]
    assert store.layouts(PLANT) == ["Line 2 wall"]


def test_an_import_that_is_no_layout_says_why(qtbot, open_window, tmp_path) -> None:
    window = open_window(WorkspaceStore(tmp_path)).window
    path = tmp_path / "notes.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    warned: list[str] = []

    def read_warning(box: QMessageBox) -> None:
        warned.append(box.text())
        box.accept()

    answer_dialog(choose_file(path), QFileDialog)
    answer_dialog(read_warning, QMessageBox)
    layouts_item(window, "Import layout…").trigger()
    qtbot.waitUntil(lambda: bool(warned))
    assert warned == [f"{path}: format: expected 'twindeck-workspace', got \"something else\""]
