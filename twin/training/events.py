"""When a simulated scenario's events happen: its faults simulated without pacing, with
the plant's alarm rules, to find the first time each alarm a step waits for is raised and
each signal a step watches crosses its threshold. The preview and the report of a
simulated scenario use it; a live run meets the same times because the simulation is
deterministic with the scenario's seed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from twin.alarms.engine import AlarmEngine
from twin.alarms.model import Action, AlarmEvent
from twin.alarms.rules import build_rules
from twin.batch import Batch
from twin.plant.faults import parse_fault_spec
from twin.plant.model import Plant
from twin.sources.sim.simulator import Simulator
from twin.timebase import NS_PER_S
from twin.training.model import Scenario, Trigger


def simulated_event_times(scenario: Scenario, plant: Plant, t0_ns: int = 0) -> dict[str, float]:
    """Scenario seconds of the first raise of each alarm and the first crossing of each
    signal threshold that the scenario's steps wait for (absent: never in its duration)."""
    sim_spec = scenario.simulated
    if sim_spec is None:
        raise ValueError(f"{scenario.source_path}: not a simulated scenario")
    triggers = [s.trigger for s in scenario.steps if not s.trigger.timed]
    if not triggers:
        return {}
    faults = [parse_fault_spec(spec, plant) for spec in sim_spec.faults]
    sim = Simulator(plant, t0_ns, seed=sim_spec.seed, faults=faults)
    engine = AlarmEngine(build_rules(plant), list(sim.groups()), start_ns=t0_ns)
    found: dict[str, float] = {}
    wanted = {t.alarm for t in triggers if t.alarm}

    def on_events(events: Sequence[AlarmEvent]) -> None:
        for e in events:
            if e.action is Action.RAISE and e.alarm_id in wanted and e.alarm_id not in found:
                found[e.alarm_id] = (e.t - t0_ns) / NS_PER_S

    engine.add_listener(on_events)
    crossings = _Crossings([t for t in triggers if t.signal], sim, t0_ns)
    until = t0_ns + int(sim_spec.duration_s * NS_PER_S)
    for _, batches in sim.fast_forward(until, 60 * NS_PER_S):
        for batch in batches:
            engine.on_batch(batch)
            crossings.see(batch)
    return {**crossings.found, **found}


class _Crossings:
    """The first time each watched signal passes its trigger's threshold."""

    def __init__(self, triggers: list[Trigger], sim: Simulator, t0_ns: int) -> None:
        self.t0 = t0_ns
        self.found: dict[str, float] = {}
        self._where: dict[str, list[tuple[int, Trigger]]] = {}
        for group in sim.groups():
            for row, sid in enumerate(group.signal_ids):
                for trig in triggers:
                    if trig.signal == sid:
                        self._where.setdefault(group.key, []).append((row, trig))

    def see(self, batch: Batch) -> None:
        for row, trig in self._where.get(batch.group, ()):
            if trig.signal in self.found:
                continue
            v = batch.v[row]
            hit = v > trig.above if trig.above is not None else v < (trig.below or 0.0)
            if np.any(hit):
                t = int(batch.t[int(np.argmax(hit))])
                self.found[str(trig.signal)] = (t - self.t0) / NS_PER_S
