"""A recording for the shift report tests: the demo workshop's door-panel line simulated
(fast-forwarded, no pacing) from 13:00 to 14:30 UTC, so that the early shift (06:00-14:00)
is recorded from its last hour and the late one has begun; an alarm acknowledged by an
operator and a bookmark with a comment are added by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from db.bookmarks import Bookmarks
from db.engine import open_history
from db.journal import Journal
from db.write.recorder import Recorder
from twin.alarms.model import Action, AlarmEvent, AlarmKind, AlarmState, Priority
from twin.kpi.cycle_plant import cycle_signals_only
from twin.plant.loader import load_plant
from twin.plant.model import Plant
from twin.sources.sim import Simulator

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "plants" / "demo_workshop.toml"
NS = 1_000_000_000
DAY = dt.date(2026, 5, 27)
MIDNIGHT = (DAY - dt.date(1970, 1, 1)).days * 86_400 * NS
START = MIDNIGHT + 13 * 3600 * NS
END = MIDNIGHT + 14 * 3600 * NS + 30 * 60 * NS
ALARM_AT = MIDNIGHT + 13 * 3600 * NS + 20 * 60 * NS
NOTE = "Coil of 0.8 mm steel changed on S01"
OPERATOR = "Li Wei"


def _alarm(t: int, action: Action, user: str | None = None) -> AlarmEvent:
    before, after = (
        (AlarmState.NORMAL, AlarmState.UNACK_ACTIVE)
        if action is Action.RAISE
        else (AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE)
    )
    return AlarmEvent(
        t, "P01.power:HH", "P01.power", "P01", AlarmKind.HH, action, before, after,
        Priority.CRITICAL, True, 61.5, user,
    )  # fmt: skip


def record_demo_line(path: Path) -> Plant:
    """Record into ``path`` (the demo plant file is stored with it); returns the plant."""
    demo = load_plant(DEMO)
    door_panels = [line for line in demo.lines if line.id == "door_panels"]
    plant = cycle_signals_only(dataclasses.replace(demo, lines=tuple(door_panels)))
    sim = Simulator(plant, START)
    recorder = Recorder.open(path, sim.groups(), plant)
    for _, batches in sim.fast_forward(END, 600 * NS):
        for batch in batches:
            recorder.offer(batch)
    recorder.close()
    with open_history(path) as history:
        journal = Journal(history)
        journal.write(
            [_alarm(ALARM_AT, Action.RAISE), _alarm(ALARM_AT + 90 * NS, Action.ACK, OPERATOR)]
        )
        journal.close()
        Bookmarks(history).add(ALARM_AT + 300 * NS, NOTE)
    return plant
