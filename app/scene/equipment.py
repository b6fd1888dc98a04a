"""Recognisable equipment shapes, built in code from named parts, shared between assets.

Each kind returns its parts in the asset's local frame (metres, z up, x along the machine).
"body" parts take the asset's state colour; "detail" parts (shafts, frames, feet) keep a
dark metal colour; a part with motions is moved by its asset's signals. An asset whose
params name a ``model`` file is drawn from that file instead (see ``app.scene.user_models``).

Assets that look the same share one :class:`Shape` (cached by the params that change the
geometry), which the scene draws as instances: the part shapes are built once per plant.

Each kind's builders are registered in ``app.scene.geometry_registry``; importing this
module registers the built-in ones (``equipment_process``, ``_robot``, ``_rotating``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Imported for their registrations: the built-in kinds' geometry.
from app.scene import equipment_process, equipment_robot, equipment_rotating  # noqa: F401
from app.scene.geometry_registry import BUILDERS, geometry  # BUILDERS: kind -> builder, live
from app.scene.parts import BODY, DETAIL, Motion, Params, Part, num
from app.scene.primitives import box
from app.scene.user_models import MODEL_PARAMS, ModelLibrary

__all__ = [
    "BODY",
    "BUILDERS",
    "DETAIL",
    "Motion",
    "Part",
    "Shape",
    "ShapeLibrary",
    "build_parts",
]

LOD_FULL = 0
LOD_LOW = 1  # small on screen (far away, or one of thousands): fewer triangles a part


def placeholder(params: Params) -> list[Part]:
    """A plain box, for a kind without a model or a model file that could not be read."""
    return [Part("placeholder", box((1.0, 1.0, 1.0), (0, 0, 0.5)))]


def build_parts(kind: str, params: Params, lod: int = LOD_FULL) -> list[Part]:
    """The parts of one asset of this kind at unit scale (see :func:`instance_scale`)."""
    entry = geometry(kind)
    if entry is None:
        return placeholder(params)
    if lod == LOD_LOW and entry.low_builder is not None:
        return entry.low_builder(params)
    return entry.builder(params)


def instance_scale(kind: str, params: Params) -> float:
    """The uniform scale an asset's shape is drawn at: a model file's ``model_scale``, else
    its kind's ``scale`` (motors grow with their rating), else 1."""
    if "model" in params:
        return max(num(params, "model_scale", 1.0), 1e-6)
    entry = geometry(kind)
    return 1.0 if entry is None or entry.scale is None else entry.scale(params)


@dataclass(frozen=True)
class Shape:
    """The geometry shared by assets that look the same; ``key`` identifies it."""

    key: tuple[object, ...]
    parts: tuple[Part, ...]

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)

    @property
    def part_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts)


class ShapeLibrary:
    """Builds each distinct shape once; user model files resolve against ``base_dir``."""

    def __init__(self, base_dir: Path) -> None:
        self.models = ModelLibrary(base_dir)
        self._shapes: dict[tuple[object, ...], Shape] = {}

    def shape(self, kind: str, params: Params, asset_label: str = "", lod: int = LOD_FULL) -> Shape:
        """The shared shape of an asset; a failed user model is a placeholder box."""
        key = self._key(kind, params, lod)
        shape = self._shapes.get(key)
        if shape is None:
            if "model" in params:
                parts = self.models.parts(params, asset_label) or placeholder(params)
            else:
                parts = build_parts(kind, params, lod)
            shape = self._shapes[key] = Shape(key, tuple(parts))
        elif "model" in params and self.models.failed(params):
            self.models.note_failure(params, asset_label)
        return shape

    def has_low_detail(self, kind: str, params: Params) -> bool:
        entry = geometry(kind)
        return entry is not None and entry.low_builder is not None and "model" not in params

    def _key(self, kind: str, params: Params, lod: int) -> tuple[object, ...]:
        if "model" in params:
            return ("model", *(params.get(k) for k in MODEL_PARAMS if k != "model_scale"))
        entry = geometry(kind)
        if entry is None:
            return (kind, 0)
        detail = lod if entry.low_builder is not None else 0
        return (kind, detail, *(params.get(k) for k in entry.geometry_params))
