"""What the cycle labels say, from indicators of known cycles and stops (no VTK): the cycle
under way against the target, the last cycle (amber when slower), the cause of a stop, the
bottleneck; and how labels that would overlap on screen are stacked."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from app.line.text import duration
from app.scene.cycle_label_text import (
    MUTED_RGB,
    PROGRESS_RGB,
    SLOW_RGB,
    STOPPED_RGB,
    TEXT_RGB,
    CycleLabel,
    line_labels,
    plant_labels,
)
from app.scene.label_stack import GAP_PX, stack_labels
from tests.twin.kpi.lines import COUNTER, line_plant
from twin.kpi.indicators import Indicators, compute
from twin.kpi.tracker import CycleTracker

NS = 1_000_000_000
TARGET_S = 216.0  # tests.twin.kpi.lines: the line's target cycle


def _series(t_end_s: float, events: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """A step signal sampled each second from 0 to ``t_end_s``: ``v`` from each (t, v) on."""
    t_s = np.arange(0.0, t_end_s + 1e-9, 1.0)
    times = np.array([e[0] for e in events])
    values = np.array([e[1] for e in events])
    k = np.searchsorted(times, t_s, side="right") - 1
    return (t_s * NS).astype(np.int64), values[np.maximum(k, 0)]


def _counter(ends: np.ndarray, t_end_s: float) -> tuple[np.ndarray, np.ndarray]:
    return _series(t_end_s, [(0, 0)] + [(float(e), i + 1) for i, e in enumerate(ends)])


P1_ENDS = np.arange(200.0, 5000.0 + 1, 200.0)  # a part every 200 s, none after 5000 s
# A part every 240 s (the bottleneck), none during a tool change from 3000 s to 4200 s.
P2_ENDS = np.array([e for e in np.arange(240.0, 7200.0 + 1, 240.0) if not 3000 < e <= 4200])
P2_STATES = [(0, 1), (3000, 3), (4200, 1), (6500, 9)]  # 9: a code the line does not name


@pytest.fixture(scope="module")
def tracker() -> CycleTracker:
    """Two hours of a line of two presses: P1 without a state signal, P2 (the output)
    with a tool change and then a stop the line has no name for."""
    tracker = CycleTracker(line_plant(COUNTER, machines=2))
    tracker.feed("P1.panel_count", *_counter(P1_ENDS, 7200))
    tracker.feed("P2.panel_count", *_counter(P2_ENDS, 7200))
    tracker.feed("P2.state", *_series(7200, P2_STATES))
    return tracker


def _at(tracker: CycleTracker, t_s: float) -> dict[str, CycleLabel]:
    ind = compute(tracker, 0, round(t_s * NS))
    return {label.asset_id: label for label in line_labels(ind, "L")}


def _since_last(ends: np.ndarray, t_s: float) -> float:
    return t_s - float(ends[ends <= t_s].max())


def test_the_cycle_under_way_is_its_share_of_the_target(tracker) -> None:
    t = 6400.0
    labels = _at(tracker, t)
    assert list(labels) == ["P1", "P2"]  # flow order
    p2 = labels["P2"]
    share = _since_last(P2_ENDS, t) / TARGET_S
    assert 0.0 < share < 1.0
    assert p2.progress == pytest.approx(share)
    assert p2.progress_text == f"{100 * share:.0f} %"
    assert p2.progress_rgb == PROGRESS_RGB
    assert p2.state == ""  # running: the bar and the percentage show


def test_a_cycle_running_past_the_target_is_amber(tracker) -> None:
    t = 5300.0  # P1 has made nothing since 5000 s
    p1 = _at(tracker, t)["P1"]
    share = _since_last(P1_ENDS, t) / TARGET_S
    assert share > 1.05
    assert p1.progress == pytest.approx(share)
    assert p1.progress_text == f"{100 * share:.0f} %"
    assert p1.progress_rgb == SLOW_RGB


def test_the_last_cycle_against_the_target_is_amber_when_slower(tracker) -> None:
    labels = _at(tracker, 2900.0)
    fast, slow = labels["P1"], labels["P2"]
    assert fast.cycle_text == f"last {duration(200.0)} / {duration(TARGET_S)}" == "last 3:20 / 3:36"
    assert fast.cycle_rgb == TEXT_RGB
    assert slow.cycle_text == f"last {duration(240.0)} / {duration(TARGET_S)}"
    assert slow.cycle_rgb == SLOW_RGB


def test_a_stopped_machine_says_the_lines_cause(tracker) -> None:
    in_tool_change = _at(tracker, 3600.0)["P2"]
    assert in_tool_change.state == "Tool change"  # the line's (default) cause of code 3
    assert in_tool_change.state_rgb == STOPPED_RGB
    unnamed = _at(tracker, 6600.0)["P2"]
    assert unnamed.state == "Other stop"
    running_again = _at(tracker, 4500.0)["P2"]
    assert running_again.state == ""
    assert _at(tracker, 3600.0)["P1"].state == ""  # no state signal: its progress shows


def test_the_bottleneck_is_marked_on_its_machine_alone(tracker) -> None:
    ind = compute(tracker, 0, 7000 * NS)
    assert ind.line("L").bottleneck == "P2"  # 240 s a part against P1's 200 s
    labels = plant_labels(ind)
    assert [a for a, label in labels.items() if label.bottleneck] == ["P2"]


def test_before_any_cycle_nothing_is_guessed(tracker) -> None:
    ind: Indicators = compute(tracker, 0, 100 * NS)
    assert math.isnan(ind.machines.since_cycle_s[0])
    p1 = line_labels(ind, "L")[0]
    assert math.isnan(p1.progress) and p1.progress_text == "–" and p1.progress_rgb == MUTED_RGB
    assert p1.cycle_text == f"last – / {duration(TARGET_S)}"
    assert not p1.bottleneck


def _overlaps(anchors: np.ndarray, sizes: np.ndarray, lifts: np.ndarray) -> list[tuple]:
    x0 = anchors[:, 0] - sizes[:, 0] / 2
    y0 = anchors[:, 1] + lifts
    x1, y1 = x0 + sizes[:, 0], y0 + sizes[:, 1]
    n = len(anchors)
    return [
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if x0[i] < x1[j] and x0[j] < x1[i] and y0[i] < y1[j] and y0[j] < y1[i]
    ]


def test_labels_apart_stay_low_and_overlapping_ones_are_stacked() -> None:
    size = (120.0, 60.0)
    apart = np.array([[100.0, 50.0], [300.0, 50.0], [500.0, 60.0]])
    lifts = stack_labels(apart, np.array([size] * 3), 10.0)
    assert np.array_equal(lifts, [10.0, 10.0, 10.0])
    # Three in a row, 70 px apart: the middle one rises over both of its neighbours, the
    # third clears the first and stays low (its neighbour is up).
    close = np.array([[100.0, 50.0], [170.0, 50.0], [240.0, 50.0]])
    sizes = np.array([size] * 3)
    lifts = stack_labels(close, sizes, 10.0)
    assert not _overlaps(close, sizes, lifts)
    assert lifts[0] == 10.0 and lifts[2] == 10.0
    assert lifts[1] == pytest.approx(10.0 + 60.0 + GAP_PX)


@pytest.mark.parametrize("slope", [-25.0, -8.0, 0.0, 8.0, 25.0])
def test_a_line_seen_aslant_alternates_between_two_rows(slope: float) -> None:
    """Machines 90 px apart on screen, each ``slope`` px higher than the last: their
    labels take two rows over the highest, never a staircase."""
    n = 6
    anchors = np.column_stack([100.0 + 90.0 * np.arange(n), 200.0 + slope * np.arange(n)])
    sizes = np.array([(130.0, 58.0)] * n)
    lifts = stack_labels(anchors, sizes, 14.0)
    assert not _overlaps(anchors, sizes, lifts)
    bottoms = anchors[:, 1] + lifts
    assert len(np.unique(bottoms.round(6))) == 2
    assert bottoms.min() == pytest.approx(anchors[:, 1].max() + 14.0)
    assert (lifts >= 14.0).all()


def test_labels_of_machines_far_behind_are_lifted_clear() -> None:
    """A machine behind another (higher on the screen, its label's height away or more)
    keeps its own row; where its label would still cover the nearer one's, it rises."""
    anchors = np.array([[200.0, 30.0], [230.0, 90.0]])  # a label's height apart
    sizes = np.array([(120.0, 60.0)] * 2)
    lifts = stack_labels(anchors, sizes, 10.0)
    assert not _overlaps(anchors, sizes, lifts)
    assert lifts[0] == 10.0  # the nearer machine's label stays close to it
    first_top = 30.0 + 10.0 + 60.0
    assert lifts[1] == pytest.approx(first_top + GAP_PX - 90.0)  # just over it
