"""The built-in "extruder" kind, simulated by ``twin.sources.sim.extruder``."""

from twin.kinds.registry import EquipmentKind, register_kind
from twin.sources.sim.extruder import ExtruderModel

EXTRUDER = register_kind(
    EquipmentKind(
        "extruder",
        "Plastics extruder or injection moulding machine with a controlled barrel heater.",
        ExtruderModel,
    )
)
