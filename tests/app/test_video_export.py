"""Export replay as video: a recorded range drawn frame by frame into an MP4."""

from __future__ import annotations

import imageio.v3 as iio

from app.compose.replay import Recording, start_replay
from app.compose.startup import build_live_app
from app.export.video import FPS, export_replay_video
from tests.app.incident import MOTOR, RUN_S
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.timebase import NS_PER_S


def test_a_two_second_range_becomes_a_video_of_sixty_frames(
    qtbot, demo_plant, recorded, tmp_path
) -> None:
    path, start = recorded
    clock = PlaybackClock()
    live = build_live_app(
        demo_plant, PlantRuntime(demo_plant, []), clock, size=(1280, 860), replay_from=str(path)
    )
    qtbot.addWidget(live.window)
    live.window.show()
    live.window.selection.select(MOTOR)
    try:
        t0 = start + 60 * NS_PER_S
        start_replay(
            live.replay,
            clock,
            Recording(str(path), demo_plant, start, start + RUN_S * NS_PER_S, t0),
        )
        out = tmp_path / "incident.mp4"
        assert export_replay_video(
            live.window, live.scheduler, live.window.scene_view, t0, t0 + 2 * NS_PER_S, str(out)
        )
        frames = iio.imread(out)
        assert len(frames) == 2 * FPS + 1
        assert frames[0].shape[2] == 3 and frames[0].mean() > 10  # not a black picture
    finally:
        live.stop()
