"""Staging and compaction: readers see every sample exactly once while compaction runs
(SQLite and PostgreSQL), a process killed during compaction loses and doubles nothing, and
a plant of 1 Hz signals costs at most 5 bytes a sample on disk."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from db import ChunkSink, History, HistoryReader, HistoryWriter, open_history
from db.staging import window_ns
from db.write.compactor import SliceInfo, compact
from tests.db.crash_compactor import CHANNELS
from tests.db.history_helpers import NS, T0, batches, make_group, values_at
from twin.plant.loader import load_plant
from twin.sources.sim import Simulator

ROOT = Path(__file__).resolve().parents[2]


def count(h: History, table: str) -> int:
    with h.raw() as conn:
        cur = conn.cursor()
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        return int(cur.fetchone()[0])


def test_readers_see_every_sample_once_while_compaction_runs(history_url: str) -> None:
    g = make_group("cr", 120, 1.0)
    seconds = 1800
    win = window_ns(1.0)
    windows = len({int(t) - int(t) % win for t in T0 + np.arange(seconds) * NS})
    t_all = T0 + np.arange(seconds, dtype=np.int64) * NS
    v_all = values_at(t_all, g.channels).astype(np.float32)
    with open_history(history_url) as h:
        sink = ChunkSink(h, [g])
        for b in batches(g, seconds, per_batch=5):
            sink.add(b)
            sink.flush()  # one staged row per 5 s flush
        sink.flush(final=True)
        assert count(h, "staged") == seconds // 5 and count(h, "chunks") == 0

        errors: list[BaseException] = []
        reads = [0, 0]  # all reads, reads that finished while compaction ran
        compacting = threading.Event()
        stop = threading.Event()

        def read_loop() -> None:
            r = HistoryReader(h)
            rnd = random.Random(5)
            while not stop.is_set():
                try:
                    a = rnd.randrange(-10, seconds)
                    b = rnd.randrange(a + 1, seconds + 20)
                    lo, hi = max(a, 0), min(b, seconds)
                    out = r.read_many(g.signal_ids, T0 + a * NS, T0 + b * NS)
                    for c, sid in enumerate(g.signal_ids):
                        t, v = out[sid]
                        np.testing.assert_array_equal(t, t_all[lo:hi])
                        np.testing.assert_array_equal(v, v_all[c, lo:hi])
                    sid = rnd.choice(g.signal_ids)
                    assert r.coverage(sid) == [(T0, int(t_all[-1]))]
                    reads[0] += 1
                    reads[1] += compacting.is_set()
                except BaseException as exc:
                    errors.append(exc)
                    return

        reader = threading.Thread(target=read_loop, name="twindeck-test-reader")
        reader.start()
        slices: list[SliceInfo] = []

        def on_slice(info: SliceInfo) -> None:
            slices.append(info)
            time.sleep(0.01)  # give the reader room between transactions

        try:
            while reads[0] < 2 and not errors:
                time.sleep(0.01)
            compacting.set()
            res = compact(h, force=True, slice_channels=7, on_slice=on_slice)
            compacting.clear()
            deadline = time.monotonic() + 5
            while reads[0] < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            stop.set()
            reader.join()
        assert not errors, errors[0]
        assert windows >= 3 and res.windows == windows and res.samples == seconds * g.channels
        assert len(slices) == windows * 18 and sum(s.last for s in slices) == windows
        assert reads[1] >= 5, reads
        assert count(h, "staged") == 0 and count(h, "stage_progress") == 0
        assert count(h, "chunks") == windows * g.channels  # one chunk per signal per window
        out = HistoryReader(h).read_many(g.signal_ids, T0, T0 + seconds * NS)
        for c, sid in enumerate(g.signal_ids):
            np.testing.assert_array_equal(out[sid][1], v_all[c])
        assert compact(h, force=True).windows == 0  # nothing left


def start(path: Path, start_s: int, seconds: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.db.crash_compactor", str(path), str(start_s), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )


def run_until_killed(path: Path, start_s: int, seconds: int, delay_s: float) -> int:
    """Record in a subprocess, SIGKILL it ``delay_s`` after a compaction slice of this run's
    data that is not a window's last committed; returns the last flushed sample time it
    reported."""
    first_window = T0 + start_s * NS - window_ns(1.0)
    proc = start(path, start_s, seconds)
    last = -1
    try:
        assert proc.stdout is not None
        while True:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "the recorder died"
            assert not line.startswith("STOPPED"), line
            if line.startswith("FLUSHED"):
                last = int(line.split()[1])
            elif line.startswith("SLICE") and line.split()[3] == "0":
                if int(line.split()[1]) <= first_window:
                    continue  # an earlier run's window, finished at start
                time.sleep(delay_s)
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return last


def check_exactly_once(path: Path, runs: list[tuple[int, int, int]]) -> None:
    """Every channel holds, per run (start s, seconds, last flushed t), a gapless prefix of
    that run's samples reaching at least what was reported flushed, each exactly once."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    g = make_group("cc", CHANNELS, 1.0)
    with open_history(path, read_only=True) as h:
        out = HistoryReader(h).read_many(g.signal_ids, T0, T0 + 100_000 * NS)
    t = out[g.signal_ids[0]][0]
    total = 0
    for start_s, seconds, flushed in runs:
        sel = t[(t >= T0 + start_s * NS) & (t < T0 + (start_s + seconds) * NS)]
        np.testing.assert_array_equal(sel, T0 + (start_s + np.arange(sel.size)) * NS)
        assert sel.size and sel[-1] >= flushed
        total += sel.size
    assert t.size == total
    want = values_at(t, CHANNELS).astype(np.float32)
    for c, sid in enumerate(g.signal_ids):
        np.testing.assert_array_equal(out[sid][0], t)
        np.testing.assert_array_equal(out[sid][1], want[c])


def test_sigkill_during_compaction_loses_and_doubles_nothing(tmp_path: Path) -> None:
    p = tmp_path / "compact.twinhist"
    runs: list[tuple[int, int, int]] = []
    # Killed right after a committed slice: the window is half compacted, its progress
    # row says so, and its staged rows are all still there.
    runs.append((0, 3000, run_until_killed(p, 0, 3000, 0.0)))
    with open_history(p, read_only=True) as h:
        assert count(h, "stage_progress") >= 1 and count(h, "chunks") > 0
    check_exactly_once(p, runs)
    # Killed at some moment during the next slice (encoding it, inserting, committing).
    runs.append((5000, 3000, run_until_killed(p, 5000, 3000, random.uniform(0.0, 0.05))))
    check_exactly_once(p, runs)
    # Opened again, the remaining staged rows are compacted and nothing has changed.
    with open_history(p) as h:
        compact(h, force=True)
        assert count(h, "staged") == 0 and count(h, "stage_progress") == 0
    check_exactly_once(p, runs)


def motor_plant(motors: int, folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_plant", ROOT / "scripts" / "make_plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = folder / "motors.toml"
    path.write_text(module.plant_toml(motors), encoding="utf-8")
    return path


def test_a_plant_of_1hz_signals_costs_at_most_5_bytes_a_sample(tmp_path: Path) -> None:
    """3,000 simulated motor signals at 1 Hz for 10 minutes, one flush per second through
    the writer and its compactor (bench/storage.py measures the full plant)."""
    sim = Simulator(load_plant(motor_plant(500, tmp_path)), start_ns=T0)
    path = tmp_path / "plant.twinhist"
    offered = 0
    with open_history(path) as h:
        w = HistoryWriter(h, sim.groups(), flush_interval_s=0.002)
        for s in range(1, 601):
            for b in sim.advance(T0 + s * NS):
                offered += b.v.size
                assert w.offer(b)
            while w.state().written_samples < offered:  # one flush per simulated second
                time.sleep(0.0005)
        w.close()
        assert w.last_error is None and offered == 3000 * 600
        assert count(h, "chunks") >= 3000  # compacted as it went
    size = sum(os.path.getsize(f) for f in (path, Path(f"{path}-wal")) if f.exists())
    assert size / offered <= 5.0, size / offered
