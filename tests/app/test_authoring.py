"""Writing a lesson on the shipped motor_overload incident package, as an instructor does:
New scenario, move the cursor, Add step here with a multiple-choice question typed into the
dialog and an expected acknowledgement, Preview, Save; the file reads back to the same
steps, passes the checks and previews to the full score as ``--train --preview`` does."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
)

from app.compose.package import compose_package, open_package_inputs
from app.compose.parts import Session
from app.compose.training import prepare
from app.training.author import QtScenarioAuthor
from app.training.step_dialog import QtStepDialog
from tests.app.dialogs import answer_dialog, menu_action
from twin.timebase import NS_PER_S
from twin.training.model import ActionKind, QuestionKind
from twin.training.scenario_file import check_scenario, load_scenario
from twin.training.session import preview

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "assets" / "training" / "motor_overload.twinpkg"
OPTIONS = ["Stop M07 and call maintenance", "Shelve the current alarm", "Wait and watch"]


@pytest.fixture(scope="module")
def lesson_package() -> Path:
    """The replay lesson's incident package, as the set-up makes it."""
    if not PACKAGE.exists():
        script = ROOT / "scripts" / "make_lesson_package.py"
        subprocess.run([sys.executable, str(script), "-o", str(PACKAGE)], check=True, timeout=300)
    return PACKAGE


@pytest.fixture
def package_window(qtbot, lesson_package: Path) -> Iterator[Session]:
    session = compose_package(open_package_inputs(lesson_package, None, None), size=(1400, 900))
    qtbot.addWidget(session.window)
    session.window.show()
    qtbot.waitExposed(session.window)
    QApplication.setActiveWindow(session.window)
    yield session
    session.stop()


def _author(session: Session) -> QtScenarioAuthor:
    author = session.window.findChild(QtScenarioAuthor)
    assert isinstance(author, QtScenarioAuthor)
    return author


def _click_timeline_at(qtbot, session: Session, t: int) -> None:
    timeline = session.window.replay.timeline
    y = round(timeline.lane_rect().center().y())
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(timeline.x_of(t)), y))
    qtbot.waitUntil(lambda: abs(session.clock() - t) < 2 * timeline.scale().ns_per_px)


def _open_step_dialog(qtbot, session: Session) -> QtStepDialog:
    """Add step here, by its shortcut (the Training menu's)."""
    author = _author(session)
    before = author.dialog
    qtbot.keyClick(session.window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)

    def opened() -> bool:
        return (
            author.dialog is not None and author.dialog is not before and author.dialog.isVisible()
        )

    qtbot.waitUntil(opened)
    assert author.dialog is not None
    return author.dialog


def _type_choice(qtbot, dialog: QtStepDialog, answer: str) -> None:
    qtbot.keyClicks(dialog.text_edit, "The pump's current is past its HH limit.")
    qtbot.keyClicks(dialog.kind_combo, "Multiple")
    assert dialog.kind_combo.currentData() == QuestionKind.CHOICE.value
    qtbot.keyClicks(dialog.prompt_edit, "What do you do?")
    dialog.points_spin.selectAll()
    qtbot.keyClicks(dialog.points_spin, "20")
    for i, option in enumerate(OPTIONS):
        if i:
            qtbot.keyClick(dialog.options_edit, Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.options_edit, option)
    qtbot.keyClicks(dialog.answer_edit, answer)


def _ok(qtbot, dialog: QtStepDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_a_lesson_written_on_the_package_saves_and_previews_to_the_full_score(
    qtbot, package_window: Session, tmp_path: Path
) -> None:
    session, window = package_window, package_window.window
    author = _author(session)
    menu_action(window, "New scenario from this replay…").trigger()
    assert author.draft is not None and author.draft.source.package == str(PACKAGE)
    details = author.details
    assert details is not None
    qtbot.waitUntil(details.isVisible)
    details.name_edit.selectAll()
    qtbot.keyClicks(details.name_edit, "Pump overload, short")
    qtbot.keyClicks(details.description_edit, "Act on the current alarm.")
    details.pass_spin.selectAll()
    qtbot.keyClicks(details.pass_spin, "80")
    qtbot.mouseClick(
        details.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not details.isVisible())
    start = author.t0_ns
    at = start + 90 * NS_PER_S  # the overload began at 60 s: its alarms are up
    _click_timeline_at(qtbot, session, at)

    dialog = _open_step_dialog(qtbot, session)
    _type_choice(qtbot, dialog, OPTIONS[0])
    qtbot.mouseClick(dialog.add_hint_button, Qt.MouseButton.LeftButton)
    hint = dialog.hints_table.cellWidget(0, 0)
    assert isinstance(hint, QLineEdit)
    qtbot.keyClicks(hint, "Which alarm has the higher priority?")
    qtbot.mouseClick(dialog.expectations.ack_button, Qt.MouseButton.LeftButton)
    row = dialog.expectations.rows[-1]
    row.target.clearEditText()
    qtbot.keyClicks(row.target, "M07.current:HH")
    row.within.selectAll()
    qtbot.keyClicks(row.within, "45")
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert [s.id for s in author.draft.steps] == ["step_1"]
    assert author.state_label.text().endswith(": 1 step(s), not saved")
    warning = author.unsaved_warning()  # what closing the window now would lose
    assert warning is not None and "Pump overload, short" in warning
    step = author.draft.steps[0]
    assert step.trigger.at_s == pytest.approx((session.clock() - start) / NS_PER_S, abs=0.1)
    assert step.question is not None and step.question.options == tuple(OPTIONS)
    assert step.expect[0].action is ActionKind.ACKNOWLEDGE and step.expect[0].within_s == 45
    assert [(h.text, h.cost) for h in step.hints] == [("Which alarm has the higher priority?", 5)]
    marks = author.marks.marks
    assert [m.step_id for m in marks] == ["step_1"]
    assert OPTIONS[0] not in marks[0].tooltip  # the mark never gives the answer away

    menu_action(window, "Preview with the answer key").trigger()
    assert author.last_preview is not None
    assert author.last_preview.percent == 100 and author.last_preview.unreached == ()
    assert author.message is not None and "20 / 30 points" not in author.message.text()
    assert "30 / 30 points (100 %)" in author.message.text()
    author.message.close()

    target = tmp_path / "pump.toml"

    def save_here(d: QFileDialog) -> None:
        d.selectFile(str(target))
        d.accept()

    answer_dialog(save_here, QFileDialog)
    menu_action(window, "Save scenario…").trigger()
    assert target.exists() and author.unsaved_warning() is None
    assert author.state_label.text() == "Scenario “Pump overload, short”: 1 step(s)"

    saved = load_scenario(target)
    assert (saved.name, saved.description, saved.pass_score) == (
        "Pump overload, short", "Act on the current alarm.", 80.0,
    )  # fmt: skip
    assert [(s.id, s.trigger, s.text, s.question, s.expect, s.hints) for s in saved.steps] == [
        (s.id, s.trigger, s.text, s.question, s.expect, s.hints) for s in author.draft.steps
    ]
    assert saved.replay is not None and Path(str(saved.replay.package)).samefile(PACKAGE)
    plant = session.plant
    check_scenario(
        saved,
        assets={a.id: a for a in plant.assets},
        signals={f"{a.id}.{s.key}": s for a in plant.assets for s in a.signals},
        duration_s=author.end_s,
    )
    prepared = prepare(target)  # what --train FILE --preview runs
    try:
        result = preview(prepared.scenario, prepared.duration_s, prepared.events).result()
    finally:
        prepared.close()
    assert result.points == result.max_points == 30


def test_the_dialog_refuses_an_answer_not_among_the_options_and_a_step_after_the_end(
    qtbot, package_window: Session
) -> None:
    session = package_window
    author = _author(session)
    author.new_from_replay()
    dialog = _open_step_dialog(qtbot, session)
    _type_choice(qtbot, dialog, "Call the shift lead")
    _ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "“Call the shift lead” is not one of the options" in dialog.problem_label.text()

    dialog.answer_edit.selectAll()
    qtbot.keyClicks(dialog.answer_edit, OPTIONS[2])
    dialog.time_edit.selectAll()
    qtbot.keyClicks(dialog.time_edit, "2h")
    _ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "at 7200 s, after the end of the scenario" in dialog.problem_label.text()

    dialog.time_edit.selectAll()
    qtbot.keyClicks(dialog.time_edit, "1.5m")
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert author.draft is not None and author.draft.steps[0].trigger.at_s == 90

    # A new scenario over an unsaved one asks first.
    def press(button: QMessageBox.StandardButton) -> Callable[[QMessageBox], None]:
        return lambda box: box.button(button).click()

    answer_dialog(press(QMessageBox.StandardButton.Cancel), QMessageBox)
    assert author.start_new() is None and len(author.draft.steps) == 1
    answer_dialog(press(QMessageBox.StandardButton.Discard), QMessageBox)
    details = author.start_new()
    assert details is not None and author.draft.steps == []
    details.reject()


def test_steps_are_edited_and_deleted_from_the_timeline_marks(
    qtbot, package_window: Session, tmp_path: Path
) -> None:
    session = package_window
    author = _author(session)
    assert author.open_scenario(ROOT / "assets" / "training" / "motor_overload.toml")
    assert author.draft is not None
    ids = [s.id for s in author.draft.steps]
    # Event steps are marked where their alarm is raised in the package.
    qtbot.waitUntil(lambda: [m.step_id for m in author.marks.marks] == ids)
    timeline = session.window.replay.timeline
    mark = next(m for m in author.marks.marks if m.step_id == "current_now")
    menu = author.marks.context_menu(timeline.x_of(mark.t_ns))
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Add step here…", "Edit step current_now…", "Delete step current_now"]

    menu.actions()[1].trigger()
    dialog = author.dialog
    assert dialog is not None and dialog.value_edit.text() == "50"  # the file's answer
    dialog.prompt_edit.selectAll()
    qtbot.keyClicks(dialog.prompt_edit, "M07's current now, in A?")
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    changed = author.draft.steps[ids.index("current_now")]
    assert changed.question is not None and changed.question.prompt == "M07's current now, in A?"

    author.marks.context_menu(timeline.x_of(mark.t_ns)).actions()[2].trigger()
    assert "current_now" not in [s.id for s in author.draft.steps]
    assert "current_now" not in [m.step_id for m in author.marks.marks]
    result = author.run_preview()
    assert result is not None and result.percent == 100 and result.unreached == ()
    if author.message is not None:
        author.message.close()


def test_a_scenario_that_replays_something_else_is_not_opened_here(
    qtbot, package_window: Session
) -> None:
    author = _author(package_window)
    assert not author.open_scenario(ROOT / "assets" / "training" / "fan_bearing.toml")
    assert author.draft is None and author.message is not None
    assert "fan_bearing.toml does not replay motor_overload.twinpkg" in author.message.text()
    author.message.close()


def test_a_new_value_question_offers_the_value_at_the_cursor(
    qtbot, package_window: Session
) -> None:
    session = package_window
    author = _author(session)
    author.new_from_replay()
    at = author.t0_ns + 120 * NS_PER_S
    _click_timeline_at(qtbot, session, at)
    session.window.selection.select("M07")
    dialog = _open_step_dialog(qtbot, session)
    assert dialog.asset_combo.currentData() == "M07"  # "click the asset": the selected one
    assert dialog.signal_combo.currentData().startswith("M07.")  # its signals first
    qtbot.keyClicks(dialog.kind_combo, "Value")
    dialog.signal_combo.setCurrentIndex(dialog.signal_combo.findData("M07.current"))
    t = session.clock()
    found = session.reader.values_at(["M07.current"], t)
    assert found is not None
    assert float(dialog.value_edit.text()) == pytest.approx(float(found[0][0]), rel=1e-5)
    assert float(dialog.tolerance_edit.text()) > 0
    dialog.reject()


def test_a_right_click_on_the_timeline_adds_a_step_there_within_the_selected_range(
    qtbot, package_window: Session
) -> None:
    session = package_window
    author = _author(session)
    timeline = session.window.replay.timeline
    recorded = timeline.recording_range
    assert recorded is not None
    t0, t1 = recorded[0] + 30 * NS_PER_S, recorded[0] + 150 * NS_PER_S
    timeline.set_selection(t0, t1)
    draft = author.new_from_replay()
    assert (draft.source.start_s, draft.source.end_s) == (30.0, 150.0)
    assert author.end_s == 120.0

    at = t0 + 45 * NS_PER_S
    y = round(timeline.lane_rect().center().y())
    where = QPoint(round(timeline.x_of(at)), y)
    # What the window system sends on a right click (QTest's clicks carry no such event).
    QApplication.sendEvent(
        timeline,
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, timeline.mapToGlobal(where)),
    )
    qtbot.waitUntil(lambda: author.marks.menu is not None and author.marks.menu.isVisible())
    assert author.marks.menu is not None
    add = author.marks.menu.actions()[0]
    assert add.text() == "Add step here…"
    author.marks.menu.close()
    add.trigger()
    dialog = author.dialog
    assert dialog is not None
    clicked_s = float(dialog.time_edit.text())
    assert clicked_s == pytest.approx(45.0, abs=timeline.scale().ns_per_px / NS_PER_S + 0.1)
    dialog.time_edit.selectAll()
    qtbot.keyClicks(dialog.time_edit, "121")  # a second past the selected range
    qtbot.keyClicks(dialog.text_edit, "Watch the winding temperature.")
    _ok(qtbot, dialog)
    assert "after the end of the scenario (120 s)" in dialog.problem_label.text()
    dialog.reject()
