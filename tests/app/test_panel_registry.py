"""A panel registered through the registry alone is docked and drawn in live and replay."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QWidget

from app.compose.replay import Recording, compose_replay
from app.frame.builder import Frame
from app.views.panels import PanelContext, PanelSpec, panels, registered_panel
from tests.app.incident import MOTOR, RUN_S
from twin.timebase import NS_PER_S


class CursorPanel(QLabel):
    """Shows the cursor time and the selected motor's first value of each frame."""

    def __init__(self, context: PanelContext) -> None:
        super().__init__("no frame yet")
        self.index = [s.id for s in context.plant.signals].index(f"{MOTOR}.current")
        self.cursors: list[int] = []

    def update_frame(self, frame: Frame) -> None:
        self.cursors.append(frame.cursor_ns)
        self.setText(f"{frame.cursor_ns} {frame.values[self.index]:.1f}")


def _spec(made: list[CursorPanel]) -> PanelSpec:
    def make(context: PanelContext) -> QWidget:
        made.append(CursorPanel(context))
        return made[-1]

    return PanelSpec("cursor_probe", "Cursor", Qt.DockWidgetArea.RightDockWidgetArea, make)


def test_a_registered_panel_receives_live_frames(qtbot, demo_plant, make_live_app) -> None:
    made: list[CursorPanel] = []
    with registered_panel(_spec(made)):
        live = make_live_app(demo_plant, after_s=5.0)
    live.window.show()
    live.scheduler.tick()
    (panel,) = made
    assert live.window.panels["cursor_probe"] is panel
    assert panel.cursors == [live.scheduler.last_frame.cursor_ns]
    assert panel.text().startswith(str(panel.cursors[0]))
    dock = live.window.findChild(QDockWidget, "dock_cursor_probe")
    assert dock is not None and dock.windowTitle() == "Cursor"
    assert dock.toggleViewAction() in live.window.menuBar().actions()[1].menu().actions()


def test_a_registered_panel_receives_replayed_frames(qtbot, demo_plant, recorded) -> None:
    path, start = recorded
    made: list[CursorPanel] = []
    at = start + 60 * NS_PER_S
    with registered_panel(_spec(made)):
        session = compose_replay(
            Recording(str(path), demo_plant, start, start + RUN_S * NS_PER_S, at)
        )
    qtbot.addWidget(session.window)
    try:
        session.draw_loaded_frame()
        (panel,) = made
        assert panel.cursors == [at]
        value = float(panel.text().split()[1])
        frame = session.scheduler.last_frame
        assert frame is not None
        assert value == frame.values[panel.index].round(1)
        assert value > 0  # the motor runs: a recorded current, not NaN
    finally:
        session.stop()
    assert "cursor_probe" not in [s.key for s in panels()]
