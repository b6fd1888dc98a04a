"""README's trainer walkthrough, end to end: replay a recording, bookmark a moment, export
an incident package of a range, open it as another machine would, export a video."""

from __future__ import annotations

import imageio.v3 as iio
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from app.compose.replay import Recording, start_replay
from app.export.package_dialog import QtPackageDialog
from app.export.video import FPS
from app.export.video_dialog import QtVideoDialog
from db.bookmarks import Bookmarks
from db.package import open_package
from db.package_manifest import PackageError
from tests.app.cli import twindeck
from tests.app.dialogs import answer_dialog, menu_action
from tests.app.incident import MOTOR, RUN_S
from twin.timebase import NS_PER_S

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")


def _opened(path):
    try:
        return open_package(path)
    except PackageError:
        return None  # still being written


def test_replay_bookmark_package_open_elsewhere_and_video(qtbot, replay_window, tmp_path) -> None:
    live, path, start = replay_window
    window = live.window
    at = start + 40 * NS_PER_S  # the overload starts here
    start_replay(live, Recording(str(path), live.plant, start, start + RUN_S * NS_PER_S, at))
    live.draw_loaded_frame()
    QApplication.setActiveWindow(window)  # Xvfb has no window manager to do it

    # 1. B names a bookmark at the cursor, in the read-only recording's sidecar.
    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue("overload starts")
        dialog.accept()

    answer_dialog(name_it, QInputDialog)
    qtbot.keyClick(window.scene_view.gl_widget, Qt.Key.Key_B)
    timeline = window.replay.timeline
    qtbot.waitUntil(lambda: timeline.bookmark_at(timeline.x_of(at)) is not None)

    # 2. A range selected on the timeline becomes an incident package.
    t0, t1 = start + 30 * NS_PER_S, start + 90 * NS_PER_S
    timeline.set_selection(t0, t1)
    target = tmp_path / "m07-overload.twinpkg"

    def describe(dialog: QtPackageDialog) -> None:
        assert dialog.range.range_ns() == (t0, t1)
        dialog.title.setText("M07 overload")
        dialog.description.setPlainText("Watch the phase current before the trip.")
        dialog.path.setText(str(target))
        dialog.accept()

    answer_dialog(describe, QtPackageDialog)
    menu_action(window, "Export incident package…").trigger()
    qtbot.waitUntil(lambda: target.exists() and _opened(target) is not None, timeout=60_000)
    package = _opened(target)
    assert package is not None
    with package:
        assert package.manifest.title == "M07 overload"
        assert "phase current" in package.manifest.description
        with package.open_history() as history:
            names = [b.name for b in Bookmarks(history).in_range()]
    assert names == ["overload starts"]

    # 3. Another machine opens it (a fresh process) and shows the motor in alarm.
    shot = tmp_path / "elsewhere.png"
    opened = twindeck(
        "--open", str(target), "--at", "+30", "--select", MOTOR, "--screenshot", str(shot)
    )
    assert opened.returncode == 0, opened.stderr
    assert shot.stat().st_size > 10_000

    # 4. A second of it as a video of the whole window.
    timeline.set_selection(at, at + NS_PER_S)
    video = tmp_path / "overload.mp4"

    def save_as(dialog: QtVideoDialog) -> None:
        dialog.path.setText(str(video))
        dialog.accept()

    answer_dialog(save_as, QtVideoDialog)
    menu_action(window, "Export replay as video…").trigger()
    frames = iio.imread(video)
    assert len(frames) == FPS and frames[0].shape[1] == window.width()
