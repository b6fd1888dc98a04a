"""The built-in "motor" kind, simulated by ``twin.sources.sim.motors``."""

from twin.kinds.registry import EquipmentKind, register_kind
from twin.sources.sim.motors import MotorModel

MOTOR = register_kind(
    EquipmentKind(
        "motor",
        "Industrial induction motor driving a slowly wandering mechanical load.",
        MotorModel,
    )
)
