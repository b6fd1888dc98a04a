"""The built-in "conveyor" kind, simulated by ``twin.sources.sim.machines``."""

from twin.kinds.registry import EquipmentKind, register_kind
from twin.sources.sim.machines import ConveyorModel

CONVEYOR = register_kind(
    EquipmentKind(
        "conveyor",
        "Transfer conveyor that indexes panels along the line a few times a cycle.",
        ConveyorModel,
    )
)
