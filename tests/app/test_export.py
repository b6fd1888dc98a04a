"""Exporting recorded data from the window: the dialog, progress, cancel, the file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from app.export.dialog import QtExportDialog
from app.export.job import ExportRequest
from db import HistoryReader, open_history
from db.write.recorder import Recorder
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.timebase import now_ns, seconds_to_ns


@pytest.fixture
def recorded(qtbot, demo_plant, tmp_path):
    """A window whose history holds 60 s of the demo plant, flushed to disk."""
    end = now_ns()
    runtime = PlantRuntime.simulated(demo_plant, end - seconds_to_ns(60))
    recorder = Recorder.open(tmp_path / "rec.twinhist", runtime.store.groups, demo_plant)
    live = compose_live(
        demo_plant,
        runtime,
        clock=PlaybackClock(wall=lambda: end),
        recording=RecordingStatus(recorder),
    )
    qtbot.addWidget(live.window)
    runtime.fast_forward(end)
    qtbot.waitUntil(lambda: recorder.state().queue_depth == 0, timeout=10_000)
    recorder.writer.close()  # everything on disk; the window keeps its history path
    yield live
    live.stop()


def _request(live, path: Path, signal_ids: tuple[str, ...]) -> ExportRequest:
    with open_history(live.window.export.history, read_only=True) as history:
        recorded = HistoryReader(history).time_range()
    assert recorded is not None
    t0, t1 = recorded
    return ExportRequest(live.window.export.history, signal_ids, t0, t1 + 1, path)


def test_export_writes_every_recorded_sample_of_the_chosen_signals(
    qtbot, recorded, tmp_path
) -> None:
    out = tmp_path / "m07.csv"
    job = recorded.window.export.start(_request(recorded, out, ("M07.current", "M07.winding_temp")))
    with qtbot.waitSignal(job.finished, timeout=20_000) as done:
        pass
    assert done.args == [True, str(out)]
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    counts = {
        sid: sum(r["signal_id"] == sid for r in rows) for sid in ("M07.current", "M07.winding_temp")
    }
    assert counts == {"M07.current": 600, "M07.winding_temp": 60}  # 60 s at 10 Hz and 1 Hz
    assert not out.with_name(out.name + ".partial").exists()


def test_a_cancelled_export_leaves_no_file(qtbot, recorded, tmp_path) -> None:
    out = tmp_path / "all.csv"
    every_signal = tuple(s.id for s in recorded.plant.signals)
    job = recorded.window.export.start(_request(recorded, out, every_signal))
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=20_000) as done:
        pass
    assert done.args == [False, "cancelled"]
    assert not out.exists() and not out.with_name(out.name + ".partial").exists()


def test_the_dialog_defaults_to_the_selected_asset_and_the_whole_recording(qtbot, recorded) -> None:
    window = recorded.window
    window.selection.select("L01")
    seen = {}

    def fill_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QtExportDialog)
        dialog.range.choose(None)  # whole recording
        seen["request"] = dialog.request()
        dialog.reject()  # the request is checked; the export itself is tested above

    QTimer.singleShot(0, fill_and_accept)
    window.export.ask_and_export("L01")
    request = seen["request"]
    assert request.signal_ids == tuple(s.id for s in recorded.plant.asset("L01").signals)
    with open_history(window.export.history, read_only=True) as history:
        recorded = HistoryReader(history).time_range()
    assert recorded is not None
    t0, t1 = recorded
    assert (request.t0, request.t1) == (t0, t1 + 1)
