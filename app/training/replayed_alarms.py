"""Alarms the trainee handles: an alarm engine run on the replayed values as the scenario
reaches them.

A replay's alarm list is the journal at the cursor, read-only; a trainee must acknowledge
and may shelve alarms as they are raised. So trainee mode evaluates the plant's alarm
rules again on the history's raw samples, forward only, up to the furthest moment the
scenario has reached, in an ``AlarmEngine`` of its own whose table's clock is the
scenario's cursor: the alarm list and its actions are the live ones, stamped in scenario
time. Looking back shows the table as it stands now, not as it stood then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from db.history import History
from db.read.reader import HistoryReader
from twin.alarms.engine import AlarmEngine
from twin.alarms.model import Action, AlarmEvent
from twin.alarms.rules import build_rules
from twin.alarms.states import AlarmTable
from twin.batch import Batch, ChannelGroup
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

FEED_NS = 10 * NS_PER_S  # samples are read at most this much scenario time at once


class ReplayedAlarms:
    """The plant's alarms evaluated on ``history`` from ``start_ns`` as ``feed`` moves on."""

    def __init__(
        self, plant: Plant, history: History, start_ns: int, clock: Callable[[], int]
    ) -> None:
        rules = build_rules(plant)
        rates = {f"{a.id}.{s.key}": s.rate_hz for a in plant.assets for s in a.signals}
        watched = sorted({r.signal_id for r in rules if r.signal_id in rates})
        # One group per signal: the history's samples of each come on their own times.
        groups = [ChannelGroup(sid, (sid,), rates[sid], "float64") for sid in watched]
        self.engine = AlarmEngine(rules, groups, clock=clock, start_ns=start_ns)
        self.reader = HistoryReader(history)
        self.signals = watched
        self.fed_ns = start_ns  # samples before this have been evaluated
        self.raised: list[int] = []  # when alarms were raised, in order (timeline marks)
        self.engine.add_listener(self._on_events)

    @property
    def table(self) -> AlarmTable:
        return self.engine.table

    def feed(self, until_ns: int) -> None:
        """Evaluate the samples in [fed_ns, until_ns) (nothing when going back)."""
        while self.fed_ns < until_ns:
            t1 = min(until_ns, self.fed_ns + FEED_NS)
            for sid, (t, v) in self.reader.read_many(self.signals, self.fed_ns, t1).items():
                if t.size:
                    self.engine.on_batch(Batch(sid, t, np.asarray(v, np.float64)[None, :]))
            self.fed_ns = t1
        self.engine.check_stale(self.fed_ns)

    def active(self) -> set[str]:
        """The ids of the alarms whose condition is active now."""
        table = self.engine.table
        with table.lock:
            flags = np.flatnonzero(table.active_flags())
            return {table.rules.alarm_id(int(i)) for i in flags}

    def _on_events(self, events: Sequence[AlarmEvent]) -> None:
        self.raised += [e.t for e in events if e.action is Action.RAISE]
