"""The Spectrum panel in real sessions: the simulated demo motors' accelerometers, live
and recorded, drawn in a shown window."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus, Session
from app.compose.replay import Recording, compose_replay
from app.fleet.spectrum import QtSpectrumPanel
from db.write.recorder import Recorder
from tests.plants import asset, build_plant
from twin.clock import PlaybackClock
from twin.condition.marks import TYPICAL_ORDERS
from twin.condition.spectra import bearing_frequencies, rotor_bar_sidebands, slip
from twin.condition.waterfall import WATERFALL_ROWS
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, FaultKind, Plant
from twin.timebase import NS_PER_S, now_ns

WORN, HEALTHY = "M03", "M09"  # both 7.5 kW 4-pole motors with an accelerometer
ACCEL = {"key": "acceleration", "unit": "m/s²", "rate_hz": 2560, "normal": [-5, 5]}
SPEED = {"key": "speed", "unit": "rpm", "rate_hz": 10, "normal": [1400, 1500]}
VIBRATION = {"key": "vibration", "unit": "mm/s", "rate_hz": 10, "normal": [0, 2.8]}
GEOMETRY = {
    "rated_speed_rpm": 1470,
    "bearing_balls": 8,
    "bearing_ball_d_mm": 12.7,
    "bearing_pitch_d_mm": 46.0,
    "bearing_contact_deg": 10.0,
}


def _shown_panel(qtbot: QtBot, session: Session) -> QtSpectrumPanel:
    window = session.window
    window.show()
    qtbot.waitExposed(window)
    dock = window.findChild(QDockWidget, "dock_spectrum")
    assert dock is not None
    dock.raise_()
    panel = window.panels["spectrum"]
    assert isinstance(panel, QtSpectrumPanel)
    qtbot.waitUntil(panel.isVisible)
    return panel


def _drawn(
    session: Session, panel: QtSpectrumPanel, ready: Callable[[], bool]
) -> Callable[[], bool]:
    """A waitUntil condition that draws a frame each time it is asked."""

    def check() -> bool:
        session.scheduler.tick()
        return ready()

    return check


def _complete(session: Session, panel: QtSpectrumPanel, channel: str) -> Callable[[], bool]:
    """The panel shows ``channel`` complete at the clock's cursor (data and rows)."""
    return _drawn(
        session,
        panel,
        lambda: (
            panel.channel == channel
            and panel.picture is not None
            and panel.picture.cursor_ns == session.clock()
            and panel.picture.complete
        ),
    )


def _level_at(panel: QtSpectrumPanel, hz: float, within_hz: float = 1.5) -> float:
    picture = panel.picture
    assert picture is not None and picture.psd_db is not None
    near = np.abs(picture.freqs - hz) <= within_hz
    return float(picture.psd_db[near].max())


def _mark(panel: QtSpectrumPanel, label: str) -> float:
    return next(m.hz for m in panel.marks if m.label == label)


def test_a_worn_bearing_shows_a_marked_bpfo_peak_above_the_healthy_motor(
    qtbot: QtBot, demo_plant: Plant, make_live_app: Callable[..., Session]
) -> None:
    session = make_live_app(
        demo_plant, after_s=40.0, faults=(Fault(WORN, FaultKind.BEARING_WEAR, 5.0, 20.0),)
    )
    panel = _shown_panel(qtbot, session)
    session.window.selection.select(WORN)
    qtbot.waitUntil(_complete(session, panel, f"{WORN}.acceleration"))
    bpfo = _mark(panel, "BPFO")
    picture = panel.picture
    assert picture is not None and picture.psd_db is not None
    above_2x = picture.freqs > _mark(panel, "2×") + 5
    peak = picture.freqs[above_2x][np.argmax(picture.psd_db[above_2x])]
    assert abs(peak - bpfo) < 1.5  # the strongest line above 2x is the marked BPFO
    worn_level = _level_at(panel, bpfo)
    line = panel.spectrum_marks.lines[[m.label for m in panel.marks].index("BPFO")]
    assert line.value() == bpfo and line.label.toPlainText() == "BPFO"

    session.window.selection.select(HEALTHY)
    qtbot.waitUntil(_complete(session, panel, f"{HEALTHY}.acceleration"))
    healthy_bpfo = _mark(panel, "BPFO")
    assert abs(healthy_bpfo - bpfo) < 1.0  # same motor type, near the same speed
    assert worn_level > _level_at(panel, healthy_bpfo) + 20.0  # dB


def test_marks_sit_at_the_bearing_and_shaft_frequencies_and_labels_do_not_overlap(
    qtbot: QtBot, make_live_app: Callable[..., Session]
) -> None:
    plant = build_plant(asset("M01", "motor", ACCEL, SPEED, VIBRATION, params=GEOMETRY))
    session = make_live_app(plant, after_s=8.0)
    panel = _shown_panel(qtbot, session)
    session.window.selection.select("M01")
    qtbot.waitUntil(_complete(session, panel, "M01.acceleration"))
    frame = session.scheduler.last_frame
    assert frame is not None
    rpm = float(frame.values[[s.id for s in plant.signals].index("M01.speed")])
    shaft = rpm / 60.0
    expected = bearing_frequencies(shaft, 8, 12.7, 46.0, 10.0)
    got = {m.label: m.hz for m in panel.marks}
    assert got["BPFO"] == expected.bpfo and got["BPFI"] == expected.bpfi
    assert got["BSF"] == expected.bsf and got["FTF"] == expected.ftf
    assert [got["1×"], got["2×"], got["3×"]] == [shaft, 2 * shaft, 3 * shaft]
    assert [ln.value() for ln in panel.spectrum_marks.lines] == [m.hz for m in panel.marks]
    assert [ln.value() for ln in panel.waterfall_marks.lines] == [m.hz for m in panel.marks]
    # Every label is in view, and no two overlap on the screen.
    view = panel.graphics.viewport()
    rects = [ln.label.mapRectToScene(ln.label.boundingRect()) for ln in panel.spectrum_marks.lines]
    for i, a in enumerate(rects):
        assert view.rect().contains(panel.graphics.mapFromScene(a.center()))
        assert not any(a.intersects(b) for b in rects[i + 1 :]), panel.marks[i].label


def test_selection_changes_the_channel_and_the_combo_picks_among_several(
    qtbot: QtBot, demo_plant: Plant, make_live_app: Callable[..., Session]
) -> None:
    current = {"key": "current", "name": "Phase current waveform", "unit": "A",
               "rate_hz": 2000, "normal": [-40, 40]}  # fmt: skip
    params = {"rated_speed_rpm": 1470, "supply_hz": 50}
    plant = build_plant(
        asset("M01", "motor", ACCEL, SPEED, VIBRATION, current, params=params),
        asset("M02", "motor", ACCEL, SPEED, VIBRATION, params=params, position=(3, 0, 0)),
        asset("M03", "motor", SPEED, VIBRATION, params=params, position=(6, 0, 0)),
    )
    session = make_live_app(plant, after_s=6.0)
    panel = _shown_panel(qtbot, session)
    select = session.window.selection.select
    select("M02")
    assert panel.channel == "M02.acceleration" and not panel.combo.isVisible()
    select("M03")  # no waveform channel: says which assets have one
    assert panel.channel is None and "M01, M02" in panel.status.text()
    select("M01")
    assert panel.channel == "M01.acceleration" and panel.combo.isVisible()
    panel.combo.setFocus()
    qtbot.keyClick(panel.combo, Qt.Key.Key_Down)
    assert panel.channel == "M01.current"
    qtbot.waitUntil(_complete(session, panel, "M01.current"))
    # A current is marked with the supply line and the rotor-bar sidebands.
    frame = session.scheduler.last_frame
    assert frame is not None
    rpm = float(frame.values[[s.id for s in plant.signals].index("M01.speed")])
    lo, hi = rotor_bar_sidebands(50.0, slip(50.0, 4, rpm))
    assert [(m.label, m.hz) for m in panel.marks] == [("(1−2s)f", lo), ("f", 50.0), ("(1+2s)f", hi)]


def test_the_waterfall_fills_as_time_passes(
    qtbot: QtBot, demo_plant: Plant, make_live_app: Callable[..., Session]
) -> None:
    wall = {"now": now_ns()}
    session = make_live_app(demo_plant, after_s=12.0, wall=lambda: wall["now"])
    panel = _shown_panel(qtbot, session)
    session.window.selection.select(HEALTHY)
    channel = f"{HEALTHY}.acceleration"
    qtbot.waitUntil(_complete(session, panel, channel))

    def filled() -> int:
        assert panel.picture is not None
        return int(np.isfinite(panel.picture.rows_db).all(axis=1).sum())

    before = filled()
    assert 8 <= before <= 12  # the whole seconds simulated so far
    runtime = session.live_runtime
    for _ in range(2):
        wall["now"] += 15 * NS_PER_S
        runtime.fast_forward(wall["now"])
        qtbot.waitUntil(_complete(session, panel, channel))
    assert filled() == before + 30
    assert panel.picture is not None and panel.picture.rows_db.shape[0] == WATERFALL_ROWS
    # The newest rows are at the top of the image: its last column (y up) is the newest.
    image = panel.image.image
    assert image is not None and np.isfinite(image[:, -1]).all()


def test_a_replay_at_the_cursor_shows_the_spectrum_live_showed(
    qtbot: QtBot, demo_plant: Plant, tmp_path
) -> None:
    end = now_ns()
    start = end - 30 * NS_PER_S
    faults = [Fault(WORN, FaultKind.BEARING_WEAR, 5.0, 10.0)]
    runtime = PlantRuntime.simulated(demo_plant, start, faults)
    path = tmp_path / "h.twinhist"
    recorder = Recorder.open(path, runtime.store.groups, demo_plant)
    live = compose_live(
        demo_plant, runtime, PlaybackClock(wall=lambda: end), recording=RecordingStatus(recorder)
    )
    qtbot.addWidget(live.window)
    try:
        runtime.fast_forward(end)
        panel = _shown_panel(qtbot, live)
        live.window.selection.select(WORN)
        qtbot.waitUntil(_complete(live, panel, f"{WORN}.acceleration"))
        seen = panel.picture
        assert seen is not None and seen.psd_db is not None
        qtbot.waitUntil(lambda: recorder.state().written_samples >= runtime.ingestor.samples_in)
    finally:
        live.stop()
        live.window.close()

    replay = compose_replay(Recording(str(path), demo_plant, start, end, end))
    qtbot.addWidget(replay.window)
    try:
        panel = _shown_panel(qtbot, replay)
        replay.window.selection.select(WORN)
        qtbot.waitUntil(_complete(replay, panel, f"{WORN}.acceleration"), timeout=20_000)
        again = panel.picture
        assert again is not None and again.psd_db is not None
        assert again.cursor_ns == seen.cursor_ns
        np.testing.assert_array_equal(again.psd_db, seen.psd_db)
        np.testing.assert_array_equal(again.rows_db, seen.rows_db)
        assert np.isfinite(seen.rows_db).all(axis=1).sum() >= 25
        assert abs(_mark(panel, "BPFO") - TYPICAL_ORDERS[0] * 1470 / 60) < 1.5
    finally:
        replay.stop()
        replay.window.close()


def test_no_panel_without_waveforms_and_bad_bearing_params_are_named(
    qtbot: QtBot, make_live_app: Callable[..., Session]
) -> None:
    slow = build_plant(asset("M01", "motor", SPEED, VIBRATION))
    assert "spectrum" not in make_live_app(slow, after_s=2.0).window.panels
    params = {**GEOMETRY, "bearing_ball_d_mm": "half an inch"}
    plant = build_plant(asset("M01", "motor", ACCEL, SPEED, VIBRATION, params=params))
    session = make_live_app(plant, after_s=6.0)
    panel = _shown_panel(qtbot, session)
    session.window.selection.select("M01")
    qtbot.waitUntil(_complete(session, panel, "M01.acceleration"))
    assert "asset M01: param bearing_ball_d_mm = 'half an inch'" in panel.status.text()
    assert panel.marks == () and panel.picture is not None and panel.picture.psd_db is not None
