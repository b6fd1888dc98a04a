"""Recognisable equipment shapes, built in code from named parts, shared between assets.

Each kind returns its parts in the asset's local frame (metres, z up, x along the machine).
"body" parts take the asset's state colour; "detail" parts (shafts, frames, feet) keep a
dark metal colour; a part with motions is moved by its asset's signals. An asset whose
params name a ``model`` file is drawn from that file instead (see ``app.scene.user_models``).

Assets that look the same share one :class:`Shape` (cached by the params that change the
geometry), which the scene draws as instances: the part shapes are built once per plant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.scene.equipment_process import elevator, extruder, press
from app.scene.equipment_robot import robot
from app.scene.equipment_rotating import conveyor, loom, motor, motor_low, motor_scale, pump
from app.scene.parts import BODY, DETAIL, Motion, Params, Part, num
from app.scene.primitives import box
from app.scene.user_models import MODEL_PARAMS, ModelLibrary

__all__ = ["BODY", "DETAIL", "Motion", "Part", "Shape", "ShapeLibrary", "build_parts"]

LOD_FULL = 0
LOD_LOW = 1  # small on screen (far away, or one of thousands): fewer triangles a part

BUILDERS: dict[str, Callable[[Params], list[Part]]] = {
    "motor": motor,
    "press": press,
    "conveyor": conveyor,
    "extruder": extruder,
    "loom": loom,
    "pump": pump,
    "robot": robot,
    "elevator": elevator,
}
LOW_BUILDERS: dict[str, Callable[[Params], list[Part]]] = {"motor": motor_low}

# The params that change a kind's geometry; assets equal in these share one shape.
GEOMETRY_PARAMS: dict[str, tuple[str, ...]] = {
    "press": ("mode", "stroke_mm"),
    "conveyor": ("length_m", "width_m"),
    "extruder": ("type",),
    "loom": ("reed_width_cm",),
    "elevator": ("tower_height_m", "height_m"),
}


def placeholder(params: Params) -> list[Part]:
    """A plain box, for a kind without a model or a model file that could not be read."""
    return [Part("placeholder", box((1.0, 1.0, 1.0), (0, 0, 0.5)))]


def build_parts(kind: str, params: Params, lod: int = LOD_FULL) -> list[Part]:
    """The parts of one asset of this kind at unit scale (see :func:`instance_scale`)."""
    if lod == LOD_LOW and kind in LOW_BUILDERS:
        return LOW_BUILDERS[kind](params)
    return BUILDERS.get(kind, placeholder)(params)


def instance_scale(kind: str, params: Params) -> float:
    """The uniform scale an asset's shape is drawn at (motors grow with their rating)."""
    if "model" in params:
        return max(num(params, "model_scale", 1.0), 1e-6)
    return motor_scale(params) if kind == "motor" else 1.0


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
        return kind in LOW_BUILDERS and "model" not in params

    def _key(self, kind: str, params: Params, lod: int) -> tuple[object, ...]:
        if "model" in params:
            return ("model", *(params.get(k) for k in MODEL_PARAMS if k != "model_scale"))
        wanted = GEOMETRY_PARAMS.get(kind, ())
        return (kind, lod if kind in LOW_BUILDERS else 0, *(params.get(k) for k in wanted))
