"""User models (OBJ, glTF, a missing file) become the parts of an asset's shape."""

from __future__ import annotations

import base64
import json
import logging
import struct
from pathlib import Path

import pytest

from app.scene.equipment import ShapeLibrary


def test_obj_groups_become_parts_with_the_roles_the_plant_gives(tmp_path: Path) -> None:
    (tmp_path / "m.obj").write_text(
        "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 0 1\ng casing\nf 1 2 3\nf 1 3 4\ng frame\nf 1 2 4\n"
    )
    shape = ShapeLibrary(tmp_path).shape(
        "pump", {"model": "m.obj", "model_parts": "frame=detail"}, "PU9"
    )
    assert {p.name: p.role for p in shape.parts} == {"casing": "body", "frame": "detail"}


def test_gltf_nodes_become_parts_stood_up_from_y_up(tmp_path: Path) -> None:
    triangle = base64.b64encode(struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)).decode()
    gltf = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0, 1]}],
        "nodes": [{"name": "casing", "mesh": 0}, {"name": "frame", "mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "buffers": [{"byteLength": 36, "uri": f"data:application/octet-stream;base64,{triangle}"}],
        "bufferViews": [{"buffer": 0, "byteLength": 36}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
             "min": [0, 0, 0], "max": [1, 1, 0]}
        ],
    }  # fmt: skip
    (tmp_path / "m.gltf").write_text(json.dumps(gltf))
    shape = ShapeLibrary(tmp_path).shape("pump", {"model": "m.gltf", "model_parts": "frame=detail"})
    assert {p.name: p.role for p in shape.parts} == {"casing": "body", "frame": "detail"}
    assert shape.parts[0].poly.GetBounds()[5] == pytest.approx(1.0)  # glTF's +y is our +z


def test_missing_model_is_a_placeholder_with_one_message_naming_file_and_asset(
    tmp_path: Path, caplog
) -> None:
    library = ShapeLibrary(tmp_path)
    with caplog.at_level(logging.WARNING):
        shape = library.shape("pump", {"model": "meshes/gone.stl"}, "PU7")
        messages = library.models.report()
    assert shape.part_names == ("placeholder",)
    assert len(messages) == 1 and len(caplog.records) == 1
    assert "gone.stl" in messages[0] and "PU7" in messages[0]
