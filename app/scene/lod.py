"""Level of detail by size on screen: an asset drawn only a few pixels wide uses its
low-poly shape, so a plant of thousands of motors costs ~50 triangles a motor, while the
motors near the camera keep their fins, shafts and terminal boxes."""

from __future__ import annotations

import math
import weakref

import numpy as np
from vtkmodules.vtkCommonCore import vtkCommand
from vtkmodules.vtkRenderingCore import vtkRenderer

from app.scene.instances import ShapeInstances

LOD_PIXELS = 80.0  # an asset drawn smaller than this (its size across, px) goes low-poly
SIZE_M = 1.0  # how big an asset of scale 1 is across, for that test (a motor: ~1 m long)


class LevelOfDetail:
    """Pairs of (full, low-poly) instances of the same assets; before each render, shows
    each asset in one of them by its distance from the camera."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.renderer = renderer
        self.pairs: list[tuple[ShapeInstances, ShapeInstances]] = []
        me = weakref.ref(self)  # the renderer must not keep this alive through the observer

        def before_render(*_: object) -> None:
            lod = me()
            if lod is not None:
                lod.update()

        self._tag = renderer.AddObserver(vtkCommand.StartEvent, before_render)

    def add(self, full: ShapeInstances, low: ShapeInstances) -> None:
        self.pairs.append((full, low))

    def update(self) -> None:
        if not self.pairs:
            return
        camera = self.renderer.GetActiveCamera()
        eye = np.array(camera.GetPosition())
        height = max(self.renderer.GetSize()[1], 1)
        px_per_m_at_1m = height / (2.0 * math.tan(math.radians(camera.GetViewAngle()) / 2))
        for full, low in self.pairs:
            distance = np.maximum(np.linalg.norm(full.base - eye, axis=1), 1e-3)
            near = full.scale * SIZE_M * px_per_m_at_1m / distance >= LOD_PIXELS
            full.show_only(near)
            low.show_only(~near)

    def close(self) -> None:
        self.renderer.RemoveObserver(self._tag)
