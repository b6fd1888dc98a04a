"""A trainee's run through a scenario: which step is open, whether the scenario clock is
frozen, how far the trainee may see, and the log of what the trainee did.

Steps open in file order: the next step opens when its trigger holds (its time has come,
its alarm is active, its signal is past its threshold), checked at each ``advance``. A
step that pauses freezes the scenario until the trainee answers its question or goes on.
Times are scenario seconds; the caller converts its clock's cursor.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from twin.training.model import Hint, Scenario, Step, Trigger
from twin.training.scoring import Score, TraineeAction, answer_key, score


@dataclass
class TrainingSession:
    scenario: Scenario
    trainee: str
    end_s: float  # the scenario's length (the replayed range, the simulation's duration)
    opened: dict[str, float] = field(default_factory=dict)  # step id -> scenario time
    actions: list[TraineeAction] = field(default_factory=list)
    reached_s: float = 0.0  # the furthest scenario time shown: the trainee sees no further
    current: Step | None = None  # the step opened last
    paused: bool = False  # frozen on a step that waits for the trainee
    answered: set[str] = field(default_factory=set)  # step ids whose question has an answer
    _next: int = 0  # index of the next step to open
    _hints_used: dict[str, int] = field(default_factory=dict)
    _wall0: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> bool:
        return self.reached_s >= self.end_s and not self.paused

    @property
    def pending(self) -> Step | None:
        """The next step to open, if any."""
        steps = self.scenario.steps
        return steps[self._next] if self._next < len(steps) else None

    def advance(
        self,
        t_s: float,
        active_alarms: Collection[str] = (),
        values: Mapping[str, float] | None = None,
    ) -> Step | None:
        """Move the scenario to ``t_s`` (never past a pause or the end); returns the step
        that opened, if one did. Call again with the same time after ``go_on`` to open a
        following step that is due at once."""
        if self.paused:
            return None
        self.reached_s = max(self.reached_s, min(t_s, self.end_s))
        step = self.pending
        if step is None or not _holds(step.trigger, self.reached_s, active_alarms, values or {}):
            return None
        self._next += 1
        self.opened[step.id] = self.reached_s
        self.current = step
        self.paused = step.pause
        return step

    def limit(self, t_s: float) -> float:
        """``t_s`` clamped to what the trainee may see: no seeking past the scenario so far."""
        return min(t_s, self.reached_s)

    def go_on(self) -> None:
        """Leave a pause (after reading an instruction, or after answering)."""
        self.paused = False

    def record(
        self, kind: str, target: str | None = None, value: str | float | None = None
    ) -> TraineeAction:
        """Log what the trainee did now, in the step open now."""
        action = TraineeAction(
            t_s=self.reached_s,
            kind=kind,
            target=target,
            value=value,
            step_id=self.current.id if self.current else None,
            wall_s=time.monotonic() - self._wall0,
        )
        self.actions.append(action)
        return action

    def answer(self, value: str | float) -> TraineeAction:
        """Answer the open step's question (the first answer counts) and go on."""
        step = self.current
        if step is None or step.question is None:
            raise ValueError("no question is open")
        action = self.record("answer", value=value)
        self.answered.add(step.id)
        self.go_on()
        return action

    def hint(self) -> Hint | None:
        """The open step's next hint (logged: it costs its points); None when none is left."""
        step = self.current
        if step is None:
            return None
        used = self._hints_used.get(step.id, 0)
        if used >= len(step.hints):
            return None
        self._hints_used[step.id] = used + 1
        self.record("hint", value=used)
        return step.hints[used]

    def result(self, marks: Mapping[str, float] | None = None) -> Score:
        return score(self.scenario, self.actions, self.opened, end_s=self.reached_s, marks=marks)


def _holds(
    trigger: Trigger, t_s: float, active_alarms: Collection[str], values: Mapping[str, float]
) -> bool:
    if trigger.at_s is not None:
        return t_s >= trigger.at_s
    if trigger.alarm is not None:
        return trigger.alarm in active_alarms
    value = values.get(trigger.signal or "")
    if value is None or value != value:  # no value yet, or NaN
        return False
    if trigger.above is not None:
        return value > trigger.above
    return trigger.below is not None and value < trigger.below


def preview(
    scenario: Scenario,
    end_s: float,
    events: Mapping[str, float] | None = None,
) -> TrainingSession:
    """Run ``scenario`` with its own answer key: each timed step opens at its time, each
    event step at the time ``events`` gives for its alarm or signal (from a replay or a
    simulation), and the key's actions are taken the moment each step opens."""
    session = TrainingSession(scenario, trainee="answer key", end_s=end_s)
    events = events or {}
    for step in scenario.steps:
        trig = step.trigger
        at = trig.at_s if trig.at_s is not None else events.get(trig.alarm or trig.signal or "")
        if at is None or at > end_s:
            break  # this step and the ones after it are never reached
        session.reached_s = max(session.reached_s, at)
        session.paused = False
        opened = session.advance(session.reached_s, _always(trig), _always_values(trig))
        assert opened is step
        for action in answer_key(scenario, {step.id: session.reached_s}):
            session.actions.append(action)
    session.paused = False
    session.reached_s = end_s
    return session


def _always(trigger: Trigger) -> Collection[str]:
    return (trigger.alarm,) if trigger.alarm else ()


def _always_values(trigger: Trigger) -> Mapping[str, float]:
    if trigger.signal is None:
        return {}
    above, below = trigger.above, trigger.below
    value = above + 1.0 if above is not None else (below or 0.0) - 1.0
    return {trigger.signal: value}
