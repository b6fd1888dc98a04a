"""Ring buffer and signal store micro-benchmarks: ``python bench/ring.py``.

Every figure is the median over several runs of the mean time per call within a run
(runs are long enough to include the ring's periodic work: wrap and lower-copy blocks).
Baselines do the same work: numpy_ringbuffer (PyPI) keeps one buffer per signal and no
timestamps, so it gets 100 value buffers + 1 timestamp buffer, each extended by 10
samples per call; the naive buffer concatenates then trims each signal to capacity.
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

from twin.batch import ChannelGroup
from twin.store.ring import RingBuffer
from twin.store.signal_store import SignalStore

CAPACITY = 60_000
K = 10
RUNS = 9


def per_call_us(make_run: Callable[[], tuple[Callable[[], None], int]], runs: int = RUNS) -> float:
    """Median over runs of (run time / calls in the run), in µs.

    ``make_run`` prepares inputs outside the timed region and returns (run, calls).
    """
    results = []
    for _ in range(runs):
        run, calls = make_run()
        t0 = time.perf_counter()
        run()
        results.append((time.perf_counter() - t0) / calls * 1e6)
    return statistics.median(results)


def timestamp_batches(start: int, calls: int) -> list[np.ndarray]:
    return [np.arange(start + i * K, start + (i + 1) * K, dtype=np.int64) for i in range(calls)]


def bench_ring_append(channels: int) -> float:
    ring = RingBuffer(CAPACITY, channels)
    v = np.random.default_rng(0).random((channels, K), dtype=np.float32)
    calls = CAPACITY // K  # one lap per run
    state = {"t": 0}

    def make_run() -> tuple[Callable[[], None], int]:
        ts = timestamp_batches(state["t"], calls)
        state["t"] += calls * K
        append = ring.append

        def run() -> None:
            for t in ts:
                append(t, v)

        return run, calls

    make_run()[0]()  # warm-up lap: the figures are for a full ring
    return per_call_us(make_run)


def bench_numpy_ringbuffer(channels: int) -> float:
    from numpy_ringbuffer import RingBuffer as NRB

    tbuf = NRB(CAPACITY, dtype=np.int64)
    vbufs = [NRB(CAPACITY, dtype=np.float32) for _ in range(channels)]
    v = np.random.default_rng(0).random((channels, K), dtype=np.float32)
    rows = list(v)
    calls = 2000
    state = {"t": 0}

    def make_run() -> tuple[Callable[[], None], int]:
        ts = timestamp_batches(state["t"], calls)
        state["t"] += calls * K

        def run() -> None:
            for t in ts:
                tbuf.extend(t)
                for buf, row in zip(vbufs, rows, strict=True):
                    buf.extend(row)

        return run, calls

    for _ in range(CAPACITY // (calls * K)):  # fill to capacity first
        make_run()[0]()
    return per_call_us(make_run, runs=5)


def bench_concat(channels: int) -> float:
    """Naive buffer: concatenate the new samples, then keep the last CAPACITY."""
    tbuf = np.arange(CAPACITY, dtype=np.int64)
    vbufs = [np.zeros(CAPACITY, np.float32) for _ in range(channels)]
    v = np.random.default_rng(0).random((channels, K), dtype=np.float32)
    calls = 20
    state = {"t": CAPACITY}

    def make_run() -> tuple[Callable[[], None], int]:
        ts = timestamp_batches(state["t"], calls)
        state["t"] += calls * K

        def run() -> None:
            nonlocal tbuf
            for t in ts:
                tbuf = np.concatenate((tbuf, t))[-CAPACITY:]
                for i in range(channels):
                    vbufs[i] = np.concatenate((vbufs[i], v[i]))[-CAPACITY:]

        return run, calls

    return per_call_us(make_run, runs=5)


def filled_single_ring() -> RingBuffer:
    ring = RingBuffer(CAPACITY, 1)
    # 1.5 laps of 1 kHz samples, so the latest samples straddle the wrap point.
    t = np.arange(90_000, dtype=np.int64) * 1_000_000
    ring.append(t[:CAPACITY], np.ones(CAPACITY, np.float32))
    ring.append(t[CAPACITY:], np.ones(t.size - CAPACITY, np.float32))
    return ring


def bench_reader(call: Callable[[], object], calls: int = 20_000) -> float:
    def make_run() -> tuple[Callable[[], None], int]:
        def run() -> None:
            for _ in range(calls):
                call()

        return run, calls

    return per_call_us(make_run)


def bench_latest_values(n_signals: int = 10_000, n_groups: int = 50) -> float:
    per = n_signals // n_groups
    groups = [
        ChannelGroup(f"g{g}", tuple(f"g{g}.s{i}" for i in range(per)), rate_hz=10.0)
        for g in range(n_groups)
    ]
    store = SignalStore(groups, retention_s=60.0)
    for g in groups:
        t = np.arange(20, dtype=np.int64)
        store.ring(g.key).append(t, np.ones((per, 20), np.float32))
    # Assets reference signals in their own order, not the store's.
    ids = tuple(np.random.default_rng(0).permutation(store.signal_ids).tolist())
    store.latest_values(ids)  # builds and caches the plan
    return bench_reader(lambda: store.latest_values(ids), calls=2000)


def main() -> None:
    results: dict[str, float] = {}
    results["append_us_100x10"] = bench_ring_append(100)
    results["numpy_ringbuffer_us_100x10"] = bench_numpy_ringbuffer(100)
    results["concat_us_100x10"] = bench_concat(100)
    results["append_us_1x10"] = bench_ring_append(1)
    results["numpy_ringbuffer_us_1x10"] = bench_numpy_ringbuffer(1)
    ring = filled_single_ring()
    t_end = ring.last_time or 0
    results["view_us"] = bench_reader(lambda: ring.latest(10_000))
    window = (t_end - 9_999 * 1_000_000, t_end)  # the latest 10,000 samples, across the wrap
    assert len(ring.window(*window)[0]) == 10_000
    results["window_us"] = bench_reader(lambda: ring.window(*window))
    results["snapshot_us_10000"] = bench_reader(lambda: ring.snapshot(10_000), calls=5000)
    results["latest_values_us_10000"] = bench_latest_values()
    results["ratio_vs_numpy_ringbuffer"] = (
        results["numpy_ringbuffer_us_100x10"] / results["append_us_100x10"]
    )
    results["ratio_vs_concat"] = results["concat_us_100x10"] / results["append_us_100x10"]

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"capacity {CAPACITY}, {K} samples per append; medians of {RUNS} runs (µs per call)")
    for key, value in results.items():
        print(f"  {key:28s} {value:10.2f}")
    print(json.dumps({k: round(v, 3) for k, v in results.items()}))


if __name__ == "__main__":
    main()
