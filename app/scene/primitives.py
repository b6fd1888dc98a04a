"""Small polydata builders: boxes, cylinders and cones placed in an asset's local frame.

The local frame is metres, z up, x along the machine's main axis; (0, 0, 0) is the centre
of the machine's footprint on the floor. Every builder returns triangles, so a part's cell
count is its triangle count: the number that decides frame time on software GL.
"""

from __future__ import annotations

from collections.abc import Iterable

from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkCommonTransforms import vtkTransform
from vtkmodules.vtkFiltersCore import vtkAppendPolyData, vtkPolyDataNormals, vtkTriangleFilter
from vtkmodules.vtkFiltersGeneral import vtkTransformFilter
from vtkmodules.vtkFiltersSources import vtkConeSource, vtkCubeSource, vtkCylinderSource

Vec3 = tuple[float, float, float]
AXES = {"x": (1.0, 0.0, 0.0), "y": (0.0, 1.0, 0.0), "z": (0.0, 0.0, 1.0)}


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
    radius: float,
    length: float,
    centre: Vec3,
    axis: str = "z",
    resolution: int = 16,
    capped: bool = True,
) -> vtkPolyData:
    """A cylinder along ``axis`` ("x", "y" or "z"); low ``resolution`` gives a prism.
    Leave off the caps (``capped=False``) where other parts hide the ends."""
    src = vtkCylinderSource()  # VTK's cylinder runs along y
    src.SetCapping(capped)
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
    src.SetResolution(16)
    src.SetDirection(-1.0 if down else 1.0, 0.0, 0.0)
    src.Update()
    return _orient(src.GetOutput(), axis, centre, native="x")


def rotated(poly: vtkPolyData, angle_deg: float, axis: str, centre: Vec3) -> vtkPolyData:
    """``poly`` turned by ``angle_deg`` about ``axis`` through ``centre``."""
    t = vtkTransform()
    t.Translate(*centre)
    t.RotateWXYZ(angle_deg, *AXES[axis])
    t.Translate(-centre[0], -centre[1], -centre[2])
    return transformed(poly, t)


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
    out: vtkPolyData = f.GetOutput()
    return out


def merge(pieces: Iterable[vtkPolyData]) -> vtkPolyData:
    """One triangulated polydata, with normals split at sharp edges, from several pieces."""
    app = vtkAppendPolyData()
    for piece in pieces:
        app.AddInputData(piece)
    tri = vtkTriangleFilter()
    tri.SetInputConnection(app.GetOutputPort())
    normals = vtkPolyDataNormals()
    normals.SetInputConnection(tri.GetOutputPort())
    normals.SetFeatureAngle(40.0)
    normals.SplittingOn()
    normals.Update()
    out: vtkPolyData = normals.GetOutput()
    return out
