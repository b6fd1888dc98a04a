"""The maintenance list: the snapshot worst first as UTF-8 CSV, from the writer and from
File > Export maintenance list at the replay's cursor."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from app.compose.replay import Recording, compose_replay
from app.fleet.csv_export import COLUMNS, write_maintenance_csv
from tests.app.dialogs import answer_dialog, menu_action
from tests.app.fleet_data import Sick, fleet_health
from tests.app.incident import RUN_S
from twin.condition.series import SnapshotSeries
from twin.condition.snapshot import Ne107
from twin.timebase import NS_PER_S

SICK = {
    "M07": Sick(
        12.5, Ne107.FAILURE, "bearing", 7200, "bearing wear", "zone D, 7.9 mm/s; 轴承温度 +12 K"
    ),
    "P01": Sick(35, Ne107.OUT_OF_SPECIFICATION, "overload", 26 * 3600, "overloaded, 118 %"),
}


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_writer_lists_every_asset_worst_first(tmp_path: Path, demo_plant) -> None:
    ids = [a.id for a in demo_plant.assets]
    path = tmp_path / "maintenance.csv"
    assert write_maintenance_csv(fleet_health(ids, 0, SICK), demo_plant, path) == len(ids)
    rows = _read(path)
    assert tuple(rows[0]) == COLUMNS
    assert [r["asset"] for r in rows[:2]] == ["M07", "P01"]
    m07 = rows[0]
    assert m07["name"] == demo_plant.asset("M07").name
    assert m07["area"] == "Motor bay"
    assert m07["health"] == "12.5"
    assert m07["ne107_status"] == "failure"
    assert m07["cause"] == "bearing"
    assert m07["summary"] == "bearing wear"
    assert (m07["time_to_limit_s"], m07["time_to_limit"]) == ("7200", "~2 h")
    assert m07["evidence"] == SICK["M07"].evidence  # UTF-8 round trip
    assert rows[1]["time_to_limit"] == "~26 h"
    healthy = rows[2]
    assert healthy["ne107_status"] == "normal" and healthy["time_to_limit_s"] == ""
    assert sorted(r["asset"] for r in rows) == sorted(ids)
    assert not (tmp_path / "maintenance.csv.partial").exists()


def test_a_failed_write_leaves_no_file(tmp_path: Path, demo_plant) -> None:
    target = tmp_path / "missing-folder" / "maintenance.csv"
    with pytest.raises(OSError):
        write_maintenance_csv(
            fleet_health([a.id for a in demo_plant.assets], 0), demo_plant, target
        )
    assert not target.exists()


def test_file_menu_exports_the_snapshot_at_the_cursor(
    qtbot, demo_plant, recorded, tmp_path
) -> None:
    path, start = recorded
    ids = [a.id for a in demo_plant.assets]
    series = SnapshotSeries(
        [
            fleet_health(ids, start + 10 * NS_PER_S, {"M03": Sick(20, Ne107.FAILURE, "supply")}),
            fleet_health(ids, start + 60 * NS_PER_S, SICK),
        ]
    )
    at = start + 70 * NS_PER_S
    recording = Recording(str(path), demo_plant, start, start + RUN_S * NS_PER_S, at)
    session = compose_replay(recording, size=(1280, 860), health=series)
    qtbot.addWidget(session.window)
    try:
        target = tmp_path / "list.csv"

        def save(dialog: QFileDialog) -> None:
            dialog.selectFile(str(target))
            dialog.accept()

        answer_dialog(save, QFileDialog)
        menu_action(session.window, "Export maintenance list…").trigger()
        rows = _read(target)
        assert [r["asset"] for r in rows[:2]] == ["M07", "P01"]  # the snapshot at 60 s
    finally:
        session.stop()
