"""A wall display: --fullscreen, --screen N, View > Windows > Full screen and Move to screen."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from app.cli import parse_args
from app.windows.screens import place_window, screen_numbered

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")


def test_the_flags_are_read_and_a_screen_zero_is_refused(capsys) -> None:
    args = parse_args(["--fullscreen", "--screen", "1"])
    assert args.fullscreen and args.screen == 1
    assert not parse_args([]).fullscreen and parse_args([]).screen is None
    with pytest.raises(SystemExit):
        parse_args(["--screen", "0"])
    assert "numbered from 1" in capsys.readouterr().err


def test_fullscreen_opens_the_window_full_screen_on_the_screen_asked(
    qtbot, make_live_app, demo_plant
) -> None:
    live = make_live_app(demo_plant, after_s=2)
    window = live.window
    place_window(window, fullscreen=True, screen=1)
    window.show()
    qtbot.waitExposed(window)
    screen = QGuiApplication.screens()[0]
    assert window.isFullScreen()
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry(), timeout=5_000)
    assert window.screen() is screen_numbered(1)

    QApplication.setActiveWindow(window)
    qtbot.keyClick(window.scene_view.gl_widget, Qt.Key.Key_F11)  # View > Windows > Full screen
    assert not window.isFullScreen()
    qtbot.keyClick(window.scene_view.gl_widget, Qt.Key.Key_F11)
    assert window.isFullScreen()


def test_a_screen_that_is_not_there_is_named_in_the_error(qtbot, make_live_app, demo_plant) -> None:
    live = make_live_app(demo_plant, after_s=2)
    count = len(QGuiApplication.screens())
    with pytest.raises(ValueError, match=rf"--screen {count + 1}: .* {count} screen"):
        place_window(live.window, fullscreen=False, screen=count + 1)


def test_move_to_screen_lists_every_screen_and_moves_the_window(
    qtbot, make_live_app, demo_plant
) -> None:
    live = make_live_app(demo_plant, after_s=2)
    window = live.window
    window.show()
    qtbot.waitExposed(window)
    windows_menu = window.windows.menu
    windows_menu.aboutToShow.emit()
    move = next(
        a.menu()
        for a in windows_menu.actions()
        if a.text().replace("&", "") == "Move main window to screen"
    )
    assert isinstance(move, QMenu)
    items = move.actions()
    assert len(items) == len(QGuiApplication.screens())
    assert items[0].text().startswith("Screen 1:") and items[0].isChecked()
    window.move(40, 30)
    items[0].trigger()
    area = QGuiApplication.screens()[0].availableGeometry()
    qtbot.waitUntil(lambda: window.frameGeometry().center() == area.center(), timeout=5_000)


def test_the_program_refuses_a_screen_it_does_not_have(recorded) -> None:
    path, _ = recorded
    done = subprocess.run(
        [sys.executable, "-m", "app", "--replay", str(path), "--screen", "9"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "--screen 9: this display has 1 screen(s), numbered 1 to 1" in done.stderr
