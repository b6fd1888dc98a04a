"""Trainees' results in a real SQLite file: kept per trainee across sessions, read back
with their step outcomes and action log, exported as CSV."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from db.training import CSV_COLUMNS, TrainingRecords
from twin.training.scenario_file import load_scenario
from twin.training.scoring import TraineeAction, answer_key, score

ROOT = Path(__file__).resolve().parents[2]
OPENED = {"briefing": 0.0, "which_asset": 360.0, "which_cause": 360.0, "bookmark": 720.0}


def test_results_are_kept_per_trainee_and_exported(tmp_path: Path) -> None:
    lesson = load_scenario(ROOT / "assets" / "training" / "fan_bearing.toml")
    perfect = answer_key(lesson, OPENED)
    wrong = [TraineeAction(380.0, "answer", value="M05", step_id="which_asset")]
    db_path = tmp_path / "results" / "training.sqlite"
    records = TrainingRecords(db_path)
    first = records.save(
        "Li Wei",
        lesson.name,
        lesson.source_path,
        2_000,
        score(lesson, perfect, OPENED, end_s=840),
        perfect,
    )
    records.save(
        "Ana",
        lesson.name,
        lesson.source_path,
        1_000,
        score(lesson, wrong, OPENED, end_s=840),
        wrong,
    )
    records.close()

    again = TrainingRecords(db_path)  # a later run of the application
    assert again.trainees() == ["Ana", "Li Wei"]
    (li,) = again.sessions("Li Wei")
    assert li.id == first and li.scenario == "Cooling fan bearing wear"
    assert li.points == 50.0 and li.max_points == 80.0  # the alarm step was never reached
    assert math.isnan(li.time_to_acknowledge_s) and li.time_to_detect_s == 0.0
    steps = {s["step"]: s for s in li.detail["steps"]}
    assert steps["vibration_alarm"]["opened_s"] is None
    assert [a["kind"] for a in li.detail["actions"]] == [a.kind for a in perfect]
    assert [r.trainee for r in again.sessions()] == ["Ana", "Li Wei"]  # oldest first

    out = tmp_path / "scores.csv"
    assert again.export_csv(out) == 2
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1][0] == "Ana" and rows[1][3] == "0" and rows[1][6] == "no"
    assert rows[2][0] == "Li Wei" and rows[2][5] == "62.5"
    again.close()
