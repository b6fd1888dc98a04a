"""Heavy process equipment: CNC shears, punch presses and press brakes, extruders and
injection moulding machines, and the elevator test tower."""

from __future__ import annotations

from app.scene.geometry_registry import register_geometry
from app.scene.parts import BODY, DETAIL, Motion, Params, Part, num, steps
from app.scene.primitives import box, cone, cylinder, merge

RAM_TRAVEL_M = 1.05  # a full stroke brings the ram onto the sheet, whatever stroke_mm is
VISUAL_TOWER_MAX_M = 16.0  # taller towers are shortened so they don't dwarf the floor


def press(params: Params) -> list[Part]:
    """A CNC guillotine shear, turret punch press or press brake (``mode``)."""
    stroke_mm = max(num(params, "stroke_mm", 120.0), 1.0)
    mode = str(params.get("mode", "punch"))
    width = 2.0 if mode == "punch" else 3.2
    ram_top = 2.05
    side = width / 2 - 0.22
    tooling = {
        "shear": box((width - 1.0, 0.04, 0.18), (0, -0.35, ram_top - 0.09)),  # the blade
        "brake": box((width - 1.0, 0.06, 0.2), (0, 0, ram_top - 0.1)),  # the upper punch
        "punch": cylinder(0.09, 0.25, (0, 0, ram_top - 0.12), "z", 12),
    }
    parts = [
        Part(
            "frame",
            merge(
                [
                    box((0.45, 1.4, 2.8), (-side, 0, 1.4)),
                    box((0.45, 1.4, 2.8), (side, 0, 1.4)),
                    box((width, 1.4, 0.5), (0, 0, 2.95)),
                ]
            ),
        ),
        Part("bed", box((width - 0.9, 1.3, 0.9), (0, 0, 0.45)), DETAIL),
        Part("sheet_blank", box((width - 0.7, 1.1, 0.02), (0, 0, 0.92)), DETAIL),
        Part(
            "ram",
            merge([box((width - 0.95, 1.1, 0.5), (0, 0, ram_top + 0.25)), tooling[mode]]),
            motions=(
                Motion("ram_position", 2, -RAM_TRAVEL_M / stroke_mm, limits=(-RAM_TRAVEL_M, 0.0)),
            ),
        ),
        Part(
            "hydraulics",
            merge(
                [cylinder(0.16, 0.6, (x, 0, 3.5), "z", 12) for x in (-side * 0.6, side * 0.6)]
                if mode != "punch"
                else [cylinder(0.2, 0.5, (0, 0, 3.45), "z", 12)]  # the servo drive
            ),
            DETAIL,
        ),
        Part(
            "control_panel",
            merge(
                [
                    box((0.05, 0.05, 1.3), (side + 0.6, -0.9, 0.65)),
                    box((0.4, 0.12, 0.35), (side + 0.6, -0.9, 1.35)),
                ]
            ),
            DETAIL,
        ),
    ]
    if mode == "punch":
        parts.append(Part("turret", cylinder(0.55, 0.12, (0, 0, 0.99), "z", 16), DETAIL))
    return parts


def extruder(params: Params) -> list[Part]:
    """A pipe extruder with its die head, or an injection moulding machine (``type``)."""
    if params.get("type") == "injection":
        return _injection_moulder()
    bands = [cylinder(0.24, 0.18, (x, 0, 1.35), "x", 12) for x in steps(-0.9, 1.3, 0.55)]
    return [
        Part("base", box((4.6, 1.2, 0.95), (0.4, 0, 0.475)), DETAIL),
        Part("barrel", cylinder(0.2, 3.2, (0.2, 0, 1.35), "x", 16)),
        Part("heater_bands", merge(bands), DETAIL),
        Part("hopper", cone(0.35, 0.6, (-0.9, 0, 2.0), "z", down=True), DETAIL),
        Part(
            "drive",
            merge(
                [
                    box((0.7, 0.8, 0.8), (-1.7, 0, 1.35)),  # gearbox
                    cylinder(0.25, 0.6, (-2.2, 0, 1.35), "x", 12),  # main motor
                ]
            ),
            DETAIL,
        ),
        Part("die_head", cylinder(0.34, 0.55, (2.1, 0, 1.35), "x", 16)),
        Part("pipe", cylinder(0.13, 1.5, (3.1, 0, 1.35), "x", 12), DETAIL),
    ]


def _injection_moulder() -> list[Part]:
    bars = [cylinder(0.05, 2.2, (1.5, y, z), "x", 8) for y in (-0.45, 0.45) for z in (0.95, 1.75)]
    bands = [cylinder(0.2, 0.16, (x, 0, 1.35), "x", 12) for x in steps(-1.8, -0.6, 0.4)]
    return [
        Part("base", box((6.0, 1.3, 0.9), (0.3, 0, 0.45)), DETAIL),
        Part("barrel", cylinder(0.16, 2.0, (-1.2, 0, 1.35), "x", 16)),
        Part("heater_bands", merge(bands), DETAIL),
        Part("hopper", cone(0.3, 0.5, (-1.7, 0, 1.85), "z", down=True), DETAIL),
        Part("injection_unit", box((0.8, 0.7, 0.7), (-2.5, 0, 1.35)), DETAIL),
        Part(
            "platens",
            merge(
                [
                    box((0.25, 1.2, 1.3), (0.35, 0, 1.35)),  # fixed platen
                    box((0.25, 1.2, 1.3), (1.6, 0, 1.35)),  # moving platen
                    box((0.3, 1.2, 1.3), (2.7, 0, 1.35)),  # clamp end plate
                ]
            ),
        ),
        Part("mould", box((0.6, 0.8, 0.8), (0.8, 0, 1.35))),
        Part("tie_bars", merge(bars), DETAIL),
        Part("clamp_cylinder", cylinder(0.25, 0.8, (3.2, 0, 1.35), "x", 12), DETAIL),
    ]


def elevator(params: Params) -> list[Part]:
    """An elevator car and counterweight in an open shaft, traction machine on top."""
    height = num(params, "tower_height_m", num(params, "height_m", 40.0))
    height = max(height, 4.0)
    visual = min(height, VISUAL_TOWER_MAX_M)
    scale = visual / height  # car_position (m above the bottom landing) to drawn metres
    posts = [
        box((0.15, 0.15, visual), (x, y, visual / 2)) for x in (-1.1, 1.1) for y in (-1.1, 1.1)
    ]
    rings = [box((2.35, 2.35, 0.08), (0, 0, z)) for z in steps(3.0, visual, 3.0)]
    return [
        Part("shaft", merge([*posts, *rings]), DETAIL),
        Part(
            "guide_rails",
            merge([box((0.06, 0.06, visual), (x, 0, visual / 2)) for x in (-0.82, 0.82)]),
            DETAIL,
        ),
        Part("pit", box((2.4, 2.4, 0.2), (0, 0, 0.1)), DETAIL),
        Part(
            "machine",
            merge(
                [
                    box((1.2, 0.8, 0.5), (0.2, 0.3, visual + 0.3)),
                    cylinder(0.3, 0.2, (-0.6, 0.3, visual + 0.35), "x", 12),  # traction sheave
                ]
            ),
            DETAIL,
        ),
        Part(
            "car",
            merge([box((1.5, 1.5, 2.2), (0, 0, 1.3)), box((0.8, 0.04, 1.9), (0, -0.77, 1.2))]),
            BODY,
            motions=(Motion("car_position", 2, scale, limits=(0.0, visual - 2.4)),),
        ),
        Part(
            "counterweight",
            box((0.5, 0.25, 1.2), (0, 1.0, visual - 1.0)),
            DETAIL,
            motions=(Motion("car_position", 2, -scale, limits=(-(visual - 2.2), 0.0)),),
        ),
    ]


# Registered on import; app.scene.equipment imports this module.
register_geometry("press", press, geometry_params=("mode", "stroke_mm"))
register_geometry("extruder", extruder, geometry_params=("type",))
register_geometry("elevator", elevator, geometry_params=("tower_height_m", "height_m"))
