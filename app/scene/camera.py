"""Camera views as plain dicts: the overview, one per area, a view of one asset, and the
in-between views of a fly-to. A view is JSON-friendly, as incident packages store it::

    {"name": str, "position": [x, y, z], "focal_point": [x, y, z],
     "view_up": [x, y, z], "view_angle": degrees}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.vtkRenderingCore import vtkCamera

if TYPE_CHECKING:
    from app.scene.vtk_plant_scene import VtkPlantScene

View = dict[str, object]
OVERVIEW_DIRECTION = (0.1, -1.0, 0.9)  # from the focal point towards the camera: south, above
ACROSS_Y_DIRECTION = (1.0, 0.1, 0.9)  # east, above: for a plant longer north-south
VIEW_ANGLE = 30.0
ORDINARY_HEIGHT_M = 4.0  # fit this much height; a tall tower may leave the top of the view


def camera_view(camera: vtkCamera, name: str = "") -> View:
    """The camera as a saved view."""
    return {
        "name": name,
        "position": list(camera.GetPosition()),
        "focal_point": list(camera.GetFocalPoint()),
        "view_up": list(camera.GetViewUp()),
        "view_angle": camera.GetViewAngle(),
    }


def apply_view(camera: vtkCamera, view: Mapping[str, object]) -> bool:
    """Put the camera where ``view`` says; False (camera untouched) for a malformed view."""
    try:
        position, focal, up = (_vec(view[key]) for key in ("position", "focal_point", "view_up"))
        angle = float(view.get("view_angle", VIEW_ANGLE))  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return False
    camera.SetPosition(*position)
    camera.SetFocalPoint(*focal)
    camera.SetViewUp(*up)
    camera.SetViewAngle(angle)
    return True


def _vec(value: object) -> tuple[float, float, float]:
    x, y, z = (float(v) for v in value)  # type: ignore[attr-defined]
    if not all(math.isfinite(v) for v in (x, y, z)):
        raise ValueError("not finite")
    return x, y, z


def fit_view(
    bounds: Sequence[float] | np.ndarray,
    direction: Sequence[float] | np.ndarray = OVERVIEW_DIRECTION,
    name: str = "",
    angle: float = VIEW_ANGLE,
    margin: float = 1.1,
) -> View:
    """A view looking at the centre of ``bounds`` from ``direction`` that fits them all."""
    b = np.asarray(bounds, dtype=np.float64)
    centre = (b[0::2] + b[1::2]) / 2
    radius = max(float(np.linalg.norm(b[1::2] - b[0::2])) / 2, 0.5)
    d = np.asarray(direction, dtype=np.float64)
    d /= np.linalg.norm(d)
    distance = margin * radius / math.sin(math.radians(angle) / 2)
    return {
        "name": name,
        "position": list(centre + d * distance),
        "focal_point": list(centre),
        "view_up": [0.0, 0.0, 1.0],
        "view_angle": angle,
    }


def overview_view(scene: VtkPlantScene, name: str = "Overview") -> View:
    """The whole floor from above at an angle, looking across its longer side, as close
    as the window's shape allows with every hall in view."""
    xmin, xmax, ymin, ymax = scene.footprint(margin=1.0)
    box = (xmin, xmax, ymin, ymax, 0.0, ORDINARY_HEIGHT_M)
    # Looking along the long side shows a long plant edge-on: look across it instead.
    across = OVERVIEW_DIRECTION if xmax - xmin >= ymax - ymin else ACROSS_Y_DIRECTION
    aspect = _aspect(scene)
    return framed_view(box, across, aspect, name=name)


def _aspect(scene: VtkPlantScene) -> float:
    width, height = scene.renderer.GetSize()
    return width / height if width > 0 and height > 0 else 16 / 9


def framed_view(
    bounds: Sequence[float],
    direction: Sequence[float],
    aspect: float,
    name: str = "",
    angle: float = VIEW_ANGLE,
    margin: float = 1.04,
) -> View:
    """A view from ``direction`` at the centre of ``bounds``, at the least distance that
    keeps every corner of the box inside a view of this ``aspect`` (width / height)."""
    b = np.asarray(bounds, dtype=np.float64)
    centre = (b[0::2] + b[1::2]) / 2
    d = np.asarray(direction, dtype=np.float64)
    d /= np.linalg.norm(d)
    forward = -d
    right = np.cross(forward, (0.0, 0.0, 1.0))
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    corners = np.array([[x, y, z] for x in b[0:2] for y in b[2:4] for z in b[4:6]]) - centre
    tan_v = math.tan(math.radians(angle) / 2)
    tan_h = tan_v * aspect
    depth = corners @ forward
    need_h = np.abs(corners @ right) * margin / tan_h - depth
    need_v = np.abs(corners @ up) * margin / tan_v - depth
    distance = max(float(need_h.max()), float(need_v.max()), 1.0)
    return {
        "name": name,
        "position": list(centre + d * distance),
        "focal_point": list(centre),
        "view_up": [0.0, 0.0, 1.0],
        "view_angle": angle,
    }


def overview(scene: VtkPlantScene) -> None:
    camera = scene.renderer.GetActiveCamera()
    apply_view(camera, overview_view(scene))
    scene.renderer.ResetCameraClippingRange()


def area_views(scene: VtkPlantScene) -> list[tuple[str, View]]:
    """(area name, view) for each area with assets, fitted to its assets."""
    bounds = scene.all_bounds()
    out = []
    for area in scene.plant.areas:
        rows = [scene.index_of(a.id) for a in scene.plant.assets_in(area.id)]
        if not rows:
            continue
        b = bounds[rows]
        box = np.empty(6)
        box[0::2], box[1::2] = b[:, 0::2].min(axis=0), b[:, 1::2].max(axis=0)
        box[5] = min(box[5], box[4] + 2 * ORDINARY_HEIGHT_M)  # towers: keep the floor in view
        out.append((area.name, fit_view(box, name=area.name, margin=0.8)))
    return out


def asset_view(scene: VtkPlantScene, asset_id: str, camera: vtkCamera) -> View:
    """A close view of one asset, from the direction the camera looks now."""
    direction = np.subtract(camera.GetPosition(), camera.GetFocalPoint())
    if np.linalg.norm(direction) < 1e-9:
        direction = np.asarray(OVERVIEW_DIRECTION)
    view = fit_view(scene.asset_bounds(asset_id), direction, asset_id, camera.GetViewAngle(), 1.6)
    view["view_up"] = list(camera.GetViewUp())
    return view


def blend(a: Mapping[str, object], b: Mapping[str, object], t: float) -> View:
    """The view a fraction ``t`` of the way from ``a`` to ``b``, eased in and out.

    The focal point moves in a straight line and the camera's distance changes
    geometrically, so a fly from far away slows down as it arrives.
    """
    s = t * t * (3.0 - 2.0 * t)
    fa, fb = np.asarray(a["focal_point"], float), np.asarray(b["focal_point"], float)
    oa = np.asarray(a["position"], float) - fa
    ob = np.asarray(b["position"], float) - fb
    da, db = max(float(np.linalg.norm(oa)), 1e-6), max(float(np.linalg.norm(ob)), 1e-6)
    direction = (1 - s) * oa / da + s * ob / db
    direction /= max(float(np.linalg.norm(direction)), 1e-9)
    distance = da * (db / da) ** s
    focal = (1 - s) * fa + s * fb
    up = (1 - s) * np.asarray(a["view_up"], float) + s * np.asarray(b["view_up"], float)
    return {
        "name": b.get("name", ""),
        "position": list(focal + direction * distance),
        "focal_point": list(focal),
        "view_up": list(up / max(float(np.linalg.norm(up)), 1e-9)),
        "view_angle": float(b.get("view_angle", VIEW_ANGLE)),  # type: ignore[arg-type]
    }
