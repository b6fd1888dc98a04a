"""Scoring: the answer key gets full marks; wrong answers, late and forbidden actions and
hints cost what the scenario says."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from twin.training.model import Scenario
from twin.training.scenario_file import load_scenario
from twin.training.scoring import (
    DONE,
    LATE,
    MISSED,
    RIGHT,
    WRONG,
    TraineeAction,
    answer_key,
    score,
)

SCENARIO = Path(__file__).resolve().parents[2] / "assets" / "training" / "fan_bearing.toml"
OPENED = {
    "briefing": 0.0,
    "which_asset": 360.0,
    "which_cause": 360.0,
    "vibration_alarm": 560.0,
    "bookmark": 720.0,
}
END = 840.0


@pytest.fixture(scope="module")
def lesson() -> Scenario:
    return load_scenario(SCENARIO)


def test_the_answer_key_scores_full_marks(lesson: Scenario) -> None:
    result = score(lesson, answer_key(lesson, OPENED), OPENED, end_s=END)
    assert result.points == result.max_points == lesson.max_points
    assert result.percent == 100.0 and result.passed
    assert result.wrong_actions == 0
    assert result.time_to_detect_s == 0.0 and result.time_to_acknowledge_s == 0.0


def _trainee(
    *, cause: str, asset: str, ack_after: float, shelve: bool, hint: bool
) -> list[TraineeAction]:
    acts = [
        TraineeAction(372.0, "select", target="M05"),  # looks at the wrong motor first
        TraineeAction(380.0, "answer", value=asset, step_id="which_asset"),
        TraineeAction(381.0, "answer", value=cause, step_id="which_cause"),
        TraineeAction(
            560.0 + ack_after, "acknowledge", target="M03.vibration:H", step_id="vibration_alarm"
        ),
        TraineeAction(730.0, "bookmark", value="bearing M03", step_id="bookmark"),
    ]
    if shelve:
        acts.append(
            TraineeAction(565.0, "shelve", target="M03.vibration:H", step_id="vibration_alarm")
        )
    if hint:
        acts.append(TraineeAction(375.0, "hint", value=0, step_id="which_asset"))
    return acts


def test_two_wrong_answers_and_a_late_acknowledgement(lesson: Scenario) -> None:
    acts = _trainee(cause="Overload", asset="M05", ack_after=75.0, shelve=False, hint=False)
    result = score(lesson, acts, OPENED, end_s=END)
    by_step = {r.step_id: r for r in result.steps}
    assert by_step["which_asset"].outcomes[0].status == WRONG
    assert by_step["which_cause"].outcomes[0].status == WRONG
    ack, shelve = by_step["vibration_alarm"].outcomes
    assert (ack.status, ack.delay_s, ack.points) == (LATE, 75.0, 0.0)
    assert shelve.points == 10.0
    # 80 points: 20 + 20 (wrong answers) + 20 (late) lost; avoided shelve 10, bookmark 10.
    assert result.points == 20.0 and result.percent == 25.0 and not result.passed
    assert result.wrong_actions == 1  # selecting M05, which nothing asked for
    assert math.isnan(result.time_to_detect_s)


def test_hints_and_forbidden_actions_cost_points(lesson: Scenario) -> None:
    acts = _trainee(cause="Bearing wear", asset="M03", ack_after=20.0, shelve=True, hint=True)
    result = score(lesson, acts, OPENED, end_s=END)
    by_step = {r.step_id: r for r in result.steps}
    asset_step = by_step["which_asset"]
    assert [o.status for o in asset_step.outcomes] == [RIGHT, "hint"]
    assert asset_step.points == 15.0  # 20 - 5 for the hint
    ack, shelve = by_step["vibration_alarm"].outcomes
    assert (ack.status, ack.delay_s) == (DONE, 20.0) and (shelve.status, shelve.points) == (
        DONE,
        0.0,
    )
    assert result.points == 15 + 20 + 20 + 0 + 10
    assert result.time_to_detect_s == 20.0  # answered M03 20 s after the question
    assert result.time_to_acknowledge_s == 20.0


def test_steps_never_reached_score_nothing(lesson: Scenario) -> None:
    opened = {k: v for k, v in OPENED.items() if k != "vibration_alarm"}
    result = score(lesson, answer_key(lesson, opened), opened, end_s=END)
    alarm = next(r for r in result.steps if r.step_id == "vibration_alarm")
    assert math.isnan(alarm.opened_s)
    assert [o.status for o in alarm.outcomes] == [MISSED, MISSED]
    assert result.points == lesson.max_points - 30.0
