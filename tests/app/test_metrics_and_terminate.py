"""``--metrics`` and SIGTERM, as a service manager or a benchmark uses them on the real
program: figures while it runs, a clean stop that keeps every sample it took in."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from db import HistoryReader, open_history


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def _recorded_samples(path: Path) -> int:
    with open_history(path, read_only=True) as history:
        reader = HistoryReader(history)
        span = reader.time_range()
        assert span is not None
        series = reader.read_many(reader.signal_ids(), span[0], span[1] + 1)
        return sum(times.size for times, _ in series.values())


def test_sigterm_stops_cleanly_and_every_sample_taken_in_is_recorded(
    qtbot: QtBot, tmp_path: Path
) -> None:
    metrics, db = tmp_path / "figures.jsonl", tmp_path / "demo.twinhist"
    app = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), "--metrics", str(metrics)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(
            lambda: any(
                line["event"] == "tick" and line.get("written_samples", 0) > 0
                for line in _lines(metrics)
            ),
            timeout=90_000,
        )
        app.send_signal(signal.SIGTERM)
        _, stderr = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, stderr
    lines = _lines(metrics)
    events = [line["event"] for line in lines]
    assert events[0] == "first_frame" and events[-1] == "stopped"
    assert 0 < lines[0]["age_s"] < 60
    ticks = [line["frames"] for line in lines if line["event"] == "tick"]
    assert ticks == sorted(ticks) and ticks[-1] > 0
    final = lines[-1]
    assert final["dropped_samples"] == 0 and final["rejected_samples"] == 0
    assert final["samples_in"] > 0
    assert _recorded_samples(db) == final["samples_in"] == final["written_samples"]
