"""What replay loads read: raw values around the cursor (each group from its own stale
horizon), plot overviews with every peak and gap kept, and the chunk query's bounds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import HistoryReader, open_history
from db.engine import History
from db.read.loaders import OverviewLoader, RawLoader, overview_series
from db.read.reader import _bucket_raw, _rebin
from db.write.sink import ChunkSink
from tests.db.history_helpers import NS, T0, batches, make_group
from twin.batch import Batch
from twin.store.signal_store import SignalStore

FAST = make_group("fast", 2, 200.0)
SLOW = make_group("slow", 1, 0.5)
RUN_S = 300.0  # with a hole in the fast group from 100 s to 130 s


def record(url: str | Path) -> None:
    with open_history(url) as h:
        sink = ChunkSink(h, (FAST, SLOW))
        # 1 s flushes for the fast group (as the recorder writes), one long chunk for the slow
        for b in batches(FAST, RUN_S, 200, skip=(100, 130)):
            sink.add(b)
            sink.flush()
        for b in batches(SLOW, RUN_S, 1000):
            sink.add(b)
        sink.flush(final=True)


def never() -> bool:
    return False


@pytest.fixture
def recorded(tmp_path: Path) -> Iterator[History]:
    path = tmp_path / "run.twinhist"
    record(path)
    h = open_history(path, read_only=True)
    yield h
    h.close()


def test_read_many_returns_exactly_the_samples_in_range(history_url: str) -> None:
    """Chunks of very different lengths (0.5 Hz in one chunk, 200 Hz in 1 s chunks): the
    tight per-signal bound must miss nothing at either edge and add nothing."""
    record(history_url)
    with open_history(history_url, read_only=True) as h:
        reader = HistoryReader(h)
        ids = [*FAST.signal_ids, *SLOW.signal_ids, "unknown.sig"]
        for t0, t1 in [
            (T0, T0 + 5 * NS),
            (T0 + 99_500_000_000, T0 + 131 * NS),
            (T0 + 299 * NS, T0 + 900 * NS),
        ]:
            got = reader.read_many(ids, t0, t1)
            for sid in ids[:-1]:
                whole_t, whole_v = reader.read(sid, T0 - NS, T0 + 1000 * NS)
                keep = (whole_t >= t0) & (whole_t < t1)
                np.testing.assert_array_equal(got[sid][0], whole_t[keep])
                np.testing.assert_array_equal(got[sid][1], whole_v[keep])
            assert got["unknown.sig"][0].size == 0


def test_raw_loader_reads_the_recent_past_and_further_back_only_where_needed(
    recorded: History,
) -> None:
    loader = RawLoader((FAST, SLOW), (2 * NS, 6 * NS))
    reader = HistoryReader(recorded)

    def loaded(c: int) -> tuple[np.ndarray, np.ndarray, SignalStore]:
        store = loader.load(reader, c - loader.lookback, c + NS, never)
        assert store is not None
        fast_t, _ = store.snapshot_window(FAST.signal_ids[0], T0, T0 + 1000 * NS)
        slow_t, _ = store.snapshot_window(SLOW.signal_ids[0], T0, T0 + 1000 * NS)
        return fast_t, slow_t, store

    c = T0 + 50 * NS
    fast_t, slow_t, store = loaded(c)
    assert fast_t[0] == c - NS // 10 and fast_t[-1] <= c + NS  # 0.1 s back is enough
    assert slow_t[0] >= c - 6 * NS and slow_t.size == 4  # 0.5 Hz over 7 s
    with pytest.raises(ValueError, match="read-only"):  # published stores never change
        store.append(Batch(FAST.key, np.array([c + 5 * NS]), np.zeros((2, 1), np.float32)))
    # 1.5 s into the fast group's hole: its last sample lies further back, within its
    # 2 s lookback, and is found; 3 s in, it is beyond the lookback (no data).
    for into_gap, found in ((1.5, True), (3.0, False)):
        c = T0 + int((100 + into_gap) * NS)
        fast_t, _, store = loaded(c)
        values, times = store.values_at(FAST.signal_ids, c)
        want_t, want_v = reader.read(FAST.signal_ids[0], c - 2 * NS, c + 1)
        assert np.isfinite(values[0]) == found
        if found:
            assert times[0] == want_t[-1] == T0 + 100 * NS - 5_000_000
            assert values[0] == want_v[-1]


def test_overview_keeps_every_peak_of_each_bin(recorded: History) -> None:
    reader = HistoryReader(recorded)
    sid = FAST.signal_ids[1]
    loader = OverviewLoader((sid,), (FAST.rate_hz,), 60 * NS, 120)  # 0.5 s bins
    t0, t1 = T0 + 10 * NS, T0 + 70 * NS
    store = loader.load(reader, t0, t1, never)
    assert store is not None
    t, v = store.snapshot_window(sid, t0 - NS, t1 + NS)
    raw_t, raw_v = reader.read(sid, t0, t1 + 1)
    width = loader.width_ns
    assert width == NS // 2
    # each bin's raw min and max appear in the overview at that bin's start and middle
    bins = (raw_t - raw_t[0] + raw_t[0] % width) // width
    for b in np.unique(bins)[1:-1]:
        start = raw_t[bins == b][0] - raw_t[bins == b][0] % width
        i = int(np.searchsorted(t, start))
        assert t[i] == start + width // 4 and t[i + 1] == start + 3 * width // 4
        assert v[i] == raw_v[bins == b].min() and v[i + 1] == raw_v[bins == b].max()
    assert t.size < raw_t.size / 20


def test_overview_breaks_the_line_at_a_gap_and_passes_few_samples_raw(recorded: History) -> None:
    reader = HistoryReader(recorded)
    fast = OverviewLoader((FAST.signal_ids[0],), (FAST.rate_hz,), 200 * NS, 400)
    store = fast.load(reader, T0, T0 + 200 * NS, never)
    assert store is not None
    t, v = store.snapshot_window(FAST.signal_ids[0], T0, T0 + 200 * NS)
    holes = t[np.isnan(v)]
    assert holes.size == 1 and T0 + 100 * NS <= holes[0] <= T0 + 130 * NS
    slow = OverviewLoader(SLOW.signal_ids, (SLOW.rate_hz,), 200 * NS, 400)
    store = slow.load(reader, T0, T0 + 200 * NS, never)
    assert store is not None
    t, v = store.snapshot_window(SLOW.signal_ids[0], T0, T0 + 200 * NS)
    raw_t, raw_v = reader.read(SLOW.signal_ids[0], T0, T0 + 200 * NS + 1)
    np.testing.assert_array_equal(t, raw_t)  # 101 samples for 400 bins: raw, no NaN
    np.testing.assert_array_equal(v, raw_v)


def test_wide_spans_of_fast_signals_read_the_pyramid() -> None:
    wide = OverviewLoader(("a",), (1000.0,), 600 * NS, 2000)
    narrow = OverviewLoader(("a",), (1000.0,), 60 * NS, 2000)
    slow = OverviewLoader(("a",), (10.0,), 600 * NS, 2000)
    assert wide.width_ns == NS  # 600 k samples a span: 1 s pyramid buckets
    assert narrow.width_ns == 30_000_000
    assert slow.width_ns == 300_000_000  # 6,000 samples: binned from raw
    day = OverviewLoader(("a",), (1.0,), 86400 * NS, 2000)
    assert day.width_ns == 60 * NS  # one-minute buckets: 1,440 bins
    shift = OverviewLoader(("a",), (1.0,), 8 * 3600 * NS, 2000)
    assert shift.width_ns == 60 * NS  # 480 one-minute bins
    hour = OverviewLoader(("a",), (1.0,), 3600 * NS, 2000)
    assert hour.width_ns == 1_800_000_000  # 60 one-minute bins would be too few


def test_overview_series_interleaves_min_and_max() -> None:
    starts = np.array([0, 10, 20, 60], np.int64)
    t, v = overview_series(
        starts, np.array([1, 2, 3, 4], np.float32), np.array([5, 6, 7, 8], np.float32), 10, 1e9
    )
    assert t.tolist()[:6] == [2, 7, 12, 17, 22, 27]
    assert np.isnan(v[6]) and 27 < t[6] < 62  # 40 ns without a bin: a gap
    assert v[~np.isnan(v)].tolist() == [1, 5, 2, 6, 3, 7, 4, 8]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=300, unique=True),
    st.integers(0, 999),
    st.integers(1, 60),
    st.randoms(use_true_random=False),
)
def test_bucketing_raw_samples_agrees_with_a_key_per_sample(times, t0, bins, rnd) -> None:
    t = np.array(sorted(times), np.int64) + 1000
    v = np.array([rnd.choice([np.nan, rnd.uniform(-5, 5)]) for _ in times], np.float32)
    width = -(-(10**6 + 1000 - t0) // bins)
    fast = _rebin([_bucket_raw(t, v, t0, width, bins)], t0, width, bins)
    naive = _rebin([(t, (~np.isnan(v)).astype(np.int64), v, v)], t0, width, bins)
    for a, b in zip(fast, naive, strict=True):
        np.testing.assert_array_equal(a, b)
