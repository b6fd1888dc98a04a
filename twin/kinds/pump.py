"""The built-in "pump" kind, simulated by ``twin.sources.sim.machines``."""

from twin.kinds.registry import EquipmentKind, register_kind
from twin.sources.sim.machines import PumpModel

PUMP = register_kind(
    EquipmentKind(
        "pump", "Centrifugal pump on a varying demand: flow and pressure on its curve.", PumpModel
    )
)
