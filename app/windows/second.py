"""View > New window: a second main view (tree, 3D, plots, values) on one area or asset,
with its own selection, camera and history, drawn from the frames of the same scheduler.

It adds views, not a pipeline: the one frame builder reads its plotted signals too
(``FrameBuilder.set_plotted(ids, owner)``), so replay stays in lockstep across windows
and a plant of 10,000 motors is read once per frame whatever the number of windows.
Closing it stops only its own views.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from app.frame.builder import Frame
from app.frame.scheduler import FrameScheduler
from app.navigation.history import Place
from app.navigation.navigator import Navigator, install_navigation
from app.scene.qt_scene_view import QtSceneView
from app.views.asset_tree import ASSET_ROLE, QtAssetTree
from app.views.plot_panel import QtPlotPanel
from app.views.selection import SelectionModel
from app.views.values_panel import QtValuesTable
from app.windows.area_frames import AreaFrames
from app.windows.detach import WINDOW_FLAGS
from app.windows.screens import add_screen_menu, toggle_full_screen
from twin.plant.model import Plant


class QtSecondWindow(QMainWindow):
    """Another window on ``plant``, at ``place``, fed by ``scheduler``'s frames."""

    def __init__(
        self,
        plant: Plant,
        scheduler: FrameScheduler,
        place: Place,
        owner: QWidget,
        flash: SignalInstance | None = None,
    ) -> None:
        super().__init__(owner, WINDOW_FLAGS)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Only the area's assets: at plant scale the window costs what its area costs.
        areas = [place.area] if place.area is not None else [area.id for area in plant.areas]
        self.frames = AreaFrames(plant, areas)
        plant = self.plant = self.frames.plant
        self.scheduler = scheduler
        self.selection = SelectionModel(self)
        self.tree = QtAssetTree(plant)
        self.scene_view = QtSceneView(plant)
        self.plots = QtPlotPanel(plant)
        self.values = QtValuesTable(plant)
        self._flash = flash
        self._build_layout()
        self.navigator: Navigator = install_navigation(self)
        self._build_menu()
        self._wire()
        self.setWindowTitle(self._title(place))
        self.navigator.go(place)
        scheduler.add_view(self)
        if scheduler.last_frame is not None:
            self.update_frame(scheduler.last_frame)

    def _build_layout(self) -> None:
        views = QSplitter(Qt.Orientation.Vertical)
        views.addWidget(self.scene_view)
        views.addWidget(self.plots)
        views.setStretchFactor(0, 3)
        views.setStretchFactor(1, 2)
        across = QSplitter(Qt.Orientation.Horizontal)
        across.addWidget(self.tree)
        across.addWidget(views)
        across.addWidget(self.values)
        across.setStretchFactor(1, 1)
        self.setCentralWidget(across)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Window"))
        menu.addActions(list(self.navigator.actions))
        menu.addSeparator()
        add_screen_menu(menu, self, self.tr("Move to &screen"))
        full = menu.addAction(self.tr("&Full screen"))
        full.setShortcut(QKeySequence("F11"))
        full.triggered.connect(lambda: toggle_full_screen(self))
        close = menu.addAction(self.tr("&Close window"))
        close.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        close.triggered.connect(self.close)

    def _wire(self) -> None:
        builder = self.scheduler.builder
        builder.set_span_s(self.plots.span_s, self)
        self.plots.span_changed.connect(lambda seconds: builder.set_span_s(seconds, self))
        self.plots.signals_changed.connect(lambda ids: builder.set_plotted(ids, self))
        self.selection.changed.connect(self._on_selection)
        self.tree.asset_activated.connect(self.selection.select)
        self.scene_view.asset_clicked.connect(self.selection.select)
        if self._flash is not None:
            self._flash.connect(self._flash_assets)

    def _title(self, place: Place) -> str:
        where = " › ".join(self.navigator.bar.names(place))
        return self.tr("TwinDeck — %s") % where

    def listed_assets(self) -> list[str]:
        """The ids of the assets the tree lists (for tests and tools)."""
        tree = self.tree.tree
        areas = (tree.topLevelItem(row) for row in range(tree.topLevelItemCount()))
        ids: list[str] = []
        for area in (a for a in areas if a is not None and not a.isHidden()):
            children = (area.child(i) for i in range(area.childCount()))
            ids += [str(c.data(0, ASSET_ROLE)) for c in children if c is not None]
        return ids

    def fly_to_area(self, name: str) -> None:
        for area, view in self.scene_view.area_views():
            if area == name:
                self.scene_view.apply_view(view, animate=True)
                return

    def _on_selection(self, asset_id: str | None) -> None:
        self.tree.select(asset_id)
        self.plots.set_asset(asset_id)
        self.values.set_asset(asset_id)
        self.scene_view.select(asset_id)

    def _flash_assets(self, asset_ids: frozenset[str], on: bool) -> None:
        """The alarm list's blinking, for the assets this window draws."""
        self.scene_view.flash(frozenset(a for a in asset_ids if self.plant.has_asset(a)), on)

    def update_frame(self, frame: Frame) -> None:
        """Draw ``frame`` (the whole plant's) in every view of this window, 3D last."""
        frame = self.frames.cut(frame)
        self.tree.update_frame(frame)
        self.values.update_frame(frame)
        self.plots.update_frame(frame)
        self.scene_view.update_frame(frame)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scheduler.remove_view(self)
        self.scheduler.builder.forget(self)
        if self._flash is not None:
            self._flash.disconnect(self._flash_assets)
        self.scene_view.close()
        super().closeEvent(event)


def place_choices(plant: Plant) -> list[tuple[str, Place]]:
    """What View > New window offers: each area, then each asset, with its place."""
    choices = [(area.name, Place(area.id)) for area in plant.areas]
    names = {area.id: area.name for area in plant.areas}
    choices += [
        (f"{names.get(a.area_id, a.area_id)} › {a.name}", Place(a.area_id, a.id))
        for a in plant.assets
    ]
    return choices
