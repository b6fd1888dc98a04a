"""Storage at plant scale: N signals at 1 Hz recorded through the real Recorder (writer
thread, staging, background compaction), fast-forwarded one flush per simulated second.

    python -m bench.storage [--signals 60000] [--minutes 15] [--read-motors 1000]

The plant is scripts/make_plant.py's motor plant (six 1 Hz signals a motor) driven by the
simulator. Prints bytes per sample on disk (file + WAL, while recording and after close),
the ratio against the same samples written by pyarrow to Parquet with zstd, the CPU the
recording costs per second of plant time (every thread but the one driving the simulator),
and the raw read rate of every signal of ``--read-motors`` motors over the whole recording
through HistoryReader.read_many. Human-readable lines, then one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from db import HistoryReader, open_history
from db.write.recorder import Recorder, RetentionPolicy
from twin.plant.loader import load_plant
from twin.sources.sim import Simulator

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
ROOT = Path(__file__).resolve().parents[1]


def motor_plant_file(motors: int, folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_plant", ROOT / "scripts" / "make_plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = folder / "motors.toml"
    path.write_text(module.plant_toml(motors), encoding="utf-8")
    return path


def disk_bytes(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            total += os.stat(str(path) + suffix).st_size
    return total


@dataclass
class Recorded:
    samples: int
    wall_s: float
    compaction_wait_s: float
    close_s: float
    record_cpu_s: float
    live_bytes: int
    peak_bytes: int
    closed_bytes: int
    data: dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]]  # ids, t, v per group


def record(path: Path, plant_file: Path, seconds: int) -> Recorded:
    """Record ``seconds`` of the plant; returns figures and the samples (for Parquet)."""
    plant = load_plant(plant_file)
    sim = Simulator(plant, start_ns=T0)
    groups = sim.groups()
    rec = Recorder.open(
        path, groups, plant, retention=RetentionPolicy(raw_days=None), flush_interval_s=0.002
    )
    kept: dict[str, list[np.ndarray]] = {g.key: [] for g in groups}
    times: dict[str, list[np.ndarray]] = {g.key: [] for g in groups}
    offered = 0
    wall0, cpu0, main0 = time.perf_counter(), time.process_time(), time.thread_time()
    peak = 0
    for s in range(1, seconds + 1):
        for b in sim.advance(T0 + s * NS):
            kept[b.group].append(b.v.astype(np.float32))
            times[b.group].append(b.t.copy())
            offered += b.v.size
            while not rec.offer(b):
                time.sleep(0.001)
        # One flush per simulated second, as live: wait for this second to be written.
        while rec.state().written_samples < offered:
            if rec.state().last_error:
                raise RuntimeError(rec.state().last_error)
            time.sleep(0.0005)
        if s % 30 == 0:
            peak = max(peak, disk_bytes(path))
            wal = disk_bytes(path) - os.path.getsize(path)
            print(
                f"  {s:5d} s recorded, {disk_bytes(path) / offered:.2f} bytes/sample "
                f"(WAL {wal / 1e6:.1f} MB)",
                flush=True,
            )
    wall = time.perf_counter() - wall0
    # Fast-forwarded, the compactor trails the writer; live it keeps up (a window of ten
    # minutes takes it seconds). Measure the state a live recording is in.
    catch0 = time.perf_counter()
    rec.writer.wait_compacted(600.0)
    catch_up_s = time.perf_counter() - catch0
    live_bytes = disk_bytes(path)
    close0 = time.perf_counter()
    rec.close()
    close_s = time.perf_counter() - close0
    cpu = time.process_time() - cpu0 - (time.thread_time() - main0)
    return Recorded(
        samples=offered,
        wall_s=wall,
        compaction_wait_s=catch_up_s,
        close_s=close_s,
        record_cpu_s=cpu,
        live_bytes=live_bytes,
        peak_bytes=max(peak, live_bytes),
        closed_bytes=disk_bytes(path),
        data={
            g.key: (
                g.signal_ids,
                np.concatenate(times[g.key]),
                np.concatenate(kept[g.key], axis=1),
            )
            for g in groups
        },
    )


def parquet_bytes(
    data: dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]], folder: Path
) -> int:
    """The same samples as one long table (time, signal_id, value float32) sorted by signal
    then time, as bench/export write it, zstd, 1 M-row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("time", pa.timestamp("ns", tz="UTC")),
            ("signal_id", pa.dictionary(pa.int32(), pa.string())),
            ("value", pa.float32()),
        ]
    )
    path = folder / "samples.parquet"
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for ids, t, v in data.values():
            per = max(1, 1_000_000 // t.size)
            for a in range(0, len(ids), per):
                block = v[a : a + per]
                names = pa.array(list(ids[a : a + per]))
                codes = np.repeat(np.arange(block.shape[0], dtype=np.int32), t.size)
                writer.write_table(
                    pa.table(
                        [
                            pa.array(np.tile(t, block.shape[0])).cast(pa.timestamp("ns", tz="UTC")),
                            pa.DictionaryArray.from_arrays(codes, names),
                            pa.array(block.ravel()),
                        ],
                        schema=schema,
                    )
                )
    return path.stat().st_size


def read_rate(
    path: Path,
    data: dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]],
    motors: int,
    seconds: int,
) -> dict[str, float]:
    """Every signal of the first ``motors`` motors over the whole recording, one read_many;
    checks every sample against what was recorded."""
    ids, want = [], {}
    for sids, t, v in data.values():
        for c, sid in enumerate(sids[:motors]):
            ids.append(sid)
            want[sid] = (t, v[c])
    with open_history(path, read_only=True) as h:
        r = HistoryReader(h)
        r.read_many(ids[:6], T0, T0 + (seconds + 1) * NS)  # the key map, warm-up
        best = float("inf")
        for _ in range(3):
            w0 = time.perf_counter()
            out = r.read_many(ids, T0, T0 + (seconds + 1) * NS)
            best = min(best, time.perf_counter() - w0)
    n = 0
    for sid, (t, v) in out.items():
        wt, wv = want[sid]
        if not (np.array_equal(t, wt) and np.array_equal(v.view(np.uint32), wv.view(np.uint32))):
            raise AssertionError(f"{sid}: read back differs from what was recorded")
        n += t.size
    return {"read_samples": float(n), "read_s": best, "read_msamples_per_s": n / best / 1e6}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--signals", type=int, default=60_000, help="a multiple of 6 (motors x 6)")
    ap.add_argument("--minutes", type=float, default=15.0)
    ap.add_argument("--read-motors", type=int, default=1000)
    ap.add_argument("--keep", type=Path, help="record into this file and keep it")
    args = ap.parse_args(argv)
    motors = max(1, args.signals // 6)
    seconds = round(args.minutes * 60)
    with tempfile.TemporaryDirectory(prefix="twindeck-storage-") as d:
        tmp = Path(d)
        path = args.keep or tmp / "plant.twinhist"
        print(f"recording {motors * 6:,} signals at 1 Hz for {seconds} s of plant time")
        rec = record(path, motor_plant_file(motors, tmp), seconds)
        pq_bytes = parquet_bytes(rec.data, tmp)
        rd = read_rate(path, rec.data, min(args.read_motors, motors), seconds)
    samples = rec.samples
    live = rec.live_bytes / samples
    closed = rec.closed_bytes / samples
    peak = rec.peak_bytes / samples
    parquet = pq_bytes / samples
    cpu = rec.record_cpu_s / seconds
    print(
        f"{samples / 1e6:.1f} M samples in {rec.wall_s:.0f} s wall (compaction caught up "
        f"{rec.compaction_wait_s:.1f} s later, closed in {rec.close_s:.1f} s)"
    )
    print(
        f"bytes/sample: {live:.2f} recording (file + WAL), {closed:.2f} after close, "
        f"peak {peak:.2f}; Parquet zstd {parquet:.2f} -> ratio {live / parquet:.2f}"
    )
    print(f"recording CPU: {cpu:.3f} s per second of plant time (writer, compactor, retention)")
    print(
        f"read_many of {min(args.read_motors, motors) * 6:,} signals x {seconds} s: "
        f"{rd['read_samples'] / 1e6:.2f} M samples in {rd['read_s'] * 1e3:.0f} ms = "
        f"{rd['read_msamples_per_s']:.1f} M samples/s"
    )
    result = {
        "signals": motors * 6,
        "seconds": seconds,
        "samples": samples,
        "bytes_per_sample": round(live, 3),
        "bytes_per_sample_closed": round(closed, 3),
        "bytes_per_sample_peak": round(peak, 3),
        "parquet_zstd_bytes_per_sample": round(parquet, 3),
        "ratio_vs_parquet_zstd": round(live / parquet, 3),
        "ingest_cpu_per_s": round(cpu, 4),
        "read_msamples_per_s": round(rd["read_msamples_per_s"], 2),
        "read_ms": round(rd["read_s"] * 1e3, 1),
        "wall_s": round(rec.wall_s, 1),
    }
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
