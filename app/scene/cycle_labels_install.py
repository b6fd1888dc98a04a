"""View > Cycle labels in a composed window, and the labels themselves where the plant has
production lines (``app.scene.cycle_labels``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.frame.scheduler import FrameScheduler
from app.line.panel import QtLinePanel
from app.scene.cycle_labels import QtCycleLabels
from twin.kpi.replay import CursorIndicators

if TYPE_CHECKING:
    from app.views.main_window import QtMainWindow

ACTION = "action_cycle_labels"


def install_cycle_labels(window: QtMainWindow, scheduler: FrameScheduler) -> QtCycleLabels | None:
    """View > Cycle labels (checkable, after the health colours), and where the plant has
    lines the labels over their machines, on, drawing ``scheduler``'s frames with the
    Lines panel's indicators (one tracker, the same numbers). A plant without lines gets
    the entry disabled and nothing that draws or updates."""
    action = QAction(QCoreApplication.translate("QtCycleLabels", "C&ycle labels"), window)
    action.setObjectName(ACTION)
    action.setCheckable(True)
    _add_to_view_menu(window, action)
    if not window.plant.lines:
        action.setEnabled(False)
        return None
    panel = window.panels.get("lines")
    source = (
        panel.source
        if isinstance(panel, QtLinePanel)
        else CursorIndicators(window.plant, scheduler.builder.reader)
    )
    labels = QtCycleLabels(window.scene_view, source, window)
    scheduler.add_view(labels)
    action.setChecked(True)
    action.toggled.connect(labels.set_on)
    return labels


def _add_to_view_menu(window: QtMainWindow, action: QAction) -> None:
    """After View > Colour assets by health, beside the other ways of marking assets."""
    menu = window.findChild(QMenu, "menu_view")
    if menu is None:
        return
    actions = menu.actions()
    after = window.colour_by_health
    at = actions.index(after) + 1 if after in actions else len(actions)
    if at < len(actions):
        menu.insertAction(actions[at], action)
    else:
        menu.addAction(action)


def cycle_labels(window: QtMainWindow) -> QtCycleLabels | None:
    """The cycle labels installed in ``window``, if any."""
    return window.findChild(QtCycleLabels)
