"""The scenario writer: what it writes reads back to the same scenario (generated ones and
the shipped lessons), and the draft refuses what a file could not hold."""

from __future__ import annotations

import string
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twin.training.draft import ScenarioDraft
from twin.training.model import (
    ActionKind,
    Expectation,
    Hint,
    Question,
    QuestionKind,
    ReplaySource,
    Scenario,
    ScenarioKind,
    SimulatedSource,
    Step,
    Trigger,
)
from twin.training.scenario_file import ScenarioError, load_scenario
from twin.training.scenario_writer import scenario_text, write_scenario

ROOT = Path(__file__).resolve().parents[2]

# Any text a person might type, control characters, quotes and CJK included (no lone
# surrogates: a file is UTF-8).
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
names = texts.filter(lambda s: bool(s.strip()))
ids = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=12)
numbers = st.floats(-1e9, 1e9, allow_nan=False)
amounts = st.floats(0, 1e6, allow_nan=False)


@st.composite
def questions(draw: st.DrawFn) -> Question:
    kind = draw(st.sampled_from(QuestionKind))
    options: tuple[str, ...] = ()
    answer: str | float | None = None
    if kind is QuestionKind.CHOICE:
        options = tuple(draw(st.lists(names, min_size=2, max_size=5)))
        answer = draw(st.sampled_from(options))
    elif kind is QuestionKind.VALUE:
        answer = draw(numbers)
    elif kind is not QuestionKind.TEXT:
        answer = draw(names)
    return Question(
        kind=kind,
        prompt=draw(names),
        points=draw(amounts),
        options=options,
        answer=answer,
        tolerance=draw(amounts) if kind is QuestionKind.VALUE else 0.0,
        signal=draw(st.none() | names),
    )


@st.composite
def expectations(draw: st.DrawFn) -> Expectation:
    action = draw(st.sampled_from(ActionKind))
    forbidden = draw(st.booleans())
    needs = action in (ActionKind.ACKNOWLEDGE, ActionKind.SELECT) and not forbidden
    return Expectation(
        action=action,
        points=draw(amounts),
        target=draw(names) if needs else draw(st.none() | names),
        within_s=draw(st.none() | amounts),
        forbidden=forbidden,
    )


def triggers(at: float) -> st.SearchStrategy[Trigger]:
    on_signal = st.builds(
        lambda sig, x, up: Trigger(signal=sig, above=x) if up else Trigger(signal=sig, below=x),
        names,
        numbers,
        st.booleans(),
    )
    return st.just(Trigger(at_s=at)) | st.builds(lambda a: Trigger(alarm=a), names) | on_signal


@st.composite
def scenarios(draw: st.DrawFn, folder: Path) -> Scenario:
    step_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    times = sorted(draw(st.lists(amounts, min_size=len(step_ids), max_size=len(step_ids))))
    steps = []
    for step_id, at in zip(step_ids, times, strict=True):
        question = draw(st.none() | questions())
        expect = tuple(draw(st.lists(expectations(), max_size=3)))
        text = draw(texts if question or expect else names)
        steps.append(
            Step(
                id=step_id,
                trigger=draw(triggers(at)),
                text=text,
                pause=draw(st.booleans()),
                question=question,
                expect=expect,
                hints=tuple(draw(st.lists(st.builds(Hint, names, amounts), max_size=2))),
            )
        )
    replayed = draw(st.booleans())
    start = draw(st.floats(0, 1e5, allow_nan=False))
    where = folder / draw(st.sampled_from(["lesson.twinpkg", "sub/night.twinhist"]))
    return Scenario(
        name=draw(names),
        kind=ScenarioKind.REPLAY if replayed else ScenarioKind.SIMULATED,
        steps=tuple(steps),
        source_path=str(folder / "lesson.toml"),
        description=draw(texts),
        pass_score=draw(st.floats(0, 100)),
        replay=ReplaySource(
            package=str(where) if where.suffix == ".twinpkg" else None,
            recording=str(where) if where.suffix == ".twinhist" else None,
            start_s=start,
            end_s=draw(st.none() | st.floats(start + 1, 2e5)),
        )
        if replayed
        else None,
        simulated=None
        if replayed
        else SimulatedSource(
            plant=str(folder / "plant.toml"),
            seed=draw(st.integers(0, 2**31)),
            duration_s=draw(st.floats(1, 1e5)),
            faults=tuple(draw(st.lists(names, max_size=3))),
        ),
    )


def _comparable(s: Scenario) -> Scenario:
    """Without what the loader adds (lines, the assets the steps name)."""
    return replace(s, steps=tuple(replace(x, line=None) for x in s.steps), assets=())


FOLDER = Path(tempfile.mkdtemp(prefix="twindeck-writer-"))  # one per run


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(FOLDER))
def test_a_written_scenario_reads_back_the_same(scenario: Scenario) -> None:
    path = write_scenario(scenario, FOLDER / "lesson.toml")
    assert _comparable(load_scenario(path)) == _comparable(scenario)


@pytest.mark.parametrize("lesson", ["fan_bearing.toml", "motor_overload.toml"])
def test_each_shipped_lesson_reads_back_the_same_when_rewritten(
    tmp_path: Path, lesson: str
) -> None:
    original = load_scenario(ROOT / "assets" / "training" / lesson)
    path = write_scenario(original, tmp_path / lesson)
    again = load_scenario(path)
    assert _comparable(again) == _comparable(replace(original, source_path=str(path)))
    assert again.assets == original.assets


def test_a_package_beside_the_file_is_named_relative_to_it(tmp_path: Path) -> None:
    source = ReplaySource(package=str(tmp_path / "m07.twinpkg"), start_s=30.0, end_s=200.0)
    draft = ScenarioDraft("M07", source, steps=[Step("brief", Trigger(at_s=0), text="Hello")])
    text = draft.text(tmp_path / "m07.toml")
    assert 'package = "m07.twinpkg"' in text and "start = 30" in text and "end = 200" in text


def test_the_draft_keeps_timed_steps_in_time_order(tmp_path: Path) -> None:
    draft = ScenarioDraft("M07", ReplaySource(package=str(tmp_path / "p.twinpkg")))
    for step_id, at in (("c", 30.0), ("a", 10.0), ("b", 20.0)):
        draft.add(Step(step_id, Trigger(at_s=at), text=step_id))
    draft.add(Step("alarm", Trigger(alarm="M07.current:HH"), text="up"))
    assert [s.id for s in draft.steps] == ["a", "b", "c", "alarm"]
    draft.replace_step("a", Step("a", Trigger(at_s=25.0), text="moved"))
    assert [s.id for s in draft.steps] == ["b", "a", "c", "alarm"]
    assert draft.new_id("b") == "b_2" and draft.new_id("valve 3") == "valve_3"
    with pytest.raises(ValueError, match="already called 'c'"):
        draft.add(Step("c", Trigger(at_s=40.0), text="again"))
    assert [s.id for s in draft.scenario(tmp_path / "x.toml").steps] == ["b", "a", "c", "alarm"]


def test_a_draft_a_file_could_not_hold_is_refused_with_its_step(tmp_path: Path) -> None:
    wrong = Question(QuestionKind.CHOICE, "Which?", 10.0, ("Bearing", "Winding"), "Fan")
    draft = ScenarioDraft(
        "M07",
        ReplaySource(package=str(tmp_path / "p.twinpkg")),
        steps=[Step("cause", Trigger(at_s=5), question=wrong)],
    )
    with pytest.raises(ScenarioError, match="step \"cause\", question: answer 'Fan' is not one"):
        draft.scenario(tmp_path / "x.toml")
    empty = ScenarioDraft("M07", ReplaySource(package=str(tmp_path / "p.twinpkg")))
    with pytest.raises(ScenarioError, match="at least one"):
        empty.scenario(tmp_path / "x.toml")


def test_strings_are_escaped_as_toml_basic_strings(tmp_path: Path) -> None:
    step = Step("s", Trigger(at_s=1.5), text='say "stop"\\\n\t报警\x01')
    draft = ScenarioDraft("名", ReplaySource(recording=str(tmp_path / "r.twinhist")), steps=[step])
    text = scenario_text(draft.scenario(tmp_path / "x.toml"), tmp_path / "x.toml")
    assert r'text = "say \"stop\"\\\n\t报警\u0001"' in text
    assert "at = 1.5" in text
