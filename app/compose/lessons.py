"""The history a simulated lesson is replayed from in trainee mode.

A simulated scenario is simulated ahead, without pacing, with its seed and faults, into a
history with its alarm journal, and that history is replayed: the trainee then sees a
replay like any other, whose alarms are evaluated again as the scenario reaches them
(``app.training.replayed_alarms``), and step times found in it are the ones the trainee
meets. The simulation is deterministic, so the history is made once per scenario, plant
and TwinDeck version (a hash of them names the file) and kept in the lesson cache; a
half-made one is never reused (it is written under another name and renamed when done).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app import __version__
from db.journal import Journal
from db.write.recorder import Recorder
from twin.ingest.runtime import PlantRuntime
from twin.plant.faults import parse_fault_spec
from twin.plant.model import Plant
from twin.timebase import NS_PER_S, now_ns
from twin.training.model import Scenario


def simulated_history(scenario: Scenario, plant: Plant, cache: Path) -> Path:
    """The history of ``scenario`` (simulated) in ``cache``, made if it is not there yet."""
    sim = scenario.simulated
    if sim is None:
        raise ValueError(f"{scenario.source_path}: not a simulated scenario")
    digest = hashlib.sha256(f"{__version__} {sim!r}".encode())  # a new simulator, a new file
    digest.update(Path(sim.plant).read_bytes())
    path = cache / f"lesson-{digest.hexdigest()[:16]}.twinhist"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.stem}.{os.getpid()}.partial.twinhist")
    end = now_ns() // NS_PER_S * NS_PER_S
    start = end - round(sim.duration_s * NS_PER_S)
    faults = [parse_fault_spec(spec, plant) for spec in sim.faults]
    runtime = PlantRuntime.simulated(plant, start, faults, seed=sim.seed)
    recorder = Recorder.open(partial, runtime.store.groups, plant)
    journal = Journal(recorder.history)
    try:
        runtime.alarms.add_listener(journal.write)
        runtime.alarms.begin(start)
        runtime.ingestor.add_sink(recorder.offer)
        runtime.ingestor.add_sink(runtime.alarm_sink())
        runtime.fast_forward(end)
    finally:
        journal.close()
        recorder.close()
    os.replace(partial, path)
    return path
