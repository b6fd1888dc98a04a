"""A training scenario: what the trainee sees, is asked and is expected to do, and when.

Times are seconds of scenario time from the scenario's start (the replayed range's
first instant, or the simulation's start). A step happens at a time or on an event (an
alarm raised, a value crossing a threshold), pauses the scenario if it says so and may
ask a question, expect actions within a time and offer hints that cost points.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ScenarioKind(enum.StrEnum):
    REPLAY = "replay"  # an incident package or a recording's range, replayed
    SIMULATED = "simulated"  # a plant file, a seed and faults, run live on the simulator


class QuestionKind(enum.StrEnum):
    CHOICE = "choice"  # multiple choice: answer is one of the options
    ASSET = "asset"  # "click the asset that is failing": answer is an asset id
    FIRST_ALARM = "first_alarm"  # "which alarm do you act on first": an alarm id
    VALUE = "value"  # "what is the value of X now": a number within a tolerance
    TEXT = "text"  # free text, marked by the trainer


class ActionKind(enum.StrEnum):
    ACKNOWLEDGE = "acknowledge"  # acknowledge alarm TARGET
    SHELVE = "shelve"  # shelve alarm TARGET
    SELECT = "select"  # select asset TARGET
    BOOKMARK = "bookmark"  # set a bookmark with a comment
    COMMENT = "comment"  # comment on alarm TARGET


# What a trainee does, as logged: the expectations' actions, answers and hints.
LOGGED_ACTIONS = (*(a.value for a in ActionKind), "answer", "hint")


@dataclass(frozen=True)
class Trigger:
    """When a step happens: at ``at_s``, or on the first event after the previous step:
    ``alarm`` raised, or ``signal`` above ``above`` / below ``below``."""

    at_s: float | None = None
    alarm: str | None = None
    signal: str | None = None
    above: float | None = None
    below: float | None = None

    @property
    def timed(self) -> bool:
        return self.at_s is not None


@dataclass(frozen=True)
class Question:
    kind: QuestionKind
    prompt: str
    points: float
    options: tuple[str, ...] = ()  # CHOICE
    answer: str | float | None = None  # None for TEXT (marked by the trainer)
    tolerance: float = 0.0  # VALUE: |given - answer| <= tolerance is right
    signal: str | None = None  # VALUE: the signal asked about (for the debrief)


@dataclass(frozen=True)
class Expectation:
    """An action the trainee must take within ``within_s`` of the step; ``forbidden``
    turns it round: doing it (e.g. shelving) costs the points."""

    action: ActionKind
    points: float
    target: str | None = None  # alarm id or asset id; None: any
    within_s: float | None = None  # None: before the scenario ends
    forbidden: bool = False


@dataclass(frozen=True)
class Hint:
    text: str
    cost: float


@dataclass(frozen=True)
class Step:
    id: str
    trigger: Trigger
    text: str = ""  # the instruction shown
    pause: bool = True  # freeze the scenario clock while the step is open
    question: Question | None = None
    expect: tuple[Expectation, ...] = ()
    hints: tuple[Hint, ...] = ()
    line: int | None = None  # in the scenario file, for messages

    @property
    def max_points(self) -> float:
        q = self.question.points if self.question else 0.0
        return q + sum(e.points for e in self.expect)


@dataclass(frozen=True)
class ReplaySource:
    """An incident package, or a recording and a range (seconds from its start)."""

    package: str | None = None
    recording: str | None = None
    start_s: float = 0.0
    end_s: float | None = None


@dataclass(frozen=True)
class SimulatedSource:
    plant: str
    seed: int
    duration_s: float
    faults: tuple[str, ...] = ()  # ASSET:KIND@START[+DEVELOP], scenario seconds


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: ScenarioKind
    steps: tuple[Step, ...]
    source_path: str
    description: str = ""
    pass_score: float = 0.0  # percent
    replay: ReplaySource | None = None
    simulated: SimulatedSource | None = None
    assets: tuple[str, ...] = field(default=())  # asset ids the steps name (for checks)

    @property
    def max_points(self) -> float:
        return sum(s.max_points for s in self.steps)

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)
