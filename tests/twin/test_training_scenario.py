"""Scenario files: the shipped ones load, and every kind of mistake is reported with the
file, the line and the step."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.plant.loader import load_plant
from twin.training.model import ActionKind, QuestionKind, ScenarioKind
from twin.training.scenario_file import (
    ScenarioError,
    check_scenario,
    load_scenario,
    parse_scenario,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "assets" / "training").glob("*.toml"))

HEAD = """
[scenario]
name = "Overload"
kind = "replay"

[replay]
package = "overload.twinpkg"
start = "30s"
"""

STEP = """
[[steps]]
id = "ack"
at = "1m"
text = "Handle the alarm."
[[steps.expect]]
action = "acknowledge"
target = "M07.current:HH"
within = 60
points = 15
"""


def parse(text: str):
    return parse_scenario(text, "/lessons/s.toml")


def error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse(text)
    return info.value


def test_a_replay_scenario_reads_its_steps_and_resolves_paths_beside_the_file() -> None:
    s = parse(HEAD + STEP)
    assert s.kind is ScenarioKind.REPLAY
    assert s.replay is not None and s.replay.package == "/lessons/overload.twinpkg"
    assert s.replay.start_s == 30.0 and s.replay.end_s is None
    (step,) = s.steps
    assert step.trigger.at_s == 60.0 and step.pause
    (e,) = step.expect
    assert (e.action, e.target, e.within_s, e.points) == (
        ActionKind.ACKNOWLEDGE, "M07.current:HH", 60.0, 15.0,
    )  # fmt: skip
    assert s.max_points == 15.0


def test_questions_of_every_kind_and_hints() -> None:
    text = (
        HEAD
        + """
[[steps]]
id = "q1"
on = { signal = "M07.winding_temp", above = 110 }
[steps.question]
kind = "choice"
prompt = "Why?"
options = ["a", "b"]
answer = "b"
[[steps.hints]]
text = "look"
cost = 3

[[steps]]
id = "q2"
on = { alarm = "M07.current:HH" }
pause = false
[steps.question]
kind = "value"
prompt = "Current now?"
answer = 12.5
tolerance = 0.5
signal = "M07.current"
points = 5
"""
    )
    s = parse(text)
    q1, q2 = s.steps
    assert q1.trigger.signal == "M07.winding_temp" and q1.trigger.above == 110
    assert q1.question is not None and q1.question.kind is QuestionKind.CHOICE
    assert q1.hints[0].cost == 3.0
    assert q2.trigger.alarm == "M07.current:HH" and not q2.pause
    assert q2.question is not None and q2.question.answer == 12.5
    assert s.max_points == 15.0


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (HEAD + STEP.replace('at = "1m"', 'at = "soon"'), 12, ['step "ack"', "at", "not a time"]),
        (HEAD + STEP.replace("acknowledge", "acknowlege"), 15, ["acknowledge"]),
        (HEAD + STEP + STEP, 21, ["duplicate step id 'ack'"]),
        (HEAD.replace('"replay"\n', '"live"\n', 1), 4, ["kind", "replay", "simulated"]),
        (
            HEAD + STEP.replace('text = "Handle the alarm."', "colour = 3"),
            13,
            ["unknown key 'colour'"],
        ),
        (HEAD.replace('start = "30s"', 'start = "1m"\nend = "30s"'), 9, ["end", "after start"]),
        (
            HEAD + STEP.replace('at = "1m"', 'at = "1m"\non = { alarm = "x:H" }'),
            13,
            ["exactly one of at"],
        ),
    ],
)
def test_mistakes_name_the_file_line_and_step(text: str, line: int, words: list[str]) -> None:
    err = error(text)
    assert err.path == "/lessons/s.toml"
    assert err.line == line, str(err)
    for word in words:
        assert word in str(err)


def test_a_choice_whose_answer_is_not_an_option_is_refused() -> None:
    text = (
        HEAD
        + """
[[steps]]
id = "q"
at = 5
[steps.question]
kind = "choice"
prompt = "Why?"
options = ["a", "b"]
answer = "c"
"""
    )
    err = error(text)
    assert err.where == 'step "q", question' and "'c' is not one of the options" in str(err)


def test_steps_out_of_time_order_are_refused() -> None:
    later = STEP.replace('id = "ack"', 'id = "late"').replace('at = "1m"', 'at = "2m"')
    err = error(HEAD + later + STEP)
    assert 'step "ack"' in str(err) and "before the previous timed step" in str(err)


def test_not_toml_names_the_line() -> None:
    err = error(HEAD + "\n[[steps]\n")
    assert err.line is not None and "not valid TOML" in str(err)


@pytest.fixture(scope="module")
def demo():
    return load_plant(ROOT / "assets" / "plants" / "demo_workshop.toml")


def _ids(plant):
    assets = {a.id: a for a in plant.assets}
    signals = {f"{a.id}.{s.key}": s for a in plant.assets for s in a.signals}
    return assets, signals


def test_unknown_assets_and_steps_past_the_end_are_located(demo) -> None:
    assets, signals = _ids(demo)
    text = HEAD + STEP.replace("M07.current:HH", "M77.current:HH")
    with pytest.raises(ScenarioError) as info:
        check_scenario(parse(text), assets=assets, signals=signals, duration_s=600, text=text)
    assert info.value.line == 16 and "unknown alarm's signal 'M77.current'" in str(info.value)
    assert info.value.where == 'step "ack", expect #1'
    text = HEAD + STEP
    with pytest.raises(ScenarioError) as info:
        check_scenario(parse(text), assets=assets, signals=signals, duration_s=45, text=text)
    assert info.value.line == 12 and "after the end of the scenario (45 s)" in str(info.value)
    check_scenario(parse(text), assets=assets, signals=signals, duration_s=600, text=text)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_shipped_scenarios_load_and_match_the_demo_plant(path: Path, demo) -> None:
    s = load_scenario(path)
    assets, signals = _ids(demo)
    duration = s.simulated.duration_s if s.simulated else None
    check_scenario(s, assets=assets, signals=signals, duration_s=duration)
    assert s.max_points > 0 and len(s.steps) >= 3
