"""Alarms in the running window: an overload raises one, the operator acknowledges it with
a click, and the journal keeps it across a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from db import open_history
from db.journal import Journal
from db.write.recorder import Recorder
from tests.app.incident import MOTOR
from twin.alarms.model import Action, AlarmState, Priority
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, FaultKind
from twin.timebase import NS_PER_S, now_ns

ALARM = f"{MOTOR}.current:HH"


def _window(qtbot, plant, path, end: int, faults=()):
    runtime = PlantRuntime.simulated(plant, end - 60 * NS_PER_S, faults)
    recorder = Recorder.open(path, runtime.store.groups, plant)
    live = compose_live(
        plant, runtime, PlaybackClock(wall=lambda: end), recording=RecordingStatus(recorder)
    )
    qtbot.addWidget(live.window)
    live.window.show()
    return live


def _row_of(table, alarm_id: str) -> int:
    source_row = table.model.row_of(alarm_id)
    return table.proxy.mapFromSource(table.model.index(source_row, 0)).row()


def test_overload_alarm_acknowledged_by_click_and_kept_across_a_restart(
    qtbot, demo_plant, tmp_path
) -> None:
    path = tmp_path / "alarms.twinhist"
    end = now_ns()
    live = _window(qtbot, demo_plant, path, end, (Fault(MOTOR, FaultKind.OVERLOAD, 20.0),))
    alarms = live.window.alarms
    try:
        live.runtime.fast_forward(end)
        table = alarms.table
        qtbot.waitUntil(lambda: ALARM in table.model.statuses, timeout=5_000)
        assert alarms.banner.counts()[Priority.HIGH] >= 1
        table.operator = "li.wei"
        view = table.view
        rect = view.visualRect(table.proxy.index(_row_of(table, ALARM), 1))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert table.selected_ids() == [ALARM]
        qtbot.mouseClick(table.ack_button, Qt.MouseButton.LeftButton)
        assert live.runtime.alarms.table.state(ALARM) is AlarmState.ACK_ACTIVE
        qtbot.waitUntil(lambda: table.model.statuses[ALARM].state is AlarmState.ACK_ACTIVE)
    finally:
        live.stop()  # flushes the journal and closes the history
        live.window.close()

    with open_history(path, read_only=True) as history:
        acks = Journal(history).read(0, now_ns() + NS_PER_S, actions=[Action.ACK])
    assert [(e.alarm_id, e.user) for e in acks] == [(ALARM, "li.wei")]

    again = _window(qtbot, demo_plant, path, now_ns())  # a restart of the same plant
    try:
        restored = again.runtime.alarms.table.snapshot()
        assert restored[ALARM].acked_by == "li.wei"
        assert again.window.alarms.table.model.statuses[ALARM].acked_by == "li.wei"
    finally:
        again.stop()


def test_one_click_on_an_alarm_selects_its_asset_and_flies_the_3d_view_to_it(
    qtbot, demo_plant, tmp_path
) -> None:
    end = now_ns()
    live = _window(
        qtbot, demo_plant, tmp_path / "a.twinhist", end, (Fault(MOTOR, FaultKind.OVERLOAD, 20.0),)
    )
    window, table = live.window, live.window.alarms.table
    try:
        live.runtime.fast_forward(end)
        qtbot.waitUntil(lambda: ALARM in table.model.statuses, timeout=5_000)
        scene = window.scene_view
        bounds = scene.scene.asset_bounds(MOTOR)
        centre = [(bounds[2 * i] + bounds[2 * i + 1]) / 2 for i in range(3)]

        def distance_to_motor() -> float:
            focal = scene.camera_view()["focal_point"]
            assert isinstance(focal, list)
            return sum((f - c) ** 2 for f, c in zip(focal, centre, strict=True)) ** 0.5

        before = distance_to_motor()
        assert window.selection.asset_id != MOTOR
        rect = table.view.visualRect(table.proxy.index(_row_of(table, ALARM), 3))
        qtbot.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.selection.asset_id == MOTOR
        assert scene.flying
        qtbot.waitUntil(lambda: not scene.flying, timeout=5_000)
        assert distance_to_motor() < min(before, 1.0)
    finally:
        live.stop()
        live.window.close()
