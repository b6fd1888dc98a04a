"""The live side of the line indicators: an ingest sink that finds cycles, state changes,
scrap and energy in every batch of the lines' machines, and keeps them as event logs.

The same tracker fed from a series reader gives the indicators in replay
(``twin.kpi.replay``); ``twin.kpi.indicators`` computes them from its ``cycles()`` and logs.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from twin.batch import Batch, ChannelGroup
from twin.ingest.ingestor import Sink
from twin.kpi import detect
from twin.kpi.log import EnergyBins, IntervalLog
from twin.plant.lines import CycleRule, Line
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

ENERGY_BIN_NS = 60 * NS_PER_S
_RULE_ROLE = {"counter": "counter", "position": "position", "state": "run"}


@dataclass(frozen=True, slots=True)
class Machine:
    """One machine of a line, as the tracker numbers it."""

    index: int
    asset_id: str
    line: Line
    rule: CycleRule


@dataclass(frozen=True, slots=True)
class Cycles:
    """Detected cycles, each machine's in time order; ``parts`` is how many parts the
    cycle ended with (a counter may step by more than one between samples)."""

    machine: np.ndarray
    start: np.ndarray
    end: np.ndarray
    parts: np.ndarray


def line_machines(plant: Plant) -> tuple[Machine, ...]:
    """Every machine of every line (a machine in two lines counts for the first)."""
    out: list[Machine] = []
    seen: set[str] = set()
    for line in plant.lines:
        for asset_id in line.machines:
            if asset_id not in seen:
                seen.add(asset_id)
                out.append(Machine(len(out), asset_id, line, line.rules[asset_id]))
    return tuple(out)


def _roles(machine: Machine) -> list[tuple[str, str]]:
    """(role, signal key) of each signal the tracker reads for a machine."""
    rule = machine.rule
    roles = [(_RULE_ROLE[rule.rule], rule.signal)]
    for role in ("state", "power", "energy", "scrap"):
        key = getattr(rule, role)
        if key:
            roles.append((role, key))
    return roles


class _Slots:
    """The signals of one role, numbered, with their carry between blocks."""

    def __init__(self) -> None:
        self.slot: dict[str, int] = {}
        self.machine: list[int] = []

    def add(self, signal_id: str, machine: int) -> None:
        self.slot[signal_id] = len(self.machine)
        self.machine.append(machine)

    def freeze(self) -> None:
        n = len(self.machine)
        self.machines = np.array(self.machine, np.intp)
        self.last = np.full(n, np.nan)  # last value
        self.last_t = np.full(n, detect.NO_TIME, np.int64)  # power: time of the last value
        # counter: time of the last count; state: since when it holds; run: the rise.
        self.since = np.full(n, detect.NO_TIME, np.int64)
        self.top = detect.TopCarry.empty(n)


class CycleTracker:
    """Cycles, states, scrap and energy of the plant's line machines, from batches.

    ``groups`` are the channel groups batches will come in (``consume``); ``feed`` takes
    one signal at a time (replay). Each signal must come in time order. Thread-safe: the
    ingest thread feeds, views read.
    """

    def __init__(self, plant: Plant, groups: Sequence[ChannelGroup] = ()) -> None:
        self.plant = plant
        self.machines = line_machines(plant)
        self._slots = {
            role: _Slots()
            for role in ("counter", "position", "run", "state", "power", "energy", "scrap")
        }
        for m in self.machines:
            for role, key in _roles(m):
                self._slots[role].add(f"{m.asset_id}.{key}", m.index)
        for slots in self._slots.values():
            slots.freeze()
        rules = [m.rule for m in self.machines]
        pos, run = self._slots["position"], self._slots["run"]
        self._top = np.array([rules[i].top for i in pos.machine])
        self._dwell = np.array([round(rules[i].dwell_s * NS_PER_S) for i in pos.machine], np.int64)
        self._running = np.array([rules[i].running for i in run.machine])
        # Per group key: (role, channel rows, slots) for each role with signals in it.
        self._plans = {g.key: self._plan(g.signal_ids) for g in groups}
        self.logs = {log: IntervalLog() for log in ("cycles", "states", "scrap")}
        self.energy = EnergyBins(len(self.machines), ENERGY_BIN_NS)
        self.first_t: int | None = None
        self.last_t: int | None = None
        self._lock = threading.Lock()

    @property
    def signal_ids(self) -> tuple[str, ...]:
        """Every signal the tracker reads."""
        return tuple(s for slots in self._slots.values() for s in slots.slot)

    def _plan(self, signal_ids: Sequence[str]) -> list[tuple[str, np.ndarray, np.ndarray]]:
        plan = []
        for role, slots in self._slots.items():
            pairs = [(row, slots.slot[s]) for row, s in enumerate(signal_ids) if s in slots.slot]
            if pairs:
                rows, idx = zip(*pairs, strict=True)
                plan.append((role, np.array(rows, np.intp), np.array(idx, np.intp)))
        return plan

    def sink(self) -> Sink:
        """The ingest sink ("kpi") that feeds every batch to the tracker."""
        return Sink("kpi", self.consume)

    def consume(self, batch: Batch) -> None:
        """Take one batch of a group given at construction (others are ignored)."""
        plan = self._plans.get(batch.group)
        if plan:
            with self._lock:
                for role, rows, slots in plan:
                    self._take(role, slots, batch.t, batch.v[rows])

    def feed(self, signal_id: str, t: np.ndarray, v: np.ndarray) -> None:
        """Take samples of one signal, (k,) each, in time order after those already fed."""
        with self._lock:
            for role, slots in self._slots.items():
                if signal_id in slots.slot:
                    index = np.array([slots.slot[signal_id]], np.intp)
                    values = np.asarray(v, float)[None, :]
                    self._take(role, index, np.asarray(t, np.int64), values)

    def _take(self, role: str, slots: np.ndarray, t: np.ndarray, v: np.ndarray) -> None:
        if t.shape[0] == 0:
            return
        lo, hi = int(t[0]), int(t[-1])
        self.first_t = lo if self.first_t is None else min(self.first_t, lo)
        self.last_t = hi if self.last_t is None else max(self.last_t, hi)
        s = self._slots[role]
        machines = s.machines[slots]
        if role == "counter":
            (ch, et, ev), s.last[slots] = detect.increments(t, v, s.last[slots])
            start = _chain(ch, et, s.since, slots)  # a cycle runs from the previous count
            self.logs["cycles"].append(machines[ch], start, et, ev)
        elif role == "scrap":
            (ch, et, ev), s.last[slots] = detect.increments(t, v, s.last[slots])
            self.logs["scrap"].append(machines[ch], et, et, ev)
        elif role == "state":
            before = s.last[slots]
            (ch, et, ev), s.last[slots] = detect.changes(t, v, before)
            code = _previous(ch, ev, before)
            start = _chain(ch, et, s.since, slots)
            self._append("states", machines[ch], start, et, code)
        elif role == "run":
            self._run(s, slots, machines, t, v)
        elif role == "position":
            self._position(s, slots, machines, t, v)
        elif role == "power":
            self._power(s, slots, machines, t, v)
        else:  # cumulative energy (kWh): what it rose by
            x = detect.held(v, s.last[slots])
            step = np.diff(np.concatenate([s.last[slots][:, None], x], axis=1), axis=1)
            s.last[slots] = x[:, -1]
            self.energy.add(machines, t, np.where(step > 0, step, 0.0))

    def _append(
        self, log: str, m: np.ndarray, start: np.ndarray, end: np.ndarray, value: np.ndarray
    ) -> None:
        """Append the records whose start is known (a first one began before the data)."""
        known = start > detect.NO_TIME
        self.logs[log].append(m[known], start[known], end[known], value[known])

    def _run(
        self, s: _Slots, slots: np.ndarray, machines: np.ndarray, t: np.ndarray, v: np.ndarray
    ) -> None:
        """State rule: a cycle from each rise to the running value to the next fall."""
        before = s.last[slots]
        (ch, et, ev), s.last[slots] = detect.changes(t, v, before)
        running = self._running[slots][ch]
        was = _previous(ch, ev, before)
        # A rise seen at the first sample began earlier: that cycle is not timed.
        rise_t = np.where((ev == running) & ~np.isnan(was), et, detect.NO_TIME)
        start = _chain(ch, rise_t, s.since, slots)
        fall = (was == running) & (ev != running)
        self._append("cycles", machines[ch][fall], start[fall], et[fall], np.ones(int(fall.sum())))

    def _position(
        self, s: _Slots, slots: np.ndarray, machines: np.ndarray, t: np.ndarray, v: np.ndarray
    ) -> None:
        """Position rule: a cycle from one departure from the top to the next."""
        top = s.top
        carry = detect.TopCarry(
            top.at_top[slots], top.since[slots], top.known[slots], top.last_t[slots]
        )
        ch, et, _ = detect.departures(t, v, carry, self._top[slots], self._dwell[slots])
        top.at_top[slots], top.since[slots] = carry.at_top, carry.since
        top.known[slots], top.last_t[slots] = carry.known, carry.last_t
        start = _chain(ch, et, s.since, slots)
        self._append("cycles", machines[ch], start, et, np.ones(ch.shape[0]))

    def _power(
        self, s: _Slots, slots: np.ndarray, machines: np.ndarray, t: np.ndarray, v: np.ndarray
    ) -> None:
        """Energy from power (kW): each sample's power held until the next sample."""
        prev_t = np.where(s.last_t[slots] > detect.NO_TIME, s.last_t[slots], t[0])
        times = np.concatenate([prev_t[:, None], np.broadcast_to(t, (len(slots), t.shape[0]))], 1)
        dt_s = np.diff(times, axis=1) / NS_PER_S
        p_prev = np.concatenate([s.last[slots][:, None], v[:, :-1]], axis=1)
        # Gaps over a minute are missing data, not power held.
        kwh = np.nan_to_num(p_prev) * np.where(dt_s <= 60.0, dt_s, 0.0) / 3600.0
        self.energy.add(machines, t, kwh)
        s.last[slots] = v[:, -1]
        s.last_t[slots] = t[-1]

    def cycles(self) -> Cycles:
        """Every cycle detected so far, each machine's in time order."""
        with self._lock:
            return Cycles(*self.logs["cycles"].view())

    def intervals(self, log: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(machine, start, end, value) of the "states" log, each machine's state under
        way included (ending at the last sample seen), or of the "scrap" log (start = end
        = when, value = parts)."""
        with self._lock:
            m, a, b, v = self.logs[log].view()
            if log != "states":
                return m, a, b, v
            s = self._slots["state"]
            now = np.full(s.since.shape[0], self.last_t or 0, np.int64)
            open_ = (s.since > detect.NO_TIME) & ~np.isnan(s.last)
            return (
                np.concatenate([m, s.machines[open_]]),
                np.concatenate([a, s.since[open_]]),
                np.concatenate([b, now[open_]]),
                np.concatenate([v, s.last[open_]]),
            )

    def energy_between(self, t0: int, t1: int) -> np.ndarray:
        """Energy (kWh) per machine in [t0, t1)."""
        with self._lock:
            return self.energy.between(t0, t1)


def _previous(ch: np.ndarray, values: np.ndarray, carry: np.ndarray) -> np.ndarray:
    """Each event's predecessor in its channel: the previous event's value in the block,
    else the channel's carry (``carry`` per block row; events in row-major order)."""
    same = np.zeros(ch.shape, bool)
    same[1:] = ch[1:] == ch[:-1]
    prev = np.empty_like(values)
    prev[1:] = values[:-1]
    return np.where(same, prev, carry[ch]) if ch.size else prev


def _chain(ch: np.ndarray, values: np.ndarray, carry: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """``_previous`` over ``carry[slots]``; then ``carry`` takes each channel's last value."""
    prev = _previous(ch, values, carry[slots])
    if ch.size:
        last = np.nonzero(np.append(ch[1:] != ch[:-1], True))[0]
        carry[slots[ch[last]]] = values[last]
    return prev
