"""An incident package as the trainee opens it: the trainer's notes typed into the export
dialog are in front of them, and the replay starts at the package's first data, not at the
start of its range with every asset violet ("no data")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QMessageBox

from app.compose.package import QtIncidentNotes, compose_package, open_package_inputs
from app.compose.parts import Session
from app.compose.replay import Recording, compose_replay, open_recording_for_replay, start_replay
from app.export.package_dialog import QtPackageDialog
from app.views.main_window import QtMainWindow
from db import open_history
from db.catalog import recorded_plant_toml
from db.package import export_package
from tests.app.dialogs import answer_dialog
from tests.app.pixels import count, normal_mask
from twin.timebase import NS_PER_S

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")

NOTES = ("Watch M07's current from 40 s in.", "Why did the alarm come so late?")


def violet_mask(pixels: np.ndarray) -> np.ndarray:
    """The no-data violet of bodies (138, 111, 179) and markers (176, 140, 230), shaded."""
    p = pixels.astype(np.int32)
    r, g, b = p[..., 0], p[..., 1], p[..., 2]
    return (b > r) & (r > g) & (b - g >= 45) & (r - g >= 15)


@pytest.fixture
def shown(qtbot) -> Iterator[list[Session]]:
    """Sessions made by a test, stopped after it."""
    made: list[Session] = []
    yield made
    for session in made:
        session.stop()


def _show(qtbot, shown: list[Session], session: Session) -> Session:
    shown.append(session)
    qtbot.addWidget(session.window)
    session.window.show()
    qtbot.waitExposed(session.window)
    QApplication.setActiveWindow(session.window)  # Xvfb has no window manager to do it
    return session


def _drawn_at(qtbot, session: Session, t: int) -> np.ndarray:
    def drawn() -> bool:
        session.draw_loaded_frame()
        frame = session.scheduler.last_frame
        return frame is not None and frame.cursor_ns == t

    qtbot.waitUntil(drawn, timeout=10_000)
    return session.window.scene_view.frame_pixels()


def test_the_notes_typed_into_the_export_dialog_reach_the_trainee(
    qtbot, shown, recorded, tmp_path: Path
) -> None:
    path, _start = recorded
    trainer = _show(qtbot, shown, compose_replay(open_recording_for_replay(str(path), None, None)))
    target = tmp_path / "m07.twinpkg"

    def fill(dialog: QtPackageDialog) -> None:
        dialog.path.setText(str(target))
        qtbot.keyClicks(dialog.title, "M07 overload")
        qtbot.keyClicks(dialog.description, NOTES[0])
        qtbot.keyClick(dialog.description, Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.description, NOTES[1])
        dialog.accept()

    answer_dialog(fill, QtPackageDialog)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(trainer.window, Qt.Key.Key_E, ctrl_shift)
    qtbot.waitUntil(target.exists, timeout=60_000)

    trainee = _show(qtbot, shown, compose_package(open_package_inputs(target, None, None)))
    window = trainee.window
    notes = window.findChild(QtIncidentNotes)
    assert notes is not None and notes.isVisible()
    for line in ("M07 overload", *NOTES):
        assert line.replace("'", "&#x27;") in notes.label.text()
    bar_bottom = notes.mapTo(window, QPoint(0, notes.height())).y()
    assert bar_bottom <= window.scene_view.mapTo(window, QPoint(0, 0)).y()  # over the views
    assert window.status.mode_label.toolTip() == "M07 overload\n\n" + "\n".join(NOTES)

    qtbot.mouseClick(notes.close_button, Qt.MouseButton.LeftButton)
    assert not notes.isVisible()  # dismissed...
    (about,) = [a for m in _menus(window) for a in m.actions() if "About this" in a.text()]
    told: list[str] = []

    def read(box: QMessageBox) -> None:
        told.append(box.text())
        box.accept()

    answer_dialog(read, QMessageBox)
    about.trigger()  # ...and there again under Help
    qtbot.waitUntil(lambda: bool(told))
    assert all(line.replace("'", "&#x27;") in told[0] for line in NOTES)
    assert target.name in told[0]

    # The trainee's own bookmarks go beside the package, which stays as it was.
    packed = target.read_bytes()
    t = trainee.clock.now()

    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue("my question")
        dialog.accept()

    answer_dialog(name_it)
    qtbot.keyClick(window.scene_view.gl_widget, Qt.Key.Key_B)
    timeline = window.replay.timeline
    qtbot.waitUntil(
        lambda: (timeline.bookmark_at(timeline.x_of(t)) or (0, 0, ""))[2] == "my question"
    )
    assert target.with_name(target.name + ".bookmarks.sqlite").is_file()
    assert target.read_bytes() == packed


def _menus(window: QtMainWindow) -> list[QMenu]:
    return [m for a in window.menuBar().actions() if isinstance(m := a.menu(), QMenu)]


def test_a_package_whose_range_starts_before_its_data_opens_at_its_first_data(
    qtbot, shown, recorded, tmp_path: Path
) -> None:
    path, start = recorded
    with open_history(path, read_only=True) as h:
        plant_text = recorded_plant_toml(h)
    assert plant_text is not None
    target = tmp_path / "early.twinpkg"
    assert export_package(path, plant_text, start - 60 * NS_PER_S, start + 60 * NS_PER_S, target)

    inputs = open_package_inputs(target, None, None)
    recording = inputs.recording
    first = recording.at_ns  # where it opens: every signal has had its first sample
    assert recording.start_ns < first < recording.start_ns + 2 * NS_PER_S
    session = _show(qtbot, shown, compose_package(inputs))
    pixels = _drawn_at(qtbot, session, first)
    assert count(violet_mask(pixels)) < 50 and count(normal_mask(pixels)) > 500

    # The first sample of the fastest signal alone is what used to open: all violet.
    start_replay(session, Recording("", recording.plant, recording.start_ns, recording.end_ns,
                                    recording.start_ns))  # fmt: skip
    assert count(violet_mask(_drawn_at(qtbot, session, recording.start_ns))) > 1000

    # --at +SECONDS counts from the first data, in packages and recordings alike.
    later = open_package_inputs(target, None, "+30")
    try:
        assert later.recording.at_ns == first + 30 * NS_PER_S
    finally:
        later.close()
    again = open_recording_for_replay(str(path), None, None)
    assert again.start_ns < again.at_ns == first  # the recording's own first data
    assert open_recording_for_replay(str(path), None, "+5").at_ns == first + 5 * NS_PER_S
