"""A hand-made recording of one early shift (06:00-14:00 UTC) of a line of two presses,
with known cycles, stops, scrap, energy, alarms, an advisory and a bookmark, for the
shift summary tests. Recorded 05:50-14:10 through the real recorder into SQLite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from db.advisories import AdvisoryJournal
from db.bookmarks import Bookmarks
from db.engine import open_history
from db.journal import Journal
from db.write.recorder import Recorder
from tests.twin.kpi.lines import COUNTER, line_toml
from twin.alarms.model import Action, AlarmEvent, AlarmKind, AlarmState, Priority
from twin.batch import Batch, ChannelGroup
from twin.condition.advisories import CLEAR, RAISE, AdvisoryEvent
from twin.plant.loader import parse_plant
from twin.plant.model import Plant

NS = 1_000_000_000
DAY = dt.date(2026, 3, 2)
MIDNIGHT = (DAY - dt.date(1970, 1, 1)).days * 86_400 * NS
SHIFT_START = MIDNIGHT + 6 * 3600 * NS
FROM_S, TO_S = -600, 8 * 3600 + 600  # recorded, in seconds from the shift's start
# P2, the output machine: a part every 240 s, none while it stands for a breakdown
# (state 2, 08:00-08:30) and a tool change (state 3, 10:00-10:10); scrap at 07:00 and
# 12:00. P1: a part every 200 s. Power 5 kW (P1) and 10 kW (P2) all along.
STOPS_S = ((7200, 9000, 2), (14400, 15000, 3))
SCRAP_S = (3600, 21600)
BOOKMARK = "Die changed on P2: first panels checked"
MORE_SHIFTS = """
[[shifts]]
id = "late"
name = "Late shift"
start = "14:00"
length = "8h"

[[shifts]]
id = "night"
name = "Night shift"
start = "22:00"
length = "8h"
"""
SIGNALS = tuple(
    f"P{m}.{key}" for m in (1, 2) for key in ("panel_count", "scrap_count", "state", "power")
)


def p2_ends_s() -> np.ndarray:
    """When P2 counts its parts, in seconds from the shift's start."""
    ends = np.arange(240, 8 * 3600 + 1, 240)
    stopped = np.zeros(ends.shape, bool)
    for a, b, _ in STOPS_S:
        stopped |= (ends > a) & (ends <= b)
    return ends[~stopped]


def _counter(t_s: np.ndarray, ends_s: np.ndarray) -> np.ndarray:
    return np.searchsorted(ends_s, t_s, side="right").astype(float)


def _values(t_s: np.ndarray) -> np.ndarray:
    state = np.ones(t_s.shape)
    for a, b, code in STOPS_S:
        state[(t_s >= a) & (t_s < b)] = code
    p1_ends = np.arange(200, TO_S + 1, 200)
    zero = np.zeros(t_s.shape)
    return np.vstack(
        [
            _counter(t_s, p1_ends), zero, np.ones(t_s.shape), np.full(t_s.shape, 5.0),
            _counter(t_s, p2_ends_s()), _counter(t_s, np.array(SCRAP_S)), state,
            np.full(t_s.shape, 10.0),
        ]
    )  # fmt: skip


def _alarm(
    t_s: float, action: Action, user: str | None = None, alarm: str = "P2.power"
) -> AlarmEvent:
    states = {
        Action.RAISE: (AlarmState.NORMAL, AlarmState.UNACK_ACTIVE),
        Action.ACK: (AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE),
    }[action]
    return AlarmEvent(
        t=SHIFT_START + round(t_s * NS),
        alarm_id=f"{alarm}:H",
        signal_id=alarm,
        asset_id=alarm.split(".")[0],
        kind=AlarmKind.H,
        action=action,
        from_state=states[0],
        to_state=states[1],
        priority=Priority.HIGH,
        active=True,
        value=42.5,
        user=user,
    )


ALARMS = (
    _alarm(-300, Action.RAISE, alarm="P1.power"),  # before the shift: not in its report
    _alarm(7205, Action.RAISE),
    _alarm(7385, Action.ACK, "Li Wei"),
    _alarm(28_500, Action.RAISE, alarm="P1.power"),  # acknowledged by the next shift
    _alarm(28_980, Action.ACK, "Zhang Min", alarm="P1.power"),
)


def _advisory(t_s: float, action: str) -> AdvisoryEvent:
    return AdvisoryEvent(
        SHIFT_START + round(t_s * NS), "P1", "bearing", action, 0.6, 55.0,
        "bearing wear developing", "velocity 4.1 mm/s",
    )  # fmt: skip


def record_shift(path: Path) -> Plant:
    """Record the shift into ``path``; returns the plant."""
    plant = parse_plant(line_toml(COUNTER, machines=2) + MORE_SHIFTS, "shift.toml")
    group = ChannelGroup("hand@1", SIGNALS, 1.0)
    recorder = Recorder.open(path, [group], plant)
    for a in range(FROM_S, TO_S + 1, 600):
        t_s = np.arange(a, min(a + 600, TO_S + 1))
        t = SHIFT_START + t_s.astype(np.int64) * NS
        recorder.offer(Batch(group.key, t, _values(t_s.astype(float))))
    recorder.close()
    with open_history(path) as history:
        journal = Journal(history)
        journal.write(ALARMS)
        journal.close()
        advisories = AdvisoryJournal(history)
        advisories.write([_advisory(9000, RAISE), _advisory(16_200, CLEAR)])
        advisories.close()
        Bookmarks(history).add(SHIFT_START + 14_500 * NS, BOOKMARK)
    return plant
