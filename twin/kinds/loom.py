"""The built-in "loom" kind, simulated by ``twin.sources.sim.machines``."""

from twin.kinds.registry import EquipmentKind, register_kind
from twin.sources.sim.machines import LoomModel

LOOM = register_kind(
    EquipmentKind(
        "loom", "Weaving loom: pick rate and warp tension on top of its drive.", LoomModel
    )
)
