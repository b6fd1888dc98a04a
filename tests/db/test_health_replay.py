"""Health at a cursor from a recording's minute pyramid, against the live monitor."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from db import ChunkSink, open_history
from db.health_replay import health_at, minute_means
from db.write.compactor import compact
from tests.twin.condition import fleet
from twin.condition.monitor import HealthMonitor
from twin.condition.profile import COL
from twin.condition.snapshot import CAUSES

NS = fleet.NS
MIN = 60 * NS


def test_replayed_health_matches_the_live_monitor(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    plant = fleet.plant(4)
    shapes = [fleet.healthy(rng) for _ in range(4)]
    noise = np.random.default_rng(12)
    shapes[3]["vibration"] = lambda t: (
        1.8 + np.maximum(t - 600.0, 0.0) / 1800.0 + 0.05 * noise.standard_normal(t.shape)
    )  # +2 mm/s per hour from the tenth minute
    groups = fleet.groups(plant)
    monitor = HealthMonitor(plant, groups)
    with open_history(tmp_path / "h.twinhist") as h:
        sink = ChunkSink(h, groups)
        for b in fleet.batches(plant, shapes, 100 * 60, per_batch=30):
            monitor.consume(b)
            sink.add(b)
            sink.flush()
        sink.flush(final=True)
        compact(h)
        cursor = fleet.T0 + 90 * MIN + 20 * NS
        means = minute_means(h, monitor.profile, cursor)
        live = monitor.health_at(cursor)
        replayed = health_at(h, monitor.profile, cursor)
        assert health_at(h, monitor.profile, fleet.T0 - 5 * MIN) is None
    assert [w.t_ns for w in means] == [fleet.T0 + k * MIN for k in range(61, 91)]
    vib = np.array([w.mean[3, COL["vibration"]] for w in means])
    np.testing.assert_allclose(np.diff(vib), 2.0 / 60, atol=0.02)  # the ramp, minute by minute
    assert live is not None and replayed is not None and replayed.t_ns == live.t_ns
    np.testing.assert_allclose(replayed.health, live.health, rtol=1e-3)
    assert replayed.cause.tolist() == live.cause.tolist()
    assert CAUSES[replayed.cause[3]] == "bearing"
    assert replayed.summary[3] == live.summary[3]


def test_minute_buckets_of_all_signals_equal_each_signals_level(tmp_path: Path) -> None:
    """The batched read of the minute level equals ``load_level`` signal by signal, for
    stored minutes (1 Hz) and minutes kept by reference to raw samples (0.1 Hz)."""
    from db.catalog import signal_keys
    from db.health_replay import LEVEL_S, minute_buckets
    from db.pyramid import load_level
    from tests.db.history_helpers import batches, make_group

    groups = (make_group("one", 5, 1.0), make_group("tenth", 3, 0.1))
    with open_history(tmp_path / "m.twinhist") as h:
        sink = ChunkSink(h, groups)
        for g in groups:
            for b in batches(g, 20 * 60, 30, start=fleet.T0):
                sink.add(b)
                sink.flush()
        sink.flush(final=True)
        compact(h)
        keys = signal_keys(h)
        key_arr = np.array(sorted(keys.values()), np.int64)
        start, end = fleet.T0 + 3 * MIN, fleet.T0 + 17 * MIN
        with h.raw("test") as conn:
            sig, starts, rec = minute_buckets(h, conn, key_arr, start, end)
            for key in key_arr.tolist():
                want_s, want_r = load_level(h, conn, key, LEVEL_S, start, end)
                mine = sig == key
                order = np.argsort(starts[mine], kind="stable")
                got_s, got_r = starts[mine][order], rec[mine][order]
                keep = (got_s >= start) & (got_s < end)
                assert want_s.size >= 13, key  # every minute of the span
                np.testing.assert_array_equal(got_s[keep], want_s)
                for field in ("n", "min", "max", "sum"):
                    np.testing.assert_array_equal(got_r[keep][field], want_r[field])


def test_a_replay_health_source_made_idle_evaluates_once_started(tmp_path: Path) -> None:
    """``start=False`` (a replay's first frame comes first): a minute asked meanwhile is
    evaluated once started; ``wait_for`` starts it; closing an idle one is fine."""
    from db.read.health_source import ReplayHealth
    from tests.db.history_helpers import wait_until

    rng = np.random.default_rng(3)
    plant = fleet.plant(2)
    shapes = [fleet.healthy(rng) for _ in range(2)]
    groups = fleet.groups(plant)
    monitor = HealthMonitor(plant, groups)
    with open_history(tmp_path / "idle.twinhist") as h:
        sink = ChunkSink(h, groups)
        for b in fleet.batches(plant, shapes, 20 * 60, per_batch=30):
            sink.add(b)
            sink.flush()
        sink.flush(final=True)
        compact(h)
        cursor = fleet.T0 + 15 * MIN
        ReplayHealth(h, monitor.profile, start=False).close()
        idle = ReplayHealth(h, monitor.profile, start=False)
        try:
            assert idle.health_at(cursor) is None  # asked: nothing evaluates it yet
            idle.start()
            idle.start()  # idempotent
            assert wait_until(lambda: idle.health_at(cursor) is not None)
        finally:
            idle.close()
        waited = ReplayHealth(h, monitor.profile, start=False)
        try:
            got = waited.wait_for(cursor)
            assert got is not None and got.t_ns <= cursor
        finally:
            waited.close()
