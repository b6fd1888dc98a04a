"""View > New window and View > Windows: detach and re-attach docks, second windows, full
screen and Move to screen for each window."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMenu

from app.frame.scheduler import FrameScheduler
from app.navigation.history import Place
from app.windows.detach import DockWindows
from app.windows.screens import add_screen_menu, toggle_full_screen
from app.windows.second import QtSecondWindow, place_choices
from twin.plant.model import Plant


class WindowsMenu(QObject):
    """The window's extra windows and the menus that make them."""

    def __init__(self, window: QMainWindow, plant: Plant, view_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.plant = plant
        self.docks = DockWindows(window)
        self.seconds: list[QtSecondWindow] = []
        self.new_window = QAction(self.tr("&New window…"), self)
        self.new_window.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_window.triggered.connect(self.ask_new_window)
        self.full_screen = QAction(self.tr("&Full screen"), self)
        self.full_screen.setShortcut(QKeySequence("F11"))
        self.full_screen.triggered.connect(lambda: toggle_full_screen(window))
        view_menu.addSeparator()
        view_menu.addAction(self.new_window)
        self.menu = view_menu.addMenu(self.tr("&Windows"))
        self.menu.aboutToShow.connect(self._fill)
        window.addAction(self.full_screen)  # F11 works before the menu was ever opened
        self._fill()

    def _fill(self) -> None:
        menu = self.menu
        menu.clear()
        for dock in self.docks.docks():
            self.docks.dock_menu(dock, menu)
        menu.addSeparator()
        menu.addAction(self.full_screen)
        add_screen_menu(menu, self.window, self.tr("Move main window to screen"))
        for detached in self.docks.detached.values():
            title = self.tr("Move %s to screen") % detached.dock.windowTitle()
            add_screen_menu(menu, detached, title)
        for number, second in enumerate(self.seconds, start=2):
            add_screen_menu(menu, second, self.tr("Move window %s to screen") % number)

    def _current_place(self) -> Place:
        asset_id = getattr(getattr(self.window, "selection", None), "asset_id", None)
        if isinstance(asset_id, str) and self.plant.has_asset(asset_id):
            return Place(self.plant.asset(asset_id).area_id, asset_id)
        return Place(self.plant.areas[0].id) if self.plant.areas else Place()

    def ask_new_window(self) -> QtSecondWindow | None:
        """Ask which area or asset to show, and open a window on it."""
        choices = place_choices(self.plant)
        if not choices:
            return None
        wanted = self._current_place()
        current = next((i for i, (_, p) in enumerate(choices) if p == wanted), 0)
        name, ok = QInputDialog.getItem(
            self.window,
            self.tr("New window"),
            self.tr("Show this area or asset in a new window:"),
            [text for text, _ in choices],
            current,
            False,
        )
        if not ok:
            return None
        place = next(p for text, p in choices if text == name)
        return self.open_window(place)

    def open_window(self, place: Place) -> QtSecondWindow:
        """A second window on ``place``, drawn from the main window's frames."""
        scheduler = self.window.findChild(FrameScheduler)
        if scheduler is None:
            raise RuntimeError("the window has no frame scheduler yet")
        alarms = getattr(self.window, "alarms", None)
        flash = getattr(getattr(alarms, "table", None), "flash", None)
        second = QtSecondWindow(self.plant, scheduler, place, self.window, flash)
        self.seconds.append(second)
        second.destroyed.connect(lambda: self._forget(second))
        second.resize(self.window.size() * 0.8)
        second.show()
        return second

    def _forget(self, second: QtSecondWindow) -> None:
        if second in self.seconds:
            self.seconds.remove(second)


def add_windows_menu(window: QMainWindow, plant: Plant, view_menu: QMenu) -> WindowsMenu:
    """View > New window and View > Windows for ``window``."""
    return WindowsMenu(window, plant, view_menu)
