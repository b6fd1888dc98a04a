"""View > Wall screen: the menu entry, made with the window's menus (the wall screen
itself comes with the composition's frames, ``app.wall.install``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

ACTION = "action_wall_screen"
SHORTCUT = "Shift+F11"  # F11 is the window's own full screen (View > Windows)


def add_wall_action(window: QWidget, view_menu: QMenu) -> QAction:
    """View > Wall screen (Shift+F11), enabled once a composition installs the wall screen."""
    action = QAction(QCoreApplication.translate("QtWallScreen", "&Wall screen"), window)
    action.setObjectName(ACTION)
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setEnabled(False)
    view_menu.addAction(action)
    return action
