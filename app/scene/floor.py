"""The workshop floor, its grid, and the area names written on it."""

from __future__ import annotations

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, numpy_to_vtkIdTypeArray
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkTextActor,
)

from app.scene.fonts import use_cjk_font
from app.theme import FLOOR_RGB, rgbf
from twin.plant.model import Area, Plant

GRID_RGB = (48, 56, 66)
EDGE_RGB = (70, 80, 92)
# Lines per direction: long lines cost ~0.1 ms each on llvmpipe, so a 300 m plant gets a
# 10 m grid, not 150 lines of 2 m.
MAX_GRID_LINES = 40


def line_segments(starts: np.ndarray, ends: np.ndarray) -> vtkPolyData:
    """Polydata of straight segments from ``starts[i]`` to ``ends[i]`` (each (n, 3))."""
    n = len(starts)
    points = np.empty((2 * n, 3), dtype=np.float32)
    points[0::2], points[1::2] = starts, ends
    vtk_points = vtkPoints()
    vtk_points.SetData(numpy_to_vtk(points, deep=True))
    connectivity = np.arange(2 * n, dtype=np.int64)
    offsets = np.arange(0, 2 * n + 1, 2, dtype=np.int64)
    lines = vtkCellArray()
    lines.SetData(
        numpy_to_vtkIdTypeArray(offsets, deep=True),
        numpy_to_vtkIdTypeArray(connectivity, deep=True),
    )
    poly = vtkPolyData()
    poly.SetPoints(vtk_points)
    poly.SetLines(lines)
    return poly


def flat_actor(poly: vtkPolyData, rgb: tuple[int, int, int]) -> vtkActor:
    """An unlit, unpickable actor: overlays and the floor cost little to draw this way."""
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(poly)
    mapper.ScalarVisibilityOff()
    actor = vtkActor()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*rgbf(rgb))
    actor.GetProperty().LightingOff()
    actor.PickableOff()
    return actor


def footprint(plant: Plant, margin: float) -> tuple[float, float, float, float]:
    """xmin, xmax, ymin, ymax of the asset positions, widened by ``margin``."""
    xs = [a.position[0] for a in plant.assets] or [0.0]
    ys = [a.position[1] for a in plant.assets] or [0.0]
    return min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin


def add_floor(plant: Plant, renderer: vtkRenderer) -> None:
    """The floor: a grid and an edge line on a background of the floor's colour.

    No floor polygon: filling most of a 1280x800 view costs ~12 ms a frame on llvmpipe,
    while clearing to the floor colour is free.
    """
    renderer.SetBackground(*rgbf(FLOOR_RGB))
    xmin, xmax, ymin, ymax = footprint(plant, margin=4.0)
    extent = max(xmax - xmin, ymax - ymin)
    step = max(2.0, float(np.ceil(extent / MAX_GRID_LINES)))
    xs = np.arange(xmin, xmax + 1e-6, step)
    ys = np.arange(ymin, ymax + 1e-6, step)
    starts = np.concatenate(
        [np.column_stack([xs, np.full_like(xs, ymin), np.zeros_like(xs)]),
         np.column_stack([np.full_like(ys, xmin), ys, np.zeros_like(ys)])]
    )  # fmt: skip
    ends = np.concatenate(
        [np.column_stack([xs, np.full_like(xs, ymax), np.zeros_like(xs)]),
         np.column_stack([np.full_like(ys, xmax), ys, np.zeros_like(ys)])]
    )  # fmt: skip
    renderer.AddActor(flat_actor(line_segments(starts, ends), GRID_RGB))
    corners = np.array([(xmin, ymin, 0), (xmax, ymin, 0), (xmax, ymax, 0), (xmin, ymax, 0)], float)
    # One-pixel lines only: VTK draws wider ones with a geometry shader, and a single wide
    # line costs ~12 ms a frame on llvmpipe.
    renderer.AddActor(flat_actor(line_segments(corners, np.roll(corners, -1, axis=0)), EDGE_RGB))


def area_label_anchors(plant: Plant) -> list[tuple[Area, tuple[float, float, float]]]:
    """Where each area with assets has its name: on the floor in front of its assets."""
    anchors = []
    for area in plant.areas:
        assets = plant.assets_in(area.id)
        if assets:
            xs = [a.position[0] for a in assets]
            ys = [a.position[1] for a in assets]
            anchors.append((area, (sum(xs) / len(xs), min(ys) - 2.5, 0.2)))
    return anchors


def add_area_labels(plant: Plant, renderer: vtkRenderer) -> None:
    """Each area's name on the floor in front of its assets."""
    for area, anchor in area_label_anchors(plant):
        label = world_text(area.name, anchor)
        label.GetTextProperty().SetFontSize(16)
        label.GetTextProperty().SetColor(0.72, 0.76, 0.8)
        label.GetTextProperty().SetJustificationToCentered()
        renderer.AddViewProp(label)


def world_text(text: str, position: tuple[float, float, float]) -> vtkTextActor:
    """Screen-aligned text anchored at a world point: it faces the camera and keeps its
    size. A 2D text actor costs ~0.5 ms a frame on llvmpipe where a billboard text actor
    costs ~10 ms, as the first one turns on the translucent pass."""
    label = vtkTextActor()
    use_cjk_font(label.GetTextProperty())  # plant names may be Chinese
    label.SetInput(text)
    coordinate = label.GetPositionCoordinate()
    coordinate.SetCoordinateSystemToWorld()
    coordinate.SetValue(*position)
    label.PickableOff()
    return label
