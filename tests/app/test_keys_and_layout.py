"""Keys and layout an operator meets in the first minutes: focus at start, quitting a
recording session, the plot span keys, the menus and docks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QInputDialog, QMessageBox

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from db.write.recorder import Recorder
from tests.app.dialogs import answer_dialog
from tests.app.incident import MOTOR
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, FaultKind
from twin.timebase import NS_PER_S, now_ns


def _recording_session(qtbot, plant, tmp_path, faults=()):
    end = now_ns()
    runtime = PlantRuntime.simulated(plant, end - 60 * NS_PER_S, faults)
    recorder = Recorder.open(tmp_path / "h.twinhist", runtime.store.groups, plant)
    session = compose_live(
        plant, runtime, PlaybackClock(wall=lambda: end), recording=RecordingStatus(recorder)
    )
    qtbot.addWidget(session.window)
    _show_active(qtbot, session.window)
    runtime.fast_forward(end)
    session.scheduler.tick()
    return session


def _show_active(qtbot, window) -> None:
    """Shown and active, as a window the operator works in: shortcuts reach it."""
    window.show()
    qtbot.waitExposed(window)
    QApplication.setActiveWindow(window)  # Xvfb has no window manager to do it


def _menu_titles(window) -> list[str]:
    return [a.text().replace("&", "") for a in window.menuBar().actions()]


pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")


def test_b_at_start_asks_for_a_bookmark_and_types_nothing_into_the_filter(
    qtbot, demo_plant, tmp_path
) -> None:
    session = _recording_session(qtbot, demo_plant, tmp_path)
    try:
        window = session.window
        assert QApplication.focusWidget() is not window.tree.filter
        asked: list[str] = []

        def cancel(dialog: QInputDialog) -> None:
            asked.append(dialog.windowTitle())
            dialog.reject()

        answer_dialog(cancel, QInputDialog)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_B)
        qtbot.waitUntil(lambda: bool(asked))
        assert window.tree.filter.text() == ""
    finally:
        session.stop()


def test_ctrl_q_with_standing_alarms_asks_first(qtbot, demo_plant, tmp_path) -> None:
    faults = (Fault(MOTOR, FaultKind.OVERLOAD, 20.0),)
    session = _recording_session(qtbot, demo_plant, tmp_path, faults)
    window = session.window
    try:
        questions: list[str] = []

        def answer(button: QMessageBox.StandardButton):
            def click(box: QMessageBox) -> None:
                questions.append(box.text())
                box.button(button).click()

            return click

        answer_dialog(answer(QMessageBox.StandardButton.No), QMessageBox)
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        assert window.isVisible()
        assert "Recording into" in questions[0] and "alarm(s) are standing" in questions[0]
        answer_dialog(answer(QMessageBox.StandardButton.Yes), QMessageBox)
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        assert not window.isVisible() and len(questions) == 2
    finally:
        session.stop()


def test_ctrl_equals_shortens_the_plot_span(qtbot, demo_plant, make_live_app) -> None:
    live = make_live_app(demo_plant)
    window = live.window
    _show_active(qtbot, window)
    window.selection.select(MOTOR)
    before = window.plots.span_s
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.plots.span_s < before


def test_alarms_menu_sits_before_tools_and_help_and_a_closed_dock_comes_back(
    qtbot, demo_plant, make_live_app
) -> None:
    live = make_live_app(demo_plant)
    window = live.window
    window.show()
    qtbot.waitExposed(window)
    titles = _menu_titles(window)
    assert titles.index("Alarms") < titles.index("Tools") < titles.index("Help")
    dock = window.findChild(QDockWidget, "dock_alarms")
    assert dock is not None and dock.isVisible()
    dock.close()  # its x
    assert not dock.isVisible()
    view_menu = window.menuBar().actions()[titles.index("View")].menu()
    toggle = next(a for a in view_menu.actions() if a.text() == "Alarms")
    toggle.trigger()
    assert dock.isVisible()


def test_asset_names_and_kinds_are_not_cut_in_the_tree(qtbot, demo_plant, make_live_app) -> None:
    live = make_live_app(demo_plant)
    tree = live.window.tree.tree
    live.window.show()
    qtbot.waitExposed(live.window)
    metrics = tree.fontMetrics()
    longest = max((a.name for a in demo_plant.assets), key=metrics.horizontalAdvance)
    item = live.window.tree.item_of(next(a.id for a in demo_plant.assets if a.name == longest))
    assert item is not None
    text_rect = tree.visualItemRect(item)
    assert text_rect.width() >= metrics.horizontalAdvance(longest)
    assert tree.columnWidth(0) + tree.header().offset() <= tree.viewport().width() + 1 or (
        tree.horizontalScrollBar().maximum() == 0
    )
    widest_kind = max({a.kind for a in demo_plant.assets}, key=metrics.horizontalAdvance)
    assert tree.columnWidth(1) >= metrics.horizontalAdvance(widest_kind)


def test_clicking_an_area_in_the_tree_flies_the_3d_view_there(
    qtbot, demo_plant, make_live_app
) -> None:
    live = make_live_app(demo_plant)
    window = live.window
    _show_active(qtbot, window)
    tree = window.tree.tree
    area = demo_plant.areas[-1]
    item = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == area.name
    )
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    target = dict(window.scene_view.area_views())[area.name]["focal_point"]
    camera = window.scene_view.renderer.GetActiveCamera()

    def arrived() -> bool:
        return all(abs(a - b) < 1e-3 for a, b in zip(camera.GetFocalPoint(), target, strict=True))

    qtbot.waitUntil(arrived, timeout=5_000)
