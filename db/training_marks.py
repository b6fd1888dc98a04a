"""The trainer's marks for free-text answers, kept with the training results.

A session's free-text answers are rows of ``db.training.answers`` (question, the trainee's
text, the question's points, the mark or NULL while not marked yet, a comment, who marked
and when). Marking scores the session again with ``twin.training.scoring.score`` on what
the session kept (the scenario as run, the action log, when each step opened), and stores
the new points, percent, passed flag and step outcomes. A session saved before answers
were kept (or by an older TwinDeck) gets its answers from its action log and its scenario
file the first time they are asked for.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from db.errors import translating
from db.training import (
    SessionRecord,
    TrainingRecords,
    answers,
    free_text_answers,
    sessions,
    step_detail,
)
from twin.training.model import Scenario
from twin.training.scenario_file import load_scenario, parse_scenario
from twin.training.scoring import TO_MARK, Score, TraineeAction, score


@dataclass(frozen=True)
class FreeAnswer:
    """One free-text answer of a session and its mark."""

    step_id: str
    question: str
    text: str  # what the trainee wrote
    max_points: float
    points: float | None = None  # None: not marked yet
    comment: str = ""
    marked_by: str | None = None
    marked_ns: int | None = None  # wall clock, UTC

    @property
    def marked(self) -> bool:
        return self.points is not None


@dataclass(frozen=True)
class Mark:
    """The trainer's points for one answer (0 to the question's points) and a comment."""

    points: float
    comment: str = ""


class MarkError(ValueError):
    """A mark that cannot be kept; the message names the session and the step."""


def scenario_of(record: SessionRecord) -> Scenario:
    """The scenario ``record`` was run on: the copy kept with it, else its file (raises
    ScenarioError when neither reads)."""
    kept = record.detail.get("scenario")
    if isinstance(kept, str):
        return parse_scenario(kept, record.scenario_path)
    return load_scenario(record.scenario_path)


def rescore(record: SessionRecord, scenario: Scenario, marks: Mapping[str, float]) -> Score:
    """``record`` scored again on ``scenario`` with the trainer's ``marks`` (step id ->
    points), from its action log and step openings."""
    actions = [_action(a) for a in record.detail.get("actions", [])]
    opened = {
        s["step"]: float(s["opened_s"])
        for s in record.detail.get("steps", [])
        if s.get("opened_s") is not None
    }
    end_s = record.detail.get("end_s")
    if end_s is None:  # an older session: it ended no earlier than its last action
        end_s = max([a.t_s for a in actions] + list(opened.values()), default=0.0)
    return score(scenario, actions, opened, end_s=float(end_s), marks=marks)


def to_mark(record: SessionRecord, kept: Sequence[FreeAnswer]) -> int:
    """How many of ``record``'s free-text answers wait for a mark (``kept``: its rows)."""
    if kept:
        return sum(not a.marked for a in kept)
    return sum(
        o.get("status") == TO_MARK
        for s in record.detail.get("steps", [])
        for o in s.get("outcomes", [])
    )


class TrainingMarks:
    """Reading and keeping marks in ``records``."""

    def __init__(self, records: TrainingRecords) -> None:
        self.records = records

    def answers(self, session_id: int) -> list[FreeAnswer]:
        """The session's free-text answers in step order (as kept; none for a session
        saved without them)."""
        return self.all_answers([session_id]).get(session_id, [])

    def all_answers(self, session_ids: Sequence[int] | None = None) -> dict[int, list[FreeAnswer]]:
        """The free-text answers by session (of ``session_ids``, or every session)."""
        q = sa.select(answers).order_by(answers.c.session_id)
        if session_ids is not None:
            q = q.where(answers.c.session_id.in_(list(session_ids)))
        where = str(self.records.path)
        with translating(where, "reading the marks"), self.records.engine().connect() as conn:
            rows = conn.execute(q).mappings().all()
        found: dict[int, list[FreeAnswer]] = {}
        for r in rows:
            found.setdefault(r["session_id"], []).append(_answer(r))
        return found

    def answers_to_mark(self, record: SessionRecord) -> list[FreeAnswer]:
        """``record``'s free-text answers, from its log and scenario when none were kept
        (raises ScenarioError when the scenario is needed and does not read)."""
        kept = self.answers(record.id)
        if kept or not to_mark(record, kept):
            return _in_step_order(kept, record)
        actions = [_action(a) for a in record.detail.get("actions", [])]
        return [_answer(r) for r in free_text_answers(scenario_of(record), actions)]

    def mark(
        self,
        record: SessionRecord,
        marks: Mapping[str, Mark],
        marked_by: str,
        marked_ns: int | None = None,
    ) -> SessionRecord:
        """Keep ``marks`` (step id -> Mark) for ``record``'s free-text answers, score the
        session again with every mark it has and return it as now kept. Raises MarkError
        for a step that has no free-text answer or points outside 0..max, ScenarioError
        when the session's scenario does not read."""
        known = {a.step_id: a for a in self.answers_to_mark(record)}
        for step, m in marks.items():
            _check(record, known.get(step), step, m)
        scenario = scenario_of(record)
        now = time.time_ns() if marked_ns is None else marked_ns
        kept = {step: a.points for step, a in known.items() if a.points is not None} | {
            step: m.points for step, m in marks.items()
        }
        result = rescore(record, scenario, kept)
        detail = dict(record.detail, steps=step_detail(result))
        rows = [_row(record.id, a, marks.get(a.step_id), marked_by, now) for a in known.values()]
        where = str(self.records.path)
        with translating(where, "saving the marks"), self.records.engine().begin() as conn:
            conn.execute(answers.delete().where(answers.c.session_id == record.id))
            conn.execute(answers.insert(), rows)
            conn.execute(
                sessions.update()
                .where(sessions.c.id == record.id)
                .values(
                    points=result.points,
                    max_points=result.max_points,
                    percent=result.percent,
                    passed=result.passed,
                    detail=_json(detail),
                )
            )
        return next(r for r in self.records.sessions(record.trainee) if r.id == record.id)


def _check(record: SessionRecord, answer: FreeAnswer | None, step: str, m: Mark) -> None:
    where = f"session {record.id} ({record.trainee}, {record.scenario}), step {step!r}"
    if answer is None:
        raise MarkError(f"{where}: no free-text answer to mark")
    if not (math.isfinite(m.points) and 0.0 <= m.points <= answer.max_points):
        raise MarkError(f"{where}: points must be 0 to {answer.max_points:g}, not {m.points:g}")


def _row(
    session_id: int, a: FreeAnswer, m: Mark | None, marked_by: str, now: int
) -> dict[str, Any]:
    row = {
        "session_id": session_id, "step": a.step_id, "question": a.question, "answer": a.text,
        "max_points": a.max_points, "points": a.points, "comment": a.comment,
        "marked_by": a.marked_by, "marked_ns": a.marked_ns,
    }  # fmt: skip
    if m is not None:
        row.update(points=m.points, comment=m.comment, marked_by=marked_by, marked_ns=now)
    return row


def _answer(r: Mapping[Any, Any]) -> FreeAnswer:
    return FreeAnswer(
        step_id=r["step"],
        question=r["question"],
        text=r["answer"],
        max_points=float(r["max_points"]),
        points=None if r.get("points") is None else float(r["points"]),
        comment=r.get("comment") or "",
        marked_by=r.get("marked_by"),
        marked_ns=r.get("marked_ns"),
    )


def _in_step_order(kept: list[FreeAnswer], record: SessionRecord) -> list[FreeAnswer]:
    order = {s["step"]: i for i, s in enumerate(record.detail.get("steps", []))}
    return sorted(kept, key=lambda a: order.get(a.step_id, len(order)))


def _action(a: Mapping[str, Any]) -> TraineeAction:
    wall = a.get("wall_s")
    return TraineeAction(
        t_s=float(a["t_s"]),
        kind=a["kind"],
        target=a.get("target"),
        value=a.get("value"),
        step_id=a.get("step_id"),
        wall_s=math.nan if wall is None else float(wall),
    )


def _json(detail: Mapping[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False)
