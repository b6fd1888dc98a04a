"""The built-in "elevator" kind, simulated by ``twin.sources.sim.elevator``."""

from twin.kinds.registry import EquipmentKind, register_kind
from twin.sources.sim.elevator import ElevatorModel

ELEVATOR = register_kind(
    EquipmentKind(
        "elevator",
        "Elevator car in a test tower: trips between floors, doors at every stop.",
        ElevatorModel,
    )
)
