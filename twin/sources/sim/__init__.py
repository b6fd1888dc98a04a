"""Deterministic plant simulator: physically plausible telemetry for every equipment kind.

``Simulator`` turns a ``Plant`` into channel groups and batches; ``twin.sources.
simulator_source.SimulatorSource`` runs it on a thread as a telemetry source.
"""

from twin.sources.sim.simulator import (
    BLOCK_NS,
    TICK_NS,
    FaultEvent,
    Simulator,
    supported_keys,
)

__all__ = ["BLOCK_NS", "TICK_NS", "FaultEvent", "Simulator", "supported_keys"]
