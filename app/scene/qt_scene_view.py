"""The 3D view widget: a VTK render window inside Qt, with click-to-select."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import vtkmodules.vtkRenderingFreeType
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (the OpenGL backend)

# PySide6 is imported before vtkmodules.qt, which then picks it as its Qt binding.
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QMouseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget
from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera
from vtkmodules.vtkRenderingCore import vtkCellPicker, vtkRenderer, vtkWindowToImageFilter

from app.frame import Frame
from app.imaging import qimage_to_rgb
from app.scene.vtk_plant_scene import VtkPlantScene
from twin.plant.model import Plant

CLICK_SLOP_PX = 4  # a press and release closer than this is a click, not a drag


class QtSceneView(QWidget):
    """Shows a :class:`VtkPlantScene`; emits ``asset_clicked`` when an asset is clicked."""

    asset_clicked = Signal(str)

    def __init__(self, plant: Plant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vtk = QVTKRenderWindowInteractor(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._vtk)
        self.renderer = vtkRenderer()
        self.render_window = self._vtk.GetRenderWindow()
        self.render_window.SetMultiSamples(0)  # multisampling costs 3-6x on software GL
        self.render_window.AddRenderer(self.renderer)
        self.scene = VtkPlantScene(plant, self.renderer)
        self.scene.reset_camera()
        interactor = self.render_window.GetInteractor()
        style = vtkInteractorStyleTrackballCamera()
        # An observer replaces the style's own key handling, whose 'q'/'e' would end the
        # interactor and 'w' turn the plant to wireframe: keys belong to the window's menus.
        style.AddObserver("CharEvent", lambda *_: None)  # type: ignore[arg-type]
        interactor.SetInteractorStyle(style)
        self._picker = vtkCellPicker()
        self._picker.SetTolerance(0.0005)
        # Clicks are told from drags on the Qt side: VTK's camera style grabs the
        # interactor's focus on press, so its release events never reach other observers.
        self._press_pos: QPoint | None = None
        self._stale = True  # something changed that the next frame must draw
        self._vtk.installEventFilter(self)
        self._vtk.Initialize()
        self.setToolTip(self.tr("Drag to orbit, right-drag or wheel to zoom, click to select"))

    def draw(self) -> None:
        """Draw one frame (called by the frame scheduler)."""
        if self.isVisible():
            self.render_window.Render()

    def reset_camera(self) -> None:
        self.scene.reset_camera()
        self.draw()

    def camera_view(self, name: str = "") -> dict[str, object]:
        """The camera as a saved view (JSON-friendly), e.g. for incident packages."""
        cam = self.renderer.GetActiveCamera()
        return {
            "name": name,
            "position": list(cam.GetPosition()),
            "focal_point": list(cam.GetFocalPoint()),
            "view_up": list(cam.GetViewUp()),
            "view_angle": cam.GetViewAngle(),
        }

    def apply_view(self, view: Mapping[str, object]) -> None:
        """Put the camera where a saved view says; a malformed view is ignored."""
        try:
            position, focal, up = (
                [float(x) for x in view[key]]  # type: ignore[attr-defined]
                for key in ("position", "focal_point", "view_up")
            )
            angle = float(view.get("view_angle", 30.0))  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            return
        cam = self.renderer.GetActiveCamera()
        cam.SetPosition(*position)
        cam.SetFocalPoint(*focal)
        cam.SetViewUp(*up)
        cam.SetViewAngle(angle)
        self.renderer.ResetCameraClippingRange()
        self._stale = True

    def pick(self, x: int, y: int) -> str | None:
        """The asset at display position (x, y) in VTK coordinates (origin bottom-left)."""
        if not self._picker.Pick(x, y, 0.0, self.renderer):
            return None
        return self.scene.asset_at_pick(self._picker.GetViewProp(), self._picker.GetCellId())

    def grab_frame(self) -> QImage:
        """The rendered 3D frame as an image (``QWidget.grab`` sees black for GL)."""
        self.render_window.Render()
        grabber = vtkWindowToImageFilter()
        grabber.SetInput(self.render_window)
        grabber.SetInputBufferTypeToRGB()
        grabber.ReadFrontBufferOff()
        grabber.Update()
        image = grabber.GetOutput()
        width, height, _ = image.GetDimensions()
        pixels = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, 3)
        rows = np.ascontiguousarray(pixels[::-1])  # VTK's rows run bottom-up
        qimage = QImage(rows.data, width, height, 3 * width, QImage.Format.Format_RGB888)
        return qimage.copy()  # detach from the numpy buffer

    def frame_pixels(self) -> np.ndarray:
        """The rendered frame as an (h, w, 3) uint8 array, top row first."""
        return qimage_to_rgb(self.grab_frame())

    def display_position(self, world: tuple[float, float, float]) -> tuple[int, int]:
        """Widget (Qt, top-left origin) position of a world point."""
        self.renderer.SetWorldPoint(*world, 1.0)
        self.renderer.WorldToDisplay()
        x, y, _ = self.renderer.GetDisplayPoint()
        ratio = self._vtk.devicePixelRatioF() or 1.0
        return int(x / ratio), int(self._vtk.height() - y / ratio)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._vtk.close()  # finalizes the render window: its GL context goes
        # QVTKRenderWindowInteractor's VTK observers hold bound methods of the widget: a
        # cycle through VTK that Python's GC cannot see, which would keep the render
        # window (and the X connection it opened) alive.
        self.render_window.GetInteractor().RemoveAllObservers()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._vtk
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press_pos = event.position().toPoint()
            elif event.type() == QEvent.Type.MouseButtonRelease:
                self._maybe_click(event.position().toPoint())
        return super().eventFilter(watched, event)

    def _maybe_click(self, pos: QPoint) -> None:
        start, self._press_pos = self._press_pos, None
        if start is None or (pos - start).manhattanLength() > CLICK_SLOP_PX:
            return
        ratio = self._vtk.devicePixelRatioF() or 1.0
        x, y = int(pos.x() * ratio), int((self._vtk.height() - pos.y() - 1) * ratio)
        asset_id = self.pick(x, y)
        if asset_id is not None:
            self.asset_clicked.emit(asset_id)

    def update_frame(self, frame: Frame) -> None:
        """Colour and move the equipment for ``frame``; draw only if the picture changed.

        A software-GL render costs tens of ms, so a steady plant is not redrawn; camera
        moves are drawn by VTK's interactor as they happen.
        """
        recoloured = self.scene.set_asset_states(frame.asset_states)
        moved = self.scene.apply_motion(frame.values)
        if recoloured or moved or self._stale:
            self._stale = False
            self.draw()

    def flash(self, asset_ids: frozenset[str], on: bool) -> None:
        """One phase of the blinking of assets with unacknowledged alarms."""
        self.scene.flash(asset_ids, on)
        self._stale = True

    def select(self, asset_id: str | None) -> None:
        """Label ``asset_id`` (None clears it) from the next frame on."""
        self.scene.select(asset_id)
        self._stale = True
