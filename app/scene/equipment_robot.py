"""A six-axis articulated robot arm as a kinematic chain driven by its joint angles.

Drawn at rest (all joints 0) with the upper arm vertical and the forearm and tool pointing
along +x. Joint conventions, matching the simulator's taught poses (``twin.sources.sim.robot``):
joint1 turns the turret about z; joint2 tilts the upper arm forward (positive towards +x);
joint3 pitches the forearm down at the elbow; joint4 rolls the wrist about the forearm;
joint5 bends the wrist down; joint6 rolls the flange. With joint4 = 0 and
joint2 + joint3 + joint5 = 90 the tool points straight down, as in the taught poses.
"""

from __future__ import annotations

from app.scene.geometry_registry import register_geometry
from app.scene.parts import DETAIL, Motion, Params, Part
from app.scene.primitives import Vec3, box, cylinder, merge

SHOULDER: Vec3 = (0.15, 0.0, 0.65)
ELBOW: Vec3 = (0.15, 0.0, 1.4)
WRIST: Vec3 = (0.95, 0.0, 1.4)
FLANGE_X = 1.06


def _joint(key: str, axis: int, pivot: Vec3) -> Motion:
    return Motion(key, axis, 1.0, rotate=True, pivot=pivot)


def robot(params: Params) -> list[Part]:
    """Base, turret, upper arm, forearm, wrist and flange (with a two-finger gripper)."""
    sx, _, sz = SHOULDER
    ex, _, ez = ELBOW
    wx, _, wz = WRIST
    return [
        Part("base", cylinder(0.3, 0.3, (0, 0, 0.15), "z", 16), DETAIL),
        Part(
            "turret",
            merge(
                [
                    cylinder(0.24, 0.3, (0, 0, 0.45), "z", 16),
                    box((0.34, 0.5, 0.3), (sx, 0, sz)),  # shoulder housing
                ]
            ),
            motions=(_joint("joint1", 2, (0.0, 0.0, 0.0)),),
        ),
        Part(
            "upper_arm",
            merge(
                [
                    cylinder(0.14, 0.16, (sx, -0.3, sz), "y", 12),  # shoulder hub
                    box((0.2, 0.14, ez - sz), (sx, -0.3, (sz + ez) / 2)),
                    cylinder(0.12, 0.16, (ex, -0.3, ez), "y", 12),  # elbow hub
                ]
            ),
            motions=(_joint("joint2", 1, SHOULDER),),
            parent="turret",
        ),
        Part(
            "forearm",
            merge(
                [
                    box((0.36, 0.3, 0.26), (ex, -0.08, ez)),  # elbow housing with joint-3 motor
                    cylinder(0.085, wx - ex - 0.1, ((ex + wx - 0.1) / 2, 0, ez), "x", 12),
                    box((0.25, 0.2, 0.2), (ex - 0.25, 0, ez)),  # wrist motors behind the elbow
                ]
            ),
            motions=(_joint("joint3", 1, ELBOW),),
            parent="upper_arm",
        ),
        Part(
            "wrist",
            merge(
                [
                    cylinder(0.075, 0.2, (wx, 0, wz), "y", 12),
                    cylinder(0.06, 0.09, (wx + 0.05, 0, wz), "x", 12),
                ]
            ),
            motions=(_joint("joint4", 0, ELBOW), _joint("joint5", 1, WRIST)),
            parent="forearm",
        ),
        Part(
            "flange",
            merge(
                [
                    cylinder(0.06, 0.03, (FLANGE_X, 0, wz), "x", 12),
                    box((0.06, 0.2, 0.06), (FLANGE_X + 0.05, 0, wz)),  # gripper body
                    box((0.12, 0.025, 0.04), (FLANGE_X + 0.13, 0.08, wz)),  # fingers
                    box((0.12, 0.025, 0.04), (FLANGE_X + 0.13, -0.08, wz)),
                ]
            ),
            DETAIL,
            motions=(_joint("joint6", 0, WRIST),),
            parent="wrist",
        ),
    ]


# Registered on import; app.scene.equipment imports this module.
register_geometry("robot", robot)
