"""Alarms the trainee handles: an alarm engine run on the replayed values as the scenario
reaches them.

A replay's alarm list is the journal at the cursor, read-only; a trainee must acknowledge
and may shelve alarms as they are raised. So trainee mode evaluates the plant's alarm
rules again on the history's raw samples, forward only, up to the furthest moment the
scenario has reached, in an ``AlarmEngine`` of its own whose table's clock is the
scenario's cursor: the alarm list and its actions are the live ones, stamped in scenario
time. Looking back shows the table as it stands now, not as it stood then.

The samples are read in blocks of ``READ_NS`` (a chunk of the history is decoded once,
not at every frame) and only what the scenario has reached goes to the engine. Signals
recorded together share their times: they are evaluated as one channel group (found in
the first block), which is what keeps a feed cheap; a member missing samples that the
others have is NaN there (no data, deciding nothing).
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
from twin.values import to_float

READ_NS = 120 * NS_PER_S  # samples are read this much scenario time at once
Series = tuple[np.ndarray, np.ndarray]


class _ReadAhead:
    """Raw samples of ``signals`` read a block at a time; ``slice`` serves [t0, t1)."""

    def __init__(self, reader: HistoryReader, signals: Sequence[str]) -> None:
        self.reader, self.signals = reader, list(signals)
        self._span = (0, 0)
        self._block: dict[str, Series] = {}

    def slice(self, t0: int, t1: int) -> dict[str, Series]:
        lo, hi = self._span
        if not (lo <= t0 and t1 <= hi):
            hi = max(t1, t0 + READ_NS)
            self._block = self.reader.read_many(self.signals, t0, hi)
            self._span = (t0, hi)
        out: dict[str, Series] = {}
        for sid, (t, v) in self._block.items():
            a, b = np.searchsorted(t, (t0, t1))
            out[sid] = (t[a:b], v[a:b])
        return out


class ReplayedAlarms:
    """The plant's alarms evaluated on ``history`` from ``start_ns`` as ``feed`` moves on."""

    def __init__(
        self, plant: Plant, history: History, start_ns: int, clock: Callable[[], int]
    ) -> None:
        rules = build_rules(plant)
        rates = {f"{a.id}.{s.key}": s.rate_hz for a in plant.assets for s in a.signals}
        watched = sorted({r.signal_id for r in rules if r.signal_id in rates})
        self.samples = _ReadAhead(HistoryReader(history), watched)
        first = self.samples.slice(start_ns, start_ns + READ_NS)
        self.groups = _groups(first, rates)
        self.engine = AlarmEngine(rules, self.groups, clock=clock, start_ns=start_ns)
        self.fed_ns = start_ns  # samples before this have been evaluated
        self.raised: list[int] = []  # when alarms were raised, in order (timeline marks)
        self.engine.add_listener(self._on_events)

    @property
    def table(self) -> AlarmTable:
        return self.engine.table

    def feed(self, until_ns: int) -> None:
        """Evaluate the samples in [fed_ns, until_ns) (nothing when going back)."""
        while self.fed_ns < until_ns:
            t1 = min(until_ns, self.fed_ns + READ_NS)
            block = self.samples.slice(self.fed_ns, t1)
            for group in self.groups:
                batch = _batch(group, block)
                if batch is not None:
                    self.engine.on_batch(batch)
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


def _groups(first: dict[str, Series], rates: dict[str, float]) -> list[ChannelGroup]:
    """Signals with the same times in ``first`` as one group each (a signal without
    samples there is a group of its own)."""
    buckets: dict[bytes, list[str]] = {}
    for sid, (t, _v) in first.items():
        key = t.tobytes() if t.size else sid.encode()
        buckets.setdefault(key, []).append(sid)
    return [
        ChannelGroup(f"training/{i}", tuple(sids), rates[sids[0]], "float64")
        for i, sids in enumerate(buckets.values())
    ]


def _batch(group: ChannelGroup, block: dict[str, Series]) -> Batch | None:
    series = [block[sid] for sid in group.signal_ids]
    t = series[0][0]
    if not all(s[0].shape == t.shape and np.array_equal(s[0], t) for s in series[1:]):
        t = np.unique(np.concatenate([s[0] for s in series]))
    if t.size == 0:
        return None
    v = np.full((len(series), t.size), np.nan)
    for row, (ts, vs) in enumerate(series):
        v[row, np.searchsorted(t, ts)] = to_float(vs)  # an int64 "no value" is NaN
    return Batch(group.key, t, v)
