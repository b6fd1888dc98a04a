"""Incident packages from the window, opened in a fresh process as another machine would."""

from __future__ import annotations

import subprocess
import sys

from app.compose.replay import Recording, compose_replay
from tests.app.incident import MOTOR, RUN_S
from tests.app.pixels import alarm_mask, count
from tests.app.test_cli import _pixels
from twin.clock import PlaybackClock
from twin.timebase import NS_PER_S


def _twindeck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_package_of_the_incident_replays_elsewhere_with_view_and_alarm(
    qtbot,
    demo_plant,
    recorded,
    tmp_path,
) -> None:
    path, start = recorded
    end = start + RUN_S * NS_PER_S
    live = compose_replay(Recording(str(path), demo_plant, start, end, start), PlaybackClock())
    qtbot.addWidget(live.window)
    live.window.set_history(str(path))
    target = tmp_path / "m07.twinpkg"
    t0, t1 = start + 60 * NS_PER_S, start + RUN_S * NS_PER_S
    views = [live.window.scene_view.camera_view("overview")]
    job = live.window.export.package(t0, t1, target, views, "M07 overload")
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=60_000) as done:
        pass
    live.stop()
    assert done.args == [True, str(target)]

    shot = tmp_path / "opened.png"
    result = _twindeck(
        "--open", str(target), "--at", "+30", "--screenshot", str(shot), "--select", MOTOR
    )
    assert result.returncode == 0, result.stderr
    assert count(alarm_mask(_pixels(shot))) > 30  # 90 s into the run: M07 in alarm


def test_a_file_that_is_not_a_package_is_refused(tmp_path) -> None:
    fake = tmp_path / "notes.twinpkg"
    fake.write_text("shift notes, not a package", encoding="utf-8")
    result = _twindeck("--open", str(fake))
    assert result.returncode == 2
    assert "notes.twinpkg" in result.stderr and "Traceback" not in result.stderr


def test_the_package_dialog_names_its_file_twinpkg(qtbot) -> None:
    from app.export.package_dialog import QtPackageDialog

    dialog = QtPackageDialog((0, 10 * NS_PER_S), (NS_PER_S, 2 * NS_PER_S))
    qtbot.addWidget(dialog)
    dialog.path.setText("/tmp/night-shift")
    assert dialog.target().name == "night-shift.twinpkg"
    assert dialog.range.range_ns() == (NS_PER_S, 2 * NS_PER_S)  # the timeline's selection
