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
from twin.kpi.log import EnergyBins, EventLog
from twin.plant.lines import CycleRule, Line
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

ENERGY_BIN_NS = 10 * NS_PER_S
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
    """Detected cycles, sorted by machine then end: ``start`` is NO_TIME where the cycle
    began before anything was seen; ``parts`` is how many parts the cycle ended with."""

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
        self.last = np.empty(0)
        self.top = detect.TopCarry.empty(0)
        self.last_t = np.empty(0, np.int64)

    def add(self, signal_id: str, machine: int) -> None:
        self.slot[signal_id] = len(self.machine)
        self.machine.append(machine)

    def freeze(self) -> None:
        n = len(self.machine)
        self.machines = np.array(self.machine, np.intp)
        self.last = np.full(n, np.nan)
        self.top = detect.TopCarry.empty(n)
        self.last_t = np.full(n, detect.NO_TIME, np.int64)


class CycleTracker:
    """Cycles, states, scrap and energy of the plant's line machines, from batches.

    ``groups`` are the channel groups batches will come in (``consume``); ``feed`` takes
    one signal at a time (replay). Thread-safe: the ingest thread feeds, views read.
    """

    def __init__(self, plant: Plant, groups: Sequence[ChannelGroup] = ()) -> None:
        self.plant = plant
        self.machines = line_machines(plant)
        self._slots = {role: _Slots() for role in ("counter", "position", "run", "state",
                                                   "power", "energy", "scrap")}  # fmt: skip
        for m in self.machines:
            for role, key in _roles(m):
                self._slots[role].add(f"{m.asset_id}.{key}", m.index)
        for slots in self._slots.values():
            slots.freeze()
        pos = self._slots["position"]
        self._top = np.array([self.machines[i].rule.top for i in pos.machine])
        self._dwell = np.array(
            [round(self.machines[i].rule.dwell_s * NS_PER_S) for i in pos.machine], np.int64
        )
        # Per group key: (role, channel rows, slots) for each role with signals in it.
        self._plans: dict[str, list[tuple[str, np.ndarray, np.ndarray]]] = {}
        for group in groups:
            self._plans[group.key] = self._plan(group.signal_ids)
        self.logs = {role: EventLog() for role in ("ends", "starts", "run", "state", "scrap")}
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
                    self._take(role, index, np.asarray(t, np.int64), np.asarray(v, float)[None, :])

    def _take(self, role: str, slots: np.ndarray, t: np.ndarray, v: np.ndarray) -> None:
        if t.shape[0] == 0:
            return
        lo, hi = int(t[0]), int(t[-1])
        self.first_t = lo if self.first_t is None else min(self.first_t, lo)
        self.last_t = hi if self.last_t is None else max(self.last_t, hi)
        s = self._slots[role]
        machines = s.machines[slots]
        if role in ("counter", "scrap"):
            (ch, et, ev), s.last[slots] = detect.increments(t, v, s.last[slots])
            self.logs["ends" if role == "counter" else "scrap"].append(machines[ch], et, ev)
        elif role in ("run", "state"):
            (ch, et, ev), s.last[slots] = detect.changes(t, v, s.last[slots])
            self.logs[role].append(machines[ch], et, ev)
        elif role == "position":
            carry = detect.TopCarry(s.top.at_top[slots], s.top.since[slots], s.top.known[slots],
                                    s.top.last_t[slots])  # fmt: skip
            ch, et, ev = detect.departures(t, v, carry, self._top[slots], self._dwell[slots])
            s.top.at_top[slots], s.top.since[slots] = carry.at_top, carry.since
            s.top.known[slots], s.top.last_t[slots] = carry.known, carry.last_t
            self.logs["starts"].append(machines[ch], et, ev)
        elif role == "power":
            self._power(s, slots, machines, t, v)
        else:  # cumulative energy (kWh): what it rose by
            x = detect.held(v, s.last[slots])
            step = np.diff(np.concatenate([s.last[slots][:, None], x], axis=1), axis=1)
            s.last[slots] = x[:, -1]
            self.energy.add(machines, t, np.where(step > 0, step, 0.0))

    def _power(
        self, s: _Slots, slots: np.ndarray, machines: np.ndarray, t: np.ndarray, v: np.ndarray
    ) -> None:
        """Energy from power (kW): each sample's power held until the next sample."""
        prev_t = s.last_t[slots]
        prev_t = np.where(prev_t > detect.NO_TIME, prev_t, t[0])
        times = np.concatenate([prev_t[:, None], np.broadcast_to(t, (len(slots), t.shape[0]))], 1)
        dt_s = np.diff(times, axis=1) / NS_PER_S
        p_prev = np.concatenate([s.last[slots][:, None], v[:, :-1]], axis=1)
        # Sample i's energy is the previous power over the gap before it (an unknown gap
        # start contributes nothing); gaps over a minute are missing data, not power.
        kwh = np.nan_to_num(p_prev) * np.where(dt_s <= 60.0, dt_s, 0.0) / 3600.0
        self.energy.add(machines, t, kwh)
        s.last[slots] = v[:, -1]
        s.last_t[slots] = t[-1]

    def cycles(self) -> Cycles:
        """Every cycle detected so far, by machine then end time."""
        with self._lock:
            ends = self.logs["ends"].sorted()
            starts = self.logs["starts"].sorted()
            run = self.logs["run"].sorted()
        parts = [_counter_cycles(*ends), _position_cycles(*starts), self._run_cycles(*run)]
        m = np.concatenate([p[0] for p in parts])
        order = np.lexsort((np.concatenate([p[2] for p in parts]), m))
        return Cycles(*(np.concatenate([p[i] for p in parts])[order] for i in range(4)))

    def _run_cycles(self, m: np.ndarray, t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
        running = np.array([self.machines[i].rule.running for i in m]) if m.size else np.empty(0)
        is_run = v == running
        same = np.concatenate([[False], m[1:] == m[:-1]])
        was_run = np.concatenate([[False], is_run[:-1]]) & same
        fall = was_run & ~is_run
        idx = np.nonzero(fall)[0]
        return m[idx], t[idx - 1], t[idx], np.ones(idx.shape[0])

    def events(self, log: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One log ("state", "scrap", ...) as (machine, t, value), by machine then time."""
        with self._lock:
            return self.logs[log].sorted()

    def energy_between(self, t0: int, t1: int) -> np.ndarray:
        """Energy (kWh) per machine in [t0, t1)."""
        with self._lock:
            return self.energy.between(t0, t1)


def _counter_cycles(m: np.ndarray, t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
    """A counter's cycle runs from the previous increment to this one."""
    same = np.concatenate([[False], m[1:] == m[:-1]])
    start = np.where(same, np.concatenate([[detect.NO_TIME], t[:-1]]), detect.NO_TIME)
    return m, start, t, v


def _position_cycles(m: np.ndarray, t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
    """A position's cycle runs from one departure from the top to the next."""
    same = np.nonzero(m[1:] == m[:-1])[0]
    return m[same + 1], t[same], t[same + 1], np.ones(same.shape[0])
