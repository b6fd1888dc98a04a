"""Scoring a trainee's session against a scenario, and the scenario's own answer key.

The session is what the trainee did (``TraineeAction``: scenario time, wall time, what,
on what, in which step) and when each step opened (``opened``: step id -> scenario time).
Scoring is a pure function of those, so a debrief, a report and a test agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from twin.training.model import ActionKind, Expectation, Question, QuestionKind, Scenario, Step

RIGHT, WRONG, LATE, MISSED, DONE, AVOIDED, TO_MARK = (
    "right", "wrong", "late", "missed", "done", "avoided", "to mark",
)  # fmt: skip


@dataclass(frozen=True)
class TraineeAction:
    """One thing the trainee did. ``kind`` is an ActionKind value, "answer" or "hint";
    ``target`` the alarm or asset id acted on; ``value`` the answer given (text, number)
    or the hint's index."""

    t_s: float  # scenario time
    kind: str
    target: str | None = None
    value: str | float | None = None
    step_id: str | None = None  # the step open when it was done
    wall_s: float = math.nan  # seconds since the session started, pauses included


@dataclass(frozen=True)
class Outcome:
    what: str  # "question", "acknowledge M07.temp:HI", "hint 1"
    status: str  # RIGHT, WRONG, LATE, MISSED, DONE, AVOIDED, TO_MARK, or "hint"
    points: float
    max_points: float
    delay_s: float = math.nan  # from the step's opening to the action


@dataclass(frozen=True)
class StepResult:
    step_id: str
    opened_s: float  # NaN: the scenario ended before the step
    outcomes: tuple[Outcome, ...]

    @property
    def points(self) -> float:
        return max(0.0, sum(o.points for o in self.outcomes))

    @property
    def max_points(self) -> float:
        return sum(o.max_points for o in self.outcomes)


@dataclass(frozen=True)
class Score:
    steps: tuple[StepResult, ...]
    pass_score: float
    time_to_detect_s: float  # first right asset selection or answer after its step opened
    time_to_acknowledge_s: float  # mean delay of the expected acknowledgements done
    wrong_actions: int  # acknowledgements, shelves and selections nothing asked for

    @property
    def points(self) -> float:
        return sum(s.points for s in self.steps)

    @property
    def max_points(self) -> float:
        return sum(s.max_points for s in self.steps)

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 100.0

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_score


def score(
    scenario: Scenario,
    actions: Sequence[TraineeAction],
    opened: Mapping[str, float],
    *,
    end_s: float,
    marks: Mapping[str, float] | None = None,
) -> Score:
    """Score ``actions``; ``opened`` gives each reached step's opening time, ``end_s``
    the scenario time the session ended, ``marks`` the trainer's points for free-text
    answers by step id."""
    ordered = sorted(actions, key=lambda a: a.t_s)
    results = tuple(
        _step_result(step, ordered, opened.get(step.id, math.nan), end_s, marks or {})
        for step in scenario.steps
    )
    return Score(
        steps=results,
        pass_score=scenario.pass_score,
        time_to_detect_s=_time_to_detect(scenario.steps, ordered, opened),
        time_to_acknowledge_s=_mean_delay(results, ActionKind.ACKNOWLEDGE.value),
        wrong_actions=_wrong_actions(scenario.steps, ordered),
    )


def _step_result(
    step: Step,
    actions: Sequence[TraineeAction],
    opened_s: float,
    end_s: float,
    marks: Mapping[str, float],
) -> StepResult:
    outcomes: list[Outcome] = []
    if step.question is not None:
        outcomes.append(_question_outcome(step, actions, opened_s, marks))
    outcomes += [_expect_outcome(e, actions, opened_s, end_s) for e in step.expect]
    used = {_hint_index(a.value) for a in actions if a.kind == "hint" and a.step_id == step.id}
    for index in sorted(used):
        if 0 <= index < len(step.hints):
            outcomes.append(Outcome(f"hint {index + 1}", "hint", -step.hints[index].cost, 0.0))
    return StepResult(step.id, opened_s, tuple(outcomes))


def _question_outcome(
    step: Step, actions: Sequence[TraineeAction], opened_s: float, marks: Mapping[str, float]
) -> Outcome:
    q = step.question
    assert q is not None
    given = next((a for a in actions if a.kind == "answer" and a.step_id == step.id), None)
    if given is None:
        return Outcome("question", MISSED, 0.0, q.points)
    delay = given.t_s - opened_s
    if q.kind is QuestionKind.TEXT:
        if step.id not in marks:
            return Outcome("question", TO_MARK, 0.0, q.points, delay)
        return Outcome(
            "question",
            RIGHT if marks[step.id] > 0 else WRONG,
            min(marks[step.id], q.points),
            q.points,
            delay,
        )
    right = is_right(q, given.value)
    return Outcome(
        "question", RIGHT if right else WRONG, q.points if right else 0.0, q.points, delay
    )


def is_right(question: Question, given: str | float | None) -> bool:
    """Whether ``given`` answers ``question`` (never for free text: the trainer marks it)."""
    if given is None or question.kind is QuestionKind.TEXT:
        return False
    if question.kind is QuestionKind.VALUE:
        try:
            value = float(given)
        except ValueError:
            return False
        return abs(value - float(question.answer or 0.0)) <= question.tolerance
    return str(given).strip() == str(question.answer)


def _expect_outcome(
    e: Expectation, actions: Sequence[TraineeAction], opened_s: float, end_s: float
) -> Outcome:
    what = f"{e.action.value} {e.target}" if e.target else e.action.value
    if math.isnan(opened_s):
        return Outcome(what, MISSED, 0.0, e.points)
    done = next((a for a in actions if a.t_s >= opened_s and _matches(e, a)), None)
    if e.forbidden:
        if done is None or done.t_s > end_s:
            return Outcome("no " + what, AVOIDED, e.points, e.points)
        return Outcome("no " + what, DONE, 0.0, e.points, done.t_s - opened_s)
    if done is None:
        return Outcome(what, MISSED, 0.0, e.points)
    delay = done.t_s - opened_s
    if e.within_s is not None and delay > e.within_s:
        return Outcome(what, LATE, 0.0, e.points, delay)
    return Outcome(what, DONE, e.points, e.points, delay)


def _matches(e: Expectation, a: TraineeAction) -> bool:
    return a.kind == e.action.value and (e.target is None or a.target == e.target)


def _hint_index(value: str | float | None) -> int:
    """The hint's index logged as ``value``; -1 (no hint) for anything else."""
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    return -1


def _time_to_detect(
    steps: Sequence[Step], actions: Sequence[TraineeAction], opened: Mapping[str, float]
) -> float:
    """Scenario seconds from the first step that asks for the failing asset (a question or
    a selection) to the trainee's first right answer to it; NaN when none was asked or found."""
    for step in steps:
        targets = {
            e.target for e in step.expect if e.action is ActionKind.SELECT and not e.forbidden
        }
        q = step.question
        if q is not None and q.kind is QuestionKind.ASSET:
            targets.add(str(q.answer))
        if not targets or step.id not in opened:
            continue
        t0 = opened[step.id]
        for a in actions:
            if a.t_s < t0:
                continue
            picked = a.kind == ActionKind.SELECT.value or (
                a.kind == "answer" and a.step_id == step.id
            )
            chosen = a.target if a.kind == ActionKind.SELECT.value else a.value
            if picked and chosen in targets:
                return a.t_s - t0
        return math.nan
    return math.nan


def _mean_delay(results: Iterable[StepResult], action: str) -> float:
    delays = [
        o.delay_s
        for r in results
        for o in r.outcomes
        if o.what.startswith(action) and o.status in (DONE, LATE) and not math.isnan(o.delay_s)
    ]
    return sum(delays) / len(delays) if delays else math.nan


def _wrong_actions(steps: Sequence[Step], actions: Sequence[TraineeAction]) -> int:
    wanted = {(e.action.value, e.target) for s in steps for e in s.expect if not e.forbidden}
    counted = (ActionKind.ACKNOWLEDGE.value, ActionKind.SHELVE.value, ActionKind.SELECT.value)
    return sum(
        1
        for a in actions
        if a.kind in counted and (a.kind, a.target) not in wanted and (a.kind, None) not in wanted
    )


def answer_key(scenario: Scenario, opened: Mapping[str, float]) -> list[TraineeAction]:
    """What a perfect trainee does: every question answered right and every expected
    action taken the moment its step opens, nothing forbidden, no hint."""
    key: list[TraineeAction] = []
    for step in scenario.steps:
        t = opened.get(step.id)
        if t is None:
            continue
        q = step.question
        if q is not None:
            key.append(TraineeAction(t, "answer", value=q.answer, step_id=step.id))
        for e in step.expect:
            if not e.forbidden:
                key.append(TraineeAction(t, e.action.value, target=e.target, step_id=step.id))
    return key
