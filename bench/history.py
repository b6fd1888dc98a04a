"""History benchmark: ingest rate, ratio against one row per sample, bytes per sample,
raw read and 24 h overview latency. Human-readable lines, then one JSON object.

    python -m bench.history [--signals 1000] [--seconds 30] [--quick]

Targets (DESIGN.md): ingest >= 20 M samples/s on one core, >= 30x one-row-per-sample
sqlite3, <= 5 bytes/sample, 10 s x 100 signals at 1 kHz <= 15 ms, 24 h overview <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from db import ChunkSink, HistoryReader, open_history, pyramid
from db import rows as sql
from db.write.sink import chunk_rows_for
from twin.batch import Batch, ChannelGroup

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
RATE = 1000


def _signal(rng: np.random.Generator, t: np.ndarray, channels: int) -> np.ndarray:
    # A slow sine plus sensor noise: realistic entropy for float32 values.
    base = np.sin(t[None, :] * 1e-9 * 0.5 + np.arange(channels)[:, None])
    return (base + rng.normal(0, 0.01, (channels, t.shape[0]))).astype(np.float32)


def bench_ingest(path: Path, n_signals: int, seconds: int, group_size: int) -> dict[str, float]:
    h = open_history(path)
    groups = [
        ChannelGroup(f"g{g}", tuple(f"a{g}.s{c}" for c in range(group_size)), RATE)
        for g in range(n_signals // group_size)
    ]
    sink = ChunkSink(h, groups, compress=False)
    rng = np.random.default_rng(1)
    # Pre-generate one second of values per group; time advances per second.
    tmpl = [_signal(rng, T0 + np.arange(RATE) * (NS // RATE), group_size) for _ in groups]
    wall = cpu = 0.0
    samples = 0
    for s in range(seconds):
        t = T0 + (s * RATE + np.arange(RATE, dtype=np.int64)) * (NS // RATE)
        batches = [Batch(g.key, t, tmpl[i]) for i, g in enumerate(groups)]
        w0, c0 = time.perf_counter(), time.process_time()
        for b in batches:
            sink.add(b)
        info = sink.flush()  # what the writer thread does once a second
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        samples += info.samples if info else 0
    w0 = time.perf_counter()
    sink.flush(final=True)
    wall += time.perf_counter() - w0
    h.close()
    size = os.path.getsize(path)
    return {"samples": samples, "wall_s": wall, "cpu_s": cpu, "bytes": size}


def bench_row_per_sample(path: Path, n_signals: int, seconds: int) -> float:
    """The baseline: the same kind of data, one (signal, t, v) row per sample, sqlite3
    executemany, WAL + synchronous=NORMAL, one transaction per second of data."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE samples (signal INTEGER, t INTEGER, v REAL)")
    conn.execute("CREATE INDEX ix_samples ON samples (signal, t)")
    rng = np.random.default_rng(2)
    total = 0
    elapsed = 0.0
    for s in range(seconds):
        t = T0 + (s * RATE + np.arange(RATE, dtype=np.int64)) * (NS // RATE)
        v = _signal(rng, t, n_signals)
        rows = [
            (sig, int(tt), float(vv))
            for sig in range(n_signals)
            for tt, vv in zip(t.tolist(), v[sig].tolist(), strict=True)
        ]
        w0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO samples VALUES (?, ?, ?)", rows)
        conn.execute("COMMIT")
        elapsed += time.perf_counter() - w0
        total += len(rows)
    conn.close()
    return total / elapsed


def bench_read(path: Path, n_signals: int, group_size: int, seconds: int) -> dict[str, float]:
    h = open_history(path, read_only=True)
    r = HistoryReader(h)
    ids = [f"a{g}.s{c}" for g in range(n_signals // group_size) for c in range(group_size)][:100]
    t0 = T0 + (seconds // 2 - 5) * NS
    t1 = t0 + 10 * NS
    r.read_many(ids, t0, t1)  # warm the page cache and the key map
    many, loop = [], []
    for _ in range(7):
        w0 = time.perf_counter()
        out = r.read_many(ids, t0, t1)
        many.append(time.perf_counter() - w0)
        w0 = time.perf_counter()
        for sid in ids:
            r.read(sid, t0, t1)
        loop.append(time.perf_counter() - w0)
    n = sum(len(t) for t, _ in out.values())
    assert n == 100 * 10 * RATE, n
    h.close()
    return {
        "read_many_ms": statistics.median(many) * 1e3,
        "read_loop_ms": statistics.median(loop) * 1e3,
    }


def bench_overview(path: Path, hours: int) -> dict[str, float]:
    h = open_history(path)
    g = ChannelGroup("vib", ("m1.vib",), RATE)
    sink = ChunkSink(h, [g], recording=False)  # registers the signal
    key = sink.signal_keys[0]
    rng = np.random.default_rng(3)
    w0 = time.perf_counter()
    step = NS // RATE
    for hour in range(hours):
        t = T0 + (hour * 3600 * RATE + np.arange(3600 * RATE, dtype=np.int64)) * step
        v = _signal(rng, t, 1)
        if hour == hours // 2:
            v[0, 1234567] = 50.0  # a single-sample peak the overview must show
        rows = []
        for s in range(3600):  # 1 s chunks, as the writer produces them
            sl = slice(s * RATE, (s + 1) * RATE)
            rows.extend(chunk_rows_for([key], t[sl], v[:, sl]))
        with h.raw() as conn:
            h.begin_raw(conn)
            sql.insert_rows(h, conn.cursor(), rows, [])
            conn.commit()
    gen_s = time.perf_counter() - w0
    w0 = time.perf_counter()
    pyramid.catch_up(h)
    pyr_s = time.perf_counter() - w0
    h.close()
    h = open_history(path, read_only=True)
    r = HistoryReader(h)
    t1 = T0 + hours * 3600 * NS
    r.read_decimated("m1.vib", T0, t1, 2000)
    times = []
    for _ in range(7):
        w0 = time.perf_counter()
        t, _vmin, vmax = r.read_decimated("m1.vib", T0, t1, 2000)
        times.append(time.perf_counter() - w0)
    assert len(t) <= 2000 and float(vmax.max()) == 50.0, (len(t), vmax.max())
    h.close()
    return {
        "overview_ms": statistics.median(times) * 1e3,
        "generate_s": gen_s,
        "pyramid_build_s": pyr_s,
        "points": float(len(t)),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--signals", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--baseline-seconds", type=int, default=3)
    ap.add_argument("--hours", type=int, default=24)
    ap.add_argument("--quick", action="store_true", help="small sizes, for smoke tests")
    args = ap.parse_args(argv)
    if args.quick:
        args.signals, args.seconds, args.baseline_seconds, args.hours = 200, 12, 1, 1
    group_size = 100
    with tempfile.TemporaryDirectory(prefix="twindeck-bench-") as d:
        tmp = Path(d)
        ing = bench_ingest(tmp / "ingest.twinhist", args.signals, args.seconds, group_size)
        rate = ing["samples"] / ing["cpu_s"] / 1e6
        wall_rate = ing["samples"] / ing["wall_s"] / 1e6
        bps = ing["bytes"] / ing["samples"]
        print(
            f"ingest: {ing['samples'] / 1e6:.1f} M samples, {rate:.1f} M samples/s per CPU "
            f"second ({wall_rate:.1f} M/s wall), {bps:.2f} bytes/sample on disk"
        )
        base = bench_row_per_sample(tmp / "rows.sqlite", args.signals, args.baseline_seconds)
        print(
            f"row per sample (sqlite3 executemany): {base / 1e6:.2f} M rows/s; "
            f"ratio {wall_rate * 1e6 / base:.1f}x"
        )
        rd = bench_read(tmp / "ingest.twinhist", args.signals, group_size, args.seconds)
        print(
            f"read 10 s x 100 signals at 1 kHz: {rd['read_many_ms']:.1f} ms (read_many), "
            f"{rd['read_loop_ms']:.1f} ms (one read per signal)"
        )
        ov = bench_overview(tmp / "overview.twinhist", args.hours)
        print(
            f"overview: {args.hours} h of 1 kHz generated in {ov['generate_s']:.1f} s, pyramid "
            f"built in {ov['pyramid_build_s']:.1f} s; 2,000-point read {ov['overview_ms']:.1f} ms"
        )
    result = {
        "ingest_msamples_per_s": round(rate, 2),
        "ingest_wall_msamples_per_s": round(wall_rate, 2),
        "ratio_vs_row_per_sample": round(wall_rate * 1e6 / base, 1),
        "row_per_sample_mrows_per_s": round(base / 1e6, 3),
        "bytes_per_sample": round(bps, 3),
        "read_10s_100sig_ms": round(rd["read_many_ms"], 2),
        "read_10s_100sig_loop_ms": round(rd["read_loop_ms"], 2),
        "overview_24h_ms": round(ov["overview_ms"], 2),
        "overview_hours": args.hours,
    }
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
