"""Cycle detection per rule on hand-made signals: counters, positions, state signals, with
noise, missing samples, windows that cut cycles and blocks cut anywhere."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.twin.kpi.lines import COUNTER, line_plant
from twin.kpi.tracker import CycleTracker

NS = 1_000_000_000
durations = st.lists(st.floats(20.0, 300.0), min_size=3, max_size=25)


def _feed(
    tracker: CycleTracker, signal: str, t: np.ndarray, v: np.ndarray, cuts: list[int]
) -> None:
    """Feed in blocks cut at ``cuts`` (indices into the samples)."""
    edges = sorted({0, len(t), *(c % (len(t) + 1) for c in cuts)})
    for a, b in itertools.pairwise(edges):
        tracker.feed(signal, t[a:b], v[a:b])


def _timed(tracker: CycleTracker, machine: int = 0) -> tuple[np.ndarray, np.ndarray]:
    c = tracker.cycles()
    mine = c.machine == machine
    return c.start[mine], c.end[mine]


@settings(max_examples=40, deadline=None)
@given(durations, st.floats(0.0, 1.0), st.lists(st.integers(0, 10_000), max_size=6))
def test_counter_counts_every_part_and_times_every_whole_cycle(
    cycle_s: list[float], lead: float, cuts: list[int]
) -> None:
    ends = np.cumsum(cycle_s) - lead * cycle_s[0]  # the data starts inside the first cycle
    t_s = np.arange(0.0, ends[-1] + 1.0, 1.0)
    count = np.searchsorted(ends, t_s, side="right").astype(float) + 7.0  # any start value
    tracker = CycleTracker(line_plant(COUNTER, machines=1))
    _feed(tracker, "P1.panel_count", (t_s * NS).astype(np.int64), count, cuts)
    seen = ends[ends > t_s[0]]
    starts, stops = _timed(tracker)
    assert len(stops) == len(seen)  # each part once, the one before the data not at all
    # Each count is seen at the first sample at or after it: within one sample period.
    assert np.all((stops / NS >= seen) & (stops / NS < seen + 1.0))
    # The first cycle began before the data: it has no start; the others are timed.
    assert starts[0] == np.iinfo(np.int64).min
    assert np.allclose((stops[1:] - starts[1:]) / NS, np.diff(seen), atol=1.0)


@settings(max_examples=30, deadline=None)
@given(durations, st.lists(st.booleans(), min_size=1, max_size=50))
def test_counter_missing_samples_lose_no_part(cycle_s: list[float], holes: list[bool]) -> None:
    ends = np.cumsum(cycle_s)
    t_s = np.arange(0.0, ends[-1] + 1.0, 1.0)
    count = np.searchsorted(ends, t_s, side="right").astype(float)
    pattern = np.resize(np.array(holes), t_s.shape[0])
    pattern[[0, -1]] = False
    count[pattern] = np.nan
    tracker = CycleTracker(line_plant(COUNTER, machines=1))
    tracker.feed("P1.panel_count", (t_s * NS).astype(np.int64), count)
    assert tracker.cycles().parts.sum() == len(ends)


def _ram(t_s: np.ndarray, starts: np.ndarray, strokes: int) -> np.ndarray:
    """A ram at the top (0) that makes ``strokes`` 2 s strokes to 100 mm, 1 s apart, from
    each cycle start."""
    k = np.searchsorted(starts, t_s, side="right") - 1
    into = np.where(k >= 0, t_s - starts[np.maximum(k, 0)], -1.0)
    phase = np.mod(into, 3.0)
    stroking = (into >= 0) & (into < 3.0 * strokes) & (phase < 2.0)
    return np.where(stroking, 100.0 * np.sin(np.pi * phase / 2.0), 0.0)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(30.0, 120.0), min_size=3, max_size=12),
    st.floats(0.0, 25.0),
    st.integers(0, 2**32 - 1),
    st.lists(st.integers(0, 10_000), max_size=4),
)
def test_position_rule_starts_a_cycle_after_a_rest_at_the_top(
    cycle_s: list[float], window_start: float, seed: int, cuts: list[int]
) -> None:
    rule = '{ rule = "position", signal = "ram_position", top = 1.0, dwell_s = 3.0 }'
    starts = 10.0 + np.concatenate([[0.0], np.cumsum(cycle_s)])
    t_s = np.arange(window_start, starts[-1] + 0.5, 0.1)  # the last start is seen
    noise = np.random.default_rng(seed).normal(0.0, 0.05, t_s.shape[0])
    ram = _ram(t_s, starts, strokes=4) + noise
    tracker = CycleTracker(line_plant(rule, machines=1))
    _feed(tracker, "P1.ram_position", np.round(t_s * NS).astype(np.int64), ram, cuts)
    got_start, got_end = _timed(tracker)
    # Strokes 1 s apart are one cycle; each whole cycle in the window is found once. A start
    # whose rest began before the data is seen only if the rest in the data was long enough.
    whole = [i for i in range(len(cycle_s)) if starts[i] - 3.0 - 0.1 >= window_start]
    expected = np.array([(starts[i], starts[i + 1]) for i in whole])
    assert len(got_start) >= len(expected) and len(got_start) <= len(expected) + 1
    found = np.column_stack([got_start, got_end]) / NS
    tail = found[len(found) - len(expected) :]
    assert np.allclose(tail, expected, atol=0.15)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.floats(5.0, 60.0), st.floats(1.0, 30.0)), min_size=2, max_size=20),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.lists(st.integers(0, 10_000), max_size=4),
)
def test_state_rule_times_each_run_seen_whole(
    runs: list[tuple[float, float]], lead: float, tail: float, cuts: list[int]
) -> None:
    rule = '{ rule = "state", signal = "state", running = 1 }'
    lengths = np.array(runs).ravel()  # run, idle, run, idle, ...
    edges = np.concatenate([[0.0], np.cumsum(lengths)])
    t0, t1 = lead * runs[0][0], edges[-1] - tail * runs[-1][1]
    t_s = np.arange(t0, t1, 0.5)
    k = np.searchsorted(edges, t_s, side="right") - 1
    state = np.where(k % 2 == 0, 1.0, 0.0)
    tracker = CycleTracker(line_plant(rule, machines=1))
    _feed(tracker, "P1.state", np.round(t_s * NS).astype(np.int64), state, cuts)
    got_start, got_end = _timed(tracker)
    # A run cut by the window's start has no known start; one running at its end is open
    # (a last sample on its very end already reads idle: that run was seen whole).
    whole = [
        (edges[i], edges[i + 1])
        for i in range(0, len(lengths), 2)
        if edges[i] > t0 and edges[i + 1] <= t_s[-1]
    ]
    assert len(got_start) == len(whole)
    got = np.column_stack([got_start, got_end]) / NS
    assert np.allclose(got, np.array(whole).reshape(-1, 2), atol=0.5)
