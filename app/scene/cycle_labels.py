"""Cycle labels: above each machine of a production line in the 3D view, a label with its
cycle under way against the line's target (a bar and "62 %"), its last cycle against the
target ("last 3:31 / 3:36", amber when slower), the cause when it is stopped, and the
line's bottleneck marked.

A label is a few 2D props (a box, a bar, text in the CJK font of ``fonts.py``) placed in
pixels relative to a point above the machine, so it faces the camera and keeps its size.
Where labels would overlap on screen they are stacked (``label_stack``), worked out again
only when the camera or the view's size changed. ``QtCycleLabels`` feeds them from the
frames: the line indicators at the cursor, at most ``REFRESH_HZ`` times a second. A plant
without lines gets none of this (``install_cycle_labels`` adds nothing to draw or update).
"""

from __future__ import annotations

import math
import time
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject
from vtkmodules.vtkCommonCore import vtkCommand, vtkPoints, vtkUnsignedCharArray
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkCamera,
    vtkCoordinate,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextActor,
)

from app.frame.builder import Frame
from app.scene.cycle_label_text import (
    BOTTLENECK_RGB,
    NONE,
    TEXT_RGB,
    CycleLabel,
    bottleneck_word,
    plant_labels,
)
from app.scene.fonts import use_cjk_font
from app.scene.label_stack import stack_labels
from app.scene.qt_scene_view import QtSceneView
from app.theme import rgbf
from twin.kpi.replay import CursorIndicators
from twin.plant.model import Plant

if TYPE_CHECKING:
    from app.scene.vtk_plant_scene import VtkPlantScene

REFRESH_HZ = 2.0  # text refreshes a second at most: a 216 s cycle moves 1 % in 2 s
HOVER_M = 0.6  # the point a label stands on, above the machine's top
LIFT_PX = 14.0  # from that point to the label's bottom (a leader line between)
PAD_PX = 6.0
ROW_PX = 18.0
TITLE_PX, BODY_PX = 15, 13  # font sizes
BAR_W_PX, BAR_H_PX = 64.0, 8.0
BOX_RGBA = (16, 19, 23, 245)  # what lies under it (area names) must not show through
TRACK_RGBA = (60, 66, 74, 255)
FRAME_RGB = (92, 100, 110)


def _coordinate(system: str, reference: vtkCoordinate | None = None) -> vtkCoordinate:
    c = vtkCoordinate()
    getattr(c, f"SetCoordinateSystemTo{system}")()
    if reference is not None:
        c.SetReferenceCoordinate(reference)
    return c


def _text(size: int, origin: vtkCoordinate, bold: bool = False) -> vtkTextActor:
    actor = vtkTextActor()
    prop = actor.GetTextProperty()
    use_cjk_font(prop)  # causes and plant ids may be Chinese
    prop.SetFontSize(size)
    prop.SetBold(bold)
    prop.SetVerticalJustificationToBottom()
    position = actor.GetPositionCoordinate()
    position.SetCoordinateSystemToDisplay()
    position.SetReferenceCoordinate(origin)
    actor.PickableOff()
    return actor


def _shape_actor(origin: vtkCoordinate) -> tuple[vtkActor2D, vtkPolyData]:
    poly = vtkPolyData()
    mapper = vtkPolyDataMapper2D()
    mapper.SetInputData(poly)
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    position = actor.GetPositionCoordinate()
    position.SetCoordinateSystemToDisplay()
    position.SetReferenceCoordinate(origin)
    actor.PickableOff()
    return actor, poly


def _rects(poly: vtkPolyData, rects: Sequence[tuple[float, float, float, float]]) -> None:
    """Fill ``poly`` with axis-aligned rectangles (x0, y0, x1, y1), one cell each."""
    points = vtkPoints()
    cells = vtkCellArray()
    for x0, y0, x1, y1 in rects:
        first = points.GetNumberOfPoints()
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
            points.InsertNextPoint(x, y, 0.0)
        cells.InsertNextCell(4, [first + k for k in range(4)])
    poly.SetPoints(points)
    poly.SetPolys(cells)


class VtkCycleLabel:
    """The label of machine ``asset_id``: standing on ``anchor`` (world), drawn in
    ``renderer``."""

    def __init__(
        self, renderer: vtkRenderer, asset_id: str, anchor: tuple[float, float, float]
    ) -> None:
        self.renderer = renderer
        self.anchor = np.asarray(anchor, dtype=np.float64)
        self.world = _coordinate("World")
        self.world.SetValue(*anchor)
        self.origin = _coordinate("Display", self.world)  # the label's bottom centre
        self.origin.SetValue(0.0, LIFT_PX)
        self.box, self._box_poly = _shape_actor(self.origin)  # background, bar track, fill
        self.frame, self._frame_poly = _shape_actor(self.origin)  # outline, leader line
        self.frame.GetProperty().SetColor(*rgbf(FRAME_RGB))
        self.title = _text(TITLE_PX, self.origin, bold=True)
        self.title.GetTextProperty().SetColor(*rgbf(TEXT_RGB))
        self.title.SetInput(asset_id)
        self.tag = _text(BODY_PX, self.origin)
        self.tag.GetTextProperty().SetColor(*rgbf(BOTTLENECK_RGB))
        self.tag.GetTextProperty().SetJustificationToRight()
        self.figure = _text(BODY_PX, self.origin)  # "62 %", or the cause of a stop
        self.cycle = _text(BODY_PX, self.origin)
        self.props = (self.box, self.frame, self.title, self.tag, self.figure, self.cycle)
        for prop in self.props:
            renderer.AddViewProp(prop)
        self.label: CycleLabel | None = None
        self.size = (0.0, 0.0)
        self.offset = (0.0, LIFT_PX)  # from the anchor to the box's bottom centre
        self.set(None)

    # -- content --------------------------------------------------------------------------
    def set(self, label: CycleLabel | None) -> bool:
        """Show ``label`` (None: the machine's id alone, until its figures come); True if
        anything drawn changed."""
        if label == self.label and self.size[0] > 0:
            return False
        self.label = label
        stopped = label is not None and bool(label.state)
        self.tag.SetInput(bottleneck_word() if label is not None and label.bottleneck else "")
        if label is None:
            self.figure.SetInput(NONE)
            self.cycle.SetInput("")
        else:
            self.figure.SetInput(label.state if stopped else label.progress_text)
            rgb = label.state_rgb if stopped else label.progress_rgb
            self.figure.GetTextProperty().SetColor(*rgbf(rgb))
            self.cycle.SetInput(label.cycle_text)
            self.cycle.GetTextProperty().SetColor(*rgbf(label.cycle_rgb))
        bottleneck = label is not None and label.bottleneck
        self.frame.GetProperty().SetColor(*rgbf(BOTTLENECK_RGB if bottleneck else FRAME_RGB))
        bar = 0.0 if stopped else BAR_W_PX + PAD_PX
        self.size = self._place_texts(bar)
        self._fill_box(bar > 0)
        self._outline()
        return True

    def _width(self, actor: vtkTextActor) -> float:
        if not actor.GetInput():
            return 0.0
        box = [0.0] * 4
        actor.GetBoundingBox(self.renderer, box)
        return box[1] - box[0]

    def _place_texts(self, bar: float) -> tuple[float, float]:
        """Put the texts in three rows (title and tag; the bar, ``bar`` px wide, and its
        percentage, or the cause of a stop; the last cycle) and return the box's size."""
        tag = self._width(self.tag)
        inner = max(
            self._width(self.title) + (tag + 2 * PAD_PX if tag else 0.0),
            bar + self._width(self.figure),
            self._width(self.cycle),
        )
        w, h = inner + 2 * PAD_PX, 3 * ROW_PX + 2 * PAD_PX - 4.0
        left = -w / 2 + PAD_PX
        self.title.GetPositionCoordinate().SetValue(left, PAD_PX + 2 * ROW_PX - 2.0)
        self.tag.GetPositionCoordinate().SetValue(w / 2 - PAD_PX, PAD_PX + 2 * ROW_PX - 1.0)
        self.figure.GetPositionCoordinate().SetValue(left + bar, PAD_PX + ROW_PX - 2.0)
        self.cycle.GetPositionCoordinate().SetValue(left, PAD_PX - 2.0)
        return w, h

    def _fill_box(self, with_bar: bool) -> None:
        """The background, and the progress bar's track and fill (where ``with_bar``)."""
        w, h = self.size
        left = -w / 2 + PAD_PX
        rects = [(-w / 2, 0.0, w / 2, h)]
        colours = [BOX_RGBA]
        label = self.label
        if with_bar:
            y0 = PAD_PX + ROW_PX + (ROW_PX - BAR_H_PX) / 2 - 3.0
            rects.append((left, y0, left + BAR_W_PX, y0 + BAR_H_PX))
            colours.append(TRACK_RGBA)
            if label is not None and math.isfinite(label.progress) and label.progress > 0:
                fill = BAR_W_PX * min(label.progress, 1.0)
                rects.append((left, y0, left + fill, y0 + BAR_H_PX))
                colours.append((*label.progress_rgb, 255))
        _rects(self._box_poly, rects)
        scalars = vtkUnsignedCharArray()
        scalars.SetNumberOfComponents(4)
        for rgba in colours:
            scalars.InsertNextTuple4(*rgba)
        self._box_poly.GetCellData().SetScalars(scalars)

    def _outline(self) -> None:
        """The box's outline and the leader line down to the anchor (it follows the box)."""
        w, h = self.size
        x = w / 2
        dx, dy = self.offset
        foot = min(max(-dx, -x), x)  # where the leader leaves the box: over the anchor
        corners = [(-x, 0.0), (x, 0.0), (x, h), (-x, h), (foot, 0.0), (-dx, 3.0 - dy)]
        points = vtkPoints()
        for cx, cy in corners:
            points.InsertNextPoint(cx, cy, 0.0)
        lines = vtkCellArray()
        lines.InsertNextCell(5, [0, 1, 2, 3, 0])
        lines.InsertNextCell(2, [4, 5])
        self._frame_poly.SetPoints(points)
        self._frame_poly.SetLines(lines)

    # -- placement --------------------------------------------------------------------------
    def place(self, dx: float, dy: float) -> None:
        """Put the box's bottom centre ``dx, dy`` pixels from the anchor."""
        if (dx, dy) != self.offset:
            self.offset = (dx, dy)
            self.origin.SetValue(dx, dy)
            self._outline()

    def show(self, on: bool) -> None:
        for prop in self.props:
            prop.SetVisibility(on)

    @property
    def visible(self) -> bool:
        return bool(self.box.GetVisibility())

    def display_rect(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the box in display pixels (y up), as last drawn."""
        x, y = self.origin.GetComputedDoubleDisplayValue(self.renderer)
        w, h = self.size
        return x - w / 2, y, x + w / 2, y + h

    def remove(self) -> None:
        for prop in self.props:
            self.renderer.RemoveViewProp(prop)


class VtkCycleLabels:
    """The labels of every line machine of ``scene``'s plant, stacked where they would
    overlap: laid out again before a render only when the camera or the view's size
    changed, or a label's size did."""

    def __init__(self, scene: VtkPlantScene) -> None:
        self.renderer = scene.renderer
        self.labels: dict[str, VtkCycleLabel] = {}
        for asset_id in line_machine_ids(scene.plant):
            b = scene.asset_bounds(asset_id)
            anchor = ((b[0] + b[1]) / 2, (b[2] + b[3]) / 2, b[5] + HOVER_M)
            self.labels[asset_id] = VtkCycleLabel(self.renderer, asset_id, anchor)
        self.anchors = np.array([lab.anchor for lab in self.labels.values()]).reshape(-1, 3)
        self.on = True
        self.layouts = 0  # how many times the labels were stacked (for tests and benches)
        self._laid_out: tuple[object, ...] | None = None
        ref = weakref.ref(self)  # the renderer must not keep the labels alive

        def before_render(*_: object) -> None:
            labels = ref()
            if labels is not None:
                labels.lay_out()

        self._observer = self.renderer.AddObserver(vtkCommand.StartEvent, before_render)

    def set(self, labels: Mapping[str, CycleLabel]) -> bool:
        """Show each machine's label; True if any changed."""
        changed = False
        for asset_id, label in labels.items():
            if asset_id in self.labels:
                changed |= self.labels[asset_id].set(label)
        return changed

    def show(self, on: bool) -> None:
        self.on = on
        self._laid_out = None  # the next render hides those behind the camera again
        for label in self.labels.values():
            label.show(on)

    def lay_out(self) -> None:
        """Stack the labels over their machines as the camera sees them now."""
        if not self.on or not self.labels:
            return
        camera = self.renderer.GetActiveCamera()
        sizes = np.array([lab.size for lab in self.labels.values()])
        # Not the camera's MTime: every render resets its clipping range, which counts.
        key = (
            camera.GetPosition(),
            camera.GetFocalPoint(),
            camera.GetViewUp(),
            camera.GetViewAngle(),
            camera.GetParallelScale(),
            self.renderer.GetSize(),
            sizes.tobytes(),
        )
        if key == self._laid_out:
            return
        self._laid_out = key
        self.layouts += 1
        shown = self._in_front(camera)
        display = np.array(
            [lab.world.GetComputedDoubleDisplayValue(self.renderer) for lab in self.labels.values()]
        )
        # Boxes kept inside the view sideways (a machine at its edge), then stacked.
        width = float(self.renderer.GetSize()[0])
        half = sizes[:, 0] / 2
        centres = display[:, :2].copy()
        centres[:, 0] = np.minimum(np.maximum(centres[:, 0], half), np.maximum(width - half, half))
        lifts = np.full(len(self.labels), LIFT_PX)
        # And upwards: a machine near the top edge has its label's anchor brought down so
        # that two stacked rows still fit, before stacking keeps the boxes apart.
        top = float(self.renderer.GetSize()[1]) - LIFT_PX - 2 * float(sizes[:, 1].max())
        centres[:, 1] = np.minimum(centres[:, 1], max(top, 0.0))
        lifts[shown] = stack_labels(centres[shown], sizes[shown], LIFT_PX)
        lifts += centres[:, 1] - display[:, 1]
        dxs = centres[:, 0] - display[:, 0]
        for label, dx, lift, front in zip(self.labels.values(), dxs, lifts, shown, strict=True):
            label.place(float(dx), float(lift))
            label.show(bool(front))

    def _in_front(self, camera: vtkCamera) -> np.ndarray:
        """Which anchors are in front of the camera (one behind it would be drawn mirrored)."""
        position = np.array(camera.GetPosition())
        ahead = np.array(camera.GetDirectionOfProjection())
        return (self.anchors - position) @ ahead > 0

    def close(self) -> None:
        """Take the labels out of the renderer and let go of its observer."""
        self.renderer.RemoveObserver(self._observer)
        for label in self.labels.values():
            label.remove()
        self.labels.clear()


def line_machine_ids(plant: Plant) -> list[str]:
    """Every machine of the plant's lines that the plant has, once, in line order."""
    ids = (a for line in plant.lines for a in line.machines if plant.has_asset(a))
    return list(dict.fromkeys(ids))


class QtCycleLabels(QObject):
    """The cycle labels of ``view``'s 3D scene, a frame view: each frame's cursor gives
    the line indicators (``source.at``), turned into the labels' text at most REFRESH_HZ
    times a second while they are shown and the cursor moved; the 3D view redraws when a
    label changed."""

    def __init__(self, view: QtSceneView, source: CursorIndicators, parent: QObject) -> None:
        super().__init__(parent)
        self.view = view
        self.source = source
        self.labels = VtkCycleLabels(view.scene)
        self.shown_at: int | None = None  # the cursor of the figures shown
        self.refreshes = 0
        self._refreshed = -math.inf  # monotonic time of the last refresh
        self._cursor: int | None = None  # the last frame's

    @property
    def on(self) -> bool:
        return self.labels.on

    def set_on(self, on: bool) -> None:
        """Show or hide every label (View > Cycle labels); shown, they say the cursor's."""
        self.labels.show(on)
        if on and self._cursor is not None:
            self.refresh(self._cursor)
        self.view.request_draw()

    def update_frame(self, frame: Frame) -> None:
        self._cursor = frame.cursor_ns
        if not self.labels.on or frame.cursor_ns == self.shown_at or not self.view.isVisible():
            return
        now = time.monotonic()
        if now - self._refreshed >= 1.0 / REFRESH_HZ:
            self.refresh(frame.cursor_ns)

    def refresh(self, cursor_ns: int) -> bool:
        """Say the indicators at ``cursor_ns``; False while they are loading."""
        self._refreshed = time.monotonic()
        ind = self.source.at(cursor_ns)
        if ind is None:
            return False
        self.shown_at = cursor_ns
        self.refreshes += 1
        if self.labels.set(plant_labels(ind)):
            self.view.request_draw()
        return True
