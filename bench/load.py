"""Recording load: 1,000 assets x 8 signals at 10 Hz plus 10 vibration channels at 5 kHz
(130 k samples/s) pushed through HistoryWriter in real time. Prints CPU seconds per wall
second (whole process and the writer thread), peak RSS and samples lost (must be 0), then
one JSON object.

    python -m bench.load [--seconds 60] [--path FILE | --url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from db import HistoryWriter, open_history
from twin.batch import Batch, ChannelGroup

NS = 1_000_000_000
KINDS = (
    "winding_temp",
    "bearing_temp",
    "current_a",
    "current_b",
    "current_c",
    "voltage",
    "speed",
    "energy",
)


def groups(assets: int, vib_channels: int) -> list[ChannelGroup]:
    # A source samples one quantity of every motor together: one group per signal kind.
    out = [ChannelGroup(k, tuple(f"motor{a:05d}.{k}" for a in range(assets)), 10.0) for k in KINDS]
    out.append(
        ChannelGroup("vib", tuple(f"press{c:02d}.accel" for c in range(vib_channels)), 5000.0)
    )
    return out


def thread_cpu_s(native_id: int | None) -> float | None:
    """CPU seconds of one thread (Linux /proc), or None elsewhere."""
    if native_id is None:
        return None
    try:
        fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run(target: str, seconds: float, assets: int, vib_channels: int) -> dict[str, float | None]:
    gs = groups(assets, vib_channels)
    rng = np.random.default_rng(7)
    slow_vals = rng.normal(50, 5, (assets, 64)).astype(np.float64)  # reused, cheap to make
    vib_vals = rng.normal(0, 1, (vib_channels, 100 * 64))
    h = open_history(target)
    w = HistoryWriter(h, gs)
    writer_tid = w._thread.native_id
    offered = 0
    tick = 0.02  # 20 ms: one vibration batch of 100 samples, slow groups every 5th tick
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    start_ns = time.time_ns()
    wcpu0 = thread_cpu_s(writer_tid)
    i = 0
    while True:
        due = start_wall + i * tick
        now = time.perf_counter()
        if now - start_wall >= seconds:
            break
        if due > now:
            time.sleep(due - now)
        t_vib = start_ns + (i * 100 + np.arange(100, dtype=np.int64)) * (NS // 5000)
        j = (i * 100) % vib_vals.shape[1]
        b = Batch("vib", t_vib, vib_vals[:, j : j + 100])
        offered += b.v.size
        w.offer(b)
        if i % 5 == 0:
            t_slow = np.array([start_ns + (i // 5) * (NS // 10)], dtype=np.int64)
            col = slow_vals[:, (i // 5) % 64 : (i // 5) % 64 + 1]
            for g in gs[:-1]:
                b = Batch(g.key, t_slow, col)
                offered += b.v.size
                w.offer(b)
        i += 1
    wall = time.perf_counter() - start_wall
    cpu = time.process_time() - start_cpu
    wcpu1 = thread_cpu_s(writer_tid)
    t_close = time.perf_counter()
    w.close()
    close_s = time.perf_counter() - t_close
    st = w.state()
    h.close()  # checkpoints the WAL into the file
    size = h.size_bytes()
    return {
        "seconds": wall,
        "offered_samples": offered,
        "written_samples": st.written_samples,
        # Anything offered and not written: queue drops, rejections, a write error.
        "samples_lost": offered - st.written_samples,
        "cpu_per_wall": cpu / wall,
        "writer_cpu_per_wall": None if wcpu0 is None or wcpu1 is None else (wcpu1 - wcpu0) / wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes_per_sample": size / max(st.written_samples, 1),
        "close_s": close_s,
        "last_error": st.last_error,  # type: ignore[dict-item]
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--assets", type=int, default=1000)
    ap.add_argument("--vib", type=int, default=10)
    ap.add_argument("--url", help="history URL or path (default: a temp SQLite file)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="twindeck-load-") as d:
        target = args.url or str(Path(d) / "load.twinhist")
        r = run(target, args.seconds, args.assets, args.vib)
    rate = r["written_samples"] / r["seconds"]  # type: ignore[operator]
    print(
        f"recorded {r['written_samples']:,} samples in {r['seconds']:.1f} s "
        f"({rate / 1e3:.1f} k samples/s), closed in {r['close_s']:.2f} s"
    )
    wc = r["writer_cpu_per_wall"]
    print(
        f"CPU: {r['cpu_per_wall']:.3f} s per wall second (process, incl. the generator); "
        f"writer thread {'n/a' if wc is None else f'{wc:.3f}'}"
    )
    print(
        f"peak RSS {r['peak_rss_mb']:.0f} MB; {r['bytes_per_sample']:.2f} bytes/sample on disk; "
        f"samples lost: {r['samples_lost']}; last error: {r['last_error']}"
    )
    print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
