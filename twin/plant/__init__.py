"""Plant model and plant-file loading."""

from twin.plant.model import (
    Area,
    Asset,
    Fault,
    FaultKind,
    Limits,
    Plant,
    Signal,
)

__all__ = ["Area", "Asset", "Fault", "FaultKind", "Limits", "Plant", "Signal"]
