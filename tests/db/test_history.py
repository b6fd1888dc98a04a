"""The history round trip on both backends: record through HistoryWriter, read back raw,
decimated, coverage; reopen and append; retention; pyramid catch-up."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from db import HistoryReader, HistoryWriter, apply_retention, open_history, pyramid
from db.write.sink import ChunkSink
from tests.db.history_helpers import NS, T0, batches, make_group, values_at


def record(url: str, groups, bs, **kw) -> None:
    with open_history(url) as h:
        w = HistoryWriter(h, groups, flush_interval_s=0.05, **kw)
        for b in bs:
            assert w.offer(b)
        w.close()
        assert w.last_error is None
        assert w.dropped_samples == 0


def record_per_batch(url: str, groups, bs, final: bool = True) -> None:
    """Record with one flush per batch (as a writer flushing every second would)."""
    with open_history(url) as h:
        sink = ChunkSink(h, groups)
        for b in bs:
            sink.add(b)
            sink.flush()
        sink.flush(final=final)


def test_raw_round_trip(history_url: str) -> None:
    g = make_group("m", 3, 1000.0)
    record(history_url, [g], batches(g, 5.0))
    with open_history(history_url, read_only=True) as h:
        r = HistoryReader(h)
        assert r.signal_ids() == sorted(g.signal_ids)
        t, v = r.read("m1.sig", T0, T0 + 5 * NS)
        exp_t = T0 + np.arange(5000, dtype=np.int64) * NS // 1000
        np.testing.assert_array_equal(t, exp_t)
        np.testing.assert_allclose(v, values_at(exp_t, 3)[1].astype(np.float32))
        assert v.dtype == np.float32
        # half-open ranges, starting and ending inside chunks
        t, _ = r.read("m1.sig", T0 + 1_500_000_000, T0 + 2_500_000_000)
        assert t[0] == T0 + 1_500_000_000 and t[-1] == T0 + 2_499_000_000 and len(t) == 1000
        many = r.read_many([*list(g.signal_ids), "nope"], T0 + NS, T0 + 2 * NS)
        assert len(many["m2.sig"][0]) == 1000 and len(many["nope"][0]) == 0
        np.testing.assert_array_equal(many["m0.sig"][0], r.read("m0.sig", T0 + NS, T0 + 2 * NS)[0])
        assert r.time_range() == (T0, T0 + 4999 * NS // 1000)


def test_nan_and_slow_group_compressed(history_url: str) -> None:
    g = make_group("slow", 2, 10.0)
    bs = batches(g, 30.0, per_batch=5)
    bs[3].v[0, 2] = np.nan
    record(history_url, [g], bs)
    with open_history(history_url, read_only=True) as h:
        t, v = HistoryReader(h).read("slow0.sig", T0, T0 + 60 * NS)
        assert len(t) == 300 and np.isnan(v[17]) and np.isfinite(np.delete(v, 17)).all()
        # the pyramid ignores the NaN instead of poisoning min/max
        _, vmin, vmax = HistoryReader(h).read_decimated("slow0.sig", T0, T0 + 30 * NS, 3)
        assert np.isfinite(vmin).all() and np.isfinite(vmax).all()


def _brute_minmax(t: np.ndarray, v: np.ndarray, t0: int, t1: int, n: int):
    width = -(-(t1 - t0) // n)
    sel = (t >= t0) & (t < t1)
    t, v = t[sel], v[sel]
    keys = (t - t0) // width
    out = {}
    for k in np.unique(keys):
        sel = v[keys == k]
        out[int(t0 + k * width)] = (sel.min(), sel.max())
    return out


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "live"])
@pytest.mark.parametrize("max_points", [7, 50, 400])
def test_decimated_matches_brute_force(history_url: str, max_points: int, closed: bool) -> None:
    """Over 10 minutes of 200 Hz data the overview comes from the 60 s and 1 s levels and
    a raw tail (live: the levels lag the raw chunks) and keeps every peak."""
    g = make_group("p", 1, 200.0)
    bs = batches(g, 600.0, per_batch=200)
    bs[123].v[0, 17] = 99.0  # one-sample spikes must survive decimation
    bs[456].v[0, 3] = -99.0
    record_per_batch(history_url, [g], bs, final=closed)
    with open_history(history_url, read_only=True) as h:
        r = HistoryReader(h)
        t_all, v_all = r.read("p0.sig", T0, T0 + 700 * NS)
        for t0, t1 in [(T0, T0 + 600 * NS), (T0 + 61 * NS + 7, T0 + 431 * NS)]:
            t, vmin, vmax = r.read_decimated("p0.sig", t0, t1, max_points)
            assert len(t) <= max_points
            exp = _brute_minmax(t_all, v_all, t0, t1, max_points)
            # pyramid buckets land in the bin of their start: bins differ only at edges
            # of 1 s buckets, so compare the global picture and the spikes exactly.
            assert vmax.max() == max(mx for _, mx in exp.values())
            assert vmin.min() == min(mn for mn, _ in exp.values())
            assert np.all(np.diff(t) > 0)
        t, vmin, vmax = r.read_decimated("p0.sig", T0, T0 + 600 * NS, max_points)
        assert 99.0 in vmax and -99.0 in vmin


def test_decimated_short_range_is_raw(history_url: str) -> None:
    g = make_group("q", 1, 1000.0)
    record(history_url, [g], batches(g, 2.0))
    with open_history(history_url, read_only=True) as h:
        r = HistoryReader(h)
        t, vmin, vmax = r.read_decimated("q0.sig", T0, T0 + NS // 10, 1000)
        assert len(t) == 100 and np.array_equal(vmin, vmax)
        t, vmin, vmax = r.read_decimated("q0.sig", T0, T0 + 2 * NS, 100)
        assert len(t) == 100
        exp = _brute_minmax(*r.read("q0.sig", T0, T0 + 2 * NS), T0, T0 + 2 * NS, 100)
        np.testing.assert_array_equal(t, np.array(sorted(exp)))
        np.testing.assert_array_equal(vmax, [exp[k][1] for k in sorted(exp)])


def test_coverage_splits_on_gaps(history_url: str) -> None:
    g = make_group("c", 1, 100.0)
    record(history_url, [g], batches(g, 20.0, per_batch=50, skip=(5.0, 8.0)))
    with open_history(history_url, read_only=True) as h:
        r = HistoryReader(h)
        spans = r.coverage("c0.sig")
        assert spans == [(T0, T0 + 4_990_000_000), (T0 + 8 * NS, T0 + 19_990_000_000)]
        assert r.coverage("c0.sig", T0 + 10 * NS, T0 + 12 * NS) == [(T0 + 10 * NS, T0 + 12 * NS)]
        assert r.coverage() == [(T0, T0 + 19_990_000_000)]  # the recording session
        assert r.coverage("unknown") == []


def test_reopen_appends_and_rejects_older(history_url: str) -> None:
    g = make_group("a", 2, 100.0)
    record(history_url, [g], batches(g, 3.0))
    # The second session repeats 1 s of old data (a restarted source) and continues.
    record(history_url, [g], batches(g, 3.0, start=T0 + 2 * NS))
    with open_history(history_url, read_only=True) as h:
        r = HistoryReader(h)
        t, _ = r.read("a0.sig", T0, T0 + 10 * NS)
        assert len(t) == 500 and np.all(np.diff(t) == NS // 100)
        assert r.coverage() == [(T0, T0 + 4_990_000_000)]
        _, vmin, _vmax = r.read_decimated("a0.sig", T0, T0 + 5 * NS, 5)
        assert len(vmin) == 5


def test_retention_keeps_pyramid(history_url: str) -> None:
    g = make_group("r", 1, 100.0)
    record_per_batch(history_url, [g], batches(g, 300.0, per_batch=100))
    with open_history(history_url) as h:
        res = apply_retention(
            h, raw_keep_s=100, rollup_keep_s=None, now_ns=T0 + 300 * NS, batch_rows=7
        )
        assert res.raw_rows_deleted > 0 and res.rollup_rows_deleted == 0
        r = HistoryReader(h)
        t, _ = r.read("r0.sig", T0, T0 + 300 * NS)
        assert t[0] >= T0 + 199 * NS and t[-1] == T0 + 299_990_000_000
        # The overview of the whole span still sees the deleted minutes.
        td, _, _ = r.read_decimated("r0.sig", T0, T0 + 300 * NS, 300)
        assert td[0] == T0 and len(td) == 300
        res = apply_retention(h, raw_keep_s=100, rollup_keep_s=150, now_ns=T0 + 300 * NS)
        assert res.rollup_rows_deleted > 0


def test_catch_up_after_lost_pyramid_tail(history_url: str) -> None:
    """A crash leaves raw chunks without their pyramid pages: the next writer (or an
    upgrade) fills the levels from the level below; reads are right before and after."""
    g = make_group("k", 1, 50.0)
    with open_history(history_url) as h:
        sink = ChunkSink(h, [g])
        for b in batches(g, 200.0, per_batch=50):
            sink.add(b)
            sink.flush()  # never final: pyramid pages of the last minute stay in memory
        r = HistoryReader(h)
        before = r.read_decimated("k0.sig", T0, T0 + 200 * NS, 100)
        assert pyramid.catch_up(h) > 0
        after = r.read_decimated("k0.sig", T0, T0 + 200 * NS, 100)
        for x, y in zip(before, after, strict=True):
            np.testing.assert_array_equal(x, y)
        assert pyramid.catch_up(h) == 0  # idempotent
        _t, v = r.read("k0.sig", T0, T0 + 200 * NS)
        _, vmin, vmax = r.read_decimated("k0.sig", T0, T0 + 200 * NS, 4)
        assert vmin.min() == v.min() and vmax.max() == v.max()


def test_retention_runs_beside_the_writer(history_url: str) -> None:
    """Retention in small transactions on another thread never stalls or fails the writer."""
    g = make_group("z", 4, 1000.0)
    with open_history(history_url) as h:
        w = HistoryWriter(h, [g], flush_interval_s=0.02)
        stop = threading.Event()
        deleted: list[int] = []

        def retain() -> None:
            while not stop.is_set():
                res = apply_retention(h, raw_keep_s=2, now_ns=T0 + 10 * NS, batch_rows=5)
                deleted.append(res.raw_rows_deleted)

        th = threading.Thread(target=retain, name="twindeck-test-retention")
        th.start()
        try:
            for b in batches(g, 10.0, per_batch=100):
                assert w.offer(b)
                time.sleep(0.003)
        finally:
            w.close()
            stop.set()
            th.join()
        assert w.last_error is None and w.dropped_samples == 0
        assert sum(deleted) > 0
        r = HistoryReader(h)
        t, _ = r.read("z3.sig", T0 + 8 * NS, T0 + 10 * NS)
        assert len(t) == 2000
        _, _, vmax = r.read_decimated("z3.sig", T0, T0 + 10 * NS, 10)
        assert len(vmax) == 10  # the deleted seconds still show in the overview
