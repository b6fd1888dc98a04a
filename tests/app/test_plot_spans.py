"""Plot spans from 10 s to 24 h: zoom keys, overviews read from the recording with every
peak kept, in replay and live beyond what the live store holds."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from app.compose.replay import Recording, start_replay
from app.frame.builder import OVERVIEW_BINS
from app.spans import SPANS_S, parse_span
from db import HistoryReader, open_history
from db.write.recorder import Recorder
from tests.app.incident import MOTOR, RUN_S
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.timebase import NS_PER_S, now_ns

CURRENT = f"{MOTOR}.current"


@pytest.fixture
def replay(replay_window):
    return replay_window


def _drawn_at(qtbot, live, t: int) -> None:
    """Tick until a new frame at ``t`` is drawn."""
    before = live.scheduler.frames

    def drawn() -> bool:
        live.scheduler.tick()
        frame = live.scheduler.last_frame
        return live.scheduler.frames > before and frame is not None and frame.cursor_ns == t

    qtbot.waitUntil(drawn, timeout=10_000)


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")
def test_zoom_keys_step_through_the_spans(qtbot, replay) -> None:
    live, _, _ = replay
    plots = live.window.plots
    QApplication.setActiveWindow(live.window)  # Xvfb has no window manager to do it
    view = live.window.scene_view.gl_widget
    for _ in range(len(SPANS_S)):
        qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert plots.span_s == SPANS_S[-1] == 24 * 3600
    assert plots._span.currentText() == "Last 24 h"
    assert live.scheduler.builder.span_ns == 24 * 3600 * NS_PER_S
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert plots.span_s == 8 * 3600


def test_replayed_plots_show_the_whole_span_with_its_peaks(qtbot, replay) -> None:
    live, path, start = replay
    live.window.plots.set_span_s(3600)
    t = start + (RUN_S - 5) * NS_PER_S
    start_replay(live, Recording(str(path), live.plant, start, t, t))
    _drawn_at(qtbot, live, t)
    frame = live.scheduler.last_frame
    assert set(frame.plots.signal_ids) == set(live.window.plots.plotted)
    xs, ys = live.window.plots.curves[CURRENT].getData()
    with open_history(path, read_only=True) as h:
        raw_t, raw_v = HistoryReader(h).read(CURRENT, start, t + 1)
    near = 3600 / OVERVIEW_BINS + 1.0  # a bin, from 1 s pyramid buckets: +/- 1 s
    assert xs[0] == pytest.approx(raw_t[0] / NS_PER_S, abs=near)  # the whole recording
    assert xs[-1] <= t / NS_PER_S
    assert np.nanmax(ys) == float(raw_v.max())  # the overload's peak, exactly
    assert np.nanmin(ys) == float(raw_v.min())

    live.window.selection.select("M01")  # other signals: another overview, never the old one
    _drawn_at(qtbot, live, t)
    frame = live.scheduler.last_frame
    assert set(frame.plots.signal_ids) == set(live.window.plots.plotted)
    assert CURRENT not in frame.plots


def test_live_plots_beyond_the_live_buffer_read_the_recording(qtbot, demo_plant, tmp_path):
    end = now_ns()
    runtime = PlantRuntime.simulated(demo_plant, end - 90 * NS_PER_S, retention_s=30.0)
    recorder = Recorder.open(tmp_path / "h.twinhist", runtime.store.groups, demo_plant)
    live = compose_live(
        demo_plant, runtime, PlaybackClock(wall=lambda: end), recording=RecordingStatus(recorder)
    )
    qtbot.addWidget(live.window)
    try:
        runtime.fast_forward(end)  # 90 s recorded; the live store keeps the last 30 s
        live.window.show()
        live.window.selection.select(MOTOR)
        plots = live.window.plots
        live.scheduler.tick()
        xs, _ = plots.curves[CURRENT].getData()
        assert xs[0] >= (end - 31 * NS_PER_S) / NS_PER_S  # 2 min span, from the live store

        plots.set_span_s(600)

        def from_history() -> bool:
            live.scheduler.tick()
            frame = live.scheduler.last_frame
            xs, _ = plots.curves[CURRENT].getData()
            return (
                frame is not None
                and frame.live
                and frame.plots is not runtime.store
                and xs is not None
                and (xs[0] <= (end - 80 * NS_PER_S) / NS_PER_S)
            )

        qtbot.waitUntil(from_history, timeout=10_000)
    finally:
        live.stop()


def test_spans_on_the_command_line() -> None:
    assert [parse_span(t) for t in ("10s", "30", "2min", "10 min", "1h", "8H", "24h")] == list(
        SPANS_S
    )
    with pytest.raises(ValueError, match=r"'3h' is not a plot span; use one of 10s, .*24h"):
        parse_span("3h")
