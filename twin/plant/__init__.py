"""Plant model and plant-file loading."""

from twin.plant.model import (
    EQUIPMENT_KINDS,
    Area,
    Asset,
    Fault,
    FaultKind,
    Limits,
    Plant,
    Signal,
)

__all__ = ["EQUIPMENT_KINDS", "Area", "Asset", "Fault", "FaultKind", "Limits", "Plant", "Signal"]
