"""A shift's summary from a recorded history alone: the line machines' samples through a
``CycleTracker`` (read in slices, with progress), the alarm journal, the advisories and
the bookmarks of the shift (``twin.kpi.shift`` does the arithmetic)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from db.advisories import AdvisoryJournal
from db.annotations import AnnotatedBookmarks
from db.history import History
from db.journal import Journal
from db.read.reader import HistoryReader
from twin.alarms.model import Action
from twin.kpi.plan import Plan, plant_plan
from twin.kpi.shift import (
    LineSummary,
    Note,
    ShiftSummary,
    ShiftWindow,
    operators_of,
    pair_advisories,
    pair_alarms,
    summarise_lines,
)
from twin.kpi.tracker import CycleTracker
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

Progress = Callable[[float], bool]  # the fraction done; False: stop
# Read this much before the shift too: a stop under way at the start then counts from the
# start (the tracker keeps a state only once it has seen it begin).
LOOKBACK_NS = 15 * 60 * NS_PER_S
SLICE_NS = 3600 * NS_PER_S  # one read per hour of samples: the progress steps


class NoShiftData(ValueError):
    """The history holds no samples of the shift asked for; the message names it."""


def read_shift_summary(
    history: History,
    plant: Plant,
    window: ShiftWindow,
    plan: Plan | None = None,
    progress: Progress | None = None,
) -> ShiftSummary | None:
    """The summary of ``window`` as recorded in ``history`` (None when ``progress`` asked
    to stop). ``NoShiftData`` when the recording does not reach into the shift."""
    reader = HistoryReader(history)
    span = reader.time_range()
    w = window
    if span is None or span[1] < w.start_ns or span[0] >= w.end_ns:
        raise NoShiftData(_no_data(w, span))
    tracker = CycleTracker(plant)
    lo, hi = w.start_ns - LOOKBACK_NS, min(w.end_ns, span[1]) + 1  # a count at the end is in
    for a in range(lo, hi, SLICE_NS):
        b = min(a + SLICE_NS, hi)
        for signal_id, (t, v) in reader.read_many(tracker.signal_ids, a, b).items():
            tracker.feed(signal_id, t, v)
        if progress is not None and not progress(0.9 * (b - lo) / (hi - lo)):
            return None
    if tracker.last_t is None or tracker.last_t < w.start_ns:
        raise NoShiftData(_no_data(w, span))
    data_from = max(w.start_ns, tracker.first_t or w.start_ns)
    # A recording that goes on past the shift covers it to its end, not its last sample.
    data_to = w.end_ns if span[1] >= w.end_ns else min(w.end_ns, tracker.last_t)
    plan = plant_plan(plant) if plan is None else plan
    lines = summarise_lines(tracker, w, (data_from, data_to), plan)
    summary = _with_events(history, plant.name, w, data_from, data_to, span[1], lines)
    if progress is not None:
        progress(1.0)
    return summary


def _with_events(
    history: History,
    plant_name: str,
    w: ShiftWindow,
    data_from: int,
    data_to: int,
    recorded_to: int,
    lines: tuple[LineSummary, ...],
) -> ShiftSummary:
    """The summary with the shift's alarms, advisories and bookmarks."""
    journal = Journal(history)
    in_shift = journal.read(w.start_ns, w.end_ns)
    raised = {e.alarm_id for e in in_shift if e.action is Action.RAISE}
    # An alarm raised late in the shift may be acknowledged by the next one.
    later = journal.read(w.end_ns, recorded_to + 1, alarm_ids=raised, actions=[Action.ACK])
    advisories = AdvisoryJournal(history).read(w.start_ns, recorded_to + 1)
    marks = AnnotatedBookmarks(history).in_range(w.start_ns, w.end_ns)
    return ShiftSummary(
        plant_name=plant_name,
        window=w,
        data_from=data_from,
        data_to=data_to,
        operators=operators_of(in_shift),
        lines=lines,
        alarms=pair_alarms([*in_shift, *later], w.start_ns, w.end_ns),
        advisories=pair_advisories(advisories, w.start_ns, w.end_ns),
        notes=tuple(Note(b.t, b.name) for b in marks),
    )


def _no_data(w: ShiftWindow, span: tuple[int, int] | None) -> str:
    s = w.shift
    name = s.id if s.name == s.id else f"{s.name} ({s.id})"
    what = f"{name} on {w.day.isoformat()}, {_clock(w.start_ns)}-"
    what += f"{_clock(w.end_ns)} UTC"
    if span is None:
        return f"no data for {what}: nothing has been recorded"
    return f"no data for {what}: the recording covers {_stamp(span[0])} to {_stamp(span[1])} UTC"


def _clock(t_ns: int) -> str:
    return _stamp(t_ns)[11:16]


def _stamp(t_ns: int) -> str:
    when = dt.datetime.fromtimestamp(t_ns / NS_PER_S, dt.UTC)
    return when.strftime("%Y-%m-%d %H:%M")
