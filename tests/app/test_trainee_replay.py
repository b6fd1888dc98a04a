"""A trainee driven through the replay lesson (motor_overload.toml) with real clicks: all
right gives the full score; two wrong answers and a late acknowledgement give the score the
scenario's points say; the debrief shows the marks and replays the session; the saved PDF
says who, what score and which steps; the results are kept per trainee."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.compose.trainee import prepare_trainee
from app.compose.training import Prepared
from app.training.debrief import COLOURS, EXPECTED, TRAINEE
from db.training import TrainingRecords
from tests.app.dialogs import answer_dialog
from tests.app.trainee_rig import TRAINING, Trainee, lesson_package
from twin.timebase import NS_PER_S
from twin.training.model import ActionKind

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")


@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> Iterator[Prepared]:
    lesson_package()
    prepared = prepare_trainee(TRAINING / "motor_overload.toml", tmp_path_factory.mktemp("c"))
    yield prepared
    prepared.close()


@pytest.fixture
def trainee(qtbot, lesson, tmp_path) -> Iterator[Trainee]:
    rig = Trainee(qtbot, lesson, "Li Wei", tmp_path / "results.sqlite")
    yield rig
    rig.close()


def _bookmark(rig: Trainee, comment: str) -> None:
    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue(comment)
        dialog.accept()

    answer_dialog(name_it, QInputDialog)
    rig.window.replay.transport.request_bookmark()


def _through(rig: Trainee, right: bool) -> None:
    """The lesson from start to end; ``right``: as the key says, else wrong at first_alarm
    and current_now and the acknowledgement 70 s after its step."""
    s = rig.scenario
    rig.wait_step("briefing")
    rig.go_on()
    rig.wait_step("first_alarm")
    first = s.step("first_alarm")
    assert first.question is not None
    rig.click_alarm(str(first.question.answer) if right else "M07.current:H")
    if right:
        rig.acknowledge("M07.current:HH")
    rig.wait_step("current_now")
    value = s.step("current_now").question
    assert value is not None
    rig.type_value(float(value.answer or 0) + (0 if right else 4 * value.tolerance))
    if not right:
        rig.run_seconds(30)  # 70 s after first_alarm opened: late
        rig.acknowledge("M07.current:HH")
    rig.wait_step("winding_hot")
    rig.click_asset_in_tree("M07")
    hot = s.step("winding_hot").question
    assert hot is not None
    rig.choose(str(hot.answer))
    rig.wait_step("handover")
    _bookmark(rig, "M07 stopped, winding to be checked")
    rig.qtbot.waitUntil(lambda: any(a.kind == "bookmark" for a in rig.controller.training.actions))
    rig.go_on()
    rig.run_until(lambda: rig.controller.done)


def test_all_right_gives_the_full_score_and_is_kept(trainee: Trainee) -> None:
    _through(trainee, right=True)
    result = trainee.controller.result
    assert result is not None
    missed = [(r.step_id, o.what, o.status) for r in result.steps for o in r.outcomes
              if o.points < o.max_points]  # fmt: skip
    assert result.points == trainee.scenario.max_points, missed
    kept = trainee.records.sessions("Li Wei")
    assert [r.points for r in kept] == [trainee.scenario.max_points]
    assert f"Score: {result.points:g} / {result.max_points:g}" in trainee.panel.score.text()


def test_two_wrong_answers_and_a_late_acknowledgement(trainee: Trainee, tmp_path: Path) -> None:
    _through(trainee, right=False)
    s = trainee.scenario
    lost = [s.step("first_alarm").question, s.step("current_now").question]
    ack = next(e for e in s.step("first_alarm").expect if e.action is ActionKind.ACKNOWLEDGE)
    expected = s.max_points - sum(q.points for q in lost if q is not None) - ack.points
    result = trainee.controller.result
    assert result is not None and result.points == expected
    statuses = {(r.step_id, o.what): o.status for r in result.steps for o in r.outcomes}
    assert statuses[("first_alarm", "acknowledge M07.current:HH")] == "late"
    assert TrainingRecords(trainee.records.path).sessions("Li Wei")[0].points == expected

    # The debrief: the trainee's marks above the expected ones, in their colours.
    strip = trainee.controller.strip
    trainee.qtbot.waitUntil(strip.isVisible)
    rows = {m.row for m in strip.marks}
    assert rows == {EXPECTED, TRAINEE}
    outcomes = {m.outcome for m in strip.marks if m.row == TRAINEE}
    assert {"right", "wrong", "late"} <= outcomes
    image = strip.grab().toImage()
    seen = {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }
    for outcome in ("expected", "right", "wrong", "late"):
        assert QColor(COLOURS[outcome]).name() in seen, outcome

    # A click on a mark goes there; the whole session plays again from its start.
    late = next(m for m in strip.marks if m.outcome == "late")
    x, y = round(strip.x_of(late)), round(strip.y_of(late))
    trainee.qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    t0 = trainee.controller.t0_ns
    assert abs(trainee.clock.now() - (t0 + late.t_s * NS_PER_S)) < NS_PER_S
    trainee.click(trainee.panel.replay_button)
    assert trainee.clock.playing and trainee.clock.now() == t0

    # Save report… writes the PDF the trainer keeps.
    pdf = tmp_path / "debrief.pdf"

    def save_as(dialog: QFileDialog) -> None:
        dialog.selectFile(str(pdf))
        dialog.accept()

    answer_dialog(save_as, QFileDialog)
    trainee.click(trainee.panel.save_button)
    trainee.qtbot.waitUntil(pdf.exists)
    text = unicodedata.normalize(
        "NFKC", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout,
    )  # fmt: skip
    assert "Li Wei" in text and f"{expected:g} / {s.max_points:g}" in text
    for step in s.steps:
        assert step.id in text
