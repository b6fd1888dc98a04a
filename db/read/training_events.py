"""When a replay scenario's events happen in its history: the first raise of each alarm a
step waits for (from the alarm journal) and the first crossing of each signal threshold
(from the raw samples), as scenario seconds from the scenario's start."""

from __future__ import annotations

import numpy as np

from db.history import History
from db.journal import Journal
from db.read.reader import HistoryReader
from twin.alarms.model import Action
from twin.timebase import NS_PER_S
from twin.training.model import Scenario


def recorded_event_times(
    history: History, scenario: Scenario, t0_ns: int, t1_ns: int
) -> dict[str, float]:
    """Scenario seconds (from ``t0_ns``) of the events the steps of ``scenario`` wait for,
    within [t0_ns, t1_ns); absent: not in that range."""
    triggers = [s.trigger for s in scenario.steps if not s.trigger.timed]
    found: dict[str, float] = {}
    alarms = {t.alarm for t in triggers if t.alarm}
    if alarms:
        journal = Journal(history)
        for e in journal.read(t0_ns, t1_ns, alarm_ids=alarms, actions=[Action.RAISE]):
            found.setdefault(e.alarm_id, (e.t - t0_ns) / NS_PER_S)
    watched = [t for t in triggers if t.signal]
    if watched:
        series = HistoryReader(history).read_many([str(t.signal) for t in watched], t0_ns, t1_ns)
        for trig in watched:
            t, v = series.get(str(trig.signal), (np.empty(0, np.int64), np.empty(0)))
            hit = v > trig.above if trig.above is not None else v < (trig.below or 0.0)
            if np.any(hit):
                found.setdefault(str(trig.signal), (int(t[int(np.argmax(hit))]) - t0_ns) / NS_PER_S)
    return found
