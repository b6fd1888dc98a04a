"""A running plant: simulator -> ingest -> store and alarm engine, as the app wires it."""

from __future__ import annotations

from twin.alarms.model import AlarmState
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, FaultKind, Plant
from twin.timebase import NS_PER_S

START = 1_800_000_000 * NS_PER_S


def test_an_overload_raises_the_current_alarm_through_the_ingest_path(demo_plant: Plant) -> None:
    runtime = PlantRuntime.simulated(demo_plant, START, (Fault("M07", FaultKind.OVERLOAD, 30.0),))
    runtime.connect([runtime.alarm_sink()])
    runtime.fast_forward(START + 20 * NS_PER_S)
    assert runtime.alarms.table.snapshot() == {}  # a healthy plant raises nothing
    runtime.fast_forward(START + 60 * NS_PER_S)
    raised = runtime.alarms.table.snapshot()
    assert "M07.current:HH" in raised
    status = raised["M07.current:HH"]
    assert status.state is AlarmState.UNACK_ACTIVE
    assert status.raised_at is not None
    assert START + 30 * NS_PER_S <= status.raised_at <= START + 32 * NS_PER_S
    assert {s.asset_id for s in raised.values()} == {"M07"}
