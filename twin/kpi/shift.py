"""The shift report's figures: which occurrence of a shift is meant (a day and a shift of
the plant file), and what happened in it, for the handover between operators.

Per line: output against plan, OEE and its losses, cycle-time statistics, energy per part
and the bottleneck (``summarise_lines``, from a ``CycleTracker`` fed with the shift's
samples); the alarms raised with their acknowledgement and the advisories with their
clearing (``pair_alarms``, ``pair_advisories``); the bookmarks. Pure: the history is read
in ``db.read.shift``, the words are the application's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from twin.alarms.model import Action, AlarmEvent
from twin.condition.advisories import RAISE, AdvisoryEvent
from twin.kpi.indicators import LineIndicators, compute
from twin.kpi.plan import DAY_NS, Plan
from twin.kpi.tracker import CycleTracker
from twin.plant.lines import Shift
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

# Data that starts (or stops) within this of the shift's edge covers the shift: a 1 Hz
# signal's first sample may come a second after the start.
EDGE_SLACK_NS = 60 * NS_PER_S


@dataclass(frozen=True, slots=True)
class ShiftWindow:
    """One occurrence of a shift: it starts on ``day`` (UTC) and runs [start_ns, end_ns)."""

    shift: Shift
    day: dt.date
    start_ns: int
    end_ns: int


def shift_on(shift: Shift, day: dt.date) -> ShiftWindow:
    """The occurrence of ``shift`` that starts on ``day`` (UTC)."""
    start = _midnight(day) + round(shift.start_s * NS_PER_S)
    return ShiftWindow(shift, day, start, start + round(shift.length_s * NS_PER_S))


def day_of(t_ns: int) -> dt.date:
    """The UTC date of an instant."""
    return dt.date(1970, 1, 1) + dt.timedelta(days=t_ns // DAY_NS)


def windows_between(plant: Plant, t0: int, t1: int) -> list[ShiftWindow]:
    """Every occurrence of the plant's shifts that overlaps [t0, t1], in time order."""
    out = []
    day = day_of(t0) - dt.timedelta(days=1)  # a night shift of the day before runs into t0
    while _midnight(day) <= t1:
        for shift in plant.shifts:
            w = shift_on(shift, day)
            if w.start_ns <= t1 and w.end_ns > t0:
                out.append(w)
        day += dt.timedelta(days=1)
    return sorted(out, key=lambda w: (w.start_ns, w.shift.id))


def _midnight(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days * DAY_NS


def default_window(plant: Plant, at_ns: int, recorded: tuple[int, int]) -> ShiftWindow | None:
    """The shift a report is most likely wanted for at ``at_ns``: the last one that has
    finished by then and has recorded data, else the one under way; None without shifts."""
    candidates = windows_between(plant, recorded[0], max(recorded[1], at_ns))
    finished = [w for w in candidates if w.end_ns <= at_ns and w.end_ns > recorded[0]]
    if finished:
        return max(finished, key=lambda w: w.end_ns)
    under_way = [w for w in candidates if w.start_ns <= at_ns < w.end_ns]
    if under_way:
        return max(under_way, key=lambda w: w.start_ns)
    return candidates[-1] if candidates else None


def last_window(shift: Shift, plant: Plant, recorded: tuple[int, int]) -> ShiftWindow | None:
    """The last occurrence of ``shift`` that finished within ``recorded`` (first, last
    sample), else the last one that overlaps it."""
    mine = [w for w in windows_between(plant, *recorded) if w.shift.id == shift.id]
    finished = [w for w in mine if w.end_ns <= recorded[1]]
    return finished[-1] if finished else (mine[-1] if mine else None)


def find_shift(plant: Plant, name: str) -> Shift:
    """The plant's shift whose id or name is ``name`` (any case); ValueError naming the
    shifts there are."""
    wanted = name.strip().casefold()
    for shift in plant.shifts:
        if wanted in (shift.id.casefold(), shift.name.casefold()):
            return shift
    known = ", ".join(s.id for s in plant.shifts) or "none: the plant file has no [[shifts]]"
    raise ValueError(f"no shift {name!r} in the plant file (shifts: {known})")


@dataclass(frozen=True, slots=True)
class CycleStats:
    """The output machine's timed cycles in the shift (seconds; NaN without cycles)."""

    count: int
    last_s: float
    median_s: float
    p90_s: float
    min_s: float
    max_s: float
    target_s: float
    slow: int  # cycles longer than the target


@dataclass(frozen=True, slots=True)
class LineSummary:
    """One line over the covered part of the shift. Ratios are 0-1 (NaN: undefined),
    times in seconds; ``plan_due`` is the plan prorated to the covered time."""

    line_id: str
    name: str
    parts: float
    good: float
    scrap: float
    plan_parts: int | None
    plan_due: float | None
    planned_s: float
    run_s: float
    downtime_s: float
    availability: float
    performance: float
    quality: float
    oee: float
    downtime_by_cause: tuple[tuple[str, float], ...]  # largest first; unnamed codes last
    speed_loss_s: float
    scrap_loss_s: float
    cycles: CycleStats
    energy_kwh: float  # every machine of the line
    energy_per_part_kwh: float
    bottleneck: str | None
    bottleneck_median_s: float


OTHER_CAUSE = "Other stop"


def summarise_lines(
    tracker: CycleTracker, window: ShiftWindow, covered: tuple[int, int], plan: Plan
) -> tuple[LineSummary, ...]:
    """Every line's summary over the ``covered`` part (from, to) of the shift, from
    ``tracker`` fed with the shift's samples. The plan due is the shift's plan prorated
    to the covered time: a shift recorded from its middle is held to what it could do."""
    span = (window.shift.id, window.start_ns, window.end_ns)
    ind = compute(tracker, window.start_ns, covered[1], plan, span)
    energy = ind.machines.energy_kwh
    medians = ind.machines.cycle_median_s
    share = (covered[1] - covered[0]) / max(window.end_ns - window.start_ns, 1)
    out = []
    for li in ind.lines:
        kwh = float(energy[list(li.machine_indices)].sum()) if li.machine_indices else 0.0
        neck = ind.machines.asset_ids.index(li.bottleneck) if li.bottleneck else None
        neck_median = np.nan if neck is None else float(medians[neck])
        due = None if li.plan_parts is None else li.plan_parts * min(max(share, 0.0), 1.0)
        out.append(_line_summary(li, kwh, neck_median, due))
    return tuple(out)


def _line_summary(
    li: LineIndicators, kwh: float, neck_median: float, due: float | None
) -> LineSummary:
    o = li.oee
    causes = sorted(((n, s) for n, s in li.downtime_by_cause.items() if s > 0), key=lambda c: -c[1])
    other = float(o.downtime_s) - sum(s for _, s in causes)
    if other >= 1.0:  # stopped with a code the plant file names no cause for
        causes.append((OTHER_CAUSE, other))
    return LineSummary(
        line_id=li.line.id,
        name=li.line.name,
        parts=li.parts,
        good=li.good,
        scrap=li.parts - li.good,
        plan_parts=li.plan_parts,
        plan_due=due,
        planned_s=float(o.planned_s),
        run_s=float(o.run_s),
        downtime_s=float(o.downtime_s),
        availability=float(o.availability),
        performance=float(o.performance),
        quality=float(o.quality),
        oee=float(o.oee),
        downtime_by_cause=tuple(causes),
        speed_loss_s=float(o.speed_loss_s),
        scrap_loss_s=float(o.scrap_loss_s),
        cycles=cycle_stats(li.cycle_s, li.line.target_cycle_s),
        energy_kwh=kwh,
        energy_per_part_kwh=kwh / li.parts if li.parts > 0 else np.nan,
        bottleneck=li.bottleneck,
        bottleneck_median_s=neck_median,
    )


def cycle_stats(cycle_s: np.ndarray, target_s: float) -> CycleStats:
    """Statistics of cycle durations (in time order) against the target."""
    if cycle_s.size == 0:
        nan = float("nan")
        return CycleStats(0, nan, nan, nan, nan, nan, target_s, 0)
    median, p90 = np.quantile(cycle_s, [0.5, 0.9])
    return CycleStats(
        count=int(cycle_s.size),
        last_s=float(cycle_s[-1]),
        median_s=float(median),
        p90_s=float(p90),
        min_s=float(cycle_s.min()),
        max_s=float(cycle_s.max()),
        target_s=target_s,
        slow=int(np.count_nonzero(cycle_s > target_s)),
    )


@dataclass(frozen=True, slots=True)
class AlarmEntry:
    """An alarm raised in the shift, and its first acknowledgement after that (if any)."""

    raised: AlarmEvent
    acked: AlarmEvent | None


def pair_alarms(events: Iterable[AlarmEvent], t0: int, t1: int) -> tuple[AlarmEntry, ...]:
    """The raises in [t0, t1) of ``events`` (time order, acknowledgements after t1
    included), each with the first acknowledgement of its alarm before it is raised again."""
    entries: list[AlarmEntry] = []
    open_: dict[str, int] = {}  # alarm id -> index of its raise awaiting an ack
    for e in events:
        if e.action is Action.RAISE and t0 <= e.t < t1:
            open_[e.alarm_id] = len(entries)
            entries.append(AlarmEntry(e, None))
        elif e.action is Action.ACK and e.alarm_id in open_:
            i = open_.pop(e.alarm_id)
            entries[i] = AlarmEntry(entries[i].raised, e)
    return tuple(entries)


@dataclass(frozen=True, slots=True)
class AdvisoryEntry:
    """An advisory raised in the shift, and when it cleared (None: still standing)."""

    raised: AdvisoryEvent
    cleared_ns: int | None


def pair_advisories(events: Iterable[AdvisoryEvent], t0: int, t1: int) -> tuple[AdvisoryEntry, ...]:
    """The raises in [t0, t1) of ``events`` (time order), each with its clearing."""
    entries: list[AdvisoryEntry] = []
    open_: dict[tuple[str, str], int] = {}
    for e in events:
        key = (e.asset_id, e.cause)
        if e.action == RAISE:
            if t0 <= e.t_ns < t1:
                open_[key] = len(entries)
                entries.append(AdvisoryEntry(e, None))
        elif key in open_:
            i = open_.pop(key)
            entries[i] = AdvisoryEntry(entries[i].raised, e.t_ns)
    return tuple(entries)


@dataclass(frozen=True, slots=True)
class Note:
    """A bookmark in the shift: when, and what it says."""

    t_ns: int
    text: str


@dataclass(frozen=True, slots=True)
class ShiftSummary:
    """What the shift report says. ``data_from``/``data_to`` is the part of the shift the
    recording covers; ``operators`` are those who acted on alarms in it."""

    plant_name: str
    window: ShiftWindow
    data_from: int
    data_to: int
    operators: tuple[str, ...]
    lines: tuple[LineSummary, ...]
    alarms: tuple[AlarmEntry, ...]
    advisories: tuple[AdvisoryEntry, ...]
    notes: tuple[Note, ...]

    @property
    def started_late(self) -> bool:
        """The recording began after the shift had started."""
        return self.data_from > self.window.start_ns + EDGE_SLACK_NS

    @property
    def ended_early(self) -> bool:
        """The data stops before the shift's end (under way, or the recording stopped)."""
        return self.data_to < self.window.end_ns - EDGE_SLACK_NS

    @property
    def complete(self) -> bool:
        return not (self.started_late or self.ended_early)


def operators_of(events: Sequence[AlarmEvent]) -> tuple[str, ...]:
    """The users named by ``events``, in the order they first acted."""
    return tuple(dict.fromkeys(e.user for e in events if e.user))
