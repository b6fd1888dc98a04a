"""Equipment drawn from the plant's own mesh files (glTF/GLB, OBJ, STL, PLY).

An asset names its file in its params, relative to the plant file::

    params = { model = "meshes/pump.glb", model_parts = "casing=body,frame=detail",
               model_scale = 0.001, model_up = "y" }

``model_parts`` gives glTF node names or OBJ group names a colour role (unlisted ones take
the state colour); ``model_scale`` converts the file's units to metres (e.g. 0.001 for
millimetres); ``model_up`` is the file's up axis ("y" by default for glTF, whose
convention it is, "z" otherwise). The model's own origin is put at the asset's position.

A missing or unreadable file must not stop the plant from loading: the asset shows a
placeholder box, and one message per file names the file and the assets that use it.
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Callable
from pathlib import Path

from vtkmodules.vtkCommonCore import vtkCommand, vtkObject
from vtkmodules.vtkCommonDataModel import (
    vtkCompositeDataSet,
    vtkDataObject,
    vtkDataSet,
    vtkMultiBlockDataSet,
    vtkPolyData,
)
from vtkmodules.vtkCommonTransforms import vtkTransform
from vtkmodules.vtkFiltersCore import vtkThreshold
from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter
from vtkmodules.vtkIOGeometry import vtkGLTFReader, vtkOBJReader, vtkSTLReader
from vtkmodules.vtkIOPLY import vtkPLYReader

from app.scene.parts import BODY, ROLES, Params, Part
from app.scene.primitives import merge, transformed

log = logging.getLogger(__name__)

MODEL_PARAMS = ("model", "model_parts", "model_scale", "model_up")
SUFFIXES = (".gltf", ".glb", ".obj", ".stl", ".ply")


class ModelError(Exception):
    """Why a model file could not be used."""


class ModelLibrary:
    """Reads each model file once; remembers failures to report them once per file."""

    def __init__(self, base_dir: Path) -> None:
        self.base_dir = base_dir
        self._failures: dict[Path, tuple[str, list[str]]] = {}

    def path(self, params: Params) -> Path:
        return (self.base_dir / str(params.get("model", ""))).resolve()

    def parts(self, params: Params, asset_label: str) -> list[Part] | None:
        """The file's parts with their roles; None (failure noted) if it cannot be used."""
        path = self.path(params)
        try:
            pieces = read_model(path)
        except ModelError as exc:
            self._failures[path] = (str(exc), [])
            self.note_failure(params, asset_label)
            return None
        roles = parse_roles(str(params.get("model_parts", "")))
        up = str(params.get("model_up", "y" if path.suffix.lower() in (".gltf", ".glb") else "z"))
        turn = vtkTransform()
        if up.lower() == "y":  # y-up files (glTF) stand up in our z-up world
            turn.RotateX(90.0)
        return [
            Part(name, merge([transformed(poly, turn)]), roles.get(name, BODY))
            for name, poly in pieces
        ]

    def failed(self, params: Params) -> bool:
        return self.path(params) in self._failures

    def note_failure(self, params: Params, asset_label: str) -> None:
        self._failures[self.path(params)][1].append(asset_label)

    def report(self) -> list[str]:
        """Log one warning per failed file (naming its assets); the messages logged."""
        messages = []
        for path, (reason, assets) in self._failures.items():
            who = ", ".join(assets[:3]) + (
                f" and {len(assets) - 3} more" if len(assets) > 3 else ""
            )
            message = (
                f"3D model {path} for asset {who} could not be loaded ({reason}); "
                "drawn as a placeholder box"
            )
            log.warning(message)
            messages.append(message)
        self._failures.clear()
        return messages


def parse_roles(text: str) -> dict[str, str]:
    """'casing=body, frame=detail' -> {'casing': 'body', 'frame': 'detail'}."""
    roles = {}
    for item in text.split(","):
        name, _, role = item.partition("=")
        if name.strip() and role.strip().lower() in ROLES:
            roles[name.strip()] = role.strip().lower()
    return roles


def read_model(path: Path) -> list[tuple[str, vtkPolyData]]:
    """(part name, polydata) pieces of a mesh file; raises ModelError."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ModelError(f"unsupported file type {suffix or '(none)'}; use {', '.join(SUFFIXES)}")
    if not path.is_file():
        raise ModelError("file not found")
    readers: dict[str, Callable[[Path], list[tuple[str, vtkPolyData]]]] = {
        ".gltf": _read_gltf,
        ".glb": _read_gltf,
        ".obj": _read_obj,
        ".stl": lambda p: [("model", _run(vtkSTLReader(), p))],
        ".ply": lambda p: [("model", _run(vtkPLYReader(), p))],
    }
    pieces = [(n, poly) for n, poly in readers[suffix](path) if poly.GetNumberOfCells() > 0]
    if not pieces:
        raise ModelError("no surfaces in the file")
    return pieces


def _run(reader: vtkObject, path: Path) -> vtkPolyData:
    """Run a reader, turning VTK's printed errors into a ModelError."""
    errors: list[str] = []

    def on_error(_obj: object, _event: str, message: str = "") -> None:
        errors.append(str(message).strip().splitlines()[-1] if message else "read error")

    on_error.CallDataType = "string0"  # type: ignore[attr-defined]  # VTK passes the text
    reader.AddObserver(vtkCommand.ErrorEvent, on_error)
    reader.SetFileName(str(path))  # type: ignore[attr-defined]
    reader.Update()  # type: ignore[attr-defined]
    if errors:
        raise ModelError(errors[0])
    output = reader.GetOutputDataObject(0)  # type: ignore[attr-defined]
    if isinstance(output, vtkPolyData):
        return output
    surface = vtkGeometryFilter()
    surface.SetInputData(output)
    surface.Update()
    result: vtkPolyData = surface.GetOutput()
    return result


def _read_obj(path: Path) -> list[tuple[str, vtkPolyData]]:
    """An OBJ split by its groups ("g name" lines), in the order the reader numbers them."""
    poly = _run(vtkOBJReader(), path)
    groups = poly.GetCellData().GetArray("GroupIds")
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError as exc:
        raise ModelError(str(exc)) from None
    names = [line.split(maxsplit=1)[1].strip() for line in lines if line.startswith("g ")]
    if groups is None or len(names) < 2:
        return [("model", poly)]
    pieces: list[tuple[str, vtkPolyData]] = []
    for index, name in enumerate(names):
        pick = vtkThreshold()
        pick.SetInputData(poly)
        pick.SetInputArrayToProcess(0, 0, 0, vtkDataObject.FIELD_ASSOCIATION_CELLS, "GroupIds")
        pick.SetLowerThreshold(index - 0.5)
        pick.SetUpperThreshold(index + 0.5)
        surface = vtkGeometryFilter()
        surface.SetInputConnection(pick.GetOutputPort())
        surface.Update()
        pieces.append((_unique(name, pieces), surface.GetOutput()))
    return pieces


def _read_gltf(path: Path) -> list[tuple[str, vtkPolyData]]:
    """A glTF/GLB's meshes, named after their nodes (VTK calls them Node_0, Node_1, ...)."""
    reader = vtkGLTFReader()
    _run(reader, path)
    names = _gltf_node_names(path)
    pieces: list[tuple[str, vtkPolyData]] = []

    def walk(block: object, name: str) -> None:
        if isinstance(block, vtkMultiBlockDataSet):
            for i in range(block.GetNumberOfBlocks()):
                meta = block.GetMetaData(i) if block.HasMetaData(i) else None
                label = meta.Get(vtkCompositeDataSet.NAME()) if meta is not None else None
                if label and label.startswith("Node_") and label[5:].isdigit():
                    index = int(label[5:])
                    name = names[index] if index < len(names) and names[index] else label
                walk(block.GetBlock(i), name)
        elif isinstance(block, vtkDataSet) and block.GetNumberOfCells() > 0:
            surface = vtkGeometryFilter()
            surface.SetInputData(block)
            surface.Update()
            pieces.append((_unique(name, pieces), surface.GetOutput()))

    walk(reader.GetOutput(), "model")
    return pieces


def _gltf_node_names(path: Path) -> list[str]:
    """The "name" of each node, from the glTF JSON (or a GLB's JSON chunk)."""
    try:
        data = path.read_bytes()
        if data[:4] == b"glTF":  # GLB: 12-byte header, then the JSON chunk
            (length,) = struct.unpack_from("<I", data, 12)
            data = data[20 : 20 + length]
        nodes = json.loads(data.decode("utf-8")).get("nodes", [])
    except (OSError, ValueError, struct.error, AttributeError):
        return []
    return [str(n.get("name", "")) if isinstance(n, dict) else "" for n in nodes]


def _unique(name: str, taken: list[tuple[str, vtkPolyData]]) -> str:
    names = {n for n, _ in taken}
    if name not in names:
        return name
    return next(f"{name}_{i}" for i in range(2, len(names) + 3) if f"{name}_{i}" not in names)
