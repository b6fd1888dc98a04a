"""Writing a `Scenario` as a scenario file (TOML) that ``load_scenario`` reads back to the
same scenario: the format of ``assets/training/*.toml``, emitted here with the stdlib.

Times are written in seconds. The package, recording or plant is written relative to the
scenario file's folder when it lies in or below it (the lesson moves with its folder),
else as an absolute path.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from twin.training.model import (
    Expectation,
    Hint,
    Question,
    QuestionKind,
    ReplaySource,
    Scenario,
    SimulatedSource,
    Step,
    Trigger,
)

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"


def write_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write ``scenario`` to ``path`` (UTF-8); returns the path."""
    target = Path(path)
    text = scenario_text(scenario, target)
    target.write_text(text, encoding="utf-8")
    return target


def scenario_text(scenario: Scenario, path: str | os.PathLike[str]) -> str:
    """The TOML of ``scenario`` as a file at ``path`` (which anchors its relative paths)."""
    base = Path(path).absolute().parent
    out = ["[scenario]", f"name = {_str(scenario.name)}", f"kind = {_str(scenario.kind.value)}"]
    if scenario.description:
        out.append(f"description = {_str(scenario.description)}")
    out.append(f"pass_score = {_num(scenario.pass_score)}")
    if scenario.replay is not None:
        out += ["", *_replay(scenario.replay, base)]
    if scenario.simulated is not None:
        out += ["", *_simulated(scenario.simulated, base)]
    for step in scenario.steps:
        out += ["", *_step(step)]
    return "\n".join(out) + "\n"


def _replay(src: ReplaySource, base: Path) -> list[str]:
    lines = ["[replay]"]
    if src.package is not None:
        lines.append(f"package = {_str(_relative(src.package, base))}")
    if src.recording is not None:
        lines.append(f"recording = {_str(_relative(src.recording, base))}")
    if src.start_s:
        lines.append(f"start = {_num(src.start_s)}")
    if src.end_s is not None:
        lines.append(f"end = {_num(src.end_s)}")
    return lines


def _simulated(sim: SimulatedSource, base: Path) -> list[str]:
    return [
        "[simulated]",
        f"plant = {_str(_relative(sim.plant, base))}",
        f"seed = {int(sim.seed)}",
        f"duration = {_num(sim.duration_s)}",
        f"faults = {_strs(sim.faults)}",
    ]


def _step(step: Step) -> list[str]:
    lines = ["[[steps]]", f"id = {_str(step.id)}", _trigger(step.trigger)]
    if step.text:
        lines.append(f"text = {_str(step.text)}")
    if not step.pause:
        lines.append("pause = false")
    if step.question is not None:
        lines += _question(step.question)
    for e in step.expect:
        lines += _expectation(e)
    for h in step.hints:
        lines += _hint(h)
    return lines


def _trigger(t: Trigger) -> str:
    if t.at_s is not None:
        return f"at = {_num(t.at_s)}"
    if t.alarm is not None:
        return f"on = {{ alarm = {_str(t.alarm)} }}"
    if t.signal is None:
        raise ValueError("a trigger needs a time, an alarm or a signal")
    if t.above is not None:
        return f"on = {{ signal = {_str(t.signal)}, above = {_num(t.above)} }}"
    return f"on = {{ signal = {_str(t.signal)}, below = {_num(t.below or 0.0)} }}"


def _question(q: Question) -> list[str]:
    lines = [
        "[steps.question]",
        f"kind = {_str(q.kind.value)}",
        f"prompt = {_str(q.prompt)}",
        f"points = {_num(q.points)}",
    ]
    if q.kind is QuestionKind.CHOICE:
        lines.append(f"options = {_strs(q.options)}")
    if isinstance(q.answer, str):
        lines.append(f"answer = {_str(q.answer)}")
    elif q.answer is not None:
        lines.append(f"answer = {_num(q.answer)}")
    if q.tolerance:
        lines.append(f"tolerance = {_num(q.tolerance)}")
    if q.signal is not None:
        lines.append(f"signal = {_str(q.signal)}")
    return lines


def _expectation(e: Expectation) -> list[str]:
    lines = ["[[steps.expect]]", f"action = {_str(e.action.value)}"]
    if e.target is not None:
        lines.append(f"target = {_str(e.target)}")
    if e.within_s is not None:
        lines.append(f"within = {_num(e.within_s)}")
    lines.append(f"points = {_num(e.points)}")
    if e.forbidden:
        lines.append("forbidden = true")
    return lines


def _hint(h: Hint) -> list[str]:
    return ["[[steps.hints]]", f"text = {_str(h.text)}", f"cost = {_num(h.cost)}"]


def _relative(where: str, base: Path) -> str:
    """``where`` relative to ``base`` when it lies in or below it (a URL stays as it is)."""
    if "://" in where:
        return where
    path = Path(where).absolute()
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def _str(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _strs(texts: tuple[str, ...]) -> str:
    return "[" + ", ".join(_str(t) for t in texts) + "]"


def _num(value: float) -> str:
    """A number as TOML: an integer when it is one (readable), else Python's shortest
    round-tripping repr, which is a valid TOML float."""
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{x} cannot be written in a scenario file")
    if x.is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(x)
