"""The wall screen in a composed window: View > Wall screen, and ``--wall``."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from app.frame.scheduler import FrameScheduler
from app.line.panel import QtLinePanel
from app.views.main_window import QtMainWindow
from app.wall.menu import ACTION
from app.wall.screen import DEFAULT_CYCLE_S, QtWallScreen
from twin.alarms import AlarmStatus


def install_wall_screen(window: QtMainWindow, scheduler: FrameScheduler) -> QtWallScreen:
    """A wall screen of ``window``'s plant drawing ``scheduler``'s frames: the lines'
    figures of the Lines panel (the same tracker, so the same numbers), the alarm list's
    alarms at the cursor, the frames' fleet health."""
    lines = window.panels.get("lines")
    indicators = lines.source if isinstance(lines, QtLinePanel) else None
    table = window.alarms.table if window.alarms is not None else None

    def alarms() -> Mapping[str, AlarmStatus]:
        return table.model.statuses if table is not None else {}

    wall = QtWallScreen(window.plant, indicators, alarms, window)
    scheduler.add_view(wall)
    window.installEventFilter(wall)  # its window closing hides it
    action = window.findChild(QAction, ACTION)
    if action is not None:
        action.setEnabled(True)
        action.triggered.connect(wall.toggle)
    return wall


def wall_screen(window: QMainWindow) -> QtWallScreen | None:
    """The wall screen installed in ``window``, if any."""
    return window.findChild(QtWallScreen)


def start_wall(window: QMainWindow, on: bool, cycle_s: float = DEFAULT_CYCLE_S) -> None:
    """``--wall`` and ``--wall-cycle``: the page time, and the wall screen once the event
    loop runs (after the window is shown, which it then hides)."""
    wall = wall_screen(window)
    if wall is None:
        return
    wall.set_cycle_s(cycle_s)
    if on:
        QTimer.singleShot(0, wall.enter)
