"""The wall screen through the UI, on the demo workshop: full screen in large type, pages
turning through every area and line, Left/Right and Esc, and the same numbers as the
Lines panel and the alarm list at the same frame, live and looking back."""

from __future__ import annotations

import signal
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from app.export.imaging import qimage_to_rgb
from app.line import text as line_text
from app.line.panel import QtLinePanel
from app.wall.install import start_wall, wall_screen
from app.wall.menu import ACTION
from app.wall.screen import QtWallScreen
from app.wall.summary import STANDING
from db.write.recorder import Recorder
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.kpi.replay import CursorIndicators
from twin.plant.faults import parse_fault_spec
from twin.status import State
from twin.timebase import NS_PER_S, now_ns

HEADLINE_PX, BODY_PX = 64, 28  # at 1080 p: readable from 5 m


def _wall(session) -> QtWallScreen:
    wall = wall_screen(session.window)
    assert wall is not None
    return wall


def _enter(qtbot, session, cycle_s: float = 15.0) -> QtWallScreen:
    """As ``--wall`` does: the wall screen once the event loop runs."""
    wall = _wall(session)
    start_wall(session.window, True, cycle_s)
    qtbot.waitUntil(lambda: wall.isVisible() and wall.isFullScreen())
    session.scheduler.tick()
    return wall


def _line_page(wall: QtWallScreen) -> int:
    return next(i for i, p in enumerate(wall.pages) if p.line_id is not None)


@pytest.fixture
def overloaded(make_live_app, demo_plant):
    """The demo workshop live for 5 s, motor M07 overloaded from the first second."""
    return make_live_app(demo_plant, 5.0, (parse_fault_spec("M07:overload@1", demo_plant),))


def test_wall_mode_shows_the_first_page_full_screen_in_large_type(qtbot, overloaded) -> None:
    window = overloaded.window
    action = window.findChild(QAction, ACTION)
    assert action is not None and action.isEnabled() and action.shortcut().toString() == "Shift+F11"
    wall = _enter(qtbot, overloaded)
    assert not window.isVisible()  # hidden behind it: its 3D view need not draw
    assert wall.geometry() == wall.screen().geometry()
    assert wall.title.text() == overloaded.plant.areas[0].name
    assert wall.page_label.text() == f"1 / {len(wall.pages)}"
    # The motor bay's standing alarms: M07's overload, most urgent first.
    standing = [
        s
        for s in overloaded.alarms.table.model.statuses.values()
        if s.state in STANDING and overloaded.plant.asset(s.asset_id).area_id == "motor_bay"
    ]
    assert standing
    assert wall.alarm_list.heading.text().endswith(f": {len(standing)}")
    assert wall.alarm_list.rows[0].isVisible()
    assert wall.alarm_list.rows[0].text().startswith(overloaded.plant.asset("M07").name)
    # Its assets by state at the frame: one row of three tiles.
    frame = overloaded.scheduler.last_frame
    assert frame is not None
    bay = [i for i, a in enumerate(overloaded.plant.assets) if a.area_id == "motor_bay"]
    in_alarm = int((frame.asset_states[bay] == State.ALARM).sum())
    assert in_alarm > 0
    assert [t.isVisible() for t in wall.tiles] == [True] * 3 + [False] * 3
    assert wall.tiles[0].value.text() == f"{in_alarm} / {len(bay)}"
    assert "M07" in wall.tiles[0].detail.text()
    wall.show_page(_line_page(wall))
    qtbot.waitUntil(lambda: all(t.isVisible() for t in wall.tiles))
    for label in wall.labels():
        assert label.font().pixelSize() >= HEADLINE_PX
        assert label.height() >= HEADLINE_PX  # laid out whole, not squeezed
    body = [wall.clock, wall.alarm_list.rows[0], wall.alarm_list.chips[0]]
    body += [t.caption for t in wall.tiles] + [t.detail for t in wall.tiles]
    assert min(label.font().pixelSize() for label in body) >= BODY_PX
    assert wall.title.font().pixelSize() > BODY_PX
    rgb = qimage_to_rgb(wall.grab().toImage()).astype(np.float64)
    assert rgb.mean() < 50  # a dark screen: light text on near black
    assert (rgb.min(axis=2) > 200).mean() > 0.005  # and its text is there, light


def test_pages_turn_through_every_area_and_line_and_wrap(qtbot, overloaded) -> None:
    wall = _enter(qtbot, overloaded)
    titles: list[str] = []
    wall.cycle.timeout.connect(lambda: titles.append(wall.title.text()))
    wall.set_cycle_s(0.05)
    wall.show_page(0)  # restarts the timer with the short page time
    qtbot.waitUntil(lambda: len(titles) > len(wall.pages), timeout=5000)
    pages = [p.name for p in wall.pages]
    assert titles[: len(pages) + 1] == [*pages[1:], pages[0], pages[1]]
    areas = overloaded.plant.areas
    assert all(any(p.startswith(a.name) for p in pages) for a in areas)
    assert any(line.name in p for p in pages for line in overloaded.plant.lines)


def test_left_and_right_step_through_the_pages(qtbot, overloaded) -> None:
    wall = _enter(qtbot, overloaded)
    pages = wall.pages
    qtbot.keyClick(wall, Qt.Key.Key_Right)
    assert (wall.page, wall.title.text()) == (1, pages[1].name)
    assert wall.page_label.text() == f"2 / {len(pages)}"
    qtbot.keyClick(wall, Qt.Key.Key_Left)
    qtbot.keyClick(wall, Qt.Key.Key_Left)  # from the first page to the last
    assert (wall.page, wall.title.text()) == (len(pages) - 1, pages[-1].name)


def test_esc_goes_back_to_the_window_and_f11_to_the_wall(qtbot, overloaded) -> None:
    window = overloaded.window
    wall = _enter(qtbot, overloaded)
    assert wall.cycle.isActive()
    qtbot.keyClick(wall, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.isVisible() and not wall.isVisible())
    assert not wall.cycle.isActive()
    refreshes = wall.refreshes
    overloaded.scheduler.tick()
    assert wall.refreshes == refreshes  # hidden: nothing said
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(wall.isVisible)
    wall.close()  # the window manager's close: back as well
    qtbot.waitUntil(lambda: window.isVisible() and not wall.isVisible())


def test_the_figures_are_the_lines_panels_and_the_trackers_at_the_same_frame(
    qtbot, make_live_app, demo_plant
) -> None:
    session = make_live_app(demo_plant, 800.0)  # three to four door panels
    wall = _enter(qtbot, session)
    wall.show_page(_line_page(wall))
    panel = session.window.panels["lines"]
    assert isinstance(panel, QtLinePanel)
    frame = session.scheduler.last_frame
    assert frame is not None and panel.shown_at == frame.cursor_ns
    assert panel.indicators is not None
    line = demo_plant.lines[0]  # the first line page's: the door-panel line
    assert wall.pages[_line_page(wall)].line_id == line.id
    li = panel.indicators.line(line.id)
    assert li.parts > 0
    # A tracker of its own over the same reader at the same cursor agrees.
    own = CursorIndicators(demo_plant, session.reader).at(frame.cursor_ns)
    assert own is not None and own.line(line.id).parts == li.parts
    output, oee, cycle, energy, bottleneck, _ = wall.tiles
    view = panel.views[line.id]
    assert output.value.text() == f"{li.parts:.0f} / {li.plan_parts}"
    assert f"{li.good:.0f}" in output.detail.text()
    assert f"OEE {oee.value.text()}" in view.oee.text()
    assert oee.value.text() == line_text.percent(float(li.oee.oee))
    assert f"cycle last {cycle.value.text()} · median" in view.cycle.text()
    assert line_text.duration(line.target_cycle_s) in cycle.detail.text()
    assert energy.value.text().split()[0] == f"{li.energy_per_part_kwh:.2f}"
    assert bottleneck.value.text() == li.bottleneck
    assert f"<b>{li.bottleneck} " in view.machines.text()
    # The motor bay's fleet health: every monitored motor there, counted once.
    wall.show_page(0)
    health = frame.health
    assert health is not None
    bay = {a.id for a in demo_plant.assets_in("motor_bay")}
    monitored = sum(1 for a in health.asset_ids if a in bay)
    counts = [int(chip.text().split()[-1]) for chip in wall.health_list.chips]
    assert sum(counts) == monitored > 0


def test_looking_back_it_shows_the_alarms_at_the_cursor(qtbot, demo_plant, tmp_path) -> None:
    """A recorded live session with the cursor in the past: the journal's alarms there."""
    end = now_ns()
    fault = parse_fault_spec("M07:overload@10", demo_plant)
    runtime = PlantRuntime.simulated(demo_plant, end - 60 * NS_PER_S, (fault,))
    recorder = Recorder.open(tmp_path / "h.twinhist", runtime.store.groups, demo_plant)
    session = compose_live(
        demo_plant, runtime, PlaybackClock(wall=lambda: end), recording=RecordingStatus(recorder)
    )
    qtbot.addWidget(session.window)
    try:
        runtime.fast_forward(end)
        wall = _enter(qtbot, session)
        live_count = _standing_in_bay(session)
        assert live_count > 0
        assert wall.clock.text().startswith("LIVE")
        session.clock.seek(end - 55 * NS_PER_S)  # before the overload: nothing stands
        _wait_for_count(qtbot, session, wall, 0)
        assert wall.clock.text().startswith("REPLAY")
        session.clock.seek(end - 5 * NS_PER_S)
        _wait_for_count(qtbot, session, wall, live_count)
    finally:
        session.stop()


def _standing_in_bay(session) -> int:
    statuses = session.alarms.table.model.statuses.values()
    bay = {a.id for a in session.plant.assets_in("motor_bay")}
    return sum(1 for s in statuses if s.state in STANDING and s.asset_id in bay)


def _wait_for_count(qtbot, session, wall: QtWallScreen, count: int) -> None:
    def shown() -> bool:
        session.scheduler.tick()
        wall.refresh()
        heading = wall.alarm_list.heading.text()
        return _standing_in_bay(session) == count and heading.endswith(f": {count}")

    qtbot.waitUntil(shown, timeout=10_000)


def test_sigterm_in_wall_mode_quits_as_from_the_window(qtbot, tmp_path) -> None:
    """The window hidden behind the wall screen still closes the program on SIGTERM."""
    metrics = tmp_path / "figures.jsonl"
    app = subprocess.Popen(
        [sys.executable, "-m", "app", "--wall", "--no-record", "--metrics", str(metrics)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )

    def ticking() -> bool:
        lines = metrics.read_text().splitlines() if metrics.exists() else []
        return any('"tick"' in line for line in lines)

    try:
        qtbot.waitUntil(ticking, timeout=90_000)
        app.send_signal(signal.SIGTERM)
        _, stderr = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, stderr
    assert '"stopped"' in metrics.read_text()
