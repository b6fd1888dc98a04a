"""Recording while live: on by default, shown in the status bar, safe against kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from db import HistoryReader, open_history
from db.write.recorder import Recorder
from twin.ingest.runtime import PlantRuntime
from twin.timebase import now_ns


@pytest.fixture
def recording_app(qtbot, demo_plant, tmp_path):
    runtime = PlantRuntime.simulated(demo_plant, now_ns())
    recorder = Recorder.open(tmp_path / "live.twinhist", runtime.store.groups, demo_plant)
    live = compose_live(demo_plant, runtime, recording=RecordingStatus(recorder=recorder))
    qtbot.addWidget(live.window)
    yield live
    live.stop()


def test_live_data_is_recorded_and_the_status_bar_says_so(qtbot, recording_app, tmp_path) -> None:
    live = recording_app
    live.window.show()
    live.start()
    recorder = live.recording.recorder
    qtbot.waitUntil(lambda: recorder.state().written_samples > 2_000, timeout=10_000)
    qtbot.waitUntil(lambda: "REC" in live.window.status.record_label.text(), timeout=3_000)
    live.stop()  # flushes everything the ingest thread stored
    t_live, v_live = live.runtime.store.snapshot("M07.current", 10_000)
    with open_history(tmp_path / "live.twinhist", read_only=True) as history:
        t_rec, v_rec = HistoryReader(history).read(
            "M07.current", int(t_live[0]), int(t_live[-1]) + 1
        )
    np.testing.assert_array_equal(t_rec, t_live)
    np.testing.assert_array_equal(v_rec, v_live)


def test_a_failing_history_stops_recording_visibly_and_live_goes_on(qtbot, recording_app) -> None:
    live = recording_app
    live.window.show()
    live.start()
    recorder = live.recording.recorder
    qtbot.waitUntil(lambda: recorder.state().written_samples > 0, timeout=10_000)
    recorder.history.engine.dispose()
    recorder.history.engine.pool._creator = _refuse  # every new connection now fails
    qtbot.waitUntil(lambda: not recorder.state().recording, timeout=10_000)
    qtbot.waitUntil(
        lambda: "Not recording" in live.window.status.record_label.text(), timeout=3_000
    )
    frames = live.scheduler.frames
    samples = live.runtime.ingestor.samples_in
    qtbot.waitUntil(lambda: live.scheduler.frames > frames + 3, timeout=5_000)
    qtbot.waitUntil(lambda: live.runtime.ingestor.samples_in > samples, timeout=5_000)


def _refuse(*_args: object) -> None:
    raise sqlite3.OperationalError("disk I/O error")


def test_a_named_history_that_is_not_ours_is_refused_and_left_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER)")
    before = foreign.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(foreign)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert str(foreign) in result.stderr and "Traceback" not in result.stderr
    assert foreign.read_bytes() == before


def test_killed_while_recording_the_default_history_is_intact(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--fps", "5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    path = tmp_path / "data" / "TwinDeck" / "history" / "demo_workshop.twinhist"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _recorded_until(path) < 3.0:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.2)  # polling another process's file: no Qt event to wait on
        killed_at = time.time_ns()
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_history(path, read_only=True) as history:
        recorded = HistoryReader(history).time_range()
    assert recorded is not None
    _first, last = recorded
    assert (killed_at - last) / 1e9 < 2.5  # at most about a flush interval lost


def _recorded_until(path: Path) -> float:
    """Seconds of data the history at ``path`` holds so far (0 while it has none)."""
    if not path.exists():
        return 0.0
    try:
        with open_history(path, read_only=True) as history:
            span = HistoryReader(history).time_range()
    except Exception:
        return 0.0
    return 0.0 if span is None else (span[1] - span[0]) / 1e9
