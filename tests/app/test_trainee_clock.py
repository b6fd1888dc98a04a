"""The trainee's clock (no seeking past the furthest moment reached, no play while a step
waits, a stop exactly at the next step) and the debrief's marks, without a window."""

from __future__ import annotations

from pathlib import Path

from app.training.debrief import EXPECTED, TRAINEE, debrief_marks
from app.training.lock import TrainingClock
from twin.timebase import NS_PER_S
from twin.training.scenario_file import load_scenario
from twin.training.scoring import TraineeAction

ROOT = Path(__file__).resolve().parents[2]
T0 = 1_000 * NS_PER_S


class Wall:
    def __init__(self) -> None:
        self.t = 5_000 * NS_PER_S

    def __call__(self) -> int:
        return self.t


def _clock(stop_s: float) -> tuple[TrainingClock, Wall]:
    wall = Wall()
    clock = TrainingClock(wall)
    clock.begin(T0, T0)
    clock.stop_at(T0 + round(stop_s * NS_PER_S))
    clock.set_rate(10.0)
    return clock, wall


def test_the_clock_stops_at_the_next_step_and_never_seeks_past_what_was_reached() -> None:
    clock, wall = _clock(stop_s=60)
    clock.play()
    wall.t += 2 * NS_PER_S  # 20 s of scenario at 10x
    assert clock.now() == T0 + 20 * NS_PER_S
    wall.t += 10 * NS_PER_S  # 100 s more: the clock stops at the step, at 60 s
    assert clock.now() == T0 + 60 * NS_PER_S and not clock.playing
    assert clock.reached_ns == T0 + 60 * NS_PER_S
    assert clock.seek(T0 + 10 * NS_PER_S) == T0 + 10 * NS_PER_S  # back: allowed
    assert clock.seek(T0 + 59 * NS_PER_S) == T0 + 59 * NS_PER_S
    clock.stop_at(T0 + 300 * NS_PER_S)  # the next step is far: seeking still ends at 60 s
    assert clock.seek(T0 + 200 * NS_PER_S) == T0 + 60 * NS_PER_S
    clock.seek(T0)
    clock.go_live()
    assert clock.now() == T0 + 60 * NS_PER_S
    assert clock.set_loop(T0, T0 + 250 * NS_PER_S) == (T0, T0 + 60 * NS_PER_S)


def test_a_held_step_refuses_play_until_released_and_the_debrief_unlocks() -> None:
    clock, wall = _clock(stop_s=60)
    clock.held = True
    clock.play()
    wall.t += 3 * NS_PER_S
    assert clock.now() == T0 and not clock.playing
    clock.held = False
    clock.play()
    wall.t += 3 * NS_PER_S
    assert clock.now() == T0 + 30 * NS_PER_S
    clock.unlocked = True
    clock.stop_at(T0 + 300 * NS_PER_S)
    assert clock.seek(T0 + 250 * NS_PER_S) == T0 + 250 * NS_PER_S


def test_debrief_marks_say_how_each_action_went() -> None:
    scenario = load_scenario(ROOT / "assets" / "training" / "motor_overload.toml")
    first = scenario.step("first_alarm")
    assert first.question is not None
    opened = {"briefing": 0.0, "first_alarm": 60.0, "current_now": 100.0}
    actions = [
        TraineeAction(60.0, "answer", value="M07.current:H", step_id="first_alarm"),
        TraineeAction(60.0, "hint", value=0, step_id="first_alarm"),
        TraineeAction(130.0, "acknowledge", target="M07.current:HH", step_id="current_now"),
        TraineeAction(100.0, "answer", value=first.question.answer, step_id="first_alarm"),
        TraineeAction(101.0, "select", target="M01", step_id="current_now"),
    ]
    marks = debrief_marks(scenario, actions, opened)
    expected = [m for m in marks if m.row == EXPECTED]
    # One per question and expected action of each step reached, at its opening.
    reached = [scenario.step(s) for s in opened]
    wanted = sum(len(s.expect) + (s.question is not None) for s in reached)
    assert len(expected) == wanted
    assert {m.t_s for m in expected} <= set(opened.values())
    trainee = [(m.t_s, m.outcome) for m in marks if m.row == TRAINEE]
    assert trainee == [(60.0, "wrong"), (60.0, "other"), (130.0, "late"), (100.0, "right"),
                       (101.0, "other")]  # fmt: skip
