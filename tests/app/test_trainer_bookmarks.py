"""A trainer bookmarks a recording replayed read-only (``--replay FILE``): B names a moment,
double-clicking a flag renames or deletes it (the recording's own flags too); all of it is
kept in a sidecar, shown on the timeline with the recording's bookmarks, carried into an
incident package exported from the session, and the recording file is never modified."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from app.compose.parts import Session
from app.compose.replay import compose_replay, open_recording_for_replay
from app.export.package_dialog import QtPackageDialog
from db import open_history
from db.bookmarks import Bookmarks
from db.package import open_package
from tests.app.dialogs import answer_dialog
from twin.timebase import NS_PER_S

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")

OWN = "recorded: steady state"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def incident(recorded, tmp_path: Path) -> tuple[Path, int]:
    """A copy of the recorded incident (the shared one stays unannotated) holding one
    bookmark of its own, 20 s in."""
    path, start = recorded
    copy = tmp_path / "incident.twinhist"
    shutil.copyfile(path, copy)
    with open_history(copy) as h:
        Bookmarks(h).add(start + 20 * NS_PER_S, OWN)
    return copy, start


@pytest.fixture
def replay(qtbot) -> Iterator[Callable[[Path], Session]]:
    """Open a recording as ``--replay FILE`` does, shown and active."""
    made: list[Session] = []

    def open_(path: Path) -> Session:
        session = compose_replay(open_recording_for_replay(str(path), None, None))
        made.append(session)
        qtbot.addWidget(session.window)
        session.window.show()
        qtbot.waitExposed(session.window)
        QApplication.setActiveWindow(session.window)  # Xvfb has no window manager to do it
        return session

    yield open_
    for session in made:
        session.stop()


def _flag(session: Session, t: int) -> str | None:
    timeline = session.window.replay.timeline
    mark = timeline.bookmark_at(timeline.x_of(t))
    return None if mark is None else mark[2]


def _press_b_at(qtbot, session: Session, t: int, name: str) -> None:
    session.clock.seek(t)

    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue(name)
        dialog.accept()

    answer_dialog(name_it)
    qtbot.keyClick(session.window.scene_view.gl_widget, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: _flag(session, t) == name)


def _double_click_flag(qtbot, session: Session, t: int, button: str, rename_to: str = "") -> None:
    timeline = session.window.replay.timeline
    timeline.set_view(t - 5 * NS_PER_S, t + 5 * NS_PER_S)  # the flag alone under the pointer
    at = QPoint(round(timeline.x_of(t)), round(timeline.lane_rect().center().y()))

    def rename(dialog: QInputDialog) -> None:
        dialog.setTextValue(rename_to)
        dialog.accept()

    def choose(box: QMessageBox) -> None:
        if rename_to:
            answer_dialog(rename)  # the name prompt that the button opens
        next(b for b in box.buttons() if b.text() == button).click()

    answer_dialog(choose, QMessageBox)
    qtbot.mouseDClick(timeline, Qt.MouseButton.LeftButton, pos=at)
    timeline.fit()


def test_a_trainer_bookmarks_a_read_only_recording_and_exports_the_bookmarks(
    qtbot, replay, incident, tmp_path
) -> None:
    path, start = incident
    before = _digest(path)
    own, rise, extra = (start + s * NS_PER_S for s in (20, 50, 70))
    session = replay(path)
    assert _flag(session, own) == OWN

    _press_b_at(qtbot, session, rise, "M07 current rises")
    _press_b_at(qtbot, session, extra, "scratch")
    _double_click_flag(qtbot, session, own, "Rename…", "steady state")
    qtbot.waitUntil(lambda: _flag(session, own) == "steady state")
    _double_click_flag(qtbot, session, extra, "Delete")
    qtbot.waitUntil(lambda: _flag(session, extra) is None)
    assert _digest(path) == before  # the recording itself is untouched
    assert path.with_name(path.name + ".bookmarks.sqlite").is_file()
    session.stop()
    session.window.close()

    # The next replay of the file shows them with the recording's own...
    again = replay(path)
    assert (_flag(again, own), _flag(again, rise), _flag(again, extra)) == (
        "steady state",
        "M07 current rises",
        None,
    )
    # ...and File > Export incident package carries them.
    target = tmp_path / "lesson.twinpkg"

    def fill(dialog: QtPackageDialog) -> None:
        dialog.path.setText(str(target))
        qtbot.keyClicks(dialog.title, "M07 overload")
        dialog.accept()

    answer_dialog(fill, QtPackageDialog)
    qtbot.keyClick(
        again.window,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    job = again.window.export.job
    assert job is not None
    outcome: list[bool] = []
    job.finished.connect(lambda ok, _message: outcome.append(ok))  # the job reports on a timer
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    assert outcome == [True] and target.exists()
    with open_package(target) as package, package.open_history() as h:
        marks = [(b.t, b.name) for b in Bookmarks(h).in_range()]
    assert marks == [(own, "steady state"), (rise, "M07 current rises")]
    assert _digest(path) == before
