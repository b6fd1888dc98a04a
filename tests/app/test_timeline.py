"""The replay timeline and transport bar, driven by real mouse and key events under X,
checked on the clock they drive and on the pixels they paint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from app.frame.builder import Frame
from app.timeline import QtReplayPanel, QtTimeline, QtTransportBar
from app.timeline.axis import TimeScale, time_ticks
from app.timeline.painting import ALARM_RGB, COVERAGE_RGB
from twin.clock import ClockMode, PlaybackClock
from twin.store.signal_store import SignalStore

NS = 1_000_000_000
T0 = 1_750_000_000 * NS  # 2025-06-15 15:06:40 UTC
T1 = T0 + 3600 * NS
GAP = (T0 + 1000 * NS, T0 + 1300 * NS)
CURSOR = T0 + 1500 * NS
MARKS = [(7, T0 + 500 * NS, "surge"), (9, T0 + 2000 * NS, "bearing trip")]


class FakeWall:
    def __init__(self, t: int) -> None:
        self.t = t

    def __call__(self) -> int:
        return self.t


@pytest.fixture
def panel(qtbot) -> QtReplayPanel:
    clock = PlaybackClock(FakeWall(T1 + 3600 * NS), bounds=(T0, T1))
    clock.seek(CURSOR)
    clock.pause()
    clock.set_marks(t for _, t, _ in MARKS)
    p = QtReplayPanel(clock, UTC)
    qtbot.addWidget(p)
    p.resize(900, 140)
    p.timeline.set_recording_range(T0, T1)
    p.timeline.set_coverage([(T0, GAP[0]), (GAP[1], T1)])
    p.timeline.set_bookmarks(MARKS)
    p.show()
    qtbot.waitExposed(p)
    return p


def lane_y(tl: QtTimeline) -> int:
    return round(tl.lane_rect().center().y())


def pixels(tl: QtTimeline) -> np.ndarray:
    img = tl.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    assert (img.width(), img.height()) == (tl.width(), tl.height())  # no HiDPI scaling
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def is_rgb(px: np.ndarray, rgb: tuple[int, int, int], tol: int = 6) -> np.ndarray:
    return (np.abs(px.astype(int) - np.array(rgb)) <= tol).all(axis=-1)


# --------------------------------------------------------------------- mouse
def test_dragging_the_cursor_line_seeks_to_the_time_under_the_pointer(qtbot, panel) -> None:
    tl, clock = panel.timeline, panel.clock
    seeks: list[int] = []
    tl.seek_requested.connect(seeks.append)
    y = lane_y(tl)
    x0 = round(tl.x_of(CURSOR))
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=QPoint(x0, y))
    for x in (x0 + 40, x0 + 120, x0 + 200):
        qtbot.mouseMove(tl, QPoint(x, y))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton, pos=QPoint(x0 + 200, y))
    one_px = tl.scale().ns_per_px
    assert len(seeks) >= 3 and all(isinstance(t, int) for t in seeks)  # int64, not 32 bits
    assert abs(seeks[-1] - tl.t_of(x0 + 200)) <= one_px
    assert abs(seeks[-1] - (CURSOR + 200 * one_px)) <= one_px
    assert clock.now() == seeks[-1]  # the panel answered by seeking the clock
    assert abs(tl.x_of(clock.now()) - (x0 + 200)) <= 1


def test_click_jumps_and_dragging_empty_space_pans_without_seeking(qtbot, panel) -> None:
    tl, clock = panel.timeline, panel.clock
    y = lane_y(tl)
    qtbot.mouseClick(tl, Qt.MouseButton.LeftButton, pos=QPoint(100, y))
    assert abs(clock.now() - tl.t_of(100)) <= tl.scale().ns_per_px
    # zoom in so there is room to pan, then drag the background
    tl.set_view(T0 + 1000 * NS, T0 + 1600 * NS)
    before, cursor = tl.view, clock.now()
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=QPoint(500, y))
    qtbot.mouseMove(tl, QPoint(450, y))
    qtbot.mouseMove(tl, QPoint(400, y))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton, pos=QPoint(400, y))
    shift = tl.view[0] - before[0]
    assert abs(shift - 100 * (before[1] - before[0]) / tl.scale().width) <= NS / 100
    assert clock.now() == cursor


def test_wheel_zooms_about_the_pointer(qtbot, panel) -> None:
    tl = panel.timeline
    x = 300.0
    under = tl.t_of(x)
    span = tl.view[1] - tl.view[0]
    pos = QPointF(x, lane_y(tl))
    wheel = QWheelEvent(
        pos,
        tl.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 240),  # two notches towards the user's screen: zoom in
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(tl, wheel)
    assert tl.view[1] - tl.view[0] == pytest.approx(span * 0.25, rel=1e-3)  # halved a notch
    assert abs(tl.t_of(x) - under) <= tl.scale().ns_per_px


def test_shift_drag_selects_a_range_that_L_loops(qtbot, panel) -> None:
    tl, clock = panel.timeline, panel.clock
    ranges: list[tuple[int, int]] = []
    tl.range_selected.connect(lambda a, b: ranges.append((a, b)))
    y, shift = lane_y(tl), Qt.KeyboardModifier.ShiftModifier
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, shift, QPoint(600, y))
    qtbot.mouseMove(tl, QPoint(700, y))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton, shift, QPoint(700, y))
    assert len(ranges) == 1 and tl.selected_range == ranges[0]
    a, b = ranges[0]
    px = tl.scale().ns_per_px
    assert abs(a - tl.t_of(600)) <= px and abs(b - tl.t_of(700)) <= px
    qtbot.keyClick(tl, Qt.Key.Key_L)  # the timeline passes transport keys up to the panel
    assert clock.loop == (a, b) and a <= clock.now() <= b
    assert panel.transport.loop_button.isChecked()
    qtbot.keyClick(tl, Qt.Key.Key_L)
    assert clock.loop is None and not panel.transport.loop_button.isChecked()


def test_bookmarks_show_their_names_and_activate_on_double_click(qtbot, panel) -> None:
    tl = panel.timeline
    activated: list[int] = []
    tl.bookmark_activated.connect(activated.append)
    x = round(tl.x_of(MARKS[1][1]))
    qtbot.mouseClick(tl, Qt.MouseButton.LeftButton, pos=QPoint(x + 2, lane_y(tl)))
    assert panel.clock.now() == MARKS[1][1]  # a click on a flag jumps to the bookmark
    qtbot.mouseDClick(tl, Qt.MouseButton.LeftButton, pos=QPoint(x - 2, lane_y(tl)))
    assert activated == [9]
    pos = QPoint(x, lane_y(tl))
    QApplication.sendEvent(tl, QHelpEvent(QEvent.Type.ToolTip, pos, tl.mapToGlobal(pos)))
    assert "bearing trip" in QToolTip.text()
    QToolTip.hideText()


# ---------------------------------------------------------------------- keys
def test_keys_drive_the_clock(qtbot, panel) -> None:
    clock, tl = panel.clock, panel.timeline
    qtbot.keyClick(tl, Qt.Key.Key_Space)
    assert clock.playing
    qtbot.keyClick(tl, Qt.Key.Key_Space)
    assert not clock.playing
    qtbot.keyClick(tl, Qt.Key.Key_BracketRight)
    qtbot.keyClick(tl, Qt.Key.Key_BracketRight)
    assert clock.rate == 5.0 and panel.transport.speed_label.text() == "5×"
    qtbot.keyClick(tl, Qt.Key.Key_BracketLeft)
    assert clock.rate == 2.0
    qtbot.keyClick(tl, Qt.Key.Key_Right)  # next mark
    assert clock.now() == MARKS[1][1]
    qtbot.keyClick(tl, Qt.Key.Key_Right)  # none after it: 1 s
    assert clock.now() == MARKS[1][1] + NS
    qtbot.keyClick(tl, Qt.Key.Key_Left)
    qtbot.keyClick(tl, Qt.Key.Key_Left)
    assert clock.now() == MARKS[0][1]
    with qtbot.waitSignal(panel.transport.bookmark_requested, timeout=1000) as blocker:
        qtbot.keyClick(panel.transport, Qt.Key.Key_B)
    assert blocker.args == [MARKS[0][1]]
    qtbot.keyClick(tl, Qt.Key.Key_End)
    assert clock.mode is ClockMode.LIVE
    assert panel.transport.mode_label.text() == "LIVE"
    assert not panel.transport.live_button.isEnabled()
    # Ctrl combinations belong to the menus
    qtbot.keyClick(tl, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert clock.is_live


def test_transport_buttons(qtbot, panel) -> None:
    bar: QtTransportBar = panel.transport
    clock = panel.clock
    assert bar.mode_label.text() == "REPLAY" and bar.live_button.isEnabled()
    assert not bar.loop_button.isEnabled()  # nothing selected to loop
    qtbot.mouseClick(bar.faster_button, Qt.MouseButton.LeftButton)
    assert clock.rate == 2.0 and bar.speed_label.text() == "2×"
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    assert clock.playing
    assert bar.time_label.text() == "2025-06-15 15:31:40.000"
    qtbot.mouseClick(bar.live_button, Qt.MouseButton.LeftButton)
    assert clock.is_live and bar.mode_label.text() == "LIVE"


# -------------------------------------------------------------------- pixels
def test_coverage_is_painted_where_data_exists_and_not_in_the_gap(qtbot, panel) -> None:
    tl = panel.timeline
    px = pixels(tl)
    row = px[lane_y(tl)]
    xs = np.arange(tl.width())
    ts = np.array([tl.t_of(x) for x in xs])
    covered = is_rgb(row, COVERAGE_RGB)
    # a few pixels of slack at span edges, and the cursor and bookmark lines
    skip = np.zeros(tl.width(), bool)
    for t in (T0, *GAP, T1, CURSOR, *(m[1] for m in MARKS)):
        skip |= np.abs(xs - tl.x_of(t)) <= 3
    inside = ((ts > T0) & (ts < GAP[0]) | (ts > GAP[1]) & (ts < T1)) & ~skip
    in_gap = (ts > GAP[0]) & (ts < GAP[1]) & ~skip
    assert in_gap.sum() > 50 and inside.sum() > 600
    assert covered[inside].mean() > 0.99
    assert not covered[in_gap].any()


def test_alarms_paint_ticks_and_a_density_bar_where_they_happened(qtbot, panel) -> None:
    tl = panel.timeline
    burst = T0 + 2500 * NS
    tl.set_alarms(burst + np.arange(30) * NS)  # 30 alarms in half a minute
    strip = tl.density_rect()
    px = pixels(tl)[round(strip.bottom()) - 2]
    red = np.flatnonzero(is_rgb(px, ALARM_RGB, 10))
    assert red.size > 0
    bar = tl.scale().ns_per_px * 3 + 60 * NS  # a bin is a minute wide
    last = burst + 29 * NS  # the burst may straddle two bins
    assert all(burst - bar <= tl.t_of(x) <= last + bar for x in red)


def _frame(cursor: int) -> Frame:
    empty = np.empty(0)
    return Frame(cursor, SignalStore([]), empty, empty, empty, empty, live=False)


def test_the_view_follows_a_playing_cursor(qtbot, panel) -> None:
    tl, clock = panel.timeline, panel.clock
    tl.set_view(T0, T0 + 600 * NS)
    clock.play()
    frame = _frame(T0 + 700 * NS)
    panel.update_frame(frame)
    assert tl.view[0] < T0 + 700 * NS < tl.view[1]
    assert tl.view[1] - tl.view[0] == 600 * NS
    paged = tl.view
    clock.pause()
    panel.update_frame(_frame(T0 + 2000 * NS))
    assert tl.view == paged  # paused: the view stays where the user put it


# ---------------------------------------------------------------------- axis
@pytest.mark.parametrize("offset_min", [0, 330, -210])
def test_ticks_fall_on_round_local_times(offset_min: int) -> None:
    tz = timezone(timedelta(minutes=offset_min))
    for span_s, width in ((3600, 900), (30, 900), (86400 * 3, 900), (1.5, 900)):
        scale = TimeScale(T0, T0 + round(span_s * NS), 0, width)
        ticks = time_ticks(scale, tz)
        assert 3 <= len(ticks) <= 20
        steps = np.diff([t for t, _ in ticks])
        assert (steps == steps[0]).all()
        for t, label in ticks:
            local = datetime.fromtimestamp(t / NS, tz)
            assert (local.timestamp() * 1000 + offset_min * 60_000) % (steps[0] / 1e6) < 1e-3
            assert label and label in (
                local.strftime("%H:%M"),
                local.strftime("%H:%M:%S"),
                local.strftime("%H:%M:%S.") + f"{local.microsecond // 1000:03d}",
                local.strftime("%m-%d"),
                local.strftime("%Y-%m-%d"),
            )
    hourly = time_ticks(TimeScale(T0, T0 + 24 * 3600 * NS, 0, 900), tz)
    assert len(hourly) >= 4
    assert all(datetime.fromtimestamp(t / NS, tz).minute == 0 for t, _ in hourly)
    assert any(label == "06-16" for _, label in hourly)  # local midnight shows the date
