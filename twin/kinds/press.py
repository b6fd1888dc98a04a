"""The built-in "press" kind, simulated by ``twin.sources.sim.press``."""

from twin.kinds.registry import EquipmentKind, register_kind
from twin.sources.sim.press import PressModel

PRESS = register_kind(
    EquipmentKind(
        "press",
        "CNC shear, punch or press brake of a door-panel line (ram strokes per line cycle).",
        PressModel,
    )
)
