"""Replay in lockstep: 3D colours, plots and values all show the moment at the cursor."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.compose.replay import Recording, start_replay
from tests.app.incident import MOTOR, RUN_S
from tests.app.pixels import alarm_mask, box, count, normal_mask
from tests.app.test_main_window import _motor_screen_pos
from twin.timebase import NS_PER_S


@pytest.fixture
def replay(replay_window):
    live, _, start = replay_window
    return live, start


def _show_moment(qtbot, live, start: int, seconds: float) -> int:
    t = start + int(seconds * NS_PER_S)
    start_replay(live, Recording("", live.plant, start, start + RUN_S * NS_PER_S, t))

    def drawn() -> bool:
        live.scheduler.tick()
        frame = live.scheduler.last_frame
        return frame is not None and frame.cursor_ns == t

    qtbot.waitUntil(drawn, timeout=10_000)
    return t


def _state_of(live, name: str) -> str:
    table = live.window.values
    rows = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    return rows[name]


def test_seeking_after_and_before_the_fault_changes_every_view_together(qtbot, replay) -> None:
    live, start = replay
    current = live.plant.asset(MOTOR).signal("current").name

    t = _show_moment(qtbot, live, start, 100)
    near = box(live.window.scene_view.frame_pixels(), _motor_screen_pos(live), 25)
    assert count(alarm_mask(near)) > 15
    assert _state_of(live, current) == "alarm"
    x_range = live.window.plots.graphics.getItem(0, 0).viewRange()[0]
    assert x_range[1] == pytest.approx(t / NS_PER_S, abs=1e-3)  # plots end at the cursor
    xs, _ = live.window.plots.curves[f"{MOTOR}.current"].getData()
    assert xs[-1] <= t / NS_PER_S + 1e-6  # float seconds: allow the last bit of rounding

    _show_moment(qtbot, live, start, 20)
    near = box(live.window.scene_view.frame_pixels(), _motor_screen_pos(live), 25)
    assert count(alarm_mask(near)) == 0
    assert count(normal_mask(near)) > 30
    assert _state_of(live, current) == "normal"
    assert live.window.status.clock_label.text() != ""


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")
def test_space_plays_the_replay_forward(qtbot, replay) -> None:
    live, start = replay
    _show_moment(qtbot, live, start, 30)
    QApplication.setActiveWindow(live.window)  # Xvfb has no window manager to do it
    view = live.window.scene_view.gl_widget  # keys reach the window's shortcuts from any view
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert live.clock.playing
    before = live.clock.now()
    qtbot.waitUntil(lambda: live.clock.now() > before, timeout=3_000)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not live.clock.playing


def _twindeck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_replay_screenshot_at_a_time_renders_that_moment(recorded, tmp_path) -> None:
    from tests.app.test_cli import _pixels

    path, _ = recorded
    after, before = tmp_path / "after.png", tmp_path / "before.png"
    for out, at in ((after, "+100"), (before, "+20")):
        result = _twindeck(
            "--replay", str(path), "--at", at, "--screenshot", str(out), "--select", MOTOR
        )
        assert result.returncode == 0, result.stderr
    # The timeline's alarm markers are red in both pictures; the motor only in the later.
    assert count(alarm_mask(_pixels(after))) - count(alarm_mask(_pixels(before))) > 20


def test_replay_of_a_missing_file_or_a_bad_time_is_a_clear_error(recorded, tmp_path) -> None:
    missing = _twindeck("--replay", str(tmp_path / "nope.twinhist"))
    assert missing.returncode == 2 and "nope.twinhist" in missing.stderr
    assert not (tmp_path / "nope.twinhist").exists()
    bad_time = _twindeck("--replay", str(recorded[0]), "--at", "yesterday-ish")
    assert bad_time.returncode == 2 and "yesterday-ish" in bad_time.stderr
    assert "Traceback" not in missing.stderr + bad_time.stderr
