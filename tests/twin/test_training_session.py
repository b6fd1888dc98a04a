"""A trainee's run: steps open in order on time or on events, a pause freezes the
scenario, the trainee never sees past the scenario so far, and the preview of a simulated
lesson meets its alarm when the simulation raises it."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.training.scenario_file import load_scenario, parse_scenario
from twin.training.session import TrainingSession, preview

ROOT = Path(__file__).resolve().parents[2]

LESSON = """
[scenario]
name = "Overload"
kind = "replay"
[replay]
recording = "x.twinhist"

[[steps]]
id = "intro"
at = 0
pause = false
text = "Watch."

[[steps]]
id = "hot"
on = { signal = "M07.winding_temp", above = 120 }
[steps.question]
kind = "asset"
prompt = "Which motor?"
answer = "M07"
[[steps.hints]]
text = "The hot one."
cost = 2
[[steps.hints]]
text = "M0 something."
cost = 4

[[steps]]
id = "alarm"
on = { alarm = "M07.winding_temp:HH" }
text = "Handle it."
[[steps.expect]]
action = "acknowledge"
target = "M07.winding_temp:HH"
within = 30
"""


@pytest.fixture
def session() -> TrainingSession:
    return TrainingSession(parse_scenario(LESSON, "l.toml"), trainee="Ana", end_s=300.0)


def test_steps_open_in_order_when_their_trigger_holds(session: TrainingSession) -> None:
    intro = session.advance(0.0)
    assert intro is not None and intro.id == "intro" and not session.paused
    assert session.advance(10.0, values={"M07.winding_temp": 119.0}) is None
    # the alarm is up already, but the step before it has not opened yet
    assert session.advance(11.0, {"M07.winding_temp:HH"}, {"M07.winding_temp": 99.0}) is None
    hot = session.advance(12.0, values={"M07.winding_temp": 121.0})
    assert hot is not None and hot.id == "hot" and session.paused
    assert session.opened == {"intro": 0.0, "hot": 12.0}


def test_a_pause_freezes_the_scenario_and_the_trainee_sees_no_further(
    session: TrainingSession,
) -> None:
    session.advance(0.0)
    session.advance(20.0, values={"M07.winding_temp": 125.0})
    assert session.paused
    assert session.advance(60.0, {"M07.winding_temp:HH"}) is None
    assert session.reached_s == 20.0
    assert session.limit(200.0) == 20.0 and session.limit(5.0) == 5.0
    session.answer("M07")
    assert not session.paused
    alarm = session.advance(25.0, {"M07.winding_temp:HH"})
    assert alarm is not None and alarm.id == "alarm" and session.limit(200.0) == 25.0


def test_hints_are_given_in_order_and_cost_their_points(session: TrainingSession) -> None:
    session.advance(0.0)
    session.advance(20.0, values={"M07.winding_temp": 125.0})
    texts = [getattr(session.hint(), "text", None) for _ in range(3)]
    assert texts == ["The hot one.", "M0 something.", None]
    session.answer("M07")
    session.advance(30.0, {"M07.winding_temp:HH"})
    session.go_on()
    session.record("acknowledge", target="M07.winding_temp:HH")
    session.advance(300.0)
    result = session.result()
    assert session.finished
    assert result.points == 20.0 - 6.0
    assert result.max_points == 20.0


def test_the_preview_opens_event_steps_when_their_events_happen() -> None:
    lesson = load_scenario(ROOT / "assets" / "training" / "fan_bearing.toml")
    run = preview(lesson, 840.0, {"M03.vibration:H": 553.0})
    assert run.opened["vibration_alarm"] == 553.0 and run.opened["bookmark"] == 720.0
    result = run.result()
    assert result.points == result.max_points == lesson.max_points
    # an event that never happens leaves its step, and those after it, unreached
    never = preview(lesson, 840.0, {})
    assert "vibration_alarm" not in never.opened and "bookmark" not in never.opened
    assert never.result().points == lesson.max_points - 40.0
