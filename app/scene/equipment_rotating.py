"""Rotating and continuous-flow equipment: induction motors, pumps, conveyors and looms."""

from __future__ import annotations

from app.scene.geometry_registry import register_geometry
from app.scene.parts import DETAIL, Motion, Params, Part, num, steps
from app.scene.primitives import box, cone, cylinder, merge, rotated

# Shafts turn at 1/60 of their real speed on screen: 1,470 rpm drawn true would alias
# at 30 fps (294 degrees a frame), while 24.5 degrees a second stays readable and still
# tells a stopped motor from a running one, and a fast one from a slow one.
SPIN_VISUAL_SCALE = 1.0 / 60.0
RPM_TO_DEG_S = 6.0  # one rpm is six degrees a second

# A motor is built at unit size and scaled per asset (see ``motor_scale``), so every motor
# of the plant shares one set of part shapes and draws as instances of them.
_R, _LEN, _H = 0.22, 0.62, 0.30  # housing radius, housing length, shaft height


def motor_scale(params: Params) -> float:
    """Bigger motors look bigger: size grows with the cube root of rated current."""
    rated = num(params, "rated_current_a", 15.0)
    return min(1.6, max(0.7, (max(rated, 0.1) / 15.0) ** (1.0 / 3.0)))


def motor(params: Params) -> list[Part]:
    """A TEFC induction motor: finned housing, end shields, fan cowl, shaft, feet, terminal box."""
    fins = [
        rotated(box((_LEN * 0.86, 0.018, 0.05), (0.0, 0.0, _H + _R + 0.012)), a, "x", (0, 0, _H))
        for a in range(-90, 91, 30)  # top and sides: the feet sit where the bottom fins would
    ]
    shaft_x = _LEN / 2 + 0.06
    spin = Motion(
        "speed",
        axis=0,
        scale=RPM_TO_DEG_S * SPIN_VISUAL_SCALE,
        rotate=True,
        pivot=(0.0, 0.0, _H),
        rate=True,
        period=360.0,
    )
    return [
        Part("housing", merge([cylinder(_R, _LEN, (0, 0, _H), "x", 14, capped=False), *fins])),
        Part(
            "terminal_box",
            merge(
                [
                    box((0.17, 0.16, 0.1), (0.06, 0.0, _H + _R + 0.05)),
                    cylinder(0.025, 0.05, (0.06, 0.1, _H + _R + 0.04), "y", 6),  # cable gland
                ]
            ),
        ),
        Part(
            "end_shields",
            merge(
                [
                    cylinder(_R * 0.92, 0.05, (_LEN / 2 + 0.025, 0, _H), "x", 10),
                    cylinder(_R * 0.92, 0.05, (-_LEN / 2 - 0.025, 0, _H), "x", 10),
                ]
            ),
            DETAIL,
        ),
        Part("fan_cowl", cylinder(_R * 0.97, 0.15, (-_LEN / 2 - 0.125, 0, _H), "x", 12), DETAIL),
        Part(
            "shaft",
            merge(
                [
                    cylinder(0.035, 0.2, (shaft_x + 0.1, 0, _H), "x", 6, capped=False),
                    cylinder(0.085, 0.06, (shaft_x + 0.2, 0, _H), "x", 10),  # coupling half
                    box(
                        (0.07, 0.03, 0.05), (shaft_x + 0.2, 0, _H + 0.09)
                    ),  # its key: shows the turn
                ]
            ),
            DETAIL,
            motions=(spin,),
        ),
        Part(
            "feet",
            merge(
                [
                    box((0.1, 2 * _R + 0.1, _H - _R * 0.55), (x, 0, (_H - _R * 0.55) / 2))
                    for x in (-_LEN * 0.3, _LEN * 0.3)
                ]
            ),
            DETAIL,
        ),
    ]


def motor_low(params: Params) -> list[Part]:
    """A motor in about 40 triangles, for motors a few pixels wide (see app.scene.lod)."""
    return [
        Part(
            "housing",
            merge(
                [
                    cylinder(_R, _LEN + 0.1, (-0.05, 0, _H), "x", 6),
                    box((0.17, 0.16, 0.1), (0.06, 0.0, _H + _R + 0.01)),
                ]
            ),
        ),
        Part("feet", box((_LEN * 0.8, 2 * _R, _H - _R * 0.6), (0, 0, (_H - _R * 0.6) / 2)), DETAIL),
    ]


def pump(params: Params) -> list[Part]:
    """A close-coupled centrifugal pump on a baseplate."""
    return [
        Part("volute", merge([cylinder(0.32, 0.25, (0.4, 0, 0.55), "x", 16)])),
        Part(
            "motor",
            merge(
                [
                    cylinder(0.2, 0.6, (-0.35, 0, 0.55), "x", 12),
                    box((0.14, 0.14, 0.09), (-0.3, 0, 0.78)),
                ]
            ),
        ),
        Part("coupling_guard", box((0.22, 0.3, 0.3), (0.05, 0, 0.55)), DETAIL),
        Part(
            "pipes",
            merge(
                [
                    cylinder(0.09, 0.7, (0.4, 0, 1.05), "z", 10),
                    cylinder(0.09, 0.6, (0.8, 0, 0.55), "x", 10),
                    cylinder(0.14, 0.04, (0.4, 0, 1.4), "z", 10),  # flanges
                    cylinder(0.14, 0.04, (1.1, 0, 0.55), "x", 10),
                ]
            ),
            DETAIL,
        ),
        Part("base", box((1.6, 0.7, 0.22), (0.05, 0, 0.11)), DETAIL),
    ]


def conveyor(params: Params) -> list[Part]:
    """A belt conveyor whose cleats travel at the measured belt speed."""
    length = max(num(params, "length_m", 6.0), 1.0)
    width = min(max(num(params, "width_m", 0.9), 0.4), 2.5)
    pitch = 0.5
    rollers = [
        cylinder(0.06, width, (x, 0, 0.8), "y", 8) for x in steps(-length / 2, length / 2, 0.5)
    ]
    legs = [
        box((0.08, 0.08, 0.75), (x, y, 0.375))
        for x in steps(-length / 2 + 0.2, length / 2 - 0.2, 1.5)
        for y in (-width / 2 + 0.05, width / 2 - 0.05)
    ]
    cleats = [
        box((0.05, width * 0.9, 0.04), (x, 0, 0.925))
        for x in steps(-length / 2 + 0.1, length / 2 - pitch - 0.05, pitch)
    ]
    return [
        Part("belt", box((length, width, 0.05), (0, 0, 0.88))),
        Part("rollers", merge(rollers), DETAIL),
        Part("legs", merge(legs), DETAIL),
        Part(
            "side_rails",
            merge([box((length, 0.04, 0.12), (0, y, 0.9)) for y in (-width / 2, width / 2)]),
            DETAIL,
        ),
        Part("drive", cylinder(0.13, 0.35, (length / 2 - 0.2, -width / 2 - 0.22, 0.8), "y", 12)),
        Part(
            "slats",
            merge(cleats),
            DETAIL,
            motions=(Motion("belt_speed", axis=0, scale=1.0, rate=True, period=pitch),),
        ),
    ]


def loom(params: Params) -> list[Part]:
    """A rapier loom: side frames, warp beam, warp sheet, heddles, sley and cloth roll."""
    reed = min(max(num(params, "reed_width_cm", 190.0) / 100.0, 1.0), 4.0)
    half = reed / 2 + 0.1
    return [
        Part(
            "frame",
            merge(
                [
                    box((0.2, 1.8, 1.4), (-half, 0, 0.7)),
                    box((0.2, 1.8, 1.4), (half, 0, 0.7)),
                    box((2 * half, 0.25, 0.25), (0, 0.55, 1.3)),
                ]
            ),
        ),
        Part("warp_beam", cylinder(0.25, reed, (0, -0.6, 0.6), "x", 12), DETAIL),
        Part(
            "warp",
            rotated(box((reed, 0.9, 0.01), (0, -0.2, 0.95)), -22, "x", (0, -0.2, 0.95)),
            DETAIL,
        ),
        Part("heddles", box((reed * 0.95, 0.06, 0.6), (0, 0.05, 1.0))),
        Part("sley", box((reed * 0.95, 0.12, 0.1), (0, 0.3, 0.85)), DETAIL),
        Part("cloth_roll", cylinder(0.15, reed * 0.95, (0, 0.75, 0.55), "x", 12), DETAIL),
        Part("creel_cone", cone(0.12, 0.25, (-half - 0.3, 0.6, 0.3), "z"), DETAIL),
    ]


# Registered on import; app.scene.equipment imports this module.
register_geometry("motor", motor, low_builder=motor_low, scale=motor_scale)
register_geometry("pump", pump)
register_geometry("conveyor", conveyor, geometry_params=("length_m", "width_m"))
register_geometry("loom", loom, geometry_params=("reed_width_cm",))
