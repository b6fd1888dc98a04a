"""The health monitor fed batches: quiet on healthy motors, early on developing faults,
readable from another thread."""

from __future__ import annotations

import re
import threading

import numpy as np
import pytest

from tests.twin.condition import fleet
from tests.twin.condition.fleet import NS, T0
from twin.batch import Batch
from twin.condition.advisories import RAISE, AdvisoryEvent
from twin.condition.monitor import HealthMonitor
from twin.condition.profile import KEYS, FleetProfile
from twin.condition.snapshot import CAUSES, HealthSource, Ne107
from twin.condition.windows import WindowAccumulator

HOUR = 3600


def run(
    n: int, seconds: int, faulty: dict[int, dict[str, fleet.Shape]] | None = None, seed: int = 1
) -> tuple[HealthMonitor, list[AdvisoryEvent]]:
    """Motor ``i`` of ``n`` at load 0.6 + 0.05 i, with ``faulty[i]`` replacing signals;
    the monitor after ``seconds`` and the advisory events it gave."""
    rng = np.random.default_rng(seed)
    plant = fleet.plant(n)
    shapes = [fleet.healthy(rng, load=0.6 + 0.05 * i) for i in range(n)]
    for i, changes in (faulty or {}).items():
        shapes[i].update(changes)
    monitor = HealthMonitor(plant, fleet.groups(plant))
    events: list[AdvisoryEvent] = []
    monitor.add_listener(events.extend)
    for b in fleet.batches(plant, shapes, seconds):
        monitor.consume(b)
    monitor.flush()
    return monitor, events


def test_healthy_motors_raise_nothing_in_hours() -> None:
    monitor, events = run(8, 4 * HOUR)
    assert events == []
    h = monitor.latest
    assert h is not None and monitor.evaluations == 4 * 60
    assert (h.status == Ne107.NORMAL).all() and (h.cause == 0).all()
    assert (h.health == 90.0).all()  # 1.8 mm/s sits in zone B of a group 2 rigid motor
    assert h.summary == ("",) * 8


def test_a_developing_bearing_fault_is_flagged_hours_before_its_alarm() -> None:
    rng = np.random.default_rng(8)
    start, rate = 1800.0, 1.0 / HOUR  # +1 mm/s per hour from 1.8 mm/s

    def vibration(t: np.ndarray) -> np.ndarray:
        return 1.8 + rate * np.maximum(t - start, 0.0) + 0.05 * rng.standard_normal(t.shape)

    wear: dict[str, fleet.Shape] = {"vibration": vibration}
    monitor, events = run(4, int(3.5 * HOUR), {2: wear})
    alarm_at = start + (7.1 - 1.8) / rate
    raised = [e for e in events if e.action == RAISE]
    assert [(e.asset_id, e.cause) for e in raised] == [("M003", "bearing")]
    lead = alarm_at - (raised[0].t_ns - T0) / NS
    assert lead >= HOUR
    h = monitor.health_at(T0 + 3 * HOUR * NS)  # 4.3 mm/s: zone C
    assert h is not None
    row = h.row_of("M003")
    assert row is not None and CAUSES[h.cause[row]] == "bearing"
    assert re.fullmatch(r"bearing: zone C, rising 1 mm/s per hour, alarm in ~3 h", h.summary[row])
    assert h.status[row] == Ne107.OUT_OF_SPECIFICATION
    expected_ttl = alarm_at - 3 * HOUR
    assert h.time_to_limit_s[row] == pytest.approx(expected_ttl, rel=0.1)
    assert "zone C (A/B 1.4, B/C 2.8, C/D 4.5)" in h.evidence[row]
    assert h.worst_first()[0] == row


def test_cooling_loss_is_told_from_load_and_flagged_before_the_winding_alarm() -> None:
    rng = np.random.default_rng(9)
    start = 1800.0

    def winding(t: np.ndarray) -> np.ndarray:
        ratio = 0.6 + 0.06 * np.sin(2 * np.pi * t / 660.0)  # the load run() gives M001
        loss = 1.0 + 3.0 * np.maximum(t - start, 0.0) / HOUR  # the rise grows 3x per hour
        return 30 + 50 * loss * ratio**2 + 0.3 * rng.standard_normal(t.shape)

    _monitor, events = run(3, 3 * HOUR, {0: {"winding_temp": winding}})
    raised = [e for e in events if e.action == RAISE]
    assert raised and raised[0].asset_id == "M001" and raised[0].cause == "cooling"
    assert {e.asset_id for e in raised} == {"M001"}
    alarm_at = start + (100 / (50 * 0.6**2) - 1) / 3.0 * HOUR  # 30 + 50 x loss x 0.36 = 130
    assert alarm_at - (raised[0].t_ns - T0) / NS >= HOUR
    assert raised[0].summary.startswith("cooling: winding +")


def test_a_frozen_sensor_is_a_sensor_cause() -> None:
    frozen = {"current": lambda t: np.where(t > 1200, 19.95, 19.95 + 0.3 * np.sin(t))}
    monitor, _ = run(2, 1800, {1: frozen})
    h = monitor.latest
    assert h is not None
    assert CAUSES[h.cause[1]] == "sensor" and h.summary[1] == "sensor: current frozen"
    assert h.status[1] == Ne107.OUT_OF_SPECIFICATION and h.cause[0] == 0


def test_health_at_and_history() -> None:
    monitor, _ = run(2, 600)
    source: HealthSource = monitor  # the views' interface (checked by mypy)
    assert source.health_at(T0 + 600 * NS) is monitor.latest
    assert monitor.health_at(T0) is None
    first = monitor.health_at(T0 + 60 * NS)
    assert first is not None and first.t_ns == T0 + 60 * NS
    assert monitor.health_at(T0 + 119 * NS) is first
    t, h = monitor.health_history("M002", T0 + 120 * NS, T0 + 300 * NS)
    assert t.tolist() == [T0 + s * NS for s in (120, 180, 240, 300)]
    assert h.dtype == np.float32 and h.shape == (4,)
    assert monitor.health_history("nope", T0, T0 + 600 * NS)[0].size == 0


def test_window_sums_match_a_per_window_reference() -> None:
    rng = np.random.default_rng(3)
    plant = fleet.plant(3)
    groups = fleet.groups(plant)
    t = T0 + np.sort(rng.choice(300 * 10, 700, replace=False)) * (NS // 10)
    v = rng.normal(size=(len(groups), 3, t.size))
    v[rng.random(v.shape) < 0.1] = np.nan
    cuts = np.sort(rng.choice(np.arange(1, t.size), 40, replace=False))
    # The groups of one stretch arrive one after the other: the grace covers a stretch.
    span_s = max(np.diff(t[np.r_[0, cuts, t.size - 1]])) / NS
    acc = WindowAccumulator(FleetProfile.from_plant(plant), groups, grace_s=span_s + 1)
    closed = []
    for a, b in zip(np.r_[0, cuts], np.r_[cuts, t.size], strict=False):
        for gi, g in enumerate(groups):
            closed += acc.add(Batch(g.key, t[a:b], v[gi, :, a:b]))
    closed += acc.flush()
    for w in closed:
        sel = (t >= w.t_ns - 60 * NS) & (t < w.t_ns)
        want = np.nanmean(v[:, :, sel], axis=2).T  # (assets, keys)
        spread = (np.nanmax(v[:, :, sel], axis=2) - np.nanmin(v[:, :, sel], axis=2)).T
        np.testing.assert_allclose(w.mean, want)
        assert w.mean.shape == (3, len(KEYS))
        np.testing.assert_allclose(w.spread, spread)
    assert [w.t_ns for w in closed] == [T0 + k * 60 * NS for k in range(1, 6)]
    assert acc.late_samples == 0


def test_a_gui_thread_reads_while_the_ingest_thread_feeds() -> None:
    rng = np.random.default_rng(4)
    plant = fleet.plant(5)
    monitor = HealthMonitor(plant, fleet.groups(plant))
    shapes = [fleet.healthy(rng) for _ in range(5)]
    stop = threading.Event()
    seen: list[int] = []

    def read() -> None:
        while not stop.is_set():
            h = monitor.latest
            if h is not None:
                assert len(h) == 5
                seen.append(h.t_ns)
                monitor.health_history("M001", T0, h.t_ns)
                monitor.events_since(0)

    reader = threading.Thread(target=read)
    reader.start()
    for b in fleet.batches(plant, shapes, 3600):
        monitor.consume(b)
    stop.set()
    reader.join()
    assert seen == sorted(seen) and monitor.evaluations == 59


def test_a_creeping_overload_is_overload_not_cooling() -> None:
    rng = np.random.default_rng(5)
    start, creep = 1800.0, 0.15 / HOUR  # +0.15 x rated current per hour

    def ratio(t: np.ndarray) -> np.ndarray:
        return 0.7 + creep * np.maximum(t - start, 0.0) + 0.04 * np.sin(2 * np.pi * t / 660.0)

    def current(t: np.ndarray) -> np.ndarray:
        return fleet.RATED_A * ratio(t) + 0.3 * rng.standard_normal(t.shape)

    def winding(t: np.ndarray) -> np.ndarray:
        # Slow creep: the winding keeps up with its steady state (tau 120 s).
        return 30 + 50 * ratio(t) ** 2 + 0.3 * rng.standard_normal(t.shape)

    monitor, events = run(3, 4 * HOUR, {1: {"current": current, "winding_temp": winding}})
    raised = [e for e in events if e.action == RAISE]
    assert [(e.asset_id, e.cause) for e in raised] == [("M002", "overload")]
    alarm_at = start + (39.9 / fleet.RATED_A - 0.7) / creep
    assert alarm_at - (raised[0].t_ns - T0) / NS >= HOUR
    h = monitor.latest
    assert h is not None and CAUSES[h.cause[1]] == "overload" and h.cause[[0, 2]].tolist() == [0, 0]
    # The wandering load hides the creep's trend in a 30-minute window: the level raises it.
    assert re.fullmatch(r"overload: 1\.\d\d x rated current(, alarm in ~\d h)?", raised[0].summary)


def test_samples_for_a_closed_window_are_counted_and_dropped() -> None:
    plant = fleet.plant(1)
    groups = fleet.groups(plant)
    acc = WindowAccumulator(FleetProfile.from_plant(plant), groups, grace_s=2.0)
    one = np.ones((1, 1))
    assert acc.add(Batch(groups[0].key, np.array([T0 + 10 * NS]), one)) == []
    (closed,) = acc.add(Batch(groups[0].key, np.array([T0 + 62 * NS]), one))
    assert closed.t_ns == T0 + 60 * NS and closed.mean[0, 0] == 1.0
    assert np.isnan(closed.mean[0, 1:]).all()
    assert (
        acc.add(Batch(groups[1].key, np.array([T0 + 59 * NS, T0 + 61 * NS]), 2 * np.ones((1, 2))))
        == []
    )
    assert acc.late_samples == 1
    (last,) = acc.flush()
    assert last.mean[0, :2].tolist() == [1.0, 2.0]


def test_vibration_wandering_about_a_zone_boundary_does_not_chatter() -> None:
    rng = np.random.default_rng(7)

    def about(level: float) -> fleet.Shape:
        def vibration(t: np.ndarray) -> np.ndarray:
            wander = 0.1 * np.sin(2 * np.pi * t / 480.0)
            return level + wander + 0.05 * rng.standard_normal(t.shape)

        return vibration

    # B/C at 2.8 mm/s: the first starts in zone B, the second in zone C; both wander across.
    monitor, events = run(
        2, 6 * HOUR, {0: {"vibration": about(2.74)}, 1: {"vibration": about(2.86)}}
    )
    assert [(e.asset_id, e.cause, e.action) for e in events] == [("M002", "bearing", RAISE)]
    h = monitor.latest
    assert h is not None and h.status.tolist() == [Ne107.NORMAL, Ne107.OUT_OF_SPECIFICATION]
