"""Training > Trainee history: the sessions saved through TrainingRecords, per trainee,
and the CSV it exports is the one the records write."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMainWindow

from app.training.history import QtTraineeHistory
from app.training.menu import install_training_menu, show_trainee_history, training_menu
from db.training import TrainingRecords
from tests.app.dialogs import answer_dialog
from twin.timebase import NS_PER_S
from twin.training.scenario_file import load_scenario
from twin.training.scoring import TraineeAction
from twin.training.session import preview

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "assets" / "training" / "motor_overload.toml"
EVENTS = {"M07.current:HH": 61.0, "M07.winding_temp:HH": 150.0}
DAY0 = 1_764_000_000 * NS_PER_S


@pytest.fixture
def records(tmp_path: Path) -> Iterator[Path]:
    """Three sessions: Li Wei's perfect run, then a poor one; Zhang Min's perfect run."""
    path = tmp_path / "results" / "training.sqlite"
    store = TrainingRecords(path)
    lesson = load_scenario(LESSON)
    key = preview(lesson, 300.0, EVENTS)
    poor = [TraineeAction(70.0, "shelve", target="M07.current:HH", step_id="first_alarm")]
    runs = [
        ("Li Wei", key.actions, DAY0),
        ("Li Wei", poor, DAY0 + 86_400 * NS_PER_S),
        ("Zhang Min", key.actions, DAY0 + 3600 * NS_PER_S),
    ]
    for trainee, actions, started in runs:
        result = preview(lesson, 300.0, EVENTS)
        result.actions[:] = list(actions)
        store.save(trainee, lesson.name, str(LESSON), started, result.result(), actions)
    store.close()
    yield path


def _rows(dialog: QtTraineeHistory) -> list[list[str]]:
    table = dialog.table
    return [
        [item.text() if (item := table.item(r, c)) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_history_lists_each_trainees_sessions_and_exports_them(
    qtbot, records: Path, tmp_path: Path
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    dialog = show_trainee_history(window, records)
    qtbot.waitExposed(dialog)
    assert [dialog.trainee_combo.itemText(i) for i in range(3)] == [
        "All trainees", "Li Wei", "Zhang Min",
    ]  # fmt: skip
    everyone = _rows(dialog)
    assert [r[0] for r in everyone] == ["Li Wei", "Zhang Min", "Li Wei"]  # newest first
    full = load_scenario(LESSON).max_points
    assert everyone[2][3:5] == [f"{full:g} / {full:g} (100 %)", "yes"]
    assert everyone[0][4] == "no" and everyone[0][3].endswith("%)")
    assert everyone[2][5:7] == ["0.0", "0.0"]  # the answer key acts the moment a step opens
    assert everyone[0][5:7] == ["", ""]  # the poor run never found M07 nor acknowledged

    dialog.trainee_combo.setCurrentIndex(dialog.trainee_combo.findData("Li Wei"))
    assert [r[0] for r in _rows(dialog)] == ["Li Wei", "Li Wei"]
    assert "2 session(s), 1 passed" in dialog.summary.text()

    target = tmp_path / "li-wei.csv"

    def save_here(d: QFileDialog) -> None:
        d.selectFile(str(target))
        d.accept()

    answer_dialog(save_here, QFileDialog)
    dialog.export_button.click()
    expected = tmp_path / "expected.csv"
    TrainingRecords(records).export_csv(expected, "Li Wei")
    assert target.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and all(line.startswith("Li Wei,") for line in lines[1:])
    dialog.close()


def test_the_training_menu_is_shared_and_opens_the_history(qtbot, records: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("&Help")
    menu = training_menu(window)
    menu.addAction("Start…")  # another part's item in the same menu
    install_training_menu(window, records=records)  # type: ignore[arg-type]
    assert training_menu(window) is menu
    menus = [a.menu() for a in window.menuBar().actions()]
    assert menus.index(menu) == 0  # before Help
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Start…", "Trainee &history…"]
    menu.actions()[1].trigger()
    dialog = window.findChild(QtTraineeHistory)
    assert isinstance(dialog, QtTraineeHistory) and dialog.table.rowCount() == 3
    assert not math.isnan(float(_rows(dialog)[1][6]))
    dialog.close()
