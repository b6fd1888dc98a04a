"""The plant in VTK: one set of part actors per asset, coloured by state, moved by signals.

A plain adapter around a vtkRenderer (no Qt): the Qt view owns the window, this owns
what is drawn in it. Colours and positions are touched only when they change, so a frame
with a steady plant costs almost nothing before the render itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkFiltersSources import vtkPlaneSource
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkBillboardTextActor3D,
    vtkPolyDataMapper,
    vtkProp,
    vtkRenderer,
)

from app.scene.equipment import BODY, Motion, build_parts
from app.scene.merged_geometry import GeometryBuilder, MergedGeometry, asset_transform
from app.theme import (
    BACKGROUND_BOTTOM_RGB,
    BACKGROUND_TOP_RGB,
    DETAIL_RGB,
    FLOOR_RGB,
    SELECTION_RGB,
    STATE_RGB,
    rgbf,
    state_rgbf,
)
from twin.plant.model import Asset, Plant
from twin.status import State


@dataclass
class _MovingPart:
    actor: vtkActor
    base: tuple[float, float, float]
    motion: Motion
    signal_index: int
    yaw_rad: float
    body: bool = False


def _actor(poly: vtkPolyData, rgb: tuple[float, float, float]) -> vtkActor:
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(poly)
    actor = vtkActor()
    actor.SetMapper(mapper)
    prop = actor.GetProperty()
    prop.SetColor(*rgb)
    prop.SetAmbient(0.25)
    prop.SetDiffuse(0.75)
    prop.SetSpecular(0.1)
    return actor


class VtkPlantScene:
    """Builds and updates what a plant looks like inside ``renderer``.

    Static parts of all assets are merged into one actor coloured per cell; only parts
    that move with a signal (press rams, elevator cars) are actors of their own.
    """

    def __init__(self, plant: Plant, renderer: vtkRenderer) -> None:
        self.plant = plant
        self.renderer = renderer
        self._asset_index = {a.id: i for i, a in enumerate(plant.assets)}
        self._signal_index = {s.id: i for i, s in enumerate(plant.signals)}
        self._moving: list[_MovingPart] = []
        self._asset_of_actor: dict[int, int] = {}
        self._states = np.full(len(plant.assets), -1, dtype=np.int8)
        self._palette = np.array([STATE_RGB[s] for s in sorted(State)], dtype=np.uint8)
        self._dimmed = np.zeros(len(plant.assets), dtype=bool)  # flashing, "off" phase
        self._label = vtkBillboardTextActor3D()
        self._setup_renderer()
        builder = GeometryBuilder(len(plant.assets))
        for index, asset in enumerate(plant.assets):
            self._add_asset(index, asset, builder)
        self.geometry = builder.build()
        self._merged = self._add_merged(self.geometry)
        self.set_asset_states(np.full(len(plant.assets), State.NO_DATA, dtype=np.int8))
        self._add_floor()
        self._add_area_labels()
        self._add_selection_label()

    # -- construction -------------------------------------------------------------------
    def _setup_renderer(self) -> None:
        r = self.renderer
        r.GradientBackgroundOn()
        r.SetBackground(*rgbf(BACKGROUND_BOTTOM_RGB))
        r.SetBackground2(*rgbf(BACKGROUND_TOP_RGB))
        r.UseFXAAOff()

    def _add_asset(self, index: int, asset: Asset, builder: GeometryBuilder) -> None:
        transform = asset_transform(asset.position, asset.yaw_deg)
        for part in build_parts(asset.kind, asset.params):
            sig = asset.signal(part.motion.signal_key) if part.motion else None
            if part.motion is None or sig is None:
                builder.add(index, part, transform)
                continue
            colour = state_rgbf(State.NO_DATA) if part.role == BODY else rgbf(DETAIL_RGB)
            actor = _actor(part.poly, colour)
            actor.SetPosition(*asset.position)
            actor.SetOrientation(0.0, 0.0, asset.yaw_deg)
            self.renderer.AddActor(actor)
            self._asset_of_actor[id(actor)] = index
            self._moving.append(
                _MovingPart(
                    actor,
                    asset.position,
                    part.motion,
                    self._signal_index[sig.id],
                    math.radians(asset.yaw_deg),
                    body=part.role == BODY,
                )
            )
            builder.include_bounds(index, actor.GetBounds())

    def _add_merged(self, geometry: MergedGeometry) -> vtkActor:
        actor = _actor(geometry.poly, rgbf(DETAIL_RGB))
        mapper = actor.GetMapper()
        mapper.SetScalarModeToUseCellData()
        mapper.SetColorModeToDirectScalars()
        mapper.ScalarVisibilityOn()
        self.renderer.AddActor(actor)
        return actor

    def _add_floor(self) -> None:
        xmin, xmax, ymin, ymax = self._footprint(margin=4.0)
        plane = vtkPlaneSource()
        plane.SetOrigin(xmin, ymin, -0.01)
        plane.SetPoint1(xmax, ymin, -0.01)
        plane.SetPoint2(xmin, ymax, -0.01)
        plane.SetResolution(max(1, int((xmax - xmin) / 2)), max(1, int((ymax - ymin) / 2)))
        plane.Update()
        floor = _actor(plane.GetOutput(), rgbf(FLOOR_RGB))
        floor.PickableOff()
        floor.GetProperty().SetSpecular(0.0)
        self.renderer.AddActor(floor)
        grid = _actor(plane.GetOutput(), rgbf((48, 56, 66)))
        grid.GetProperty().SetRepresentationToWireframe()
        grid.GetProperty().LightingOff()
        grid.PickableOff()
        grid.SetPosition(0, 0, 0.005)
        self.renderer.AddActor(grid)

    def _add_area_labels(self) -> None:
        for area in self.plant.areas:
            assets = self.plant.assets_in(area.id)
            if not assets:
                continue
            xs = [a.position[0] for a in assets]
            ys = [a.position[1] for a in assets]
            label = vtkBillboardTextActor3D()
            label.SetInput(area.name)
            label.SetPosition(sum(xs) / len(xs), min(ys) - 2.5, 0.2)
            label.GetTextProperty().SetFontSize(16)
            label.GetTextProperty().SetColor(0.72, 0.76, 0.8)
            label.GetTextProperty().SetJustificationToCentered()
            label.PickableOff()
            self.renderer.AddActor(label)

    def _add_selection_label(self) -> None:
        tp = self._label.GetTextProperty()
        tp.SetFontSize(18)
        tp.SetBold(True)
        tp.SetColor(*rgbf(SELECTION_RGB))
        tp.SetJustificationToCentered()
        tp.SetBackgroundColor(0.05, 0.06, 0.07)
        tp.SetBackgroundOpacity(0.7)
        self._label.PickableOff()
        self._label.VisibilityOff()
        self.renderer.AddActor(self._label)

    def _footprint(self, margin: float) -> tuple[float, float, float, float]:
        xs = [a.position[0] for a in self.plant.assets] or [0.0]
        ys = [a.position[1] for a in self.plant.assets] or [0.0]
        return min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin

    # -- updates --------------------------------------------------------------------------
    def flash(self, asset_ids: frozenset[str], on: bool) -> None:
        """Blink assets with unacknowledged alarms: dimmed in the "off" phase."""
        self._dimmed = np.zeros(len(self.plant.assets), dtype=bool)
        if not on:
            for asset_id in asset_ids:
                self._dimmed[self._asset_index[asset_id]] = True
        self._paint(self._states)

    def _paint(self, states: np.ndarray) -> None:
        rgb = self._palette[states]
        # Dim, not dark: the alarm colour stays recognisable in the "off" phase too.
        rgb[self._dimmed] = (rgb[self._dimmed] * 0.55).astype(np.uint8)
        self.geometry.paint(rgb, DETAIL_RGB)

    def set_asset_states(self, states: np.ndarray) -> bool:
        """Colour each asset's body parts by its state (plant asset order); True if changed."""
        if np.array_equal(states, self._states):
            return False
        self._paint(states)
        for part in self._moving:
            if part.body:
                index = self._asset_of_actor[id(part.actor)]
                part.actor.GetProperty().SetColor(*state_rgbf(State(int(states[index]))))
        self._states = states.copy()
        return True

    def apply_motion(self, values: np.ndarray) -> bool:
        """Move parts driven by signals (``values`` in plant signal order); True if any moved."""
        moved = False
        for part in self._moving:
            value = values[part.signal_index]
            if not np.isfinite(value):
                continue
            m = part.motion
            shift = min(max(m.scale * (float(value) - m.offset), m.limits[0]), m.limits[1])
            offset = [0.0, 0.0, 0.0]
            offset[m.axis] = shift
            if m.axis != 2:  # horizontal motion turns with the asset
                c, s = math.cos(part.yaw_rad), math.sin(part.yaw_rad)
                offset = [offset[0] * c - offset[1] * s, offset[0] * s + offset[1] * c, 0.0]
            x, y, z = part.base
            target = (x + offset[0], y + offset[1], z + offset[2])
            if (
                max(abs(a - b) for a, b in zip(part.actor.GetPosition(), target, strict=True))
                > 1e-4
            ):
                part.actor.SetPosition(*target)
                moved = True
        return moved

    def select(self, asset_id: str | None) -> None:
        """Show the selection label over ``asset_id`` (None clears it)."""
        if asset_id is None or not self.plant.has_asset(asset_id):
            self._label.VisibilityOff()
            return
        asset = self.plant.asset(asset_id)
        bounds = self.asset_bounds(asset_id)
        self._label.SetInput(asset.name)
        self._label.SetPosition(asset.position[0], asset.position[1], bounds[5] + 0.6)
        self._label.VisibilityOn()

    def asset_bounds(self, asset_id: str) -> tuple[float, ...]:
        """World bounds (xmin, xmax, ymin, ymax, zmin, zmax) of an asset's parts."""
        return tuple(float(x) for x in self.geometry.asset_bounds[self._asset_index[asset_id]])

    def asset_at_pick(self, prop: vtkProp | None, cell_id: int) -> str | None:
        """The asset a picked prop (and, for the merged actor, cell) belongs to."""
        if prop is None:
            return None
        if prop is self._merged and 0 <= cell_id < len(self.geometry.cell_asset):
            return self.plant.assets[int(self.geometry.cell_asset[cell_id])].id
        index = self._asset_of_actor.get(id(prop))
        return None if index is None else self.plant.assets[index].id

    def reset_camera(self) -> None:
        """An elevated three-quarter view that fits the whole floor."""
        xmin, xmax, ymin, ymax = self._footprint(margin=1.0)
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        cam = self.renderer.GetActiveCamera()
        cam.SetFocalPoint(cx, cy, 0.0)
        cam.SetPosition(cx + 0.1, cy - 1.0, 0.9)  # only the direction matters here
        cam.SetViewUp(0.0, 0.0, 1.0)
        cam.SetViewAngle(30.0)
        # Fit the floor and the height of ordinary machines; a tall tower may leave the top.
        self.renderer.ResetCamera(xmin, xmax, ymin, ymax, 0.0, 4.0)
        cam.Dolly(1.7)  # the fitted sphere is loose around a flat floor
        self.renderer.ResetCameraClippingRange()
