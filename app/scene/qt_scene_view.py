"""The 3D view widget: a VTK render window inside Qt, with click-to-select, hover values,
camera presets, saved views and an animated fly-to."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

import numpy as np
import vtkmodules.vtkRenderingFreeType
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (the OpenGL backend)

# PySide6 is imported before vtkmodules.qt, which then picks it as its Qt binding.
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QHelpEvent, QImage, QMouseEvent
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget
from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera
from vtkmodules.vtkRenderingCore import vtkCamera, vtkRenderer, vtkWindowToImageFilter

from app.core_text import word
from app.export.imaging import qimage_to_rgb
from app.export.scene_export import write_png
from app.frame.builder import Frame
from app.scene import camera as cam
from app.scene.overlays import format_value
from app.scene.vtk_plant_scene import VtkPlantScene
from twin.plant.model import Plant
from twin.status import State

CLICK_SLOP_PX = 4  # a press and release closer than this is a click, not a drag
HOVER_INTERVAL_S = 0.1  # at most ten hover picks a second
FLY_MS = 300
MOTION_FPS = 20  # redraws a second for motion alone: enough for rams, arms and shafts
# Motion alone may take at most 1/RENDER_SHARE of the GUI thread: where one render costs
# more than 1/(MOTION_FPS * RENDER_SHARE) s (10,000 motors on llvmpipe: ~90 ms), motion
# redraws get rarer instead of starving the other views (a state change still draws at once).
RENDER_SHARE = 4.0
FLY_TICK_MS = 15


class QtSceneView(QWidget):
    """Shows a :class:`VtkPlantScene`; emits ``asset_clicked`` when an asset is clicked."""

    asset_clicked = Signal(str)

    def __init__(self, plant: Plant, parent: QWidget | None = None, lod: int | None = None) -> None:
        super().__init__(parent)
        self._vtk = QVTKRenderWindowInteractor(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._vtk)
        self.renderer = vtkRenderer()
        self.render_window = self._vtk.GetRenderWindow()
        self.render_window.SetMultiSamples(0)  # multisampling costs 3-6x on software GL
        self.render_window.AddRenderer(self.renderer)
        self.scene = VtkPlantScene(plant, self.renderer, lod)
        self.scene.reset_camera()
        self.saved_views: list[dict[str, object]] = []  # named views the window may persist
        interactor = self.render_window.GetInteractor()
        style = vtkInteractorStyleTrackballCamera()
        # An observer replaces the style's own key handling, whose 'q'/'e' would end the
        # interactor and 'w' turn the plant to wireframe: keys belong to the window's menus.
        style.AddObserver("CharEvent", lambda *_: None)  # type: ignore[arg-type]
        interactor.SetInteractorStyle(style)
        # Clicks are told from drags on the Qt side: VTK's camera style grabs the
        # interactor's focus on press, so its release events never reach other observers.
        self._press_pos: QPoint | None = None
        self._stale = True  # something changed that the next frame must draw
        self._frame: Frame | None = None  # the last frame: hover text reads its values
        self._hover_at = 0.0
        self._drawn_at = 0.0  # monotonic time of the last frame drawn by update_frame
        self._render_s = 0.0  # how long the last render took
        self._moved = False  # motion or values changed since the last draw
        self._fly_timer = QTimer(self)
        self._fly_timer.setInterval(FLY_TICK_MS)
        self._fly_timer.timeout.connect(self._fly_step)
        self._fly_clock = QElapsedTimer()
        self._fly: tuple[dict[str, object], dict[str, object], int] | None = None
        self._vtk.setMouseTracking(True)
        self._vtk.installEventFilter(self)
        self._vtk.Initialize()
        self.setToolTip(self.tr("Drag to orbit, right-drag or wheel to zoom, click to select"))

    # -- drawing ---------------------------------------------------------------------------
    def draw(self) -> None:
        """Draw one frame (called by the frame scheduler)."""
        if self.isVisible():
            started = time.perf_counter()
            self.renderer.ResetCameraClippingRange()
            self.render_window.Render()
            self._render_s = time.perf_counter() - started

    def update_frame(self, frame: Frame) -> None:
        """Colour and move the equipment for ``frame``; draw only if the picture changed.

        A software-GL render costs tens of ms, so a steady plant is not redrawn, and motion
        and changing values alone (spinning shafts are never still) redraw at most
        MOTION_FPS times a second, and less where a render is slow (``motion_interval_s``);
        a state change draws at once. Camera moves are drawn
        by VTK's interactor as they happen.
        """
        self._frame = frame
        recoloured = self.scene.set_asset_states(frame.asset_states)
        recoloured = self.scene.set_health(frame.health) or recoloured
        moved = self.scene.apply_motion(frame.values, frame.cursor_ns)
        relabelled = self.scene.set_values(frame.values)
        self._moved = self._moved or moved or relabelled
        now = time.monotonic()
        urgent = recoloured or self._stale  # states, selection, flashing, heat
        if urgent or (self._moved and now - self._drawn_at >= self.motion_interval_s):
            self._stale = self._moved = False
            self._drawn_at = now
            self.draw()

    @property
    def motion_interval_s(self) -> float:
        """The least time between two redraws for motion alone (see RENDER_SHARE)."""
        return max(1.0 / MOTION_FPS, RENDER_SHARE * self._render_s)

    def request_draw(self) -> None:
        """Draw at the next frame: something drawn over the scene changed (labels)."""
        self._stale = True

    def flash(self, asset_ids: frozenset[str], on: bool) -> None:
        """One phase of the blinking of assets with unacknowledged alarms."""
        self.scene.flash(asset_ids, on)
        self._stale = True

    def set_colour_by_health(self, on: bool) -> None:
        """Colour assets by health (0..100, with a colour scale) instead of alarm state."""
        self.scene.colour_by_health(on)
        self._stale = True

    def select(self, asset_id: str | None) -> None:
        """Outline and label ``asset_id`` (None clears it) from the next frame on."""
        self.scene.select(asset_id)
        if self._frame is not None:
            self.scene.set_values(self._frame.values)
        self._stale = True

    def set_heat(
        self, asset_id: str, part_name: str, signal_id: str, lo: float, hi: float, unit: str = ""
    ) -> None:
        """Colour one part by a signal on a lo..hi scale, with a colour bar."""
        self.scene.set_heat(asset_id, part_name, signal_id, lo, hi, unit)
        if self._frame is not None:
            self.scene.set_values(self._frame.values)
        self._stale = True

    def clear_heat(self) -> None:
        self.scene.clear_heat()
        self._stale = True

    # -- camera ----------------------------------------------------------------------------
    def reset_camera(self) -> None:
        self._stop_fly()
        self.scene.reset_camera()
        self.draw()

    def camera_view(self, name: str = "") -> dict[str, object]:
        """The camera as a saved view (JSON-friendly), e.g. for incident packages."""
        return cam.camera_view(self.renderer.GetActiveCamera(), name)

    def settled_view(self) -> dict[str, object]:
        """Where the camera is going: the end of a fly under way, else where it is."""
        return dict(self._fly[1]) if self._fly is not None else self.camera_view()

    def apply_view(self, view: Mapping[str, object], animate: bool = False) -> None:
        """Put the camera where a saved view says (flying there if ``animate``); a
        malformed view is ignored."""
        self._stop_fly()
        probe = vtkCamera()  # check the view before the real camera moves
        if not cam.apply_view(probe, view):
            return
        if animate:
            self._start_fly(cam.camera_view(probe, str(view.get("name", ""))), FLY_MS)
            return
        cam.apply_view(self.renderer.GetActiveCamera(), view)
        self.renderer.ResetCameraClippingRange()
        self._stale = True

    def area_views(self) -> list[tuple[str, dict[str, object]]]:
        """Camera presets: (area name, view) for each area of the plant."""
        return cam.area_views(self.scene)

    def save_view(self, name: str) -> dict[str, object]:
        """Store the current camera under ``name`` in :attr:`saved_views` (replacing one of
        the same name) and return it."""
        view = self.camera_view(name)
        self.saved_views = [v for v in self.saved_views if v.get("name") != name] + [view]
        return view

    def fly_to(self, asset_id: str, duration_ms: int = FLY_MS) -> None:
        """Move the camera to a close view of the asset, animated over ``duration_ms``."""
        if not self.scene.plant.has_asset(asset_id):
            return
        self._stop_fly()
        target = cam.asset_view(self.scene, asset_id, self.renderer.GetActiveCamera())
        self._start_fly(target, duration_ms)

    @property
    def flying(self) -> bool:
        return self._fly_timer.isActive()

    def _start_fly(self, target: dict[str, object], duration_ms: int) -> None:
        start = self.camera_view()
        self._fly = (start, target, max(1, duration_ms))
        self._fly_clock.start()
        self._fly_timer.start()

    def _fly_step(self) -> None:
        if self._fly is None:
            self._fly_timer.stop()
            return
        start, target, duration = self._fly
        t = min(1.0, self._fly_clock.elapsed() / duration)
        cam.apply_view(self.renderer.GetActiveCamera(), cam.blend(start, target, t))
        if t >= 1.0:
            self._stop_fly()  # the timer must not outlive the move
        self.draw()

    def _stop_fly(self) -> None:
        self._fly_timer.stop()
        self._fly = None

    # -- picking and hover -------------------------------------------------------------------
    def pick_part(self, x: int, y: int) -> tuple[str, str] | None:
        """(asset id, part name) at display position (x, y), VTK coordinates (origin
        bottom-left, device pixels)."""
        r = self.renderer
        ends = []
        for depth in (0.0, 1.0):
            r.SetDisplayPoint(float(x), float(y), depth)
            r.DisplayToWorld()
            wx, wy, wz, w = r.GetWorldPoint()
            ends.append(np.array([wx, wy, wz]) / (w or 1.0))
        direction = ends[1] - ends[0]
        if not np.linalg.norm(direction) > 0:
            return None
        return self.scene.pick_ray(ends[0], direction / np.linalg.norm(direction))

    def pick(self, x: int, y: int) -> str | None:
        """The asset at display position (x, y) in VTK coordinates (origin bottom-left)."""
        hit = self.pick_part(x, y)
        return None if hit is None else hit[0]

    def _vtk_xy(self, pos: QPoint) -> tuple[int, int]:
        ratio = self._vtk.devicePixelRatioF() or 1.0
        return int(pos.x() * ratio), int((self._vtk.height() - pos.y() - 1) * ratio)

    def hover_text(self, asset_id: str, part: str = "") -> str:
        """What the tooltip says about an asset: name, state and its current values."""
        asset = self.scene.plant.asset(asset_id)
        frame = self._frame
        lines = [f"<b>{asset.name}</b>" + (f" <i>({part.replace('_', ' ')})</i>" if part else "")]
        if frame is not None:
            state = State(int(frame.asset_states[self.scene.index_of(asset_id)]))
            lines.append(self.tr("State: %s") % word(state.name.lower().replace("_", " ")))
            health = float(self.scene.health[self.scene.index_of(asset_id)])
            if not math.isnan(health):
                lines.append(self.tr("Health: %.0f") % health)
            index = self.scene._signal_index
            lines += [
                f"{s.name}: {format_value(float(frame.values[index[s.id]]), s.unit)}"
                for s in asset.signals
            ]
        return "<br>".join(lines)

    def _hover(self, pos: QPoint, global_pos: QPoint, force: bool = False) -> bool:
        now = time.monotonic()
        if not force and now - self._hover_at < HOVER_INTERVAL_S:
            return False
        self._hover_at = now
        hit = self.pick_part(*self._vtk_xy(pos))
        if hit is None:
            if QToolTip.isVisible() and not force:
                QToolTip.hideText()
            return False
        QToolTip.showText(global_pos, self.hover_text(*hit), self._vtk)
        return True

    # -- images ----------------------------------------------------------------------------
    def grab_frame(self) -> QImage:
        """The rendered 3D frame as an image (``QWidget.grab`` sees black for GL)."""
        rows = self._read_pixels()
        height, width, _ = rows.shape
        qimage = QImage(rows.data, width, height, 3 * width, QImage.Format.Format_RGB888)
        return qimage.copy()  # detach from the numpy buffer

    def _read_pixels(self) -> np.ndarray:
        self.renderer.ResetCameraClippingRange()
        self.render_window.Render()
        grabber = vtkWindowToImageFilter()
        grabber.SetInput(self.render_window)
        grabber.SetInputBufferTypeToRGB()
        grabber.ReadFrontBufferOff()
        grabber.ShouldRerenderOff()  # rendered just above: a second render would be waste
        grabber.Update()
        image = grabber.GetOutput()
        width, height, _ = image.GetDimensions()
        pixels = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, 3)
        return np.ascontiguousarray(pixels[::-1])  # VTK's rows run bottom-up

    @property
    def gl_widget(self) -> QWidget:
        """The widget VTK draws into (painting it renders the scene)."""
        return self._vtk

    def frame_pixels(self) -> np.ndarray:
        """The rendered frame as an (h, w, 3) uint8 array, top row first."""
        return qimage_to_rgb(self.grab_frame())

    def save_screenshot(self, path: str) -> bool:
        """Write the 3D view alone as a PNG; False if the file could not be written."""
        try:
            write_png(self._read_pixels(), path)
        except OSError:
            return False
        return True

    def display_position(self, world: tuple[float, float, float]) -> tuple[int, int]:
        """Widget (Qt, top-left origin) position of a world point."""
        self.renderer.SetWorldPoint(*world, 1.0)
        self.renderer.WorldToDisplay()
        x, y, _ = self.renderer.GetDisplayPoint()
        ratio = self._vtk.devicePixelRatioF() or 1.0
        return int(x / ratio), int(self._vtk.height() - y / ratio)

    # -- Qt events -------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_fly()
        self.scene.close()
        self._vtk.close()  # finalizes the render window: its GL context goes
        # QVTKRenderWindowInteractor's VTK observers hold bound methods of the widget: a
        # cycle through VTK that Python's GC cannot see, which would keep the render
        # window (and the X connection it opened) alive.
        self.render_window.GetInteractor().RemoveAllObservers()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._vtk:
            if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
                # Over an asset its values answer; elsewhere the view's own help does.
                if self._hover(event.pos(), event.globalPos(), force=True):
                    return True
            elif isinstance(event, QMouseEvent):
                self._mouse(event)
        return super().eventFilter(watched, event)

    def _mouse(self, event: QMouseEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.MouseMove and event.buttons() == Qt.MouseButton.NoButton:
            self._hover(event.position().toPoint(), event.globalPosition().toPoint())
        elif event.button() == Qt.MouseButton.LeftButton:
            if kind == QEvent.Type.MouseButtonPress:
                self._press_pos = event.position().toPoint()
            elif kind == QEvent.Type.MouseButtonRelease:
                self._maybe_click(event.position().toPoint())

    def _maybe_click(self, pos: QPoint) -> None:
        start, self._press_pos = self._press_pos, None
        if start is None or (pos - start).manhattanLength() > CLICK_SLOP_PX:
            return
        asset_id = self.pick(*self._vtk_xy(pos))
        if asset_id is not None:
            self.asset_clicked.emit(asset_id)
