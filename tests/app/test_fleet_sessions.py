"""The fleet's health in real sessions: a live plant is monitored and its advisories are
journaled while it records; its replay shows the health at the cursor from the recording."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from app.compose.replay import compose_history, replay_health_of
from app.fleet.advisories import QtAdvisoryPanel, standing
from app.fleet.panel import QtFleetPanel
from db import open_history
from db.advisories import AdvisoryJournal
from db.read.health_source import ReplayHealth
from db.write.recorder import Recorder
from tests.plants import asset, build_plant
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, FaultKind, Plant
from twin.timebase import NS_PER_S, now_ns

MOTOR_SIGNALS = (
    {"key": "winding_temp", "rate_hz": 1, "normal": [20, 100], "alarm_high": 130},
    {"key": "bearing_temp", "rate_hz": 1, "normal": [20, 75], "alarm_high": 95},
    {"key": "current", "rate_hz": 1, "normal": [0, 30], "alarm_high": 42},
    {"key": "voltage", "rate_hz": 1, "normal": [380, 420], "alarm_low": 360},
    {"key": "vibration", "rate_hz": 1, "normal": [0, 2.8], "alarm_high": 7.1},
)


def _motors(n: int) -> Plant:
    params = {"rated_current_a": 30.0, "thermal_tau_s": 120, "rated_temp_rise_k": 50}
    return build_plant(
        *(
            asset(f"M{i:02d}", "motor", *MOTOR_SIGNALS, position=(3 * i, 0, 0), params=params)
            for i in range(n)
        )
    )


def test_a_live_plant_is_monitored_and_its_replay_shows_health_at_the_cursor(
    qtbot: QtBot, tmp_path
) -> None:
    plant = _motors(4)
    start = now_ns() - 40 * 60 * NS_PER_S
    runtime = PlantRuntime.simulated(plant, start, [Fault("M02", FaultKind.BEARING_WEAR, 900.0)])
    recorder = Recorder.open(tmp_path / "h.twinhist", runtime.store.groups, plant)
    end = start + 35 * 60 * NS_PER_S
    live = compose_live(
        plant, runtime, PlaybackClock(wall=lambda: end), recording=RecordingStatus(recorder)
    )
    qtbot.addWidget(live.window)
    try:
        runtime.fast_forward(end)
        assert live.health is not None
        qtbot.waitUntil(lambda: live.health is not None and live.health.health_at(end) is not None)
        now = live.health.health_at(end)
        assert now is not None and now.asset_ids == ("M00", "M01", "M02", "M03")
        worn = now.row_of("M02")
        assert worn is not None and np.nanargmin(now.health) == worn  # the worn bearing
        live.scheduler.tick()
        panel = live.window.findChild(QtFleetPanel)
        assert panel is not None and panel.model.rowCount() == 4
        assert panel.model.index(0, 0).data() == "M02"  # worst first
        advisories = live.window.findChild(QtAdvisoryPanel)
        assert advisories is not None
        assert [(e.asset_id, e.cause) for e, _ in advisories.rows][:1] == [("M02", "bearing")]
        cell = advisories.table.item(0, 1)
        assert cell is not None
        rect = advisories.table.visualItemRect(cell)
        qtbot.mouseClick(advisories.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert live.window.selection.asset_id == "M02"
        qtbot.waitUntil(lambda: recorder.state().written_samples >= runtime.ingestor.samples_in)
    finally:
        live.stop()

    with open_history(tmp_path / "h.twinhist", read_only=True) as history:
        raised = AdvisoryJournal(history).read(start, end + 1)
        assert any(e.asset_id == "M02" and e.cause == "bearing" for e in raised)
        source = replay_health_of(history, plant)
        assert isinstance(source, ReplayHealth)
        try:
            at = end - 2 * 60 * NS_PER_S
            replayed = source.wait_for(at)
            assert replayed is not None and replayed.t_ns <= at
            assert np.nanargmin(replayed.health) == replayed.row_of("M02")
            early = source.wait_for(start + 12 * 60 * NS_PER_S)  # before the wear began
            assert early is not None and early.health[worn] > 50 > replayed.health[worn]
            session = compose_history(plant, history, PlaybackClock(), health=source)
            qtbot.addWidget(session.window)
            session.clock.seek(at)
            session.draw_loaded_frame()
            panel = session.window.findChild(QtFleetPanel)
            assert panel is not None and panel.model.index(0, 0).data() == "M02"
            advisories = session.window.findChild(QtAdvisoryPanel)
            assert advisories is not None and advisories.rows[0][0].asset_id == "M02"
            session.clock.seek(start + 12 * 60 * NS_PER_S)  # before the wear began
            session.draw_loaded_frame()
            assert advisories.rows == []
            session.stop()
        finally:
            source.close()


def test_an_advisory_stands_from_its_first_raise_until_it_clears() -> None:
    from twin.condition.advisories import CLEAR, RAISE, AdvisoryEvent

    def event(t: int, asset: str, cause: str, action: str, severity: float) -> AdvisoryEvent:
        return AdvisoryEvent(t, asset, cause, action, severity, 50.0, f"{asset} {cause}", "")

    events = [
        event(1, "M01", "bearing", RAISE, 0.4),
        event(2, "M02", "cooling", RAISE, 0.5),
        event(3, "M01", "bearing", RAISE, 0.8),  # worse since
        event(4, "M02", "cooling", CLEAR, 0.1),
        event(5, "M03", "supply", RAISE, 0.3),
    ]
    rows = standing(events)
    assert [(e.asset_id, e.severity, since) for e, since in rows] == [
        ("M01", 0.8, 1),
        ("M03", 0.3, 5),
    ]
    assert standing(events[:2])[0][0].asset_id == "M02"
