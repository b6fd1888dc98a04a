"""Export replay as video: a recorded range drawn frame by frame into an MP4."""

from __future__ import annotations

import imageio.v3 as iio

from app.compose.replay import Recording, compose_replay
from app.export.video import FPS, export_replay_video
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
        assert export_replay_video(
            live.window, live.scheduler, live.window.scene_view, t0, t0 + 2 * NS_PER_S, str(out)
        )
        frames = iio.imread(out)
        assert len(frames) == 2 * FPS + 1
        assert frames[0].shape[2] == 3 and frames[0].mean() > 10  # not a black picture
    finally:
        live.stop()
