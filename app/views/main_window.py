"""The main window: asset tree, 3D view, live plots and values, wired to one selection."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from PySide6.QtCore import QProcess, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.alarms.wiring import AlarmWiring
from app.export.controller import ExportController
from app.export.screenshot import save_window_screenshot
from app.export.video import ask_and_export_video
from app.fleet.export import ask_and_export_maintenance
from app.frame.scheduler import FrameScheduler, FrameView
from app.navigation.navigator import install_navigation
from app.scene.qt_scene_view import QtSceneView
from app.shift.action import add_shift_report_action
from app.timeline.panel import QtReplayPanel
from app.training.start import add_training_start
from app.views.asset_tree import QtAssetTree
from app.views.language_menu import add_language_menu
from app.views.panels import PanelSpec
from app.views.plot_panel import QtPlotPanel
from app.views.selection import SelectionModel
from app.views.status_strip import QtStatusStrip
from app.views.values_panel import QtValuesTable
from app.wall.menu import add_wall_action
from app.windows.menu import add_windows_menu
from twin.clock import PlaybackClock
from twin.condition.snapshot import HealthSource
from twin.plant.model import Plant


class QtMainWindow(QMainWindow):
    """Every view of one plant; each draws the frames the scheduler hands it."""

    def __init__(self, plant: Plant, clock: PlaybackClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plant = plant
        self.setWindowTitle(self.tr("TwinDeck — %s") % plant.name)
        self.selection = SelectionModel(self)
        self._extra_views: list[FrameView] = []
        self.panels: dict[str, QWidget] = {}  # registered panels docked in this window
        self._selectable: list[QWidget] = []  # panels that show the selection (``select``)
        self.health: HealthSource | None = None  # the fleet's health, where monitored
        self._quit_warning: Callable[[], str | None] = lambda: None
        self._confirm_close = False
        self._shown_once = False
        self.alarms: AlarmWiring | None = None
        self.scene_view = QtSceneView(plant)
        self.plots = QtPlotPanel(plant)
        self.replay = QtReplayPanel(clock)
        self.values = QtValuesTable(plant)
        self.tree = QtAssetTree(plant)
        self.export = ExportController(self, plant)
        self._build_layout()
        self._build_status_bar()
        self._build_menus()
        self.navigator = install_navigation(self, self._view_menu)  # breadcrumb, Back/Forward
        self.windows = add_windows_menu(self, plant, self._view_menu)  # detach, new window
        self._restore_views()
        self.selection.changed.connect(self._on_selection)
        self.tree.asset_activated.connect(self.selection.select)
        self.tree.area_activated.connect(self.fly_to_area)
        self.scene_view.asset_clicked.connect(self.selection.select)

    @property
    def views(self) -> list[FrameView]:
        """What the frame scheduler updates, 3D last so it renders after the rest is set.

        Never the window itself: the scheduler is the window's child, and a child that
        holds its parent makes a cycle through Qt that Python's GC cannot collect.
        """
        views: list[FrameView] = [self.tree, self.values, self.plots, self.replay, self.status]
        return [*views, *self._extra_views, self.scene_view]

    def _build_layout(self) -> None:
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("split_views")  # named: the saved workspace keeps its sizes
        split.addWidget(self.scene_view)
        split.addWidget(self.plots)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.setCentralWidget(split)
        for key, title, widget, area in (
            ("Plant", self.tr("Plant"), self.tree, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("Values", self.tr("Values"), self.values, Qt.DockWidgetArea.RightDockWidgetArea),
            ("Timeline", self.tr("Timeline"), self.replay, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")  # not the title, which is translated
            dock.setWidget(widget)
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetClosable
            )
            self.addDockWidget(area, dock)

    def _build_status_bar(self) -> None:
        self.status = QtStatusStrip()
        self.statusBar().addWidget(self.status, 1)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("Save &screenshot…"), "Ctrl+Shift+S", self._save_screenshot)
        self._action(file_menu, self.tr("Save 3D &view as PNG…"), None, self._save_3d_png)
        self._action(file_menu, self.tr("Export replay as &video…"), None, self._export_video)
        self._action(file_menu, self.tr("&Open recording or package…"), "Ctrl+O", self._open)
        self._action(file_menu, self.tr("&Export data…"), "Ctrl+E", self._export)
        self._action(file_menu, self.tr("Export &incident package…"), "Ctrl+Shift+E", self._package)
        self._maintenance = self._action(
            file_menu, self.tr("Export &maintenance list…"), None, self._export_maintenance
        )
        self._maintenance.setEnabled(False)  # until the fleet's health is monitored
        add_shift_report_action(file_menu, self, self.plant, self.export, self.replay.clock)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.quit)
        view_menu = self._view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.setObjectName("menu_view")  # found by name to add View > Layouts
        self._action(view_menu, self.tr("&Reset camera"), "Ctrl+R", self.scene_view.reset_camera)
        self._action(view_menu, self.tr("F&ly to selection"), "F", self._fly_to_selection)
        presets = view_menu.addMenu(self.tr("Camera &presets"))
        for name, view in self.scene_view.area_views():
            action = presets.addAction(name)
            action.setData(view)
            action.triggered.connect(self._apply_preset)
        self._saved_views_menu = view_menu.addMenu(self.tr("Sa&ved views"))
        self._saved_views_menu.aboutToShow.connect(self._fill_saved_views)
        self._action(view_menu, self.tr("&Save current view…"), "Ctrl+Shift+V", self._save_view)
        self._action(view_menu, self.tr("&Filter assets"), "Ctrl+F", self._focus_filter)
        self._action(view_menu, self.tr("Clear selection"), "Esc", self._clear_selection)
        self.colour_by_health = self._action(
            view_menu, self.tr("Colour assets by &health"), "H", self._toggle_health_colours
        )
        self.colour_by_health.setCheckable(True)
        self.colour_by_health.setEnabled(False)  # until the fleet's health is monitored
        plots = self.plots
        self._action(view_menu, self.tr("Plots: lon&ger span"), "Ctrl+-", lambda: plots.zoom(1))
        shorter = ["Ctrl++", "Ctrl+="]  # Ctrl+= is Ctrl++ without Shift on most layouts
        self._action(view_menu, self.tr("Plots: shor&ter span"), shorter, lambda: plots.zoom(-1))
        for dock in self.findChildren(QDockWidget):
            view_menu.addAction(dock.toggleViewAction())
        add_wall_action(self, view_menu)
        add_language_menu(self, view_menu)
        self._build_playback_menu()
        tools = self._tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self._action(tools, self.tr("Browse an &OPC UA server…"), None, self._browse_opcua)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        add_training_start(self)  # before Help
        self._action(help_menu, self.tr("&Keyboard shortcuts"), "F1", self._show_shortcuts)
        self._action(help_menu, self.tr("&About TwinDeck"), None, self._show_about)

    def _build_playback_menu(self) -> None:
        """Transport keys as window shortcuts, so they work whichever view has focus."""
        menu = self.menuBar().addMenu(self.tr("&Playback"))
        bar = self.replay.transport
        for text, key, slot in (
            (self.tr("Play / pause"), "Space", bar.toggle_play),
            (self.tr("Step back"), "Left", bar.step_back),
            (self.tr("Step forward"), "Right", bar.step_forward),
            (self.tr("Slower"), "[", bar.slower),
            (self.tr("Faster"), "]", bar.faster),
            (self.tr("Loop selected range"), "L", bar.toggle_loop),
            (self.tr("Add bookmark"), "B", bar.request_bookmark),
            (self.tr("Back to live"), "End", bar.go_live),
        ):
            self._action(menu, text, key, slot)

    def _action(
        self,
        menu: QMenu,
        text: str,
        shortcut: str | list[str] | QKeySequence.StandardKey | None,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts([QKeySequence(k) for k in shortcut])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _on_selection(self, asset_id: str | None) -> None:
        self.tree.select(asset_id)
        self.plots.set_asset(asset_id)
        self.values.set_asset(asset_id)
        self.scene_view.select(asset_id)
        for panel in self._selectable:
            panel.select(asset_id)  # type: ignore[attr-defined]

    def add_alarm_ui(self, alarms: AlarmWiring) -> None:
        """The banner above the views, the alarm table in a dock, the Alarms menu."""
        self.alarms = alarms
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(alarms.banner)
        views = self.takeCentralWidget()
        assert views is not None
        column.addWidget(views)
        self.setCentralWidget(central)
        dock = QDockWidget(self.tr("Alarms"), self)
        dock.setObjectName("dock_alarms")
        dock.setWidget(alarms.table)
        # Full width under the timeline: the alarm list needs its columns readable.
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        timeline = self.findChild(QDockWidget, "dock_Timeline")
        if timeline is not None:
            self.splitDockWidget(timeline, dock, Qt.Orientation.Vertical)
            self.resizeDocks([timeline, dock], [60, 220], Qt.Orientation.Vertical)
        alarms.banner.table_requested.connect(dock.raise_)
        alarms.table.asset_activated.connect(self.show_alarm_asset)
        self._extra_views.append(alarms.table)
        self._view_menu.addAction(dock.toggleViewAction())  # closed with its x: back from here
        menu = QMenu(self.tr("&Alarms"), self)
        self.menuBar().insertMenu(self._tools_menu.menuAction(), menu)  # before Tools and Help
        self._action(menu, self.tr("Alarm &journal…"), "Ctrl+J", self._show_journal)
        self._action(menu, self.tr("Alarm system &health…"), None, self._show_health)

    def _show_journal(self) -> None:
        if self.alarms is not None:
            self.alarms.show_journal(self)

    def _show_health(self) -> None:
        if self.alarms is not None:
            self.alarms.show_health(self)

    def add_panel(self, spec: PanelSpec, widget: QWidget) -> QDockWidget:
        """Dock a registered panel (``app.views.panels``); it draws frames when it has
        ``update_frame``, and the View menu can show it again after its dock is closed."""
        self.panels[spec.key] = widget
        dock = QDockWidget(self.tr(spec.title), self)
        dock.setObjectName(f"dock_{spec.key}")
        dock.setWidget(widget)
        self.addDockWidget(spec.area, dock)
        beside = self.findChild(QDockWidget, f"dock_{spec.tab_with}") if spec.tab_with else None
        if beside is not None:
            self.tabifyDockWidget(beside, dock)
            beside.raise_()  # the dock that was there stays in front
        self._view_menu.addAction(dock.toggleViewAction())
        if hasattr(widget, "update_frame"):
            self._extra_views.append(widget)
        # A panel that picks assets selects them everywhere, and shows what others select.
        activated = getattr(widget, "asset_activated", None)
        if activated is not None:
            activated.connect(self.selection.select)
        if callable(getattr(widget, "select", None)):
            self._selectable.append(widget)
            widget.select(self.selection.asset_id)  # type: ignore[attr-defined]
        return dock

    def set_health_source(self, health: HealthSource | None) -> None:
        """Where the fleet's health comes from (None: not monitored): it enables health
        colouring of the 3D view and the maintenance list export."""
        self.health = health
        self._maintenance.setEnabled(health is not None)
        self.colour_by_health.setEnabled(health is not None)

    def _toggle_health_colours(self) -> None:
        self.scene_view.set_colour_by_health(self.colour_by_health.isChecked())

    def _export_maintenance(self) -> None:
        if self.health is not None:
            at_cursor = self.health.health_at(self.replay.clock())
            ask_and_export_maintenance(self, self.plant, at_cursor)

    def set_history(self, where: str | None) -> None:
        """The history being recorded into, which File > Export reads."""
        self.export.history = where

    def _export(self) -> None:
        self.export.ask_and_export(self.selection.asset_id)

    def _package(self) -> None:
        views = [self.scene_view.camera_view(self.tr("View at export"))]
        views += self.scene_view.saved_views  # the package carries the saved views too
        self.export.ask_and_package(self.replay.timeline.selected_range, views)

    def _open(self) -> None:
        """Open a recording or an incident package in a window of its own."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open recording or incident package"),
            "",
            self.tr("Incident packages (*.twinpkg);;Recordings (*.twinhist);;All files (*)"),
        )
        if path:
            option = "--open" if path.endswith(".twinpkg") else "--replay"
            # A frozen bundle is the program itself; from source it is Python running app.
            prefix = [] if getattr(sys, "frozen", False) else ["-m", "app"]
            QProcess.startDetached(sys.executable, [*prefix, option, path])

    def _browse_opcua(self) -> None:
        from app.tools.opcua_browser import QtOpcuaBrowseDialog  # asyncua loads only when asked

        QtOpcuaBrowseDialog(self).exec()

    def _export_video(self) -> None:
        """A range of the recording (the timeline's selection, else 20 s from the cursor)
        as a video of the whole window."""
        scheduler = self.findChild(FrameScheduler)
        if scheduler is not None:
            timeline = self.replay.timeline
            ask_and_export_video(self, scheduler, timeline.recording_range, timeline.selected_range)

    def fly_to_area(self, name: str) -> None:
        """Fly the 3D view to the area called ``name`` (the tree's area rows)."""
        for area, view in self.scene_view.area_views():
            if area == name:
                self.scene_view.apply_view(view, animate=True)
                return

    def show_alarm_asset(self, asset_id: str) -> None:
        """A click in the alarm list: select the alarm's asset and fly the 3D view to it
        (alarms of a connection name no asset and leave the view alone)."""
        if not self.scene_view.scene.plant.has_asset(asset_id):
            return
        self.selection.select(asset_id)
        self.scene_view.fly_to(asset_id)

    def _fly_to_selection(self) -> None:
        if self.selection.asset_id is not None:
            self.scene_view.fly_to(self.selection.asset_id)

    def _apply_preset(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.scene_view.apply_view(action.data(), animate=True)

    def _save_view(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save view"), self.tr("Name:"))
        if ok and name.strip():
            self.scene_view.save_view(name.strip())
            self._store_views()

    def _views_key(self) -> str:
        return f"saved_views/{self.plant.name}"

    def _store_views(self) -> None:
        """Saved camera views outlive the session: kept per plant in the user's settings."""
        QSettings().setValue(self._views_key(), json.dumps(self.scene_view.saved_views))

    def _restore_views(self) -> None:
        try:
            views = json.loads(str(QSettings().value(self._views_key(), "[]")))
        except ValueError:
            return
        if isinstance(views, list):
            self.scene_view.saved_views[:] = [v for v in views if isinstance(v, dict)]

    def _fill_saved_views(self) -> None:
        self._saved_views_menu.clear()
        for view in self.scene_view.saved_views:
            action = self._saved_views_menu.addAction(str(view.get("name", "")))
            action.setData(view)
            action.triggered.connect(self._apply_preset)
        if not self.scene_view.saved_views:
            self._saved_views_menu.addAction(self.tr("(none yet)")).setEnabled(False)

    def _save_3d_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save 3D view"), "twindeck-3d.png", "PNG (*.png)"
        )
        if path and not self.scene_view.save_screenshot(path):
            QMessageBox.warning(self, self.tr("Screenshot"), self.tr("Could not write %s") % path)

    def _clear_selection(self) -> None:
        self.selection.select(None)

    def _focus_filter(self) -> None:
        self.tree.filter.setFocus()
        self.tree.filter.selectAll()

    def _save_screenshot(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save screenshot"), "twindeck.png", "PNG (*.png)"
        )
        if path and not save_window_screenshot(self, path):
            QMessageBox.warning(self, self.tr("Screenshot"), self.tr("Could not write %s") % path)

    def _show_shortcuts(self) -> None:
        actions = [a for a in self.findChildren(QAction) if not a.shortcut().isEmpty()]
        rows = "".join(
            f"<tr><td><b>{a.shortcut().toString()}</b></td>"
            f"<td>{a.text().replace('&', '')}</td></tr>"
            for a in actions
        )
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), f"<table>{rows}</table>")

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About TwinDeck"),
            self.tr("<b>TwinDeck %s</b><br>Digital-twin visualiser for workshop equipment.")
            % __version__,
        )

    def set_quit_warning(self, warning: Callable[[], str | None]) -> None:
        """``warning()`` says what quitting would stop (None: nothing); the user is asked
        to confirm when they quit (Ctrl+Q, the window's close button) and it says so."""
        self._quit_warning = warning

    def quit(self) -> None:
        """File > Quit: close the window, after confirming when something would stop."""
        self._confirm_close = True
        try:
            self.close()
        finally:
            self._confirm_close = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:  # the 3D view, not the filter box, takes the keys at start
            self._shown_once = True
            self.scene_view.gl_widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def closeEvent(self, event: QCloseEvent) -> None:
        warning = self._quit_warning() if self._confirm_close or event.spontaneous() else None
        if warning is not None:
            answer = QMessageBox.question(
                self,
                self.tr("Quit TwinDeck"),
                warning + "\n\n" + self.tr("Quit anyway?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if self.alarms is not None:
            self.alarms.close()  # child widgets get no close event of their own
        self.scene_view.close()
        super().closeEvent(event)
