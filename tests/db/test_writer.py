"""HistoryWriter: crash safety (SIGKILL), dropping without blocking, write errors."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from db import HistoryReader, HistoryWriter, open_history
from db.write.sink import ChunkSink
from tests.db.history_helpers import NS, T0, batches, make_group, values_at, wait_until

ROOT = Path(__file__).resolve().parents[2]


def start_recorder(path: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.db.crash_recorder", str(path), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )


def test_sigkill_loses_nothing_that_was_reported_flushed(tmp_path: Path) -> None:
    p = tmp_path / "crash.twinhist"
    proc = start_recorder(p)
    last = None
    try:
        assert proc.stdout is not None
        flushes = 0
        while flushes < 8:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "recorder died"
            if line.startswith("FLUSHED"):
                flushes += 1
                last = int(line.split()[2])
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL and last is not None
    conn = sqlite3.connect(p)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with open_history(p, read_only=True) as h:
        r = HistoryReader(h)
        for c in range(4):
            t, v = r.read(f"crash{c}.sig", T0, last + 1)
            expected = T0 + np.arange((last - T0) // (NS // 1000) + 1) * (NS // 1000)
            np.testing.assert_array_equal(t, expected)
            np.testing.assert_allclose(v, values_at(t, 4)[c].astype(np.float32))
        # The overview of the crashed file covers the same samples (pyramid + raw tail).
        _, vmin, vmax = r.read_decimated("crash3.sig", T0, last + 1, 20)
        t, v = r.read("crash3.sig", T0, last + 1)
        assert vmin.min() == v.min() and vmax.max() == v.max()
    # Recording again into the crashed file: the lock is free and the pyramid catches up.
    with open_history(p) as h:
        g = make_group("crash", 4, 1000.0)
        w = HistoryWriter(h, [g], flush_interval_s=0.05)
        for b in batches(g, 1.0, start=last + NS // 1000):
            assert w.offer(b)
        w.close()
        t, _ = HistoryReader(h).read("crash0.sig", T0, last + 2 * NS)
        assert np.all(np.diff(t) == NS // 1000) and t[-1] == last + NS


def test_disk_full_stops_recording_and_keeps_ingest_running(tmp_path: Path) -> None:
    p = tmp_path / "full.twinhist"
    open_history(p).close()
    proc = start_recorder(p, "--fsize", str(3_000_000))
    try:
        out, err = proc.communicate("", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    stopped = [ln for ln in out.splitlines() if ln.startswith("STOPPED")]
    assert stopped, out[-2000:] + err[-2000:]
    assert "the disk refused a write" in stopped[0] or "disk is full" in stopped[0]
    assert str(p) in stopped[0]
    # What was committed before the failure is intact.
    conn = sqlite3.connect(p)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_offer_never_blocks_and_counts_drops(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    g = make_group("d", 2, 1000.0)
    with open_history(tmp_path / "slow.twinhist") as h:
        w = HistoryWriter(h, [g], queue_size=4, flush_interval_s=0.05)
        entered, gate = threading.Event(), threading.Event()
        orig = w._sink.flush

        def slow_flush(**kw):
            entered.set()
            gate.wait(10)  # a disk that stalls
            return orig(**kw)

        w._sink.flush = slow_flush  # type: ignore[method-assign]
        try:
            bs = batches(g, 2.0, per_batch=10)
            assert w.offer(bs[0])
            assert entered.wait(5)  # the writer thread is now stuck in a flush
            t0 = time.perf_counter()
            taken = [True] + [w.offer(b) for b in bs[1:]]
            elapsed = time.perf_counter() - t0
            assert elapsed < 0.5, "offer blocked"
            dropped = sum(b.v.size for b, ok in zip(bs, taken, strict=True) if not ok)
            assert dropped == (len(bs) - 5) * 20 and w.dropped_samples == dropped
            assert w.state().dropped_samples == dropped and w.state().recording
            assert sum("dropping samples" in r.message for r in caplog.records) == 1  # once
        finally:
            gate.set()
            w.close()
        t, _ = HistoryReader(h).read("d0.sig", T0, T0 + 3 * NS)
        assert len(t) == sum(len(b) for b, ok in zip(bs, taken, strict=True) if ok)


def test_flushes_at_least_once_a_second(tmp_path: Path) -> None:
    g = make_group("f", 1, 10.0)
    flushed: list[int] = []
    with open_history(tmp_path / "f.twinhist") as h:
        w = HistoryWriter(h, [g], on_flush=lambda i: flushed.append(i.samples))
        assert w.offer(batches(g, 1.0)[0])
        assert wait_until(lambda: bool(flushed), timeout=2.5)
        st = w.state()
        assert st.written_samples == 10 and st.bytes_on_disk > 0 and st.last_error is None
        w.close()
        assert not w.offer(batches(g, 1.0, start=T0 + NS)[0])  # closed


def test_read_only_history_refuses_writer(tmp_path: Path) -> None:
    p = tmp_path / "ro.twinhist"
    open_history(p).close()
    with open_history(p, read_only=True) as h, pytest.raises(Exception, match="read-only"):
        HistoryWriter(h, [make_group()])


def test_sink_rejects_non_increasing_times(tmp_path: Path) -> None:
    g = make_group("n", 1, 100.0)
    with open_history(tmp_path / "n.twinhist") as h:
        sink = ChunkSink(h, [g])
        bs = batches(g, 1.0, per_batch=50)
        assert sink.add(bs[1]) == 50
        assert sink.add(bs[0]) == 0 and sink.rejected_samples == 50
        sink.flush(final=True)
