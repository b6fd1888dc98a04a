"""A trainee driven through the simulated lesson (fan_bearing.toml), simulated ahead once
into a history: all right gives the full score; two wrong answers and a late
acknowledgement give the score the scenario's points say; a hint costs its points."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from app.compose.trainee import prepare_trainee
from app.compose.training import Prepared
from tests.app.dialogs import answer_dialog
from tests.app.trainee_rig import TRAINING, Trainee
from twin.training.model import ActionKind

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")


@pytest.fixture(scope="module")
def lesson() -> Iterator[Prepared]:
    """The lesson simulated ahead (tens of seconds), kept between runs as the user's cache
    keeps it: the history is named by a hash of the scenario, the plant and the version."""
    cache = Path(tempfile.gettempdir()) / "twindeck-test-lessons"
    prepared = prepare_trainee(TRAINING / "fan_bearing.toml", cache)
    yield prepared
    prepared.close()


@pytest.fixture
def trainee(qtbot, lesson, tmp_path) -> Iterator[Trainee]:
    rig = Trainee(qtbot, lesson, "Zhang Min", tmp_path / "results.sqlite")
    yield rig
    rig.close()


def _through(rig: Trainee, right: bool) -> None:
    s = rig.scenario
    rig.wait_step("briefing")
    rig.go_on()
    rig.wait_step("which_asset")
    asset = s.step("which_asset").question
    assert asset is not None
    rig.click_asset_in_tree(str(asset.answer) if right else "M01")
    rig.wait_step("which_cause")
    cause = s.step("which_cause").question
    assert cause is not None
    rig.choose(str(cause.answer) if right else next(o for o in cause.options if o != cause.answer))
    rig.wait_step("vibration_alarm")
    if right:
        rig.acknowledge("M03.vibration:H")
        rig.go_on()
    else:
        rig.go_on()
        rig.run_seconds(70)  # past the 60 s the step allows
        rig.acknowledge("M03.vibration:H")
    rig.wait_step("bookmark")

    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue("M03 bearing: plan a replacement")
        dialog.accept()

    answer_dialog(name_it, QInputDialog)
    rig.window.replay.transport.request_bookmark()
    rig.qtbot.waitUntil(lambda: any(a.kind == "bookmark" for a in rig.controller.training.actions))
    rig.go_on()
    rig.run_until(lambda: rig.controller.done)


def test_all_right_gives_the_full_score(trainee: Trainee) -> None:
    _through(trainee, right=True)
    result = trainee.controller.result
    assert result is not None
    missed = [(r.step_id, o.what, o.status) for r in result.steps for o in r.outcomes
              if o.points < o.max_points]  # fmt: skip
    assert result.points == trainee.scenario.max_points, missed
    assert result.passed


def test_two_wrong_answers_and_a_late_acknowledgement(trainee: Trainee) -> None:
    _through(trainee, right=False)
    s = trainee.scenario
    lost = [s.step("which_asset").question, s.step("which_cause").question]
    ack = next(e for e in s.step("vibration_alarm").expect if e.action is ActionKind.ACKNOWLEDGE)
    expected = s.max_points - sum(q.points for q in lost if q is not None) - ack.points
    result = trainee.controller.result
    assert result is not None and result.points == expected
    assert not result.passed  # below the scenario's pass mark
    assert trainee.records.sessions("Zhang Min")[0].percent == result.percent
