"""View menu: fly to the selection with F, camera presets per area, saved views."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QInputDialog

from tests.app.dialogs import answer_dialog


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")
def test_f_flies_to_the_selected_asset_and_stops(qtbot, make_live_app, demo_plant) -> None:
    live = make_live_app(demo_plant)
    live.window.show()
    qtbot.waitExposed(live.window)
    live.window.selection.select("R01")
    QApplication.setActiveWindow(live.window)  # Xvfb has no window manager to do it
    before = live.window.scene_view.camera_view()["focal_point"]
    qtbot.keyClick(live.window.scene_view.gl_widget, Qt.Key.Key_F)
    assert live.window.scene_view.flying
    qtbot.waitUntil(lambda: not live.window.scene_view.flying, timeout=5_000)
    after = live.window.scene_view.camera_view()["focal_point"]
    centre = live.window.scene_view.scene.asset_centre("R01")
    assert after != before
    assert max(abs(a - c) for a, c in zip(after, centre, strict=False)) < 1.0


def test_presets_list_every_area_and_saved_views_come_back(
    qtbot, make_live_app, demo_plant
) -> None:
    live = make_live_app(demo_plant)
    menus = {a.text().replace("&", ""): a.menu() for a in live.window.menuBar().actions()}
    presets = next(a.menu() for a in menus["View"].actions() if a.menu() and "presets" in a.text())
    assert [a.text() for a in presets.actions()] == [area.name for area in demo_plant.areas]
    saved = next(
        a.menu() for a in menus["View"].actions() if a.text().replace("&", "") == "Saved views"
    )
    live.window.scene_view.save_view("press line close-up")
    saved.aboutToShow.emit()  # what opening the menu does
    names = [a.text() for a in saved.actions() if isinstance(a, QAction)]
    assert names == ["press line close-up"]


def test_saved_views_outlive_the_window_and_go_into_packages(
    qtbot, make_live_app, demo_plant
) -> None:
    first = make_live_app(demo_plant)
    menus = {a.text().replace("&", ""): a.menu() for a in first.window.menuBar().actions()}
    save = next(
        a for a in menus["View"].actions() if a.text().replace("&", "") == "Save current view…"
    )

    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue("motor bay from the door")
        dialog.accept()

    answer_dialog(name_it)
    save.trigger()  # the name is asked in a dialog
    second = make_live_app(demo_plant)
    assert [v["name"] for v in second.window.scene_view.saved_views] == ["motor bay from the door"]
