"""The trainer's marks for free-text answers in a real SQLite file: answers kept with the
session, a mark re-scores it through the scoring rules, and a results file made before
answers were kept opens, reads and can be marked."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db.training import TrainingRecords
from db.training_marks import Mark, MarkError, TrainingMarks, rescore, scenario_of, to_mark
from tests.db.free_text_lesson import (
    ANSWERS,
    END_S,
    OPENED,
    STARTED_NS,
    save_session,
    session_actions,
    write_lesson,
)
from twin.training.scenario_file import load_scenario
from twin.training.scoring import RIGHT, TO_MARK, score

MARKED_NS = STARTED_NS + 3_600 * 10**9


def test_free_text_answers_are_kept_marked_and_the_session_scored_again(tmp_path: Path) -> None:
    lesson = write_lesson(tmp_path)
    db_path = tmp_path / "results.sqlite"
    records = TrainingRecords(db_path)
    session_id = save_session(records, lesson)
    records.close()

    records = TrainingRecords(db_path)  # a later run: the trainer's
    marks = TrainingMarks(records)
    (before,) = records.sessions()
    kept = marks.answers(session_id)
    assert [(a.step_id, a.text, a.max_points, a.points) for a in kept] == [
        ("cause", ANSWERS["cause"], 10.0, None),
        ("next_shift", ANSWERS["next_shift"], 20.0, None),
    ]
    assert kept[0].question == "Why did the winding heat up?"
    assert to_mark(before, kept) == 2
    unmarked = score(lesson, session_actions(), OPENED, end_s=END_S)
    assert (before.points, before.passed) == (unmarked.points, unmarked.passed)
    assert not before.passed

    Path(lesson.source_path).unlink()  # the session kept its scenario as it was run
    after = marks.mark(
        before, {"next_shift": Mark(18.0, "Good hand-over; name the alarm too.")},
        "Zhou Trainer", MARKED_NS,
    )  # fmt: skip
    expected = score(lesson, session_actions(), OPENED, end_s=END_S, marks={"next_shift": 18.0})
    assert (after.points, after.percent, after.passed) == (
        expected.points, expected.percent, expected.passed,
    )  # fmt: skip
    assert after.points == before.points + 18.0 and after.passed
    steps = {s["step"]: s["outcomes"][0]["status"] for s in after.detail["steps"]}
    assert steps == {"cause": TO_MARK, "priority": RIGHT, "next_shift": RIGHT}
    records.close()

    again = TrainingRecords(db_path)
    (read,) = again.sessions("Li Wei")
    assert read.points == after.points and read.passed
    cause, shift = TrainingMarks(again).answers(session_id)
    assert cause.points is None and cause.marked_by is None
    assert (shift.points, shift.comment, shift.marked_by, shift.marked_ns) == (
        18.0, "Good hand-over; name the alarm too.", "Zhou Trainer", MARKED_NS,
    )  # fmt: skip
    assert to_mark(read, [cause, shift]) == 1
    # The first mark stays when the other answer is marked later.
    final = TrainingMarks(again).mark(read, {"cause": Mark(0.0)}, "Zhou Trainer")
    full = score(
        lesson, session_actions(), OPENED, end_s=END_S, marks={"next_shift": 18.0, "cause": 0.0}
    )
    assert final.points == full.points == after.points
    assert to_mark(final, TrainingMarks(again).answers(session_id)) == 0
    again.close()


def test_a_mark_out_of_range_or_for_no_answer_is_refused(tmp_path: Path) -> None:
    lesson = write_lesson(tmp_path)
    records = TrainingRecords(tmp_path / "results.sqlite")
    save_session(records, lesson)
    (record,) = records.sessions()
    marks = TrainingMarks(records)
    with pytest.raises(MarkError, match=r"step 'next_shift': points must be 0 to 20, not 25"):
        marks.mark(record, {"next_shift": Mark(25.0)}, "Zhou")
    with pytest.raises(MarkError, match=r"Li Wei.*step 'priority': no free-text answer"):
        marks.mark(record, {"priority": Mark(5.0)}, "Zhou")
    assert records.sessions()[0].points == record.points  # nothing kept
    assert all(a.points is None for a in marks.answers(record.id))
    records.close()


OLD_SCHEMA = """
CREATE TABLE training_sessions (
    id INTEGER NOT NULL PRIMARY KEY, trainee VARCHAR NOT NULL, scenario VARCHAR NOT NULL,
    scenario_path VARCHAR NOT NULL, started_ns BIGINT NOT NULL, points FLOAT NOT NULL,
    max_points FLOAT NOT NULL, percent FLOAT NOT NULL, passed BOOLEAN NOT NULL,
    time_to_detect_s FLOAT, time_to_acknowledge_s FLOAT, wrong_actions INTEGER NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX ix_training_sessions_trainee ON training_sessions (trainee);
"""


def _old_results_file(path: Path, lesson_path: str) -> None:
    """A results file as the previous version wrote it: no answers table, and a detail
    without the scenario or the end."""
    lesson = load_scenario(lesson_path)
    actions = session_actions()
    result = score(lesson, actions, OPENED, end_s=END_S)
    detail = {
        "steps": [
            {"step": r.step_id, "opened_s": r.opened_s,
             "outcomes": [{"what": o.what, "status": o.status, "points": o.points,
                           "max_points": o.max_points, "delay_s": o.delay_s}
                          for o in r.outcomes]}
            for r in result.steps
        ],
        "actions": [{"t_s": a.t_s, "kind": a.kind, "target": a.target, "value": a.value,
                     "step_id": a.step_id, "wall_s": None} for a in actions],
    }  # fmt: skip
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA)
        conn.execute(
            "INSERT INTO training_sessions VALUES"
            " (7, 'Ana', ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?)",
            (lesson.name, lesson_path, STARTED_NS, result.points, result.max_points,
             result.percent, result.passed, json.dumps(detail)),
        )  # fmt: skip
    conn.close()


def test_an_old_results_file_opens_reads_and_is_marked(tmp_path: Path) -> None:
    lesson = write_lesson(tmp_path)
    db_path = tmp_path / "old.sqlite"
    _old_results_file(db_path, lesson.source_path)

    records = TrainingRecords(db_path)
    (old,) = records.sessions()
    assert (old.id, old.trainee, old.scenario) == (7, "Ana", lesson.name)
    assert records.trainees() == ["Ana"]
    marks = TrainingMarks(records)
    assert marks.answers(7) == []  # none kept: the file predates them
    assert to_mark(old, []) == 2  # its outcomes say so
    assert scenario_of(old).steps == lesson.steps  # read from its file
    derived = marks.answers_to_mark(old)
    assert [(a.step_id, a.text, a.points) for a in derived] == [
        ("cause", ANSWERS["cause"], None), ("next_shift", ANSWERS["next_shift"], None),
    ]  # fmt: skip

    marked = marks.mark(old, {"cause": Mark(7.5, "Losses, yes.")}, "Zhou")
    assert marked.points == rescore(old, lesson, {"cause": 7.5}).points == old.points + 7.5
    assert [a.points for a in marks.answers(7)] == [7.5, None]
    records.close()
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert tables == {"training_sessions", "training_answers"}  # the new table, added
