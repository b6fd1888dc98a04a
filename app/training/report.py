"""The debrief report of a training session, as HTML and PDF (QTextDocument and
QPdfWriter: no browser needed): the trainee, the score, each step's outcome and timings."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app.export.document import PRINT_CSS, write_document
from app.i18n import QT_TRANSLATE_NOOP
from db.training_marks import FreeAnswer
from twin.training.model import Scenario
from twin.training.scoring import Score, StepResult


def tr(text: str) -> str:
    """``text`` (marked where it is written) in the interface's language."""
    return QCoreApplication.translate("TrainingReport", text)


# The outcomes' words, for the translation file; shown through tr().
STATUS_WORDS = (
    QT_TRANSLATE_NOOP("TrainingReport", "right"),
    QT_TRANSLATE_NOOP("TrainingReport", "wrong"),
    QT_TRANSLATE_NOOP("TrainingReport", "late"),
    QT_TRANSLATE_NOOP("TrainingReport", "missed"),
    QT_TRANSLATE_NOOP("TrainingReport", "done"),
    QT_TRANSLATE_NOOP("TrainingReport", "avoided"),
    QT_TRANSLATE_NOOP("TrainingReport", "to mark"),
    QT_TRANSLATE_NOOP("TrainingReport", "hint"),
)


@dataclass(frozen=True)
class ReportInputs:
    scenario: Scenario
    trainee: str
    result: Score
    started: dt.datetime  # wall clock of the session's start
    answers: tuple[FreeAnswer, ...] = ()  # free-text answers and the trainer's marks


FACTS = (
    QT_TRANSLATE_NOOP("TrainingReport", "Trainee"),
    QT_TRANSLATE_NOOP("TrainingReport", "Scenario"),
    QT_TRANSLATE_NOOP("TrainingReport", "Date"),
    QT_TRANSLATE_NOOP("TrainingReport", "Score"),
    QT_TRANSLATE_NOOP("TrainingReport", "Pass mark"),
    QT_TRANSLATE_NOOP("TrainingReport", "Time to detect"),
    QT_TRANSLATE_NOOP("TrainingReport", "Time to acknowledge"),
    QT_TRANSLATE_NOOP("TrainingReport", "Actions nothing asked for"),
)
COLUMNS = (
    QT_TRANSLATE_NOOP("TrainingReport", "Step"),
    QT_TRANSLATE_NOOP("TrainingReport", "At"),
    QT_TRANSLATE_NOOP("TrainingReport", "What"),
    QT_TRANSLATE_NOOP("TrainingReport", "Outcome"),
    QT_TRANSLATE_NOOP("TrainingReport", "After"),
    QT_TRANSLATE_NOOP("TrainingReport", "Points"),
)
TITLE = QT_TRANSLATE_NOOP("TrainingReport", "Training report")
STEPS = QT_TRANSLATE_NOOP("TrainingReport", "Steps")
PASSED = (
    QT_TRANSLATE_NOOP("TrainingReport", "not passed"),
    QT_TRANSLATE_NOOP("TrainingReport", "passed"),
)
NOT_REACHED = QT_TRANSLATE_NOOP("TrainingReport", "not reached")
ANSWER = QT_TRANSLATE_NOOP("TrainingReport", "Answer")
MARKED = QT_TRANSLATE_NOOP("TrainingReport", "Marked %1 / %2 by %3")
NOT_MARKED = QT_TRANSLATE_NOOP("TrainingReport", "Not marked yet")


def report_html(inputs: ReportInputs) -> str:
    """The report as a self-contained HTML page."""
    s, r = inputs.scenario, inputs.result
    values = (
        inputs.trainee,
        s.name,
        inputs.started.strftime("%Y-%m-%d %H:%M"),
        f"{r.points:g} / {r.max_points:g} ({r.percent:.0f} %), {tr(PASSED[r.passed])}",
        f"{s.pass_score:g} %",
        _seconds(r.time_to_detect_s),
        _seconds(r.time_to_acknowledge_s),
        str(r.wrong_actions),
    )
    facts = "".join(
        f"<tr><th align='left'>{_e(tr(k))}</th><td>{_e(v)}</td></tr>"
        for k, v in zip(FACTS, values, strict=True)
    )
    head = "".join(f"<th>{_e(tr(c))}</th>" for c in COLUMNS)
    answers = {a.step_id: a for a in inputs.answers}
    rows = "".join(_step_rows(step, s, answers) for step in r.steps)
    return f"""<html><head><meta charset="utf-8"><title>{_e(s.name)}</title>
<style>{PRINT_CSS}</style></head><body>
<h1>{_e(tr(TITLE))}: {_e(s.name)}</h1>
<p>{_e(s.description)}</p>
<table cellpadding="3">{facts}</table>
<h2>{_e(tr(STEPS))}</h2>
<table border="1" cellspacing="0" cellpadding="4" width="100%">
<tr>{head}</tr>
{rows}</table></body></html>"""


def _step_rows(step: StepResult, scenario: Scenario, answers: Mapping[str, FreeAnswer]) -> str:
    at = tr(NOT_REACHED) if math.isnan(step.opened_s) else _clock(step.opened_s)
    text = scenario.step(step.step_id)
    prompt = text.question.prompt if text.question else text.text
    head = (
        f"<tr><td><b>{_e(step.step_id)}</b></td><td>{_e(at)}</td><td colspan='3'>{_e(prompt)}</td>"
        f"<td><b>{step.points:g} / {step.max_points:g}</b></td></tr>"
    )
    outcomes = "".join(
        f"<tr><td></td><td></td><td>{_e(o.what)}</td><td>{_e(tr(o.status))}</td>"
        f"<td>{_e(_seconds(o.delay_s))}</td><td>{o.points:g} / {o.max_points:g}</td></tr>"
        for o in step.outcomes
    )
    answer = answers.get(step.step_id)
    return head + outcomes + (_answer_rows(answer) if answer is not None else "")


def _answer_rows(a: FreeAnswer) -> str:
    """A free-text answer under its step: what the trainee wrote, the mark and comment."""
    if a.points is None:
        mark = tr(NOT_MARKED)
    else:
        mark = tr(MARKED).replace("%1", f"{a.points:g}").replace("%2", f"{a.max_points:g}")
        mark = mark.replace("%3", a.marked_by or "?")
    comment = f"<br><i>{_e(a.comment)}</i>" if a.comment else ""
    return (
        f"<tr><td></td><td></td><td colspan='4'>{_e(tr(ANSWER))}: {_e(a.text)}</td></tr>"
        f"<tr><td></td><td></td><td colspan='4'>{_e(mark)}{comment}</td></tr>"
    )


def write_report(inputs: ReportInputs, out: Path) -> Path:
    """Write the report: PDF for ``.pdf``, HTML otherwise. Returns ``out``."""
    title = f"{inputs.scenario.name}: {inputs.trainee}"
    return write_document(report_html(inputs), out, title)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _seconds(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.0f} s"


def _clock(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m:d}:{s:02d}"
