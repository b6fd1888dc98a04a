"""Reading a scenario file (TOML) into a `Scenario`, with errors that name the file, the
line and the step. ``load_scenario`` checks the file alone; ``check_scenario`` checks it
against the plant and the length of what it replays (unknown asset, step past the end)."""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from twin.plant import fields as F
from twin.plant.fields import FieldError
from twin.plant.toml_lines import LineIndex, TomlPath
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

T = TypeVar("T")


class ScenarioError(Exception):
    """A scenario file that cannot be used; ``str(err)`` is the one-line message."""

    def __init__(self, reason: str, *, path: str, line: int | None = None, where: str = "") -> None:
        self.path, self.line, self.where, self.reason = path, line, where, reason
        place = f"{path}:{line}" if line is not None else path
        super().__init__(f"{place}: {where}: {reason}" if where else f"{place}: {reason}")


@dataclass(frozen=True)
class _Ctx:
    path: str
    lines: LineIndex
    where: str
    block: TomlPath

    def sub(self, where: str, block: TomlPath) -> _Ctx:
        joined = f"{self.where}, {where}" if self.where else where
        return _Ctx(self.path, self.lines, joined, block)

    def fail(self, reason: str, key: str | None = None) -> NoReturn:
        raise ScenarioError(
            reason, path=self.path, line=self.lines.find([self.block], key), where=self.where
        )

    def get(self, raw: Mapping[str, Any], key: str, check: Callable[[object], T]) -> T:
        if key not in raw:
            self.fail(f"missing {key!r}")
        try:
            return check(raw[key])
        except FieldError as exc:
            self.fail(f"{key} {exc}", key)

    def opt(self, raw: Mapping[str, Any], key: str, check: Callable[[object], T], default: T) -> T:
        return self.get(raw, key, check) if key in raw else default

    def only(self, raw: object, allowed: tuple[str, ...], noun: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(f"{noun} must be a table")
        for key in raw:
            if key not in allowed:
                self.fail(f"unknown key {key!r} in {noun}{F.did_you_mean(key, allowed)}", key)
        return raw


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and check the scenario file at ``path``; raises ScenarioError."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError("no such file", path=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read the file: {exc}", path=name) from None
    return parse_scenario(text, name)


def parse_scenario(text: str, source_path: str) -> Scenario:
    """Parse scenario-file ``text``; ``source_path`` names it in errors and anchors the
    relative paths of packages, recordings and plants."""
    try:
        top = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        raise ScenarioError(f"not valid TOML: {exc}", path=source_path, line=line) from None
    ctx = _Ctx(source_path, LineIndex(text), "", ())
    ctx.only(top, ("scenario", "replay", "simulated", "steps"), "the file")
    if "scenario" not in top:
        ctx.fail('missing the [scenario] table (with name = "..." and kind = "replay")')
    head = ctx.sub("[scenario]", ("scenario",))
    info = head.only(top["scenario"], ("name", "kind", "description", "pass_score"), "[scenario]")
    kind = ScenarioKind(head.get(info, "kind", _one_of(ScenarioKind)))
    base = Path(source_path).parent
    replay = _replay(top, ctx, base) if kind is ScenarioKind.REPLAY else None
    simulated = _simulated(top, ctx, base) if kind is ScenarioKind.SIMULATED else None
    raw_steps = top.get("steps", [])
    if not isinstance(raw_steps, list) or not raw_steps:
        ctx.fail("a scenario needs at least one [[steps]]")
    steps = tuple(_step(raw, i, ctx) for i, raw in enumerate(raw_steps))
    _check_steps(steps, ctx)
    return Scenario(
        name=head.get(info, "name", F.name),
        kind=kind,
        steps=steps,
        source_path=source_path,
        description=head.opt(info, "description", F.text, ""),
        pass_score=head.opt(info, "pass_score", _percent, 0.0),
        replay=replay,
        simulated=simulated,
        assets=_named_assets(steps),
    )


def _replay(top: dict[str, Any], ctx: _Ctx, base: Path) -> ReplaySource:
    if "replay" not in top:
        ctx.fail('a replay scenario needs a [replay] table (package = "..." or recording = "...")')
    sub = ctx.sub("[replay]", ("replay",))
    raw = sub.only(top["replay"], ("package", "recording", "start", "end"), "[replay]")
    package = sub.opt(raw, "package", F.name, "")
    recording = sub.opt(raw, "recording", F.name, "")
    if bool(package) == bool(recording):
        sub.fail('give exactly one of package = "..." and recording = "..."')
    start = sub.opt(raw, "start", F.duration, 0.0)
    end = sub.opt(raw, "end", F.duration, math.inf)
    if end <= start:
        sub.fail(f"end ({end:g} s) must be after start ({start:g} s)", "end")
    return ReplaySource(
        package=str(base / package) if package else None,
        recording=str(base / recording) if recording else None,
        start_s=start,
        end_s=None if math.isinf(end) else end,
    )


def _simulated(top: dict[str, Any], ctx: _Ctx, base: Path) -> SimulatedSource:
    if "simulated" not in top:
        ctx.fail('a simulated scenario needs a [simulated] table (plant = "...", duration)')
    sub = ctx.sub("[simulated]", ("simulated",))
    raw = sub.only(top["simulated"], ("plant", "seed", "duration", "faults"), "[simulated]")
    none: tuple[str, ...] = ()
    faults = sub.opt(raw, "faults", _strings, none)
    duration = sub.get(raw, "duration", F.duration)
    if duration <= 0:
        sub.fail("duration must be > 0", "duration")
    return SimulatedSource(
        plant=str(base / sub.get(raw, "plant", F.name)),
        seed=sub.opt(raw, "seed", F.integer, 1),
        duration_s=duration,
        faults=faults,
    )


_STEP_KEYS = ("id", "at", "on", "text", "pause", "question", "expect", "hints")


def _step(raw: object, index: int, ctx: _Ctx) -> Step:
    label = f"step #{index + 1}"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        label = f'step "{raw["id"]}"'
    sub = ctx.sub(label, ("steps", index))
    raw = sub.only(raw, _STEP_KEYS, "a step")
    if ("at" in raw) == ("on" in raw):
        sub.fail('give exactly one of at = TIME and on = { alarm = "..." } (or signal)', "on")
    trigger = Trigger(at_s=sub.get(raw, "at", F.duration)) if "at" in raw else _on(raw, sub)
    question = (
        _question(raw["question"], sub.sub("question", ("steps", index, "question")))
        if "question" in raw
        else None
    )
    expect = tuple(
        _expectation(e, sub.sub(f"expect #{i + 1}", ("steps", index, "expect", i)))
        for i, e in enumerate(_list(raw.get("expect", []), sub, "expect"))
    )
    hints = tuple(
        _hint(h, sub.sub(f"hint #{i + 1}", ("steps", index, "hints", i)))
        for i, h in enumerate(_list(raw.get("hints", []), sub, "hints"))
    )
    text = sub.opt(raw, "text", F.text, "")
    if not (text or question or expect):
        sub.fail("a step needs text, a question or an expected action")
    return Step(
        id=sub.get(raw, "id", F.ident),
        trigger=trigger,
        text=text,
        pause=sub.opt(raw, "pause", _flag, True),
        question=question,
        expect=expect,
        hints=hints,
        line=ctx.lines.find([("steps", index)]),
    )


def _on(raw: dict[str, Any], ctx: _Ctx) -> Trigger:
    on = ctx.only(raw["on"], ("alarm", "signal", "above", "below"), "on")
    if ("alarm" in on) == ("signal" in on):
        ctx.fail('on needs exactly one of alarm = "SIGNAL:KIND" and signal = "ASSET.KEY"', "on")
    if "alarm" in on:
        return Trigger(alarm=ctx.get(on, "alarm", F.name))
    if ("above" in on) == ("below" in on):
        ctx.fail("on = { signal = ... } needs exactly one of above = X and below = X", "on")
    return Trigger(
        signal=ctx.get(on, "signal", F.name),
        above=ctx.opt(on, "above", F.number, None),
        below=ctx.opt(on, "below", F.number, None),
    )


_QUESTION_KEYS = ("kind", "prompt", "points", "options", "answer", "tolerance", "signal")


def _question(raw: object, ctx: _Ctx) -> Question:
    raw = ctx.only(raw, _QUESTION_KEYS, "the question")
    kind = QuestionKind(ctx.get(raw, "kind", _one_of(QuestionKind)))
    options: tuple[str, ...] = ()
    answer: str | float | None = None
    if kind is QuestionKind.CHOICE:
        options = ctx.get(raw, "options", _strings)
        if len(options) < 2:
            ctx.fail("a choice needs at least two options", "options")
        answer = ctx.get(raw, "answer", F.name)
        if answer not in options:
            ctx.fail(f"answer {answer!r} is not one of the options", "answer")
    elif kind is QuestionKind.VALUE:
        answer = ctx.get(raw, "answer", F.number)
    elif kind is not QuestionKind.TEXT:
        answer = ctx.get(raw, "answer", F.name)
    return Question(
        kind=kind,
        prompt=ctx.get(raw, "prompt", F.name),
        points=ctx.opt(raw, "points", F.non_negative, 10.0),
        options=options,
        answer=answer,
        tolerance=ctx.opt(raw, "tolerance", F.non_negative, 0.0),
        signal=ctx.opt(raw, "signal", F.name, None),
    )


def _expectation(raw: object, ctx: _Ctx) -> Expectation:
    raw = ctx.only(raw, ("action", "target", "within", "points", "forbidden"), "an expectation")
    action = ActionKind(ctx.get(raw, "action", _one_of(ActionKind)))
    target = ctx.opt(raw, "target", F.name, None)
    forbidden = ctx.opt(raw, "forbidden", _flag, False)
    needs_target = action in (ActionKind.ACKNOWLEDGE, ActionKind.SELECT) and not forbidden
    if target is None and needs_target:
        ctx.fail(f"{action.value} needs a target (an alarm id or an asset id)")
    within = ctx.opt(raw, "within", F.duration, None)
    return Expectation(
        action=action,
        points=ctx.opt(raw, "points", F.non_negative, 10.0),
        target=target,
        within_s=within,
        forbidden=forbidden,
    )


def _hint(raw: object, ctx: _Ctx) -> Hint:
    raw = ctx.only(raw, ("text", "cost"), "a hint")
    return Hint(text=ctx.get(raw, "text", F.name), cost=ctx.opt(raw, "cost", F.non_negative, 1.0))


def _check_steps(steps: tuple[Step, ...], ctx: _Ctx) -> None:
    seen: dict[str, int] = {}
    last_at = -1.0
    for index, step in enumerate(steps):
        sub = ctx.sub(f'step "{step.id}"', ("steps", index))
        if step.id in seen:
            sub.fail(f"duplicate step id {step.id!r} (step #{seen[step.id] + 1} has it)", "id")
        seen[step.id] = index
        at = step.trigger.at_s
        if at is not None:
            if at < last_at:
                sub.fail(f"at {at:g} s comes before the previous timed step ({last_at:g} s)", "at")
            last_at = at


def check_scenario(
    scenario: Scenario,
    *,
    assets: Mapping[str, object],
    signals: Mapping[str, object],
    duration_s: float | None,
    text: str | None = None,
) -> None:
    """Check ``scenario`` against the plant's ``assets`` and ``signals`` (by id) and the
    length of what it replays or simulates; raises ScenarioError naming the step."""
    lines = LineIndex(text if text is not None else _read(scenario.source_path))
    for index, step in enumerate(scenario.steps):
        ctx = _Ctx(scenario.source_path, lines, f'step "{step.id}"', ("steps", index))
        at = step.trigger.at_s
        if at is not None and duration_s is not None and at > duration_s:
            ctx.fail(f"at {at:g} s is after the end of the scenario ({duration_s:g} s)", "at")
        for ref in _references(step):
            known = assets if ref.kind == "asset" else signals
            key = ref.name.split(":", 1)[0] if ref.kind == "alarm" else ref.name
            if key not in known:
                noun = {"asset": "asset", "signal": "signal", "alarm": "alarm's signal"}[ref.kind]
                place = ctx.sub(ref.where, ("steps", index, *ref.block)) if ref.where else ctx
                place.fail(f"unknown {noun} {key!r}{F.did_you_mean(key, known)}", ref.key)


@dataclass(frozen=True)
class _Ref:
    name: str  # the id named
    kind: str  # "asset" | "signal" | "alarm"
    key: str  # the TOML key that names it
    where: str = ""  # "question", "expect #2"; "" for the step itself
    block: TomlPath = ()  # below ("steps", index)


def _references(step: Step) -> list[_Ref]:
    """Everything a step names, with where it names it."""
    refs: list[_Ref] = []
    if step.trigger.alarm:
        refs.append(_Ref(step.trigger.alarm, "alarm", "on"))
    if step.trigger.signal:
        refs.append(_Ref(step.trigger.signal, "signal", "on"))
    q = step.question
    if q is not None:
        if isinstance(q.answer, str) and q.kind in (QuestionKind.ASSET, QuestionKind.FIRST_ALARM):
            kind = "asset" if q.kind is QuestionKind.ASSET else "alarm"
            refs.append(_Ref(q.answer, kind, "answer", "question", ("question",)))
        if q.signal:
            refs.append(_Ref(q.signal, "signal", "signal", "question", ("question",)))
    for i, e in enumerate(step.expect):
        if e.target is None:
            continue
        kind = "asset" if e.action is ActionKind.SELECT else "alarm"
        if e.action is not ActionKind.BOOKMARK:
            refs.append(_Ref(e.target, kind, "target", f"expect #{i + 1}", ("expect", i)))
    return refs


def _named_assets(steps: tuple[Step, ...]) -> tuple[str, ...]:
    names = [r.name for s in steps for r in _references(s) if r.kind == "asset"]
    return tuple(dict.fromkeys(names))


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError:
        return ""


# --- value checks ---------------------------------------------------------------------


def _one_of(enum_type: type[Any]) -> Callable[[object], str]:
    return lambda value: F.one_of(value, tuple(e.value for e in enum_type))


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise FieldError(f"must be a list of texts, got {F.show(value)}")
    return tuple(value)


def _percent(value: object) -> float:
    number = F.non_negative(value)
    if number > 100:
        raise FieldError(f"must be a percentage 0-100, got {F.show(value)}")
    return number


def _list(value: object, ctx: _Ctx, key: str) -> list[Any]:
    if not isinstance(value, list):
        ctx.fail(f"{key} must be a list of tables ([[steps.{key}]])", key)
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false, got {F.show(value)}")
    return value
