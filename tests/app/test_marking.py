"""The trainer marks free-text answers: in the trainee history (Mark answers…, points typed
into the spin box, saved: the score cell and the CSV show the new score; Save report…
prints the marks and comments), and in the debrief right after a session."""

from __future__ import annotations

import csv
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QPushButton

from app.compose.trainee import prepare_trainee
from app.compose.training import Prepared
from app.training.history import QtTraineeHistory
from app.training.marking import QtMarkAnswers
from app.training.menu import show_trainee_history
from db.training import TrainingRecords
from db.training_marks import Mark, TrainingMarks
from tests.app.dialogs import answer_dialog
from tests.app.trainee_rig import Trainee, lesson_package
from tests.db.free_text_lesson import END_S, OPENED, save_session, session_actions, write_lesson
from twin.training.scoring import score

COMMENT = "Good hand-over; name the alarm too."


@pytest.fixture
def records(tmp_path: Path) -> Iterator[Path]:
    """Li Wei's session with both free-text answers to mark; Ana's, marked already."""
    lesson = write_lesson(tmp_path)
    path = tmp_path / "results.sqlite"
    store = TrainingRecords(path)
    save_session(store, lesson, "Li Wei")
    ana = save_session(store, lesson, "Ana")
    ana_record = next(r for r in store.sessions() if r.id == ana)
    TrainingMarks(store).mark(ana_record, {"cause": Mark(5), "next_shift": Mark(10)}, "Zhou")
    store.close()
    yield path


def _cell(dialog: QtTraineeHistory, trainee: str, col: int) -> str:
    table = dialog.table
    for row in range(table.rowCount()):
        first = table.item(row, 0)
        if first is not None and first.text() == trainee:
            item = table.item(row, col)
            return item.text() if item else ""
    raise AssertionError(f"no row for {trainee}")


def _click_row(qtbot, dialog: QtTraineeHistory, trainee: str) -> None:
    table = dialog.table
    cells = [(table.item(r, 0), table.item(r, 2)) for r in range(table.rowCount())]
    scenario = next(s for t, s in cells if t is not None and t.text() == trainee)
    assert scenario is not None
    rect = table.visualItemRect(scenario)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def _pdf_text(path: Path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(unicodedata.normalize("NFKC", run.stdout).split())


def test_the_trainer_marks_an_answer_in_the_history(qtbot, records: Path, tmp_path: Path) -> None:
    lesson = write_lesson(tmp_path)
    window = QMainWindow()
    qtbot.addWidget(window)
    dialog = show_trainee_history(window, records)
    qtbot.waitExposed(dialog)
    before = _cell(dialog, "Li Wei", 3)
    assert before.endswith(", to mark") and "to mark" not in _cell(dialog, "Ana", 3)
    assert not dialog.marking.mark_button.isEnabled()  # nothing selected yet

    _click_row(qtbot, dialog, "Li Wei")
    assert dialog.marking.mark_button.isEnabled()
    qtbot.mouseClick(dialog.marking.mark_button, Qt.MouseButton.LeftButton)
    marking = window.findChild(QtMarkAnswers)
    assert isinstance(marking, QtMarkAnswers)
    qtbot.waitExposed(marking)
    assert marking.points["cause"].text() == "not marked"
    answer = marking.findChild(QLabel, "answer_next_shift")
    assert isinstance(answer, QLabel) and "conveyor jammed" in answer.text()
    _type(qtbot, marking.points["next_shift"], "18")
    _type(qtbot, marking.comments["next_shift"], COMMENT)
    _type(qtbot, marking.marker, "Zhou Min")
    with qtbot.waitSignal(marking.marked):
        qtbot.mouseClick(marking.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not marking.isVisible())

    expected = score(lesson, session_actions(), OPENED, end_s=END_S, marks={"next_shift": 18})
    after = _cell(dialog, "Li Wei", 3)
    assert after != before
    assert (
        after
        == f"{expected.points:g} / {expected.max_points:g} ({expected.percent:.0f} %), to mark"
    )
    assert _cell(dialog, "Li Wei", 4) == ("yes" if expected.passed else "no")

    out = dialog.export(tmp_path / "scores.csv")
    assert out is not None
    rows = {r[0]: r for r in csv.reader(out.open(encoding="utf-8"))}
    assert (
        rows["Li Wei"][3] == f"{expected.points:g}"
        and rows["Li Wei"][5] == f"{expected.percent:.1f}"
    )

    target = tmp_path / "li-wei.pdf"

    def save_here(d: QFileDialog) -> None:
        d.selectFile(str(target))
        d.accept()

    assert dialog.marking.report_button.isEnabled()  # the marked session is selected again
    answer_dialog(save_here, QFileDialog)
    qtbot.mouseClick(dialog.marking.report_button, Qt.MouseButton.LeftButton)
    text = _pdf_text(target)
    assert COMMENT in text and "Marked 18 / 20 by Zhou Min" in text
    assert "Not marked yet" in text  # the other answer
    assert f"{expected.points:g} / {expected.max_points:g}" in text
    dialog.close()


DEBRIEF_LESSON = """\
[scenario]
name = "Overload, explained"
kind = "replay"
pass_score = 50

[replay]
package = "{package}"
end = 40

[[steps]]
id = "briefing"
at = 0
text = "Watch M07."

[[steps]]
id = "explain"
at = 5
[steps.question]
kind = "text"
prompt = "What is happening to M07?"
points = 10
"""


@pytest.fixture
def explained(tmp_path: Path) -> Iterator[Prepared]:
    path = tmp_path / "explained.toml"
    path.write_text(DEBRIEF_LESSON.format(package=lesson_package().as_posix()), encoding="utf-8")
    prepared = prepare_trainee(path, tmp_path / "cache")
    yield prepared
    prepared.close()


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")
def test_the_trainer_marks_at_once_in_the_debrief(qtbot, explained, tmp_path: Path) -> None:
    rig = Trainee(qtbot, explained, "Li Wei", tmp_path / "results.sqlite")
    try:
        rig.wait_step("briefing")
        rig.go_on()
        rig.wait_step("explain")
        qtbot.keyClicks(rig.panel.text_edit, "It is overloaded: the current is past its limit.")
        rig.click(rig.panel.answer_button)
        rig.run_until(lambda: rig.controller.done)
        assert rig.controller.result is not None and rig.controller.result.points == 0
        before = rig.controller.save_report(tmp_path / "before.html").read_text(encoding="utf-8")
        assert "Not marked yet" in before and "current is past" in before
        button = rig.panel.findChild(QPushButton, "debrief_mark_button")
        assert isinstance(button, QPushButton) and button.isVisible()
        rig.click(button)
        marking = rig.window.findChild(QtMarkAnswers)
        assert isinstance(marking, QtMarkAnswers)
        qtbot.waitExposed(marking)
        _type(qtbot, marking.points["explain"], "8")
        _type(qtbot, marking.comments["explain"], COMMENT)
        with qtbot.waitSignal(marking.marked):
            rig.click(marking.save_button)
        qtbot.waitUntil(lambda: "8 / 10" in rig.panel.score.text())
        assert "passed" in rig.panel.score.text() and "not passed" not in rig.panel.score.text()
        (kept,) = rig.records.sessions("Li Wei")
        assert (kept.points, kept.passed) == (8.0, True)
        report = rig.controller.save_report(tmp_path / "debrief.pdf")
        text = _pdf_text(report)
        assert COMMENT in text and "Marked 8 / 10 by" in text and "current is past" in text
    finally:
        rig.close()


def test_a_session_whose_lesson_is_gone_says_so(qtbot, tmp_path: Path) -> None:
    """Saved without its scenario (as before answers were kept), its lesson file deleted:
    Mark answers… and Save report… name the missing file instead of opening."""
    lesson = write_lesson(tmp_path)
    path = tmp_path / "results.sqlite"
    store = TrainingRecords(path)
    actions = session_actions()
    result = score(lesson, actions, OPENED, end_s=END_S)
    store.save("Li Wei", lesson.name, lesson.source_path, 0, result, actions)
    store.close()
    Path(lesson.source_path).unlink()
    window = QMainWindow()
    qtbot.addWidget(window)
    dialog = show_trainee_history(window, path)
    qtbot.waitExposed(dialog)
    assert _cell(dialog, "Li Wei", 3).endswith(", to mark")  # from its step outcomes
    _click_row(qtbot, dialog, "Li Wei")
    qtbot.mouseClick(dialog.marking.mark_button, Qt.MouseButton.LeftButton)
    assert window.findChild(QtMarkAnswers) is None
    assert dialog.summary.text() == f"{lesson.source_path}: no such file"
    record = dialog.marking.selected()
    assert record is not None
    assert dialog.marking.save_report(record, tmp_path / "report.pdf") is None
    assert dialog.summary.text() == f"{lesson.source_path}: no such file"
    assert not (tmp_path / "report.pdf").exists()
    dialog.close()
