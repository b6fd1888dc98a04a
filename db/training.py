"""Trainees' results: one row per training session in a small SQLite database of its own
(the user's data folder by default), so a trainer sees each trainee's sessions and scores
over time and exports them as CSV. The step outcomes and the action log ride in JSON."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from db.errors import translating
from twin.training.model import QuestionKind, Scenario
from twin.training.scenario_writer import scenario_text
from twin.training.scoring import Score, TraineeAction

_meta = sa.MetaData()
sessions = sa.Table(
    "training_sessions",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("trainee", sa.String, nullable=False, index=True),
    sa.Column("scenario", sa.String, nullable=False),  # its name
    sa.Column("scenario_path", sa.String, nullable=False),
    sa.Column("started_ns", sa.BigInteger, nullable=False),  # wall clock, UTC
    sa.Column("points", sa.Float, nullable=False),
    sa.Column("max_points", sa.Float, nullable=False),
    sa.Column("percent", sa.Float, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("time_to_detect_s", sa.Float),
    sa.Column("time_to_acknowledge_s", sa.Float),
    sa.Column("wrong_actions", sa.Integer, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),  # JSON: steps' outcomes, the action log
)
# Free-text answers for the trainer to mark (db/training_marks.py). A table of its own, so
# that a results file made before it opens as it was: create_all adds it.
answers = sa.Table(
    "training_answers",
    _meta,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("training_sessions.id"), primary_key=True),
    sa.Column("step", sa.String, primary_key=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),  # the trainee's text
    sa.Column("max_points", sa.Float, nullable=False),
    sa.Column("points", sa.Float),  # NULL: not marked yet
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("marked_by", sa.String),
    sa.Column("marked_ns", sa.BigInteger),  # wall clock, UTC
)

CSV_COLUMNS = (
    "trainee", "scenario", "started_utc", "points", "max_points", "percent", "passed",
    "time_to_detect_s", "time_to_acknowledge_s", "wrong_actions",
)  # fmt: skip


@dataclass(frozen=True)
class SessionRecord:
    id: int
    trainee: str
    scenario: str
    scenario_path: str
    started_ns: int
    points: float
    max_points: float
    percent: float
    passed: bool
    time_to_detect_s: float
    time_to_acknowledge_s: float
    wrong_actions: int
    detail: dict[str, Any]


class TrainingRecords:
    """The results database at ``path`` (created on first use)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._engine: sa.Engine | None = None

    def _db(self) -> sa.Engine:
        if self._engine is None:
            with translating(str(self.path), "opening the training results"):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                engine = sa.create_engine(f"sqlite:///{self.path}")
                _meta.create_all(engine)
            self._engine = engine
        return self._engine

    def save(
        self,
        trainee: str,
        scenario_name: str,
        scenario_path: str,
        started_ns: int,
        result: Score,
        actions: Sequence[TraineeAction],
        *,
        scenario: Scenario | None = None,
        end_s: float | None = None,
    ) -> int:
        """Keep one session's result; returns its id. With ``scenario`` (as run) and
        ``end_s`` (the scenario time it ended) the session can be scored again once its
        free-text answers, kept beside it, are marked."""
        detail: dict[str, Any] = {
            "steps": step_detail(result),
            "actions": [{k: _num(v) for k, v in asdict(a).items()} for a in actions],
        }
        if scenario is not None:
            detail["scenario"] = scenario_text(scenario, scenario.source_path)
        if end_s is not None:
            detail["end_s"] = _num(end_s)
        row = {
            "trainee": trainee,
            "scenario": scenario_name,
            "scenario_path": scenario_path,
            "started_ns": started_ns,
            "points": result.points,
            "max_points": result.max_points,
            "percent": result.percent,
            "passed": result.passed,
            "time_to_detect_s": _num(result.time_to_detect_s),
            "time_to_acknowledge_s": _num(result.time_to_acknowledge_s),
            "wrong_actions": result.wrong_actions,
            "detail": json.dumps(detail, ensure_ascii=False),
        }
        with translating(str(self.path), "saving a training result"), self._db().begin() as conn:
            key = conn.execute(sessions.insert(), row).inserted_primary_key
            assert key is not None
            text = free_text_answers(scenario, actions) if scenario is not None else []
            if text:
                conn.execute(answers.insert(), [{"session_id": int(key[0]), **a} for a in text])
        return int(key[0])

    def engine(self) -> sa.Engine:
        """The database (opened, and its missing tables made, on first use)."""
        return self._db()

    def sessions(self, trainee: str | None = None) -> list[SessionRecord]:
        """Every session (of one trainee), oldest first."""
        q = sa.select(sessions).order_by(sessions.c.started_ns, sessions.c.id)
        if trainee is not None:
            q = q.where(sessions.c.trainee == trainee)
        with (
            translating(str(self.path), "reading the training results"),
            self._db().connect() as conn,
        ):
            rows = conn.execute(q).mappings().all()
        return [_record(r) for r in rows]

    def trainees(self) -> list[str]:
        with (
            translating(str(self.path), "reading the training results"),
            self._db().connect() as conn,
        ):
            names = conn.execute(sa.select(sessions.c.trainee).distinct()).scalars().all()
        return sorted(names)

    def export_csv(self, out: str | os.PathLike[str], trainee: str | None = None) -> int:
        """Write the sessions (of one trainee) as CSV; returns the number of rows."""
        records = self.sessions(trainee)
        with open(out, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            for r in records:
                writer.writerow([
                    r.trainee, r.scenario, _utc(r.started_ns), f"{r.points:g}",
                    f"{r.max_points:g}", f"{r.percent:.1f}", "yes" if r.passed else "no",
                    _text(r.time_to_detect_s), _text(r.time_to_acknowledge_s), r.wrong_actions,
                ])  # fmt: skip
        return len(records)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def step_detail(result: Score) -> list[dict[str, Any]]:
    """Each step's opening and outcomes, as kept in a session's detail."""
    return [
        {
            "step": r.step_id,
            "opened_s": _num(r.opened_s),
            "outcomes": [_outcome(o) for o in r.outcomes],
        }
        for r in result.steps
    ]


def free_text_answers(scenario: Scenario, actions: Sequence[TraineeAction]) -> list[dict[str, Any]]:
    """The rows of ``answers`` (without the session) for the free-text questions answered:
    the first answer of a step counts, as in scoring."""
    rows: dict[str, dict[str, Any]] = {}
    for a in actions:
        if a.kind != "answer" or a.step_id is None or a.step_id in rows:
            continue
        q = next((s.question for s in scenario.steps if s.id == a.step_id), None)
        if q is not None and q.kind is QuestionKind.TEXT:
            rows[a.step_id] = {
                "step": a.step_id, "question": q.prompt, "answer": str(a.value or ""),
                "max_points": q.points, "points": None, "comment": "",
            }  # fmt: skip
    return list(rows.values())


def _record(m: Any) -> SessionRecord:
    return SessionRecord(
        id=m["id"],
        trainee=m["trainee"],
        scenario=m["scenario"],
        scenario_path=m["scenario_path"],
        started_ns=m["started_ns"],
        points=m["points"],
        max_points=m["max_points"],
        percent=m["percent"],
        passed=bool(m["passed"]),
        time_to_detect_s=_nan(m["time_to_detect_s"]),
        time_to_acknowledge_s=_nan(m["time_to_acknowledge_s"]),
        wrong_actions=m["wrong_actions"],
        detail=json.loads(m["detail"]),
    )


def _outcome(o: Any) -> dict[str, Any]:
    return {k: _num(v) for k, v in asdict(o).items()}


def _num(value: Any) -> Any:
    """JSON and SQL have no NaN: NaN becomes None."""
    return None if isinstance(value, float) and math.isnan(value) else value


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _text(seconds: float) -> str:
    return "" if math.isnan(seconds) else f"{seconds:.1f}"


def _utc(ns: int) -> str:
    return dt.datetime.fromtimestamp(ns / 1e9, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
