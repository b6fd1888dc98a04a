"""Machine and line indicators over a time window, from a `CycleTracker`'s logs.

Everything is computed for all machines at once with flat numpy arrays. A line's output,
OEE and plan are those of its output machine (the last one unless the plant file says
otherwise); its bottleneck is the machine with the longest median cycle in the window.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from twin.kpi import groups as G
from twin.kpi.detect import NO_TIME
from twin.kpi.oee import Oee, compute_oee
from twin.kpi.tracker import CycleTracker
from twin.plant.lines import Line
from twin.timebase import NS_PER_S

_CODES = 64  # state codes kept apart; larger ones count as the last


@dataclass(frozen=True, slots=True)
class MachineIndicators:
    """Per machine (arrays in the tracker's machine order) over [t0, t1]."""

    asset_ids: tuple[str, ...]
    parts: np.ndarray
    scrap: np.ndarray
    cycle_last_s: np.ndarray
    since_cycle_s: np.ndarray  # from the end of the last cycle in the window to t1 (NaN: none)
    cycle_median_s: np.ndarray
    cycle_p10_s: np.ndarray
    cycle_p90_s: np.ndarray
    parts_per_hour: np.ndarray
    state: np.ndarray  # state code at t1 (NaN: unknown)
    downtime_by_code: np.ndarray  # (machines, _CODES) seconds
    energy_kwh: np.ndarray
    energy_per_part_kwh: np.ndarray
    energy_per_hour_kwh: np.ndarray
    oee: Oee


@dataclass(frozen=True, slots=True)
class LineIndicators:
    """One line over [t0, t1]: its output machine's figures, cycle times for a chart,
    output against plan, downtime by cause name and the bottleneck."""

    line: Line
    output_index: int
    machine_indices: tuple[int, ...]
    cycle_end_ns: np.ndarray  # the output machine's timed cycles in the window
    cycle_s: np.ndarray
    part_end_ns: np.ndarray  # when each part was counted (for output through the shift)
    parts: float
    good: float
    plan_parts: int | None  # the shift's plan; None without one
    plan_so_far: float | None  # the plan prorated to t1
    oee: Oee  # scalars (0-d arrays)
    downtime_by_cause: Mapping[str, float]
    bottleneck: str | None
    energy_per_part_kwh: float


class Indicators:
    """Indicators over [t0, t1]: every machine's at once; a line's when asked for
    (``line``, ``lines``), so that a view showing a few lines of hundreds pays for those."""

    def __init__(
        self,
        t0: int,
        t1: int,
        machines: MachineIndicators,
        make_line: Callable[[Line], LineIndicators],
        lines: Sequence[Line],
    ) -> None:
        self.t0, self.t1, self.machines = t0, t1, machines
        self._make, self._lines = make_line, {line.id: line for line in lines}
        self._made: dict[str, LineIndicators] = {}

    def line(self, line_id: str) -> LineIndicators:
        """One line's indicators; KeyError for a line the plant does not have."""
        if line_id not in self._made:
            self._made[line_id] = self._make(self._lines[line_id])
        return self._made[line_id]

    @property
    def lines(self) -> tuple[LineIndicators, ...]:
        """Every line's indicators, in plant-file order."""
        return tuple(self.line(line_id) for line_id in self._lines)


def compute(
    tracker: CycleTracker,
    t0: int,
    t1: int,
    plan: Mapping[str, Mapping[str, int]] | None = None,
    shift: tuple[str, int, int] | None = None,
) -> Indicators:
    """Indicators over [t0, t1] ns; ``plan`` (line -> shift -> parts) and ``shift``
    (id, start, end) give output against plan."""
    n = len(tracker.machines)
    first = tracker.first_t if tracker.first_t is not None else t1
    planned_s = max(0.0, (t1 - max(t0, first)) / NS_PER_S)
    cycles = tracker.cycles()
    inside = (cycles.end > t0) & (cycles.end <= t1)
    m, start, end, parts = (
        cycles.machine[inside],
        cycles.start[inside],
        cycles.end[inside],
        cycles.parts[inside],
    )
    timed = (start > NO_TIME) & (parts == 1)  # a step of several parts has no one cycle time
    dur = (end[timed] - start[timed]) / NS_PER_S
    mt = m[timed]
    count = G.sums(m, parts, n)
    sm, st, _, sv = tracker.intervals("scrap")
    sin = (st > t0) & (st <= t1)
    scrap = G.sums(sm[sin], sv[sin], n)
    down, state = _states(tracker, t0, t1, n)
    ideal = np.array([mc.line.target_cycle_s for mc in tracker.machines])
    oee = compute_oee(np.full(n, planned_s), down[:, 2:].sum(axis=1), count, scrap, ideal)
    energy = tracker.energy_between(t0, t1)
    hours = planned_s / 3600.0
    spread = G.quantiles(mt, dur, n, (0.1, 0.5, 0.9))
    with np.errstate(divide="ignore", invalid="ignore"):
        machines = MachineIndicators(
            asset_ids=tuple(mc.asset_id for mc in tracker.machines),
            parts=count,
            scrap=scrap,
            cycle_last_s=G.last(mt, dur, n),
            since_cycle_s=G.last(m, (t1 - end) / NS_PER_S, n),
            cycle_median_s=spread[1],
            cycle_p10_s=spread[0],
            cycle_p90_s=spread[2],
            parts_per_hour=count / hours if hours > 0 else np.full(n, np.nan),
            state=state,
            downtime_by_code=down,
            energy_kwh=energy,
            energy_per_part_kwh=np.where(count > 0, energy / np.maximum(count, 1), np.nan),
            energy_per_hour_kwh=energy / hours if hours > 0 else np.full(n, np.nan),
            oee=oee,
        )
    by_timed = _ByMachine(mt, n, end[timed], dur)
    by_counted = _ByMachine(m, n, end, parts)
    index = {mc.asset_id: mc.index for mc in tracker.machines}

    def make(line: Line) -> LineIndicators:
        return _line(line, index, machines, by_timed, by_counted, plan, shift, t1)

    return Indicators(t0, t1, machines, make, tracker.plant.lines)


def _states(tracker: CycleTracker, t0: int, t1: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Seconds per (machine, state code) in [t0, t1], and each machine's state at t1."""
    m, start, end, code = tracker.intervals("states")
    seconds = (np.clip(end, t0, t1) - np.clip(start, t0, t1)) / NS_PER_S
    index = np.clip(np.nan_to_num(code, nan=0.0), 0, _CODES - 1).astype(np.intp)
    down = np.bincount(m * _CODES + index, weights=seconds, minlength=n * _CODES)
    at = (start <= t1) & (end >= t1)  # the state under way at t1
    now = G.last(m[at], code[at], n)
    return down.reshape(n, _CODES), now


class _ByMachine:
    """Arrays grouped by machine once (stable: each machine's stay in time order)."""

    def __init__(self, machine: np.ndarray, n: int, *arrays: np.ndarray) -> None:
        order = np.argsort(machine, kind="stable")
        self.arrays = [a[order] for a in arrays]
        self.bounds = np.concatenate([[0], np.cumsum(np.bincount(machine, minlength=n))])

    def of(self, machine: int) -> list[np.ndarray]:
        lo, hi = self.bounds[machine], self.bounds[machine + 1]
        return [a[lo:hi] for a in self.arrays]


def _line(
    line: Line,
    index: Mapping[str, int],
    mi: MachineIndicators,
    timed: _ByMachine,
    counted: _ByMachine,
    plan: Mapping[str, Mapping[str, int]] | None,
    shift: tuple[str, int, int] | None,
    t1: int,
) -> LineIndicators:
    members = tuple(index[a] for a in line.machines if a in index)
    out = index[line.output]
    medians = mi.cycle_median_s[list(members)]
    bottleneck = None
    if np.isfinite(medians).any():
        bottleneck = mi.asset_ids[members[int(np.nanargmax(medians))]]
    plan_parts = plan_so_far = None
    if plan is not None and shift is not None:
        plan_parts = plan.get(line.id, {}).get(shift[0])
        if plan_parts is not None:
            share = min(max((t1 - shift[1]) / max(shift[2] - shift[1], 1), 0.0), 1.0)
            plan_so_far = plan_parts * share
    tend, tdur = timed.of(out)
    cend, cparts = counted.of(out)
    part_end = np.repeat(cend, cparts.astype(np.intp))
    o = mi.oee
    scalar = Oee(*(np.asarray(getattr(o, f)[out]) for f in Oee.__slots__))
    causes = {
        name: float(mi.downtime_by_code[out, code])
        for code, name in line.causes.items()
        if code < _CODES
    }
    return LineIndicators(
        line=line,
        output_index=out,
        machine_indices=members,
        cycle_end_ns=tend,
        cycle_s=tdur,
        part_end_ns=part_end,
        parts=float(mi.parts[out]),
        good=float(mi.parts[out] - mi.scrap[out]),
        plan_parts=plan_parts,
        plan_so_far=plan_so_far,
        oee=scalar,
        downtime_by_cause=causes,
        bottleneck=bottleneck,
        energy_per_part_kwh=float(mi.energy_per_part_kwh[out]),
    )
