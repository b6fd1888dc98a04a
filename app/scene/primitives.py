"""Small polydata builders: boxes, cylinders and cones placed in an asset's local frame.

The local frame is metres, z up, x along the machine's main axis; (0, 0, 0) is the centre
of the machine's footprint on the floor.
"""

from __future__ import annotations

from collections.abc import Iterable

from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkCommonTransforms import vtkTransform
from vtkmodules.vtkFiltersCore import vtkAppendPolyData, vtkPolyDataNormals
from vtkmodules.vtkFiltersGeneral import vtkTransformFilter
from vtkmodules.vtkFiltersSources import vtkConeSource, vtkCubeSource, vtkCylinderSource

Vec3 = tuple[float, float, float]


def box(size: Vec3, centre: Vec3) -> vtkPolyData:
    """An axis-aligned box of ``size`` (dx, dy, dz) centred at ``centre``."""
    src = vtkCubeSource()
    src.SetXLength(size[0])
    src.SetYLength(size[1])
    src.SetZLength(size[2])
    src.SetCenter(*centre)
    src.Update()
    return src.GetOutput()


def cylinder(
    radius: float, length: float, centre: Vec3, axis: str = "z", resolution: int = 20
) -> vtkPolyData:
    """A capped cylinder along ``axis`` ("x", "y" or "z")."""
    src = vtkCylinderSource()  # VTK's cylinder runs along y
    src.SetRadius(radius)
    src.SetHeight(length)
    src.SetResolution(resolution)
    src.Update()
    return _orient(src.GetOutput(), axis, centre, native="y")


def cone(
    radius: float, length: float, centre: Vec3, axis: str = "z", down: bool = False
) -> vtkPolyData:
    """A cone along ``axis``; its tip points to +axis, or -axis when ``down``."""
    src = vtkConeSource()  # VTK's cone points along +x
    src.SetRadius(radius)
    src.SetHeight(length)
    src.SetResolution(24)
    src.SetDirection(-1.0 if down else 1.0, 0.0, 0.0)
    src.Update()
    return _orient(src.GetOutput(), axis, centre, native="x")


def _orient(poly: vtkPolyData, axis: str, centre: Vec3, native: str) -> vtkPolyData:
    t = vtkTransform()
    t.Translate(*centre)
    rotations = {  # rotate the native axis onto the wanted one
        ("y", "x"): (-90.0, 0.0, 0.0, 1.0),
        ("y", "z"): (90.0, 1.0, 0.0, 0.0),
        ("x", "y"): (90.0, 0.0, 0.0, 1.0),
        ("x", "z"): (-90.0, 0.0, 1.0, 0.0),
    }
    if axis != native:
        t.RotateWXYZ(*rotations[(native, axis)])
    return transformed(poly, t)


def transformed(poly: vtkPolyData, transform: vtkTransform) -> vtkPolyData:
    f = vtkTransformFilter()
    f.SetInputData(poly)
    f.SetTransform(transform)
    f.Update()
    return f.GetOutput()


def merge(pieces: Iterable[vtkPolyData]) -> vtkPolyData:
    """One polydata (with normals for smooth-enough shading) from several pieces."""
    app = vtkAppendPolyData()
    for piece in pieces:
        app.AddInputData(piece)
    app.Update()
    normals = vtkPolyDataNormals()
    normals.SetInputConnection(app.GetOutputPort())
    normals.SetFeatureAngle(40.0)
    normals.Update()
    return normals.GetOutput()
