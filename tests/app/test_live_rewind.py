"""Live rewind: drag back into the recording while it goes on, then back to live."""

from __future__ import annotations

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from db.write.recorder import Recorder
from twin.ingest.runtime import PlantRuntime
from twin.timebase import NS_PER_S, now_ns


def test_rewinding_reads_history_while_recording_continues(qtbot, demo_plant, tmp_path) -> None:
    runtime = PlantRuntime.simulated(demo_plant, now_ns() - 30 * NS_PER_S)
    runtime.fast_forward(now_ns())
    recorder = Recorder.open(tmp_path / "h.twinhist", runtime.store.groups, demo_plant)
    live = compose_live(demo_plant, runtime, recording=RecordingStatus(recorder))
    qtbot.addWidget(live.window)
    live.window.show()
    live.start()
    try:
        qtbot.waitUntil(lambda: recorder.state().written_samples > 3_000, timeout=15_000)
        target = now_ns() - 1 * NS_PER_S
        live.window.replay.timeline.seek_requested.emit(target)  # as a drag on the timeline
        assert not live.clock.is_live
        written = recorder.state().written_samples

        def rewound_frame() -> bool:
            frame = live.scheduler.last_frame
            return frame is not None and not frame.live and frame.cursor_ns <= target + NS_PER_S

        qtbot.waitUntil(rewound_frame, timeout=10_000)
        qtbot.waitUntil(lambda: recorder.state().written_samples > written, timeout=10_000)
        live.window.replay.transport.go_live()
        qtbot.waitUntil(lambda: _frame_is_live(live), timeout=5_000)
    finally:
        live.stop()


def _frame_is_live(live) -> bool:
    frame = live.scheduler.last_frame
    return frame is not None and frame.live
