"""Read a window's workspace, and put one back: window and docks, splitters, plots,
filters, selection, camera.

``apply`` sets what applies and skips the rest piece by piece, returning a message for
each piece skipped (an asset, a signal, a dock or a splitter this plant's window does not
have, a window state Qt does not take); it never raises for a workspace's content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter

from app.spans import SPANS_S
from app.views.main_window import QtMainWindow
from app.workspace.alarm_list import apply_alarm_list, capture_alarm_list
from app.workspace.model import Camera, DockLayout, PlotState, Rect, Workspace
from app.workspace.screens import fit_rect

STATE_VERSION = 1  # of QMainWindow.saveState in these files
Area = Qt.DockWidgetArea
AREAS = {
    "left": Area.LeftDockWidgetArea,
    "right": Area.RightDockWidgetArea,
    "top": Area.TopDockWidgetArea,
    "bottom": Area.BottomDockWidgetArea,
}
AREA_NAMES = {area: name for name, area in AREAS.items()}


def available_screens() -> list[QRect]:
    """The available area (without task bars) of every screen there is now."""
    return [screen.availableGeometry() for screen in QGuiApplication.screens()]


def docks_of(window: QMainWindow) -> dict[str, QDockWidget]:
    """The window's docks by object name (``dock_<key>``)."""
    return {d.objectName(): d for d in window.findChildren(QDockWidget) if d.objectName()}


def splitters_of(window: QMainWindow) -> dict[str, QSplitter]:
    """The window's named splitters (Qt's own are named ``qt_*``)."""
    found = window.findChildren(QSplitter)
    return {
        s.objectName(): s for s in found if s.objectName() and not s.objectName().startswith("qt_")
    }


# ----------------------------------------------------------------------------- capture
def capture(window: QtMainWindow, name: str = "") -> Workspace:
    """Everything the workspace keeps, as the window shows it now."""
    normal = window.normalGeometry()
    maximized, full = window.isMaximized(), window.isFullScreen()
    geometry = normal if (maximized or full) and normal.isValid() else window.geometry()
    table = window.alarms.table if window.alarms is not None else None
    return Workspace(
        plant=window.plant.name,
        name=name,
        geometry=_rect(geometry),
        maximized=maximized,
        full_screen=full,
        state=bytes(window.saveState(STATE_VERSION).data()),
        docks={key: _dock_layout(window, dock) for key, dock in docks_of(window).items()},
        splitters={key: tuple(s.sizes()) for key, s in splitters_of(window).items()},
        selected_asset=window.selection.asset_id,
        tree_filter=window.tree.filter.text(),
        plot=PlotState(window.plots.span_s, window.plots.plotted),
        camera=_camera(window.scene_view.camera_view()),
        alarms=capture_alarm_list(table) if table is not None else None,
    )


def _rect(r: QRect) -> Rect:
    return Rect(r.x(), r.y(), r.width(), r.height())


def _dock_layout(window: QMainWindow, dock: QDockWidget) -> DockLayout:
    return DockLayout(
        area=AREA_NAMES.get(window.dockWidgetArea(dock), "left"),
        floating=dock.isFloating(),
        visible=dock.toggleViewAction().isChecked(),  # closed by its x, not a hidden tab
        # Docked, its size is in the state blob; hidden tabs sit at off-window places.
        geometry=_rect(dock.geometry()) if dock.isFloating() else None,
        tabbed_with=tuple(d.objectName() for d in window.tabifiedDockWidgets(dock)),
    )


def _camera(view: dict[str, object]) -> Camera | None:
    try:
        p, f, u = (tuple(float(v) for v in view[k]) for k in ("position", "focal_point", "view_up"))  # type: ignore[attr-defined]
        return Camera(p, f, u, float(view["view_angle"]))  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------- apply
def apply(window: QtMainWindow, ws: Workspace, screens: Sequence[QRect] | None = None) -> list[str]:
    """Put ``ws`` onto ``window`` (before or after it is shown); windows and floating docks
    off every one of ``screens`` (default: the screens there are) are moved onto the
    nearest. Returns what was skipped, one message a piece."""
    screens = available_screens() if screens is None else list(screens)
    problems = apply_layout(window, ws, screens)
    problems += apply_view(window, ws)
    return problems


def apply_layout(window: QMainWindow, ws: Workspace, screens: Sequence[QRect]) -> list[str]:
    """The window's geometry, its docks and its splitters."""
    problems: list[str] = []
    _apply_window(window, ws, screens)
    docks = docks_of(window)
    restored = ws.state is not None and window.restoreState(QByteArray(ws.state), STATE_VERSION)
    if ws.state is not None and not restored:
        problems.append(
            "window.state: not a window state this version takes; docks placed from window.docks"
        )
    if not restored:
        _place_docks(window, docks, ws.docks)
    problems += [f"window.docks.{key}: no such dock here" for key in ws.docks if key not in docks]
    for key, layout in ws.docks.items():
        dock = docks.get(key)
        if dock is not None and dock.isFloating() and layout.geometry is not None:
            g = layout.geometry
            dock.setGeometry(fit_rect(QRect(g.x, g.y, g.width, g.height), screens))
    return problems + _apply_splitters(window, ws.splitters)


def _apply_window(window: QMainWindow, ws: Workspace, screens: Sequence[QRect]) -> None:
    """Where the window is (on a screen there is) and whether it is maximized."""
    if ws.geometry is not None:
        g = ws.geometry
        window.setGeometry(fit_rect(QRect(g.x, g.y, g.width, g.height), screens))
    big = Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
    states = window.windowState() & ~big
    if ws.full_screen:
        states |= Qt.WindowState.WindowFullScreen
    elif ws.maximized:
        states |= Qt.WindowState.WindowMaximized
    window.setWindowState(states)


def _place_docks(
    window: QMainWindow, docks: dict[str, QDockWidget], layouts: Mapping[str, DockLayout]
) -> None:
    """Docks from their readable description, when the window state blob is unusable."""
    for key, layout in layouts.items():
        if key in docks:
            window.addDockWidget(AREAS[layout.area], docks[key])
    for key, layout in layouts.items():
        for mate in layout.tabbed_with:
            if key in docks and mate in docks and key < mate:
                window.tabifyDockWidget(docks[key], docks[mate])
    for key, layout in layouts.items():
        if key in docks:
            docks[key].setFloating(layout.floating)
            docks[key].setVisible(layout.visible)


def _apply_splitters(window: QMainWindow, sizes: Mapping[str, tuple[int, ...]]) -> list[str]:
    found, problems = splitters_of(window), []
    for key, wanted in sizes.items():
        splitter = found.get(key)
        if splitter is None:
            problems.append(f"window.splitters.{key}: no such splitter here")
        elif splitter.count() != len(wanted):
            problems.append(
                f"window.splitters.{key}: {len(wanted)} sizes for {splitter.count()} panes"
            )
        else:
            splitter.setSizes(list(wanted))
    return problems


def spread_by_stretch(window: QMainWindow) -> None:
    """Size every named splitter's panes by their stretch factors, as a new window does
    (sizes read before a window is first shown are not yet laid out)."""
    for splitter in splitters_of(window).values():
        vertical = splitter.orientation() == Qt.Orientation.Vertical
        panes = [splitter.widget(i) for i in range(splitter.count())]
        policies = [p.sizePolicy() for p in panes if p is not None]
        stretch = [
            max(p.verticalStretch() if vertical else p.horizontalStretch(), 1) for p in policies
        ]
        total = sum(splitter.sizes())
        splitter.setSizes([total * s // sum(stretch) for s in stretch])


def apply_view(window: QtMainWindow, ws: Workspace) -> list[str]:
    """Plots, selection, filters and camera; what this plant lacks is skipped."""
    problems: list[str] = []
    plant = window.plant
    if ws.plot is not None:
        if ws.plot.span_s in SPANS_S:
            window.plots.set_span_s(ws.plot.span_s)
        else:
            problems.append(f"view.plot.span_s: {ws.plot.span_s} s is not a span the plots offer")
    if ws.selected_asset is not None:
        if plant.has_asset(ws.selected_asset):
            window.selection.select(ws.selected_asset)
        else:
            problems.append(f"view.selected_asset: no asset {ws.selected_asset!r} in {plant.name}")
    if ws.plot is not None:
        problems += _plot_signals(window, ws.plot.signals)
    if ws.tree_filter is not None:
        window.tree.filter.setText(ws.tree_filter)
    if ws.camera is not None:
        window.scene_view.apply_view(ws.camera.as_view())
    if ws.alarms is not None and window.alarms is not None:
        problems += apply_alarm_list(window.alarms.table, ws.alarms)
    return problems


def _plot_signals(window: QtMainWindow, signals: Sequence[str]) -> list[str]:
    """Plot the asset of the saved signals (the plots show one asset's signals)."""
    known = {s.id: s for s in window.plant.signals}
    missing = [s for s in signals if s not in known]
    present = [known[s] for s in signals if s in known]
    if present and window.plots.asset_id != present[0].asset_id:
        window.plots.set_asset(present[0].asset_id)
    if missing:
        return [f"view.plot.signals: no longer in {window.plant.name}: {', '.join(missing)}"]
    return []
