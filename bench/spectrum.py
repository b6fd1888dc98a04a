"""Spectrum panel cost: ``python -m bench.spectrum [--rate 2560]``.

One accelerometer channel of the demo (2560 Hz) in live rings holding ten minutes, read
through ``LiveSeries`` as the panel reads it. Three figures of ``WaveformAnalysis.update``,
each the median of many calls (the machine may be shared): the steady state (the cursor
moves a quarter of a second: the spectrum and at most one new waterfall row), a far seek
(every row to compute: bounded by MAX_ROWS_PER_UPDATE rows per update, so the waterfall
fills over a few updates), and the updates a far seek needs. Target: <= 10 ms per update.
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from twin.batch import Batch, ChannelGroup
from twin.condition.waterfall import WaveformAnalysis
from twin.store.series import LiveSeries
from twin.store.signal_store import SignalStore

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
RETENTION_S = 600


def rings(rate: float) -> SignalStore:
    group = ChannelGroup("accel", ("M03.acceleration",), rate)
    store = SignalStore([group], retention_s=RETENTION_S)
    rng = np.random.default_rng(1)
    for second in range(RETENTION_S):
        k = np.arange(int(rate))
        t = T0 + second * NS + np.round(k * NS / rate).astype(np.int64)
        s = (t - T0) / NS
        v = np.sin(2 * np.pi * 24.5 * s) + 0.3 * np.sin(2 * np.pi * 87.7 * s)
        v = v + 0.05 * rng.standard_normal(v.size)
        store.append(Batch(group.key, t, v[None, :].astype(np.float32)))
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=2560.0)
    args = parser.parse_args()
    store = rings(args.rate)
    reader = LiveSeries(store)
    steady, seeks, per_seek = [], [], []
    analysis = WaveformAnalysis(reader, "M03.acceleration", args.rate)
    cursor = T0 + 300 * NS
    while (p := analysis.update(cursor)) is not None and not p.complete:
        pass
    for _ in range(200):
        cursor += NS // 4
        start = time.perf_counter()
        analysis.update(cursor)
        steady.append((time.perf_counter() - start) * 1e3)
    for i in range(20):
        cursor = T0 + (200 + 17 * i) * NS  # far from the last: every row new
        updates = 0
        while True:
            start = time.perf_counter()
            p = analysis.update(cursor)
            seeks.append((time.perf_counter() - start) * 1e3)
            updates += 1
            if p is None or p.complete:
                break
        per_seek.append(updates)
    figures = {
        "rate_hz": args.rate,
        "steady_update_ms": round(statistics.median(steady), 3),
        "steady_update_ms_p95": round(float(np.percentile(steady, 95)), 3),
        "seek_update_ms": round(statistics.median(seeks), 3),
        "seek_update_ms_max": round(max(seeks), 3),
        "updates_to_fill_after_seek": max(per_seek),
    }
    print(
        f"steady update {figures['steady_update_ms']} ms (p95 "
        f"{figures['steady_update_ms_p95']}); after a far seek {figures['seek_update_ms']} ms "
        f"per update (max {figures['seek_update_ms_max']}), "
        f"{figures['updates_to_fill_after_seek']} updates to fill the waterfall"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
