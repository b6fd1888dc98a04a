"""Assets drawn as instances: one glyph mapper per part of each shared shape.

Measured on Mesa llvmpipe, 1280x800, low-poly motors, random state colours every frame:
one merged polydata coloured per cell ran 25 fps at 1,000 motors and 7.8 at 10,000;
instances ran 33 and 10.2, since a state change rewrites one colour per instance instead
of every cell. Merging with a transform filter per part (the first scene) also took ~27 s
to build 10,000 motors. Each instance carries its position, orientation (a quaternion),
uniform scale, colour and a "shown" flag; moving parts only rewrite those.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkBitArray, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkGlyph3DMapper

from app.scene.equipment import Shape
from app.scene.kinematics import (
    Transform,
    axis_rotation,
    box_corners,
    compose,
    identity,
    motion_transform,
    quaternions,
)
from app.scene.parts import BODY, Part


class BitMask:
    """Per-instance flags as the vtkBitArray that vtkGlyph3DMapper's masking reads (it
    ignores any other array type), packed in numpy memory that VTK borrows."""

    def __init__(self, n: int, name: str, value: bool) -> None:
        self.values = np.full(n, value, dtype=bool)
        self._packed = np.packbits(self.values)
        self.array = vtkBitArray()
        self.array.SetName(name)
        self.array.SetVoidArray(self._packed, n, 1)  # 1: VTK must not free numpy's memory

    def set(self, values: np.ndarray) -> bool:
        """Take new flags; False if they were already these."""
        if np.array_equal(values, self.values):
            return False
        self.values[:] = values
        self._packed[:] = np.packbits(self.values)
        self.array.Modified()
        return True


def _shared(array: np.ndarray, name: str) -> Any:
    vtk_array = numpy_to_vtk(array, deep=False)  # writes to `array` reach VTK directly
    vtk_array.SetName(name)
    return vtk_array


class PartGroup:
    """One part, drawn for every asset of a shape. Instance i belongs to ``assets[i]``."""

    def __init__(
        self,
        part: Part,
        assets: np.ndarray,
        base: np.ndarray,
        yaw_deg: np.ndarray,
        scale: np.ndarray,
    ) -> None:
        n = len(assets)
        self.part = part
        self.assets = assets
        self.body = part.role == BODY
        self._yaw = axis_rotation(2, yaw_deg)
        self._base = base
        self.scale = scale.astype(np.float64)
        self.local: Transform = identity(n)
        self.world_r = self._yaw.copy()
        self.world_t = base.copy()
        self.local_bounds = np.array(part.poly.GetBounds(), dtype=np.float64)
        # The arrays VTK reads; kept alive here because VTK only borrows their memory.
        self._points = np.zeros((n, 3), dtype=np.float32)
        self._orient = np.zeros((n, 4), dtype=np.float32)
        self._scales = self.scale.astype(np.float32)
        self.colours = np.zeros((n, 3), dtype=np.uint8)
        self._shown = BitMask(n, "shown", True)  # level of detail: which instances draw
        self.poly = vtkPolyData()
        points = vtkPoints()
        points.SetData(_shared(self._points, "points"))
        self.poly.SetPoints(points)
        data = self.poly.GetPointData()
        for array, name in ((self._orient, "orient"), (self._scales, "scale")):
            data.AddArray(_shared(array, name))
        data.AddArray(_shared(self.colours, "colours"))
        data.AddArray(self._shown.array)
        self.mapper = _glyph_mapper(self.poly, part)
        self.actor = vtkActor()
        self.actor.SetMapper(self.mapper)
        prop = self.actor.GetProperty()
        prop.SetAmbient(0.25)
        prop.SetDiffuse(0.75)
        prop.SetSpecular(0.1)
        self._write_world()

    def set_local(self, local: Transform) -> bool:
        """Move the part within each asset; True if anything moved visibly."""
        r, t = local
        if np.allclose(r, self.local[0], atol=1e-5) and np.allclose(t, self.local[1], atol=1e-5):
            return False
        self.local = (r, t)
        self.world_r = self._yaw @ r
        self.world_t = self._base + self.scale[:, None] * np.einsum("nij,nj->ni", self._yaw, t)
        self._write_world()
        return True

    def _write_world(self) -> None:
        self._points[:] = self.world_t
        self._orient[:] = quaternions(self.world_r)
        self.poly.GetPoints().Modified()
        self.poly.GetPointData().GetArray("orient").Modified()

    @property
    def shown(self) -> np.ndarray:
        """(n,) bool: the instances drawn at this level of detail."""
        return self._shown.values

    def show_only(self, shown: np.ndarray) -> None:
        """Draw just the instances where ``shown`` is true."""
        if self._shown.set(shown):
            self.actor.SetVisibility(bool(self.shown.any()))

    def colours_changed(self) -> None:
        self.poly.GetPointData().GetArray("colours").Modified()

    def ray_hits(self, origin: np.ndarray, direction: np.ndarray) -> np.ndarray:
        """Distance along the ray to each instance's box (inf where missed)."""
        # Into each instance's part frame: p_local = R^T (p - t) / s, for origin and direction.
        rt = np.transpose(self.world_r, (0, 2, 1))
        o = np.einsum("nij,nj->ni", rt, origin[None, :] - self.world_t) / self.scale[:, None]
        d = np.einsum("nij,j->ni", rt, direction) / self.scale[:, None]
        lo, hi = self.local_bounds[0::2], self.local_bounds[1::2]
        with np.errstate(divide="ignore", invalid="ignore"):
            t1, t2 = (lo - o) / d, (hi - o) / d
        t1 = np.where(np.isnan(t1), -np.inf, t1)  # a ray parallel to a slab, inside it
        t2 = np.where(np.isnan(t2), np.inf, t2)
        near = np.minimum(t1, t2).max(axis=1)
        far = np.maximum(t1, t2).min(axis=1)
        hit = (near <= far) & (far >= 0) & self.shown
        return np.where(hit, np.maximum(near, 0.0), np.inf)

    def world_corners(self, index: int) -> np.ndarray:
        """The 8 world corners of instance ``index``'s box."""
        corners = box_corners(self.local_bounds) * self.scale[index]
        return corners @ self.world_r[index].T + self.world_t[index]


def _glyph_mapper(poly: vtkPolyData, part: Part) -> vtkGlyph3DMapper:
    mapper = vtkGlyph3DMapper()
    mapper.SetInputData(poly)
    mapper.SetSourceData(part.poly)
    mapper.OrientOn()
    mapper.SetOrientationModeToQuaternion()
    mapper.SetOrientationArray("orient")
    mapper.ScalingOn()
    mapper.SetScaleModeToScaleByMagnitude()
    mapper.SetScaleArray("scale")
    mapper.SetScalarModeToUsePointFieldData()
    mapper.SelectColorArray("colours")
    mapper.SetColorModeToDirectScalars()
    mapper.ScalarVisibilityOn()
    mapper.SetMaskArray("shown")
    mapper.MaskingOn()
    return mapper


class ShapeInstances:
    """Every asset of one shape: a part group per part, and the signals that move them."""

    def __init__(
        self,
        shape: Shape,
        assets: np.ndarray,
        base: np.ndarray,
        yaw_deg: np.ndarray,
        scale: np.ndarray,
        signal_index: dict[str, np.ndarray],
    ) -> None:
        """``signal_index[key]``: each instance's plant signal index for ``key`` (-1: none)."""
        self.shape = shape
        self.assets = assets
        self.base = base
        self.scale = scale
        self.groups = {p.name: PartGroup(p, assets, base, yaw_deg, scale) for p in shape.parts}
        self._signals = signal_index
        n = len(assets)
        # Current displacement of each motion of each moving part, per instance.
        self._disp = {
            (p.name, k): np.zeros(n) for p in shape.parts for k, _ in enumerate(p.motions)
        }
        self.moving = any(p.moves for p in shape.parts)
        self._pending = False  # displacements advanced that the parts do not show yet

    def show_only(self, shown: np.ndarray) -> None:
        for group in self.groups.values():
            group.show_only(shown)
        if self._pending and shown.any():
            self.settle()  # before the render that draws them (LOD runs at its start)

    @property
    def pending(self) -> bool:
        """True while displacements have advanced that the parts do not show yet."""
        return self._pending

    @property
    def drawn(self) -> bool:
        """True if any instance of this shape is drawn at this level of detail."""
        return any(g.actor.GetVisibility() and g.shown.any() for g in self.groups.values())

    def apply(self, values: np.ndarray, dt_s: float) -> bool:
        """Move parts to ``values`` (plant signal order); speeds integrate over ``dt_s``.

        True if a drawn part moved. While no instance is drawn (every asset of the shape
        at the other level of detail, e.g. 10,000 motors seen from afar) only the
        displacements advance: the parts are posed when they are shown or asked for.
        """
        if not self.moving:
            return False
        if not self._advance(values, dt_s):
            return False
        if not self.drawn:
            self._pending = True
            return False
        return self.settle()

    def settle(self) -> bool:
        """Pose every moving part from the current displacements; True if one moved."""
        self._pending = False
        n = len(self.assets)
        moved = False
        done: dict[str, Transform] = {}
        for part in self.shape.parts:  # parents come before their children
            if not part.moves:
                continue
            local = identity(n)
            for k, motion in enumerate(part.motions):
                local = compose(local, motion_transform(motion, self._disp[(part.name, k)]))
            if part.parent is not None:
                local = compose(done.get(part.parent, identity(n)), local)
            done[part.name] = local
            moved |= self.groups[part.name].set_local(local)
        return moved

    def _advance(self, values: np.ndarray, dt_s: float) -> bool:
        """Step each motion's displacement to ``values``; True if any changed."""
        changed = False
        for part in self.shape.parts:
            for k, motion in enumerate(part.motions):
                index = self._signals.get(motion.signal_key)
                if index is None:
                    continue
                disp = self._disp[(part.name, k)]
                v = np.where(index >= 0, values[np.maximum(index, 0)], np.nan)
                ok = np.isfinite(v)
                if motion.rate:
                    if dt_s == 0.0 or not ok.any():
                        continue
                    disp += np.where(ok, motion.scale * np.where(ok, v, 0.0) * dt_s, 0.0)
                    if motion.period > 0:
                        np.mod(disp, motion.period, out=disp)
                    changed = True
                else:
                    target = np.clip(motion.scale * (v - motion.offset), *motion.limits)
                    new = np.where(ok, target, disp)  # no data: stay where it was
                    if not np.array_equal(new, disp):
                        disp[:] = new
                        changed = True
        return changed
