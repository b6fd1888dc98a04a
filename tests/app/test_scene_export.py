"""Exporting the 3D view: PNG frames and MP4 video of a range of cursor times, with cancel."""

from __future__ import annotations

from pathlib import Path

import imageio.v2
import imageio.v3 as iio
import numpy as np

from app.export.scene_export import export_frames, write_png
from app.scene.qt_scene_view import QtSceneView
from tests.app.pixels import alarm_mask, count
from tests.app.test_scene import T0, _asset, _frame, _look_at, _plant
from twin.plant.model import Plant
from twin.status import State
from twin.timebase import NS_PER_S


def _tiny_scene(make_view) -> tuple[QtSceneView, Plant]:
    plant = _plant(_asset("M1", "motor", keys=["speed"]))
    view = make_view(plant, size=(162, 121))  # odd sides: the video must still encode
    _look_at(view, "M1")
    return view, plant


def test_export_frames_writes_a_png_per_cursor_time(make_view, tmp_path: Path) -> None:
    view, plant = _tiny_scene(make_view)
    drawn: list[int] = []

    def draw_at(t: int) -> None:
        drawn.append(t)
        state = State.ALARM if len(drawn) % 2 else State.NORMAL
        view.update_frame(_frame(plant, {"M1.speed": 1470.0}, state, t))

    times = [T0 + k * NS_PER_S // 10 for k in range(5)]
    progress: list[tuple[int, int]] = []

    def on_progress(done: int, total: int) -> bool:
        progress.append((done, total))
        return True

    out = tmp_path / "frames"
    ok = export_frames(draw_at, view.frame_pixels, times, out, on_progress)
    assert ok and drawn == times
    assert progress[-1] == (5, 5)
    files = sorted(out.glob("frame_*.png"))
    assert len(files) == 5
    first, second = iio.imread(files[0]), iio.imread(files[1])
    assert first.shape == (121, 162, 3)
    assert count(alarm_mask(first)) > 50 and count(alarm_mask(second)) == 0


def test_export_frames_writes_an_mp4_and_a_stop_keeps_what_was_made(
    make_view, tmp_path: Path
) -> None:
    view, plant = _tiny_scene(make_view)

    def draw_at(t: int) -> None:
        view.update_frame(_frame(plant, {"M1.speed": 1470.0}, State.NORMAL, t))

    times = [T0 + k * NS_PER_S // 30 for k in range(7)]
    video = tmp_path / "replay.mp4"
    assert export_frames(draw_at, view.frame_pixels, times, video, fps=30)
    assert len(_video_frames(video)) == 7
    cancelled = tmp_path / "cancelled.mp4"
    assert not export_frames(draw_at, view.frame_pixels, times, cancelled, lambda d, n: d < 3)
    assert len(_video_frames(cancelled)) == 3


def _video_frames(path: Path) -> list[np.ndarray]:
    reader = imageio.v2.get_reader(path, "ffmpeg")
    with reader:
        return [np.asarray(f) for f in reader.iter_data()]


def test_png_writer_round_trips(tmp_path: Path) -> None:
    pixels = np.random.default_rng(3).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    write_png(pixels, tmp_path / "p.png")
    assert np.array_equal(iio.imread(tmp_path / "p.png"), pixels)
