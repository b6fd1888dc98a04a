"""Beacons: a marker of constant size on screen above every asset in alarm or warning.

At overview distance a motor is a few pixels wide, so its red body alone is easy to miss
among thousands. A beacon is a point sprite drawn a fixed number of pixels wide (points
are sized in pixels, not metres) hovering above the asset, with a dark rim so that it
reads on any background; alarms are drawn larger than warnings and on top of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, numpy_to_vtkIdTypeArray
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer

from app.theme import STATE_RGB, rgbf
from twin.status import State

if TYPE_CHECKING:
    from app.scene.vtk_plant_scene import VtkPlantScene

BEACON_PX = {State.ALARM: 16.0, State.WARNING: 11.0}  # diameter on screen
RIM_PX = 4.0  # the dark ring around each beacon, in pixels
HOVER_M = 0.4  # how far above the asset's top a beacon floats


class _PointLayer:
    """One colour of points at a subset of the asset positions, ``size`` px wide."""

    def __init__(
        self, points: vtkPoints, rgb: tuple[float, float, float], size: float, round_: bool
    ) -> None:
        self.poly = vtkPolyData()
        self.poly.SetPoints(points)
        self.poly.SetVerts(vtkCellArray())
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(self.poly)
        mapper.ScalarVisibilityOff()
        self.actor = vtkActor()
        self.actor.SetMapper(mapper)
        prop = self.actor.GetProperty()
        prop.SetColor(*rgb)
        prop.SetPointSize(size)
        prop.SetAmbient(1.0)
        prop.SetDiffuse(0.0)
        # A sphere impostor lies in front of a flat point at the same place, so the dot
        # (round) always covers the middle of its rim (flat), whatever the depth test says.
        prop.SetRenderPointsAsSpheres(round_)
        self.actor.PickableOff()
        self.actor.VisibilityOff()

    def show(self, indices: np.ndarray) -> None:
        """Draw a point at each asset index in ``indices`` (none: hidden)."""
        n = len(indices)
        offsets = np.arange(n + 1, dtype=np.int64)  # one point per vertex cell
        cells = vtkCellArray()
        cells.SetData(
            numpy_to_vtkIdTypeArray(offsets, deep=True),
            numpy_to_vtkIdTypeArray(indices.astype(np.int64), deep=True),
        )
        self.poly.SetVerts(cells)
        self.poly.Modified()
        self.actor.SetVisibility(n > 0)


class Beacons:
    """Beacons over the assets whose state is ALARM or WARNING."""

    def __init__(self, scene: VtkPlantScene, renderer: vtkRenderer) -> None:
        bounds = scene.all_bounds()
        above = (bounds[:, 0::2] + bounds[:, 1::2]) / 2
        above[:, 2] = bounds[:, 5] + HOVER_M
        points = vtkPoints()
        points.SetData(numpy_to_vtk(above.astype(np.float32), deep=True))
        self.layers: dict[State, tuple[_PointLayer, _PointLayer]] = {}
        for state in (State.WARNING, State.ALARM):  # alarms added last: drawn on top
            size = BEACON_PX[state]
            rim = _PointLayer(points, (0.05, 0.05, 0.06), size + RIM_PX, round_=False)
            dot = _PointLayer(points, rgbf(STATE_RGB[state]), size, round_=True)
            for layer in (rim, dot):
                renderer.AddActor(layer.actor)
            self.layers[state] = (rim, dot)

    def update(self, states: np.ndarray) -> None:
        for state, layers in self.layers.items():
            indices = np.flatnonzero(states == state)
            for layer in layers:
                layer.show(indices)

    def shown(self, state: State) -> int:
        """How many beacons of ``state`` are drawn."""
        return int(self.layers[state][1].poly.GetNumberOfVerts())
