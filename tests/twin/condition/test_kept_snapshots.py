"""The monitor's kept snapshots: bounded in number and in memory, and answering a past
time with the words that evaluation gave."""

from __future__ import annotations

import tracemalloc

import numpy as np

from tests.twin.condition import fleet
from tests.twin.condition.fleet import NS, T0
from twin.condition.evaluator import Evaluation, WindowMeans
from twin.condition.monitor import HealthMonitor
from twin.condition.profile import COL, KEYS
from twin.condition.text import evidence_of, summary_of

HOUR = 3600


def test_a_past_time_reads_the_words_its_evaluation_gave() -> None:
    rng = np.random.default_rng(8)
    plant = fleet.plant(4)
    shapes = [fleet.healthy(rng, load=0.6 + 0.05 * i) for i in range(4)]
    shapes[2]["vibration"] = lambda t: 1.8 + np.maximum(t - 1800.0, 0.0) / HOUR
    shapes[3]["current"] = lambda t: np.full(t.shape, 19.95)  # frozen
    monitor = HealthMonitor(plant, fleet.groups(plant), snapshots_s=20 * 60)
    told: dict[int, tuple[list[str], list[str]]] = {}  # t -> words from the full findings
    evaluate = monitor.evaluator.evaluate

    def telling(w: WindowMeans) -> Evaluation:
        ev = evaluate(w)
        p, f, cause = monitor.profile, ev.findings, ev.health.cause
        rows = range(len(p))
        told[w.t_ns] = (
            [summary_of(f, int(cause[r]), r, p, r) if cause[r] else "" for r in rows],
            [evidence_of(f, r, p, r) if cause[r] else "" for r in rows],
        )
        return ev

    monitor.evaluator.evaluate = telling  # type: ignore[method-assign]
    for b in fleet.batches(plant, shapes, 3 * HOUR):
        monitor.consume(b)
    monitor.flush()
    assert monitor.evaluations == 3 * 60
    times = sorted(told)
    for t in times[:-20]:  # older than the 20 minutes kept
        assert monitor.health_at(t) is None
    flagged = 0
    for t in times[-20:]:
        h = monitor.health_at(t + 30 * NS)  # between two evaluations: the earlier one
        assert h is not None and h.t_ns == t
        summary, evidence = told[t]
        assert list(h.summary) == summary and list(h.evidence) == evidence
        assert h.summary == tuple(summary)  # a sequence of str like any other
        flagged += sum(1 for s in summary if s)
        assert h.summary[2].startswith("bearing: zone C") and h.summary[3] == (
            "sensor: current frozen"
        )
        assert h.summary[0] == h.summary[1] == "" == h.evidence[0]
    assert flagged == 2 * 20


def window(n: int, t_ns: int, rng: np.random.Generator) -> WindowMeans:
    """A minute of a healthy fleet's means."""
    mean = np.empty((n, len(KEYS)))
    for key, (level, sd) in {
        "winding_temp": (55.0, 0.3), "bearing_temp": (48.0, 0.1), "current": (20.0, 0.3),
        "voltage": (400.0, 1.0), "vibration": (1.8, 0.05), "speed": (1470.0, 1.0),
    }.items():  # fmt: skip
        mean[:, COL[key]] = level + sd * rng.standard_normal(n)
    return WindowMeans(t_ns, mean, np.full((n, len(KEYS)), 1.0))


def test_kept_snapshots_of_a_large_fleet_stay_in_bounded_memory() -> None:
    n, kept, sick = 2000, 20, 5
    rng = np.random.default_rng(1)
    monitor = HealthMonitor(fleet.plant(n), [], snapshots_s=kept * 60, history_s=kept * 60)

    def minute(k: int) -> WindowMeans:  # a few motors overloaded (1.3 x rated current)
        w = window(n, T0 + k * 60 * NS, rng)
        w.mean[:sick, COL["current"]] = 1.3 * fleet.RATED_A
        return w

    tracemalloc.start()
    try:
        for k in range(kept):
            monitor.evaluate_window(minute(k))
            if k == kept // 2 - 1:
                half = tracemalloc.get_traced_memory()[0]
        full = tracemalloc.get_traced_memory()[0]
        for k in range(kept, 3 * kept):
            monitor.evaluate_window(minute(k))
        later = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # A snapshot holds 14 bytes an asset in arrays (28 kB here) and the flagged motors'
    # figures; its summary and evidence as two tuples of 2,000 strings would add 32 kB.
    each = (full - half) / (kept - kept // 2)
    assert each < 40_000, f"{each:,.0f} bytes a snapshot"
    assert later - full < 40_000, f"{later - full:,} bytes more after {2 * kept} more minutes"
    assert monitor.health_at(T0 + (kept - 1) * 60 * NS) is None  # gone with its minute
    h = monitor.health_at(T0 + (3 * kept - 1) * 60 * NS)
    assert h is not None and np.count_nonzero(h.cause) == sick
    assert h.summary[0].startswith("overload: 1.30 x rated current") and h.summary[sick] == ""
