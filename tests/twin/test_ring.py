"""RingBuffer against a plain-Python reference model, plus zero-copy and threading checks."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twin.store.ring import NO_TIME, RingBuffer


class Model:
    """Lists that implement the documented policy one sample at a time."""

    def __init__(self, capacity: int, channels: int) -> None:
        self.capacity = capacity
        self.channels = channels
        self.t: list[int] = []
        self.v: list[list[float]] = []  # one row per sample
        self.last: int | None = None
        self.rejected = 0
        self.invalid = 0
        self.version = 0

    def append(self, t: list[int], v: list[list[float]]) -> int:
        accepted = 0
        for i, ti in enumerate(t):
            if self.last is not None and ti <= self.last:
                self.rejected += 1
                continue
            row = []
            for ch in range(self.channels):
                x = v[ch][i]
                if math.isinf(x):
                    self.invalid += 1
                    x = math.nan
                row.append(x)
            self.t.append(ti)
            self.v.append(row)
            self.last = ti
            accepted += 1
        del self.t[: -self.capacity], self.v[: -self.capacity]
        self.version += accepted
        return accepted

    def arrays(self, lo: int = 0, hi: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        t = np.array(self.t[lo:hi], dtype=np.int64)
        v = np.array(self.v[lo:hi], dtype=np.float32).reshape(-1, self.channels).T
        return t, v

    def latest(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        return self.arrays(len(self.t) - min(max(n, 0), len(self.t)))

    def window(self, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
        idx = [i for i, ti in enumerate(self.t) if t0 <= ti <= t1]
        return self.arrays(idx[0], idx[-1] + 1) if idx else self.arrays(0, 0)

    def value_at(self, t: int) -> np.ndarray:
        idx = [i for i, ti in enumerate(self.t) if ti <= t]
        row = self.v[idx[-1]] if idx else [math.nan] * self.channels
        return np.array(row, dtype=np.float32)


def assert_same(got: tuple[np.ndarray, np.ndarray], want: tuple[np.ndarray, np.ndarray]) -> None:
    np.testing.assert_array_equal(got[0], want[0])
    assert got[1].shape == want[1].shape
    np.testing.assert_array_equal(got[1], want[1])  # NaN == NaN here


def set_block(ring: RingBuffer, block: int) -> None:
    """Set how many samples the lower copy may lag behind (an implementation detail)."""
    ring._block = block
    ring._mirror_at = ring.capacity + block


def test_lower_copy_is_filled_in_blocks_not_per_append() -> None:
    ring = RingBuffer(1000)
    set_block(ring, 100)
    for i in range(250):
        ring.append(np.array([i], np.int64), np.array([float(i)]))
        assert ring._mirrored == (i + 1) // 100 * 100


values = st.one_of(
    st.floats(width=32, allow_nan=False, allow_infinity=False),
    st.sampled_from([math.nan, math.inf, -math.inf]),
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[int, int, int, list[tuple[list[int], list[list[float]]]]]:
    capacity = draw(st.integers(1, 12))
    channels = draw(st.integers(1, 3))
    block = draw(st.integers(1, capacity))  # how often the lower copy is filled in
    batches = []
    clock = 0
    for _ in range(draw(st.integers(1, 12))):
        k = draw(st.integers(0, 2 * capacity + 2))
        # Mostly increasing steps; zero and negative steps give duplicates and disorder.
        steps = draw(st.lists(st.integers(-3, 4), min_size=k, max_size=k))
        t = []
        for s in steps:
            clock += s
            t.append(clock)
        v = [draw(st.lists(values, min_size=k, max_size=k)) for _ in range(channels)]
        batches.append((t, v))
    return capacity, channels, block, batches


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_matches_reference_model(
    scenario: tuple[int, int, int, list[tuple[list[int], list[list[float]]]]],
) -> None:
    capacity, channels, block, batches = scenario
    ring = RingBuffer(capacity, channels)
    set_block(ring, block)  # exercise the lazy lower copy at every granularity
    model = Model(capacity, channels)
    version = ring.version
    for t, v in batches:
        ta = np.array(t, dtype=np.int64)
        va = np.array(v, dtype=np.float64).reshape(channels, len(t))
        if channels == 1 and len(t) % 2:
            va = va[0]  # 1-D values are accepted for one channel
        assert ring.append(ta, va) == model.append(t, v)
        assert ring.version >= version
        version = ring.version
        assert (ring.version, ring.rejected, ring.invalid) == (
            model.version,
            model.rejected,
            model.invalid,
        )
        assert len(ring) == len(model.t)
        assert ring.last_time == model.last
        for n in range(-1, capacity + 2):
            assert_same(ring.latest(n), model.latest(n))
        assert_same(ring.snapshot(capacity), model.latest(capacity))
        for ch in range(channels):
            got_t, got_v = ring.latest_channel(ch, capacity)
            assert_same(
                (got_t, got_v[None, :]),
                (model.latest(capacity)[0], model.latest(capacity)[1][ch : ch + 1]),
            )
        probes = sorted({*model.t, *(x + d for x in model.t for d in (-1, 1)), -100, 10_000})
        for t0 in probes[::3]:
            for t1 in probes[1::4]:
                assert_same(ring.window(t0, t1), model.window(t0, t1))
        for t0 in probes:
            np.testing.assert_array_equal(ring.value_at(t0), model.value_at(t0))
        lo, hi = probes[len(probes) // 3], probes[2 * len(probes) // 3]
        assert_same(ring.snapshot_window(lo, hi), model.window(lo, hi))
        want_last = model.latest(1)[1][:, 0] if model.t else np.full(channels, np.nan, np.float32)
        np.testing.assert_array_equal(ring.last_values(), want_last)


def test_batch_larger_than_capacity_keeps_its_tail() -> None:
    ring = RingBuffer(4, 2)
    t = np.arange(10, dtype=np.int64)
    v = np.vstack([t, -t]).astype(np.float32)
    assert ring.append(t, v) == 10
    got_t, got_v = ring.latest(10)
    np.testing.assert_array_equal(got_t, [6, 7, 8, 9])
    np.testing.assert_array_equal(got_v, v[:, 6:])
    assert ring.version == 10 and len(ring) == 4


def test_timestamp_policy_examples() -> None:
    ring = RingBuffer(8)
    ring.append(np.array([10, 20], np.int64), np.array([1.0, 2.0]))
    # 20 duplicates the buffer, 15 is older, 30 is new, 25 is older than 30, 30 repeats.
    assert ring.append(np.array([20, 15, 30, 25, 30, 40], np.int64), np.arange(6.0)) == 2
    assert ring.rejected == 4
    np.testing.assert_array_equal(ring.latest(8)[0], [10, 20, 30, 40])
    np.testing.assert_array_equal(ring.latest(8)[1][0], [1, 2, 2, 5])


def test_nan_kept_inf_counted() -> None:
    ring = RingBuffer(8, 2)
    v = np.array([[np.nan, np.inf, 1.0], [-np.inf, 2.0, 1e300]])  # 1e300 overflows float32
    ring.append(np.array([1, 2, 3], np.int64), v)
    assert ring.invalid == 3
    assert np.isnan(ring.latest(3)[1]).sum() == 4
    assert np.isinf(v).sum() == 2


def test_large_batch_non_finite_path() -> None:
    ring = RingBuffer(1000, 3)
    v = np.ones((3, 500), np.float32)
    v[1, 100] = np.inf
    ring.append(np.arange(500, dtype=np.int64), v)
    assert ring.invalid == 1


def test_shape_errors() -> None:
    ring = RingBuffer(8, 2)
    with pytest.raises(ValueError, match=r"\(2, k\)"):
        ring.append(np.arange(3, dtype=np.int64), np.zeros((3, 3)))
    with pytest.raises(ValueError):
        ring.append(np.arange(3, dtype=np.int64), np.zeros(3))
    with pytest.raises(ValueError):
        RingBuffer(8, dtype=np.int32)


def test_empty_reads() -> None:
    ring = RingBuffer(4, 3)
    assert ring.last_time is None and len(ring) == 0
    assert ring.latest(5)[0].shape == (0,) and ring.latest(5)[1].shape == (3, 0)
    assert ring.window(0, 10)[1].shape == (3, 0)
    assert np.isnan(ring.value_at(5)).all() and np.isnan(ring.last_values()).all()
    out = np.zeros(3)
    assert ring.read_last(out) == NO_TIME and np.isnan(out).all()


def test_views_are_zero_copy_and_copies_are_not() -> None:
    ring = RingBuffer(100, 4)
    for i in range(7):  # wrap a few times
        t = np.arange(i * 37, i * 37 + 37, dtype=np.int64)
        ring.append(t, np.tile(t.astype(np.float32), (4, 1)))
    for n in (1, 50, 100):
        t, v = ring.latest(n)
        assert np.shares_memory(t, ring._t) and np.shares_memory(v, ring._v)
        assert t.flags.c_contiguous and v[2].flags.c_contiguous
        np.testing.assert_array_equal(np.diff(t), 1)
    t, v = ring.window(200, 220)
    assert np.shares_memory(v, ring._v) and t[0] == 200 and t[-1] == 220
    st_, sv = ring.snapshot(100)
    assert not np.shares_memory(st_, ring._t) and not np.shares_memory(sv, ring._v)


def test_view_stays_valid_for_capacity_minus_n_samples() -> None:
    ring = RingBuffer(50, 2)
    set_block(ring, 7)
    rng = np.random.default_rng(3)
    # (view, copy of it, version when taken, n)
    live: list[tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], int, int]] = []
    t0 = 0
    for _ in range(400):  # ~25 laps
        k = int(rng.integers(1, 10))
        t = np.arange(t0, t0 + k, dtype=np.int64)
        ring.append(t, np.vstack([t, -t]).astype(np.float32))
        t0 += k
        live = [x for x in live if ring.version - x[2] <= ring.capacity - x[3]]
        for view, copy, _, _ in live:
            assert_same(view, copy)
        n = int(rng.integers(1, len(ring) + 1))
        view = ring.latest(n)
        live.append((view, (view[0].copy(), view[1].copy()), ring.version, n))


def test_snapshots_are_consistent_under_a_concurrent_writer() -> None:
    channels, capacity = 3, 997
    ring = RingBuffer(capacity, channels)
    set_block(ring, 64)  # mirror often so that snapshots race with it
    stop = threading.Event()
    errors: list[str] = []

    def writer() -> None:
        t0 = 0
        rng = np.random.default_rng(1)
        while not stop.is_set():
            k = int(rng.integers(1, 40))
            t = np.arange(t0, t0 + k, dtype=np.int64)
            # Values encode their timestamp, so a torn copy cannot pass the check below.
            v = (t % 1_000_000).astype(np.float32) + np.arange(channels, dtype=np.float32)[:, None]
            ring.append(t, v)
            t0 += k

    def check(t: np.ndarray, v: np.ndarray) -> None:
        want = (t % 1_000_000).astype(np.float32) + np.arange(channels, dtype=np.float32)[:, None]
        if len(t) and not (np.array_equal(v, want) and (np.diff(t) == 1).all()):
            errors.append(f"torn snapshot of {len(t)} samples")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 1.0
        rng = np.random.default_rng(2)
        while time.monotonic() < deadline and not errors:
            check(*ring.snapshot(int(rng.integers(1, capacity + 1))))
            last = ring.last_time or 0
            check(*ring.snapshot_window(last - int(rng.integers(0, 2 * capacity)), last))
            at = ring.value_at(last)
            if not np.isnan(at).all():
                check(np.array([last]), at[:, None])
    finally:
        stop.set()
        thread.join()
    assert not errors, errors[:3]
    assert ring.version > 10 * capacity  # the writer really lapped the buffer meanwhile


def test_window_at_the_int64_limits() -> None:
    ring = RingBuffer(4)
    big = np.iinfo(np.int64).max
    ring.append(np.array([big - 2, big - 1, big], np.int64), np.arange(3.0))
    np.testing.assert_array_equal(ring.window(big - 1, big)[0], [big - 1, big])
    np.testing.assert_array_equal(ring.window(NO_TIME + 1, big - 2)[0], [big - 2])
    assert ring.value_at(big)[0] == 2.0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(-50, 50), max_size=40),
    st.sampled_from([0.0, np.nan, np.inf]),
    st.integers(-60, 60),
    st.integers(0, 60),
)
def test_a_ring_of_samples_reads_like_a_ring_they_were_appended_to(
    times: list[int], odd: float, t0: int, width: int
) -> None:
    """Recorded samples (sorted or not, with NaN or inf) read exactly as if they had been
    appended to a ring of their size; sorted finite ones without being copied."""
    t = np.array(times, np.int64)
    v = np.vstack([np.arange(len(times), dtype=np.float32), np.full(len(times), odd, np.float32)])
    ring = RingBuffer.of_samples(t, v)
    ref = RingBuffer(max(1, len(times)), 2)
    ref.append(t, v)
    got, want = ring.snapshot_window(t0, t0 + width), ref.snapshot_window(t0, t0 + width)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ring.value_at(t0), ref.value_at(t0))
    np.testing.assert_array_equal(ring.last_values(), ref.last_values())
    assert len(ring) == len(ref) and ring.last_time == ref.last_time
    clean = len(times) > 0 and bool((np.diff(t) > 0).all()) and not np.isinf(odd)
    assert np.shares_memory(ring.latest(len(times))[1], v) == clean
    with pytest.raises(ValueError, match="read-only"):
        ring.append(np.array([10**6], np.int64), np.zeros((2, 1), np.float32))
