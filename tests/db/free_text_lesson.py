"""A lesson with two free-text questions and one choice, and a trainee's session on it, as
trainee mode saves it: the tests of marking share them."""

from __future__ import annotations

from pathlib import Path

from db.training import TrainingRecords
from twin.training.model import Scenario
from twin.training.scenario_file import load_scenario
from twin.training.scoring import TraineeAction, score

LESSON = """\
[scenario]
name = "Overload, in your own words"
kind = "replay"
pass_score = 60

[replay]
package = "motor_overload.twinpkg"

[[steps]]
id = "cause"
at = 10
[steps.question]
kind = "text"
prompt = "Why did the winding heat up?"
points = 10

[[steps]]
id = "priority"
at = 20
[steps.question]
kind = "choice"
prompt = "Which alarm first?"
options = ["current", "temperature"]
answer = "current"
points = 10

[[steps]]
id = "next_shift"
at = 30
[steps.question]
kind = "text"
prompt = "What do you tell the next shift?"
points = 20
"""
OPENED = {"cause": 10.0, "priority": 20.0, "next_shift": 30.0}
ANSWERS = {
    "cause": "The load rose past the rating, so the current and the losses rose.",
    "next_shift": "Watch M07's current; the conveyor jammed at 06:10.",
}
END_S = 40.0
STARTED_NS = 1_764_000_000_000_000_000


def write_lesson(folder: Path) -> Scenario:
    path = folder / "free_text.toml"
    path.write_text(LESSON, encoding="utf-8")
    return load_scenario(path)


def session_actions() -> list[TraineeAction]:
    """Both free-text questions answered, the choice right."""
    return [
        TraineeAction(12.0, "answer", value=ANSWERS["cause"], step_id="cause"),
        TraineeAction(21.0, "answer", value="current", step_id="priority"),
        TraineeAction(33.0, "answer", value=ANSWERS["next_shift"], step_id="next_shift"),
    ]


def save_session(records: TrainingRecords, lesson: Scenario, trainee: str = "Li Wei") -> int:
    """The session saved as trainee mode saves it (scenario and end kept); its id."""
    actions = session_actions()
    result = score(lesson, actions, OPENED, end_s=END_S)
    return records.save(
        trainee, lesson.name, lesson.source_path, STARTED_NS, result, actions,
        scenario=lesson, end_s=END_S,
    )  # fmt: skip
