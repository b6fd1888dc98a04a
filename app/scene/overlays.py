"""What is drawn over the equipment: the selection outline and value label, the marks on
assets without data, and heat colouring of a part with its colour bar."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkCommonTransforms import vtkTransform
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor
from vtkmodules.vtkRenderingCore import vtkActor, vtkGlyph3DMapper, vtkRenderer

from app.core_text import word
from app.scene.floor import flat_actor, line_segments, world_text
from app.scene.fonts import use_cjk_font
from app.scene.instances import BitMask
from app.scene.kinematics import box_corners
from app.scene.primitives import transformed
from app.theme import DETAIL_RGB, HEALTH_PALETTE, SELECTION_RGB, STATE_RGB, rgbf
from twin.status import State

if TYPE_CHECKING:
    from app.scene.instances import PartGroup
    from app.scene.vtk_plant_scene import VtkPlantScene

NO_DATA_MARK_RGB = (176, 140, 230)  # a brighter violet than the no-data body colour
LABEL_SIGNALS = 6  # values shown in the selected asset's label
# Viridis control points: dark violet to yellow, no red anywhere, so a heat-coloured part
# is never mistaken for equipment in alarm (ISA-101 keeps red for alarms).
HEAT_RAMP = ((0.267, 0.005, 0.329), (0.230, 0.322, 0.546), (0.128, 0.567, 0.551),
             (0.369, 0.789, 0.383), (0.993, 0.906, 0.144))  # fmt: skip
_EDGES = [(a, b) for a in range(8) for b in range(a + 1, 8) if bin(a ^ b).count("1") == 1]


def format_value(value: float, unit: str = "") -> str:
    """A reading with as many decimals as its size deserves, and its unit."""
    if not math.isfinite(value):
        return QCoreApplication.translate("CoreText", "no data")
    size = abs(value)
    text = f"{value:.0f}" if size >= 100 else f"{value:.1f}" if size >= 10 else f"{value:.2f}"
    return f"{text} {unit}".strip()


def outline(bounds: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The 12 edges of a box as (starts, ends)."""
    corners = box_corners(np.asarray(bounds, dtype=np.float64))
    return corners[[a for a, _ in _EDGES]], corners[[b for _, b in _EDGES]]


class SelectionOverlay:
    """The selected asset: its box outlined in the selection colour and a label, facing the
    camera, with its name and current values."""

    def __init__(self, scene: VtkPlantScene, renderer: vtkRenderer) -> None:
        self.scene = scene
        self.renderer = renderer
        self.asset_id: str | None = None
        self._outline: vtkActor | None = None
        self._bounds: tuple[float, ...] = ()
        self.label = world_text("", (0.0, 0.0, 0.0))
        tp = self.label.GetTextProperty()
        tp.SetFontSize(15)
        tp.SetColor(*rgbf(SELECTION_RGB))
        tp.SetJustificationToLeft()
        tp.SetVerticalJustificationToBottom()
        tp.SetBackgroundColor(0.05, 0.06, 0.07)
        tp.SetBackgroundOpacity(0.95)  # area names under it must not show through
        tp.SetFrame(True)
        tp.SetFrameColor(*rgbf(SELECTION_RGB))
        self.label.VisibilityOff()
        renderer.AddViewProp(self.label)

    def show(self, asset_id: str | None) -> None:
        self.asset_id = asset_id
        self._bounds = ()
        if asset_id is None:
            self.label.VisibilityOff()
            self._set_outline(None)
            return
        self.label.SetInput(self.scene.plant.asset(asset_id).name)
        self.label.VisibilityOn()
        self._place()

    def _place(self) -> bool:
        assert self.asset_id is not None
        bounds = self.scene.asset_bounds(self.asset_id)
        if bounds == self._bounds:
            return False
        self._bounds = bounds
        self._set_outline(bounds)
        x = bounds[1] + 0.3
        self.label.GetPositionCoordinate().SetValue(x, (bounds[2] + bounds[3]) / 2, bounds[5])
        return True

    def _set_outline(self, bounds: tuple[float, ...] | None) -> None:
        if self._outline is not None:
            self.renderer.RemoveActor(self._outline)
            self._outline = None
        if bounds is None:
            return
        # Two nested one-pixel outlines read as a bold one; wide lines cost a geometry
        # shader pass (see add_floor).
        starts, ends = [], []
        for pad in (0.05, 0.1):
            s, e = outline(tuple(b + (pad if i % 2 else -pad) for i, b in enumerate(bounds)))
            starts.append(s)
            ends.append(e)
        poly = line_segments(np.concatenate(starts), np.concatenate(ends))
        self._outline = flat_actor(poly, SELECTION_RGB)
        self.renderer.AddActor(self._outline)

    def text(self, values: np.ndarray, states: np.ndarray) -> str:
        """The label: name, state, then the asset's first few values."""
        assert self.asset_id is not None
        asset = self.scene.plant.asset(self.asset_id)
        state = State(int(states[self.scene.index_of(self.asset_id)]))
        lines = [f"{asset.name}  [{word(state.name.lower().replace('_', ' '))}]"]
        for sig in asset.signals[:LABEL_SIGNALS]:
            value = float(values[self.scene._signal_index[sig.id]])
            lines.append(f"{sig.name}: {format_value(value, sig.unit)}")
        return "\n".join(lines)

    def update(self, values: np.ndarray, states: np.ndarray) -> bool:
        """Refresh the label's values and follow a moving asset; True if anything changed."""
        if self.asset_id is None:
            return False
        moved = self._place()
        text = self.text(values, states)
        if text == self.label.GetInput():
            return moved
        self.label.SetInput(text)
        return True


class NoDataMarks:
    """A violet diamond over every asset whose data is missing or stale, so that "no data"
    reads as a different kind of thing from a state colour, even for colour-blind users.

    One diamond shape drawn as an instance per asset; a state change only rewrites the
    mask that says which instances show. Triangles, not outlines: on llvmpipe the corner
    brackets first tried here cost ~15 ms a frame for 1,000 assets, the diamonds ~1 ms.
    """

    def __init__(self, scene: VtkPlantScene, renderer: vtkRenderer) -> None:
        bounds = scene.all_bounds()
        n = len(bounds)
        centre = (bounds[:, 0::2] + bounds[:, 1::2]) / 2
        centre[:, 2] = bounds[:, 5] + 0.45  # hovering over the asset's top
        self._points = centre.astype(np.float32)
        self._mask = BitMask(n, "mask", False)
        self.poly = vtkPolyData()
        points = vtkPoints()
        points.SetData(numpy_to_vtk(self._points, deep=False))
        self.poly.SetPoints(points)
        self.poly.GetPointData().AddArray(self._mask.array)
        mapper = vtkGlyph3DMapper()
        mapper.SetInputData(self.poly)
        mapper.SetSourceData(_diamond())
        mapper.OrientOff()
        mapper.ScalingOff()
        mapper.SetMaskArray("mask")
        mapper.MaskingOn()
        mapper.ScalarVisibilityOff()
        self.actor = vtkActor()
        self.actor.SetMapper(mapper)
        self.actor.GetProperty().SetColor(*rgbf(NO_DATA_MARK_RGB))
        self.actor.GetProperty().SetAmbient(0.5)
        self.actor.PickableOff()
        self.actor.VisibilityOff()
        renderer.AddActor(self.actor)

    def update(self, mask: np.ndarray) -> None:
        if self._mask.set(mask):
            self.actor.SetVisibility(bool(mask.any()))


def _diamond(radius: float = 0.2, height: float = 0.6) -> vtkPolyData:
    """An upright octahedron: eight triangles, a marker readable from any side."""
    src = vtkSphereSource()
    src.SetThetaResolution(4)
    src.SetPhiResolution(3)
    src.SetRadius(radius)
    src.Update()
    stretch = vtkTransform()
    stretch.Scale(1.0, 1.0, height / (2 * radius))
    return transformed(src.GetOutput(), stretch)


def heat_lookup_table(lo: float, hi: float) -> vtkLookupTable:
    ramp = np.array(HEAT_RAMP)
    x = np.linspace(0.0, 1.0, 256)
    stops = np.linspace(0.0, 1.0, len(ramp))
    table = vtkLookupTable()
    table.SetNumberOfTableValues(256)
    for i, xi in enumerate(x):
        r, g, b = (float(np.interp(xi, stops, ramp[:, c])) for c in range(3))
        table.SetTableValue(i, r, g, b, 1.0)
    table.SetRange(lo, hi if hi > lo else lo + 1.0)
    return table


class HeatOverlay:
    """One part of one asset coloured by a signal, with a colour bar naming the signal."""

    def __init__(self, scene: VtkPlantScene, renderer: vtkRenderer) -> None:
        self.scene = scene
        # The part's instances (in its full and low-detail shapes), and the signal's index.
        self.targets: list[tuple[PartGroup, int]] = []
        self.signal_index = -1
        self._rgb: tuple[int, int, int] | None = None
        self.table = heat_lookup_table(0.0, 1.0)
        self.bar = vtkScalarBarActor()
        self.bar.SetLookupTable(self.table)
        self.bar.SetNumberOfLabels(5)
        self.bar.SetLabelFormat("%.4g")
        self.bar.SetPosition(0.91, 0.12)
        self.bar.SetWidth(0.07)
        self.bar.SetHeight(0.55)
        self.bar.UnconstrainedFontSizeOn()
        for tp in (self.bar.GetTitleTextProperty(), self.bar.GetLabelTextProperty()):
            use_cjk_font(tp)  # the title names a signal, maybe in Chinese
            tp.SetColor(0.84, 0.86, 0.88)
            tp.SetFontSize(13)
            tp.ShadowOff()
            tp.ItalicOff()
        self.bar.VisibilityOff()
        renderer.AddViewProp(self.bar)

    def set(
        self, asset_id: str, part: str, signal_id: str, lo: float, hi: float, unit: str
    ) -> None:
        targets = [(g, k) for g, k in self.scene.parts_of(asset_id) if g.part.name == part]
        if not targets:
            names = ", ".join(self.scene.part_names(asset_id))
            raise KeyError(f"asset {asset_id} has no part {part!r} (it has {names})")
        signal = self.scene.plant.signal(signal_id)
        self.clear()
        self.targets = targets
        self.signal_index = self.scene._signal_index[signal_id]
        self.table.SetRange(lo, hi if hi > lo else lo + 1.0)
        self.bar.SetTitle(f"{signal.name} ({unit or signal.unit})\n{asset_id} {part}")
        self.bar.VisibilityOn()

    def clear(self) -> None:
        if self.targets:
            for group, slot in self.targets:
                if not group.body:
                    group.colours[slot] = DETAIL_RGB
                    group.colours_changed()
            self.targets, self._rgb = [], None
            self.scene.repaint()
        self.bar.VisibilityOff()

    def update(self, values: np.ndarray) -> bool:
        if not self.targets:
            return False
        value = float(values[self.signal_index])
        if math.isfinite(value):
            rgb = [0.0, 0.0, 0.0]
            self.table.GetColor(value, rgb)
            colour = (round(rgb[0] * 255), round(rgb[1] * 255), round(rgb[2] * 255))
        else:
            colour = STATE_RGB[State.NO_DATA]
        if colour == self._rgb:
            return False
        self._rgb = colour
        self.repaint()
        return True

    def repaint(self) -> None:
        """Put the heat colour back after the state colours were painted over it."""
        if self._rgb is None:
            return
        for group, slot in self.targets:
            group.colours[slot] = self._rgb
            group.colours_changed()


class HealthLegend:
    """The colour scale of health colouring (0 failed .. 100 as new), at the left edge."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.table = vtkLookupTable()
        self.table.SetNumberOfTableValues(101)
        self.table.SetRange(0.0, 100.0)
        for h in range(101):
            r, g, b = HEALTH_PALETTE[h]
            self.table.SetTableValue(h, r / 255, g / 255, b / 255, 1.0)
        self.table.Build()
        self.bar = vtkScalarBarActor()
        self.bar.SetLookupTable(self.table)
        self.bar.SetTitle(QCoreApplication.translate("HealthLegend", "Health"))
        self.bar.SetNumberOfLabels(5)
        self.bar.SetLabelFormat("%.0f")
        self.bar.SetPosition(0.01, 0.12)
        self.bar.SetWidth(0.07)
        self.bar.SetHeight(0.5)
        self.bar.UnconstrainedFontSizeOn()
        for tp in (self.bar.GetTitleTextProperty(), self.bar.GetLabelTextProperty()):
            use_cjk_font(tp)  # the title names a signal, maybe in Chinese
            tp.SetColor(0.84, 0.86, 0.88)
            tp.SetFontSize(13)
            tp.ShadowOff()
            tp.ItalicOff()
        self.bar.VisibilityOff()
        renderer.AddViewProp(self.bar)

    def show(self, on: bool) -> None:
        self.bar.SetVisibility(on)
