"""The recorded incident the replay tests share: motor M07 overloads 40 s into a run."""

from __future__ import annotations

from pathlib import Path

from db.write.recorder import Recorder
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, FaultKind, Plant
from twin.timebase import NS_PER_S, now_ns

MOTOR = "M07"
FAULT_AT_S = 40.0
RUN_S = 120


def record_incident(path: Path, plant: Plant) -> int:
    """Record RUN_S seconds of ``plant`` into ``path``; returns the start time (ns)."""
    end = now_ns()
    start = end - RUN_S * NS_PER_S
    faults = (Fault(MOTOR, FaultKind.OVERLOAD, FAULT_AT_S),)
    runtime = PlantRuntime.simulated(plant, start, faults)
    recorder = Recorder.open(path, runtime.store.groups, plant)
    runtime.ingestor.add_sink(recorder.offer)
    runtime.fast_forward(end)
    recorder.close()
    return start
