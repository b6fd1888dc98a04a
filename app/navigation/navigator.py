"""Navigation through the display hierarchy of one window: what the tree, the alarm list,
the 3D view (assets and area names) and the values table show becomes a place in the
window's history; Back, Forward, Up and the breadcrumb go to places again, with their
selection and camera."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QVBoxLayout, QWidget

from app.navigation.breadcrumb import QtBreadcrumb
from app.navigation.history import PLANT, Level, NavHistory, Place
from app.scene import camera as cam
from app.scene.floor import area_label_anchors
from app.scene.qt_scene_view import CLICK_SLOP_PX, QtSceneView
from app.views.asset_tree import QtAssetTree
from app.views.plot_panel import QtPlotPanel
from app.views.selection import SelectionModel
from app.views.values_panel import QtValuesTable
from twin.plant.model import Plant

LABEL_HALF_HEIGHT_PX = 12  # an area name is hit this close above or below its anchor
CHAR_HALF_WIDTH_PX = 5  # and half its width either side: about half a character each


class NavigableWindow(Protocol):
    """What a window offers the navigator (the main window, a second window)."""

    @property
    def plant(self) -> Plant: ...
    @property
    def selection(self) -> SelectionModel: ...
    @property
    def tree(self) -> QtAssetTree: ...
    @property
    def scene_view(self) -> QtSceneView: ...
    @property
    def values(self) -> QtValuesTable: ...
    @property
    def plots(self) -> QtPlotPanel: ...
    def fly_to_area(self, name: str) -> None: ...


class Navigator(QObject):
    """One window's places: its history, the Back/Forward/Up actions and the breadcrumb."""

    def __init__(self, window: NavigableWindow, parent: QObject) -> None:
        super().__init__(parent)
        self.window = window
        self.plant = window.plant
        self.history = NavHistory()
        self._area_names = {area.id: area.name for area in self.plant.areas}
        self._applying = False  # selection changes made here are not new places
        self._press: QPoint | None = None
        self.back_action = self._make_action(self.tr("&Back"), "Alt+Left", self.back)
        self.forward_action = self._make_action(self.tr("&Forward"), "Alt+Right", self.forward)
        self.up_action = self._make_action(self.tr("&Up one level"), "Alt+Up", self.up)
        self.back_action.setToolTip(self.tr("Back to the previous display (Alt+Left)"))
        self.forward_action.setToolTip(self.tr("Forward to the next display (Alt+Right)"))
        self.bar = QtBreadcrumb(self.plant, self.back_action, self.forward_action)
        self.bar.place_requested.connect(self.go)
        window.selection.changed.connect(self._on_selection)
        window.tree.area_activated.connect(self._on_area_name)
        window.values.cellClicked.connect(self._on_signal_row)
        window.scene_view.gl_widget.installEventFilter(self)
        self._refresh()

    def _make_action(self, text: str, key: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        return action

    @property
    def actions(self) -> tuple[QAction, QAction, QAction]:
        return self.back_action, self.forward_action, self.up_action

    @property
    def place(self) -> Place:
        """What the window shows now."""
        return self.history.current

    # -- the user went somewhere ------------------------------------------------------------
    def visit(self, place: Place) -> None:
        """The window now shows ``place`` (already selected and framed by the caller)."""
        if self.history.visit(place, self.window.scene_view.settled_view()):
            self._refresh()

    def go(self, place: Place) -> None:
        """Show ``place``: select its asset, frame it in the 3D view, remember it."""
        self.visit(place)
        self._apply(place, restore_view=False)

    def back(self) -> None:
        self._walk(self.history.back)

    def forward(self) -> None:
        self._walk(self.history.forward)

    def up(self) -> None:
        """Up one level of the hierarchy (a signal's asset, an asset's area, the plant)."""
        level = self.place.level
        if level > Level.PLANT:
            self.go(self.place.up_to(Level(level - 1)))

    def _walk(self, step: Callable[[], Place | None]) -> None:
        self.history.note_view(self.window.scene_view.settled_view())
        place = step()
        if place is not None:
            self._apply(place, restore_view=True)
            self._refresh()

    # -- showing a place ---------------------------------------------------------------------
    def _apply(self, place: Place, restore_view: bool) -> None:
        window = self.window
        self._applying = True
        try:
            window.selection.select(place.asset)
        finally:
            self._applying = False
        if place.signal is not None and place.asset is not None:
            keys = [s.id for s in self.plant.asset(place.asset).signals]
            if place.signal in keys:
                window.values.setCurrentCell(keys.index(place.signal), 0)
            window.plots.scroll_to(place.signal)
        view = window.scene_view
        if restore_view and place.view is not None:
            view.apply_view(place.view, animate=True)
        elif place.asset is not None:
            view.fly_to(place.asset)
        elif place.area is not None:
            window.fly_to_area(self._area_names.get(place.area, place.area))
        else:
            view.apply_view(cam.overview_view(view.scene), animate=True)

    def _refresh(self) -> None:
        self.bar.show_place(self.place)
        self.back_action.setEnabled(self.history.can_go_back)
        self.forward_action.setEnabled(self.history.can_go_forward)
        self.up_action.setEnabled(self.place.level > Level.PLANT)

    # -- what the views report ---------------------------------------------------------------
    def _on_selection(self, asset_id: str | None) -> None:
        if self._applying:
            return
        if asset_id is None:
            area = self.place.area
            self.visit(Place(area) if area is not None else PLANT)
        elif self.plant.has_asset(asset_id):
            self.visit(Place(self.plant.asset(asset_id).area_id, asset_id))

    def _on_area_name(self, name: str) -> None:
        for area_id, area_name in self._area_names.items():
            if area_name == name:
                self.go(Place(area_id))
                return

    def _on_signal_row(self, row: int, _column: int) -> None:
        asset_id = self.window.selection.asset_id
        if asset_id is None or not self.plant.has_asset(asset_id):
            return
        signals = self.plant.asset(asset_id).signals
        if 0 <= row < len(signals):
            area = self.plant.asset(asset_id).area_id
            self.visit(Place(area, asset_id, signals[row].id))
            self.window.plots.scroll_to(signals[row].id)  # the detail: its trend in view

    def area_at(self, pos: QPoint) -> str | None:
        """The id of the area whose name is written at ``pos`` in the 3D view, if any."""
        view = self.window.scene_view
        for area, anchor in area_label_anchors(self.plant):
            x, y = view.display_position(anchor)
            half_width = CHAR_HALF_WIDTH_PX * max(len(area.name), 2)
            if abs(pos.x() - x) <= half_width and abs(pos.y() - y) <= LABEL_HALF_HEIGHT_PX:
                return area.id
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A click on an area's name in the 3D view (not on an asset) goes to that area."""
        if isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press = pos
            elif event.type() == QEvent.Type.MouseButtonRelease and self._press is not None:
                moved = (pos - self._press).manhattanLength()
                self._press = None
                if moved <= CLICK_SLOP_PX:
                    self._click_area(pos)
        return False

    def _click_area(self, pos: QPoint) -> None:
        view = self.window.scene_view
        ratio = view.gl_widget.devicePixelRatioF() or 1.0
        vtk_xy = int(pos.x() * ratio), int((view.gl_widget.height() - pos.y() - 1) * ratio)
        if view.pick(*vtk_xy) is not None:
            return  # an asset: the selection says so
        area = self.area_at(pos)
        if area is not None:
            self.go(Place(area))


def install_navigation(window: QMainWindow, view_menu: QMenu | None = None) -> Navigator:
    """A navigator for ``window`` (a :class:`NavigableWindow`): the breadcrumb bar above its
    central views, Back/Forward/Up in ``view_menu`` (or as window shortcuts)."""
    navigator = Navigator(window, window)  # type: ignore[arg-type]
    views = window.takeCentralWidget()
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(navigator.bar)
    if views is not None:
        layout.addWidget(views, 1)
    window.setCentralWidget(column)
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addActions(list(navigator.actions))
    else:
        window.addActions(list(navigator.actions))
    return navigator
