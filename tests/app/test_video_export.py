"""Export replay as video: a recorded range drawn frame by frame into an MP4."""

from __future__ import annotations

import imageio.v3 as iio
from PySide6.QtCore import QPoint

from app.compose.replay import Recording, compose_replay, start_replay
from app.export.video import FPS, export_replay_video
from app.export.video_dialog import QtVideoDialog
from tests.app.dialogs import answer_dialog, menu_action
from tests.app.incident import MOTOR, RUN_S
from twin.clock import PlaybackClock
from twin.timebase import NS_PER_S


def test_a_two_second_range_becomes_a_video_of_sixty_frames(
    qtbot, demo_plant, recorded, tmp_path
) -> None:
    path, start = recorded
    clock = PlaybackClock()
    t0 = start + 60 * NS_PER_S
    recording = Recording(str(path), demo_plant, start, start + RUN_S * NS_PER_S, t0)
    live = compose_replay(recording, clock, size=(1280, 860))
    qtbot.addWidget(live.window)
    live.window.show()
    live.window.selection.select(MOTOR)
    try:
        out = tmp_path / "incident.mp4"
        assert export_replay_video(live.window, live.scheduler, t0, t0 + 2 * NS_PER_S, str(out))
        frames = iio.imread(out)
        assert len(frames) == 2 * FPS
        assert frames[0].shape[2] == 3 and frames[0].mean() > 10  # not a black picture
    finally:
        live.stop()


def test_the_file_menu_exports_the_selected_range_as_the_whole_window_with_time(
    qtbot, replay_window, tmp_path
) -> None:
    live, _path, start = replay_window
    t0 = start + 60 * NS_PER_S
    live.window.resize(1280, 860)
    start_replay(live, Recording("", live.plant, start, start + RUN_S * NS_PER_S, t0))
    live.draw_loaded_frame()
    live.window.replay.timeline.set_selection(t0, t0 + NS_PER_S)  # as a Shift-drag does
    out = tmp_path / "clip.mp4"
    seen: dict[str, object] = {}

    def fill_in(dialog: QtVideoDialog) -> None:
        seen["choice"] = dialog.range.combo.currentText()
        seen["range"] = dialog.range.range_ns()
        seen["shown"] = dialog.range.start.dateTime().toMSecsSinceEpoch()
        dialog.path.setText(str(out))
        dialog.accept()

    answer_dialog(fill_in, QtVideoDialog)
    menu_action(live.window, "Export replay as video…").trigger()
    assert seen["choice"] == "Selected on the timeline"
    assert seen["range"] == (t0, t0 + NS_PER_S)
    assert seen["shown"] == t0 // 1_000_000  # the edits show the selection, not the recording
    frames = iio.imread(out)
    assert len(frames) == FPS
    window = live.window
    assert frames[0].shape[:2] == (window.height() - window.height() % 2, window.width())
    # The time stamp: light text on a dark box at the top right of the 3D view.
    view = window.scene_view
    right = view.mapTo(window, QPoint(view.width(), 0)).x()
    corner = frames[0][: window.height() // 3, right - 300 : right].astype(int)
    assert (corner.min(axis=2) > 200).sum() > 100
