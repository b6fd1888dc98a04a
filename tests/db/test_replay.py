"""ReplayFeeder on a recorded run: complete loads, reload policy, stale loads, shutdown;
and SignalStore.values_at, the frame's view of a store at a cursor."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from db import HistoryReader, open_history
from db.engine import History
from db.read.feeder import ReplayFeeder, ReplayWindow
from db.read.loaders import RawLoader
from db.write.sink import ChunkSink
from tests.db.history_helpers import NS, T0, batches, make_group, wait_until
from twin.batch import Batch, ChannelGroup
from twin.store.ring import NO_TIME
from twin.store.signal_store import SignalStore

FAST = make_group("fast", 3, 100.0)
SLOW = make_group("slow", 2, 1.0)
GROUPS = (FAST, SLOW)
RUN_S = 1200.0  # 20 min, with a hole from 600 s to 660 s in the fast group
SPAN = 60 * NS
PREFETCH = 20 * NS


def record(url: str | Path) -> None:
    with open_history(url) as h:
        sink = ChunkSink(h, GROUPS)
        for b in [*batches(FAST, RUN_S, 500, skip=(600, 660)), *batches(SLOW, RUN_S, 60)]:
            sink.add(b)
        sink.flush(final=True)


@pytest.fixture
def recorded(tmp_path: Path) -> Iterator[History]:
    path = tmp_path / "run.twinhist"
    record(path)
    with open_history(path, read_only=True) as h:
        yield h


def make_feeder(history: History, **kw) -> ReplayFeeder:
    kw.setdefault("span_ns", SPAN)
    kw.setdefault("prefetch_ns", PREFETCH)
    return ReplayFeeder(history, RawLoader(GROUPS), **kw)


def load(feeder: ReplayFeeder, cursor: int, **kw) -> ReplayWindow:
    feeder.request(cursor, **kw)
    window = feeder.wait_loaded(cursor, kw.get("span_ns"))
    assert window is not None, feeder.last_error
    return window


def expected_at(reader: HistoryReader, sid: str, t: int) -> tuple[float, int]:
    ts, vs = reader.read(sid, T0, t + 1)
    return (float(vs[-1]), int(ts[-1])) if ts.size else (float("nan"), NO_TIME)


# --------------------------------------------------------------------- loads
def test_load_holds_every_recorded_sample_of_its_window(history_url: str) -> None:
    record(history_url)
    with open_history(history_url, read_only=True) as h, make_feeder(h) as feeder:
        cursor = T0 + 300 * NS + 123_456
        w = load(feeder, cursor)
        assert w.t0 <= cursor - SPAN and w.t1 >= cursor + PREFETCH // 2
        reader = HistoryReader(h)
        total = 0
        for sid in (*FAST.signal_ids, *SLOW.signal_ids):
            t, v = w.store.snapshot_window(sid, w.t0, w.t1)
            et, ev = reader.read(sid, w.t0, w.t1 + 1)
            np.testing.assert_array_equal(t, et)
            np.testing.assert_array_equal(v, ev)
            total += t.size
        assert total == w.samples > 0
        # the frame at the cursor: each signal's last sample at or before it, never after
        ids = (*SLOW.signal_ids, *FAST.signal_ids)
        values, times = w.store.values_at(ids, cursor)
        for i, sid in enumerate(ids):
            value, when = expected_at(reader, sid, cursor)
            assert times[i] == when <= cursor
            assert values[i] == pytest.approx(value)


def test_inside_the_loaded_range_nothing_reloads_and_leaving_it_does(
    recorded: History,
) -> None:
    with make_feeder(recorded) as feeder:
        c = T0 + 300 * NS
        w = load(feeder, c)
        assert feeder.loads == 1
        # playing on within the prefetch, or stepping back a little: no reload
        for t in (c + PREFETCH // 4, c - PREFETCH // 4, c):
            assert not feeder.request(t)
        assert feeder.current() is w
        # past half the prefetch: the next load starts while data is still ahead
        ahead = c + PREFETCH // 2 + NS
        assert feeder.request(ahead)
        assert feeder.wait_loaded(ahead) is not None and feeder.loads == 2
        # a far seek (either way) reloads around the new cursor
        for far in (T0 + 1000 * NS, T0 + 100 * NS):
            assert feeder.request(far)
            there = feeder.wait_loaded(far)
            assert there is not None and there.covers(far - SPAN, far)
        assert feeder.loads == 4


def test_a_wider_span_or_a_faster_rate_loads_more(recorded: History) -> None:
    with make_feeder(recorded) as feeder:
        c = T0 + 800 * NS
        load(feeder, c)
        assert feeder.request(c, span_ns=5 * SPAN)  # zoomed out: the span grew
        w = feeder.wait_loaded(c, 5 * SPAN)
        assert w is not None and w.covers(c - 5 * SPAN, c)
        assert not feeder.request(c, span_ns=SPAN)  # narrower again: still covered
        # at 50x, prefetch one wall second = 50 s of replay ahead (more than PREFETCH)
        w = load(feeder, c, rate=50.0)
        assert w.t1 >= c + 50 * NS
        # playing backwards prefetches behind
        w = load(feeder, T0 + 400 * NS, rate=-1.0)
        assert w.t0 <= T0 + 400 * NS - SPAN - PREFETCH and w.t1 < T0 + 400 * NS + PREFETCH


def test_a_window_over_a_gap_has_the_gap_and_the_values_around_it(recorded: History) -> None:
    with make_feeder(recorded) as feeder:
        c = T0 + 630 * NS  # inside the fast group's hole
        w = load(feeder, c)
        t, _ = w.store.snapshot_window("fast0.sig", c - SPAN, c)
        assert t.size and t[-1] < T0 + 600 * NS
        values, times = w.store.values_at(("fast0.sig", "slow0.sig"), c)
        assert np.isfinite(values).all()
        assert times[0] == t[-1]  # stale fast value (the status view shows it as no data)
        assert times[1] == T0 + 630 * NS  # the slow group kept recording
        assert feeder.window_for(c) is w
        assert feeder.window_for(T0 + 1100 * NS) is None  # not loaded there


def test_invalidate_forces_a_reload_of_the_same_range(recorded: History) -> None:
    with make_feeder(recorded) as feeder:
        c = T0 + 200 * NS
        first = load(feeder, c)
        assert not feeder.request(c)
        feeder.invalidate()
        assert feeder.request(c)
        second = feeder.wait_loaded(c)
        assert second is not None and second.generation > first.generation


def test_a_new_loader_makes_every_earlier_load_stale(recorded: History) -> None:
    """The plots switching to other signals (or another zoom) must never be handed the
    previous signals' store, however well it covers the cursor."""
    with make_feeder(recorded) as feeder:
        c = T0 + 200 * NS
        load(feeder, c)
        feeder.set_loader(RawLoader((SLOW,)))
        assert feeder.window_for(c) is None
        assert feeder.request(c)
        w = feeder.wait_loaded(c)
        assert w is not None and w.loader is feeder.loader
        assert "slow0.sig" in w.store and "fast0.sig" not in w.store


def test_near_a_live_edge_loads_end_at_it_and_follow_it(recorded: History) -> None:
    """Recording goes on: what lies beyond "now" was not written yet, so a load must not
    claim it, or a cursor playing towards live would read an empty future."""
    edge = [T0 + 300 * NS]
    with make_feeder(recorded, horizon=lambda: edge[0]) as feeder:
        c = edge[0] - 5 * NS
        w = load(feeder, c)
        assert w.t1 == edge[0]
        assert not feeder.request(c)  # nothing new until the edge moves
        edge[0] += 10 * NS
        assert feeder.request(c + 5 * NS)  # the cursor went on where the edge now allows
        grown = feeder.wait_loaded(c + 5 * NS)
        assert grown is not None and grown.t1 == min(edge[0], c + 5 * NS + PREFETCH)


# ------------------------------------------------------------ worker thread
class GatedReader(HistoryReader):
    """A reader whose reads wait for the test to open a gate."""

    def __init__(self, history: History, gate: threading.Event, started: threading.Event):
        super().__init__(history)
        self.gate, self.started = gate, started

    def read_many(self, signal_ids, t0, t1):
        self.started.set()
        assert self.gate.wait(10)
        return super().read_many(signal_ids, t0, t1)

    def read_blocks(self, groups, t0, t1):
        self.started.set()
        assert self.gate.wait(10)
        return super().read_blocks(groups, t0, t1)


def test_a_far_seek_during_a_load_drops_that_load_for_the_new_one(recorded: History) -> None:
    published: list[ReplayWindow] = []
    gate, started = threading.Event(), threading.Event()
    with make_feeder(
        recorded,
        reader_factory=lambda h: GatedReader(h, gate, started),
        on_loaded=published.append,
    ) as feeder:
        near, far = T0 + 100 * NS, T0 + 1000 * NS
        feeder.request(near)
        assert started.wait(5)  # the worker is inside the first load
        assert feeder.request(far)  # the first load does not cover this
        assert feeder.current() is None  # the GUI never sees a half-filled store
        gate.set()
        w = feeder.wait_loaded(far)
        assert w is not None and w.covers(far - SPAN, far)
        assert wait_until(lambda: published)  # on_loaded runs just after the swap
        assert published == [w]  # the stale load was never published
        assert feeder.window_for(near) is None


def test_close_stops_the_worker_idle_and_mid_load(recorded: History) -> None:
    feeder = make_feeder(recorded)
    load(feeder, T0 + 100 * NS)
    feeder.close()
    assert not feeder.running
    assert not feeder.request(T0 + 900 * NS)  # closed: nothing queued
    feeder.close()  # idempotent

    gate, started = threading.Event(), threading.Event()
    feeder = make_feeder(recorded, reader_factory=lambda h: GatedReader(h, gate, started))
    feeder.request(T0 + 100 * NS)
    assert started.wait(5)
    closer = threading.Thread(target=feeder.close, name="test-closer")
    closer.start()
    assert wait_until(lambda: feeder._closing)
    gate.set()  # the read returns; the worker notices the close before the next group
    closer.join(10)
    assert not feeder.running and feeder.current() is None


def test_a_failing_load_is_reported_and_not_retried_every_frame(recorded: History) -> None:
    calls = []

    class Broken(HistoryReader):
        def read_many(self, signal_ids, t0, t1):
            calls.append(t0)
            raise OSError("disk unplugged")

        def read_blocks(self, groups, t0, t1):
            calls.append(t0)
            raise OSError("disk unplugged")

    with make_feeder(recorded, reader_factory=Broken) as feeder:
        c = T0 + 100 * NS
        assert feeder.request(c)
        assert feeder.wait_loaded(c, timeout=5) is None
        assert feeder.last_error is not None and "disk unplugged" in str(feeder.last_error)
        assert not feeder.request(c)  # same place: not retried at frame rate
        assert len(calls) == 1
        feeder.invalidate()
        assert feeder.request(c)


def test_a_signal_added_to_a_group_later_keeps_its_own_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "grown.twinhist"
    small = ChannelGroup("g", ("a.x", "b.x"), 10.0)
    grown = ChannelGroup("g", ("a.x", "b.x", "c.x"), 10.0)
    with open_history(path) as h:
        sink = ChunkSink(h, [small])
        for b in batches(small, 60.0, 50):
            sink.add(b)
        sink.flush(final=True)
        sink = ChunkSink(h, [grown])
        for b in batches(grown, 60.0, 50, start=T0 + 60 * NS):
            sink.add(b)
        sink.flush(final=True)
    with (
        open_history(path, read_only=True) as h,
        ReplayFeeder(h, RawLoader((grown,)), span_ns=100 * NS) as f,
    ):
        c = T0 + 90 * NS
        w = load(f, c)
        values, times = w.store.values_at(grown.signal_ids, c)
        assert (times == c).all() and np.isfinite(values).all()
        t, _ = w.store.snapshot_window("c.x", T0, c)
        assert t[0] == T0 + 60 * NS  # no NaN-filled samples from before it existed
        assert w.store.snapshot_window("a.x", T0, c)[0][0] <= T0 + 60 * NS - 40 * NS


# ------------------------------------------------ SignalStore.values_at
def test_store_values_at_agrees_with_value_at_and_latest_values() -> None:
    groups = [make_group("a", 3, 10.0), make_group("b", 2, 3.0), make_group("idle", 1, 1.0)]
    store = SignalStore(groups, retention_s=30.0)
    for g in groups[:2]:
        for b in batches(g, 60.0, 7):  # more than the retention: the rings wrapped
            store.append(b)
    ids = ("b1.sig", "a0.sig", "idle0.sig", "a2.sig", "b0.sig")
    rng = np.random.default_rng(7)
    for t in [T0 - NS, T0 + 10 * NS, T0 + 59 * NS, *rng.integers(T0, T0 + 61 * NS, 50)]:
        values, times = store.values_at(ids, int(t))
        for i, sid in enumerate(ids):
            np.testing.assert_equal(values[i], store.value_at(sid, int(t)))
            assert times[i] <= t
    values, times = store.values_at(list(ids), 2**63 - 1)
    lv, lt = store.latest_values(ids)
    np.testing.assert_array_equal(values, lv)
    np.testing.assert_array_equal(times, lt)
    assert times[2] == NO_TIME and np.isnan(values[2])
    with pytest.raises(KeyError):
        store.values_at(("nope",), T0)


def test_store_values_at_reports_nan_samples_as_they_were_recorded() -> None:
    g = ChannelGroup("g", ("x", "y"), 1.0)
    store = SignalStore([g])
    t = np.array([T0, T0 + NS], dtype=np.int64)
    store.append(Batch("g", t, np.array([[1.0, np.nan], [2.0, 3.0]])))
    values, times = store.values_at(("x", "y"), T0 + NS)
    assert np.isnan(values[0]) and values[1] == 3.0 and (times == T0 + NS).all()
