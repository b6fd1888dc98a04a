"""Recognisable equipment shapes, built in code from named parts.

Each kind returns its parts in the asset's local frame (metres, z up, x along the
machine). "body" parts take the asset's state colour; "detail" parts (shafts, frames,
feet) keep a dark metal colour; a part with a :class:`Motion` is moved by a signal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from vtkmodules.vtkCommonDataModel import vtkPolyData

from app.scene.primitives import box, cone, cylinder, merge

BODY = "body"
DETAIL = "detail"


@dataclass(frozen=True)
class Motion:
    """Translate a part along ``axis`` by ``scale * (value - offset)``, clamped to ``limits``."""

    signal_key: str
    axis: int  # 0 x, 1 y, 2 z
    scale: float
    offset: float = 0.0
    limits: tuple[float, float] = (-1e9, 1e9)


@dataclass(frozen=True)
class Part:
    name: str
    poly: vtkPolyData
    role: str = BODY
    motion: Motion | None = None


Params = Mapping[str, float | str]


def _num(params: Params, key: str, default: float) -> float:
    value = params.get(key, default)
    return float(value) if isinstance(value, int | float) else default


def motor(params: Params) -> list[Part]:
    rated = _num(params, "rated_current_a", 15.0)
    s = min(1.6, max(0.7, (rated / 15.0) ** 0.33))  # bigger motors look bigger
    r, length, h = 0.22 * s, 0.62 * s, 0.30 * s
    fins = [
        box((length * 0.9, 0.02, 0.05), (0.0, 0.0, h + r + 0.01)),
        box((length * 0.9, 0.05, 0.02), (0.0, r + 0.01, h)),
        box((length * 0.9, 0.05, 0.02), (0.0, -r - 0.01, h)),
    ]
    return [
        Part("housing", merge([cylinder(r, length, (0, 0, h), "x", 28), *fins])),
        Part("terminal_box", box((0.18 * s, 0.16 * s, 0.12 * s), (0.05, 0, h + r + 0.06 * s))),
        Part(
            "end_shields",
            merge(
                [
                    cylinder(r * 0.9, 0.06, (length / 2 + 0.03, 0, h), "x"),
                    cylinder(r * 0.9, 0.06, (-length / 2 - 0.03, 0, h), "x"),
                ]
            ),
            DETAIL,
        ),
        Part("shaft", cylinder(0.035 * s, 0.25 * s, (length / 2 + 0.16 * s, 0, h), "x"), DETAIL),
        Part(
            "feet",
            merge(
                [
                    box((0.12, 2 * r, h - r * 0.6), (length * 0.3, 0, (h - r * 0.6) / 2)),
                    box((0.12, 2 * r, h - r * 0.6), (-length * 0.3, 0, (h - r * 0.6) / 2)),
                ]
            ),
            DETAIL,
        ),
    ]


def press(params: Params) -> list[Part]:
    stroke_mm = max(_num(params, "stroke_mm", 120.0), 1.0)
    shear = params.get("mode") == "shear"
    width = 3.2 if shear else 2.0
    ram_top = 2.05
    return [
        Part(
            "frame",
            merge(
                [
                    box((0.45, 1.4, 2.8), (-width / 2 + 0.22, 0, 1.4)),
                    box((0.45, 1.4, 2.8), (width / 2 - 0.22, 0, 1.4)),
                    box((width, 1.4, 0.5), (0, 0, 2.95)),
                ]
            ),
        ),
        Part("bed", box((width - 0.9, 1.3, 0.9), (0, 0, 0.45)), DETAIL),
        Part("sheet_blank", box((width - 0.7, 1.1, 0.02), (0, 0, 0.92)), DETAIL),
        Part(
            "ram",
            box((width - 0.95, 1.1, 0.5), (0, 0, ram_top + 0.25)),
            # a full stroke moves the ram 1.05 m down onto the sheet, whatever stroke_mm is
            motion=Motion("ram_position", 2, -1.05 / stroke_mm, limits=(-1.05, 0.0)),
        ),
    ]


def conveyor(params: Params) -> list[Part]:
    length = _num(params, "length_m", 6.0)
    rollers = [cylinder(0.06, 0.9, (x, 0, 0.8), "y") for x in _steps(-length / 2, length / 2, 0.5)]
    legs = [
        box((0.08, 0.08, 0.75), (x, y, 0.375))
        for x in _steps(-length / 2 + 0.2, length / 2 - 0.2, 1.5)
        for y in (-0.4, 0.4)
    ]
    return [
        Part("belt", box((length, 0.9, 0.05), (0, 0, 0.88))),
        Part("rollers", merge(rollers), DETAIL),
        Part("legs", merge(legs), DETAIL),
    ]


def extruder(params: Params) -> list[Part]:
    injection = params.get("type") == "injection"
    return [
        Part(
            "barrel",
            merge(
                [
                    cylinder(0.2, 3.2, (0.2, 0, 1.35), "x", 24),
                    box((0.7, 0.6, 0.6), (2.05, 0, 1.35))
                    if not injection
                    else box((0.9, 1.4, 1.4), (2.2, 0, 1.2)),
                ]
            ),
        ),
        Part("hopper", cone(0.35, 0.6, (-0.9, 0, 2.0), "z", down=True), DETAIL),
        Part("base", box((4.6, 1.2, 0.95), (0.4, 0, 0.475)), DETAIL),
        Part("drive", box((0.9, 0.8, 0.8), (-1.8, 0, 1.35)), DETAIL),
    ]


def loom(params: Params) -> list[Part]:
    return [
        Part(
            "frame",
            merge(
                [
                    box((0.2, 1.8, 1.4), (-0.9, 0, 0.7)),
                    box((0.2, 1.8, 1.4), (0.9, 0, 0.7)),
                    box((1.8, 0.25, 0.25), (0, 0.55, 1.3)),
                ]
            ),
        ),
        Part("warp_beam", cylinder(0.25, 1.7, (0, -0.6, 0.6), "x"), DETAIL),
        Part("cloth_roll", cylinder(0.15, 1.6, (0, 0.75, 0.55), "x"), DETAIL),
        Part("heddles", box((1.6, 0.06, 0.6), (0, 0.05, 1.0))),
    ]


def pump(params: Params) -> list[Part]:
    return [
        Part("volute", cylinder(0.32, 0.25, (0.35, 0, 0.55), "x", 28)),
        Part("motor", cylinder(0.2, 0.6, (-0.2, 0, 0.55), "x", 24)),
        Part(
            "pipes",
            merge(
                [
                    cylinder(0.09, 0.7, (0.35, 0, 1.05), "z"),
                    cylinder(0.09, 0.6, (0.75, 0, 0.55), "x"),
                ]
            ),
            DETAIL,
        ),
        Part("base", box((1.4, 0.6, 0.22), (0.1, 0, 0.11)), DETAIL),
    ]


def robot(params: Params) -> list[Part]:
    # A static reach pose for now; joint-driven motion comes with the full 3D scene.
    return [
        Part("base", cylinder(0.3, 0.35, (0, 0, 0.175), "z", 28), DETAIL),
        Part("turret", cylinder(0.22, 0.45, (0, 0, 0.55), "z", 24)),
        Part("upper_arm", box((0.2, 0.22, 1.05), (0.12, 0, 1.25))),
        Part("forearm", box((0.95, 0.18, 0.18), (0.55, 0, 1.78))),
        Part(
            "wrist",
            merge(
                [
                    cylinder(0.09, 0.2, (1.08, 0, 1.78), "x"),
                    box((0.08, 0.2, 0.25), (1.22, 0, 1.7)),
                ]
            ),
            DETAIL,
        ),
    ]


VISUAL_TOWER_MAX_M = 16.0  # taller towers are shortened so they don't dwarf the floor


def elevator(params: Params) -> list[Part]:
    height = _num(params, "height_m", 40.0)
    visual = min(height, VISUAL_TOWER_MAX_M)
    scale = visual / height
    posts = [
        box((0.15, 0.15, visual), (x, y, visual / 2)) for x in (-1.1, 1.1) for y in (-1.1, 1.1)
    ]
    rings = [box((2.35, 2.35, 0.08), (0, 0, z)) for z in _steps(3.0, visual, 3.0)]
    return [
        Part("shaft", merge([*posts, *rings]), DETAIL),
        Part("pit", box((2.4, 2.4, 0.2), (0, 0, 0.1)), DETAIL),
        Part(
            "car",
            box((1.5, 1.5, 2.2), (0, 0, 1.3)),
            motion=Motion("car_position", 2, scale, limits=(0.0, visual - 2.4)),
        ),
        Part(
            "counterweight",
            box((0.5, 0.25, 1.2), (0, 1.0, visual - 1.0)),
            DETAIL,
            motion=Motion("car_position", 2, -scale, limits=(-(visual - 2.2), 0.0)),
        ),
    ]


def placeholder(params: Params) -> list[Part]:
    return [Part("placeholder", box((1.0, 1.0, 1.0), (0, 0, 0.5)))]


def _steps(start: float, stop: float, step: float) -> list[float]:
    count = max(1, int((stop - start) / step) + 1)
    return [start + i * step for i in range(count)]


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


def build_parts(kind: str, params: Params) -> list[Part]:
    """The parts of one asset of this kind; a plain box for a kind without a model."""
    return BUILDERS.get(kind, placeholder)(params)
