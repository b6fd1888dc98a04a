"""What the timeline shows before anyone touches it: the whole recording with the cursor at
live, in readable units; a few wheel notches reach minutes; alarm density starts with the
recording; a new bookmark is in view."""

from __future__ import annotations

from datetime import UTC

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from app.compose.live import compose_live, ingest_sinks
from app.compose.parts import RecordingStatus, Session
from app.timeline import QtReplayPanel, QtTimeline
from app.timeline.axis import time_ticks
from app.timeline.painting import ALARM_RGB, AXIS_H, COVERAGE_RGB
from db.bookmarks import Bookmarks
from db.write.recorder import Recorder
from tests.app.dialogs import answer_dialog
from tests.app.test_timeline import is_rgb, lane_y, pixels
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.timebase import NS_PER_S, now_ns

NS = NS_PER_S
MIN = 60 * NS


class FakeWall:
    def __init__(self, t: int) -> None:
        self.t = t

    def __call__(self) -> int:
        return self.t


def wheel(widget: QWidget, x: float, notches: int) -> None:
    """``notches`` wheel steps at ``x`` (positive: towards the screen, zoom in)."""
    pos = QPointF(x, widget.height() / 2)
    for _ in range(abs(notches)):
        event = QWheelEvent(
            pos,
            widget.mapToGlobal(pos),
            QPoint(0, 0),
            QPoint(0, 120 if notches > 0 else -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)


def labels(tl: QtTimeline) -> list[str]:
    return [text for _, text in time_ticks(tl.scale(), tl.tz, tl.fontMetrics().horizontalAdvance)]


# --------------------------------------------------------------- a live recording
def _record_to(qtbot, runtime: PlantRuntime, recorder: Recorder, wall: FakeWall, t: int) -> None:
    """Run the simulated plant (and the wall clock) to ``t``, and wait for it on disk."""
    wall.t = t
    runtime.fast_forward(t)
    stored = runtime.ingestor.samples_in
    qtbot.waitUntil(lambda: recorder.state().written_samples >= stored, timeout=15_000)


def test_a_live_recording_is_shown_whole_with_the_cursor_at_live(
    qtbot, demo_plant, tmp_path
) -> None:
    start = now_ns() - 30 * MIN
    wall = FakeWall(start)
    runtime = PlantRuntime.simulated(demo_plant, start)
    recorder = Recorder.open(tmp_path / "h.twinhist", runtime.store.groups, demo_plant)
    live = compose_live(
        demo_plant, runtime, PlaybackClock(wall=wall), recording=RecordingStatus(recorder)
    )
    qtbot.addWidget(live.window)
    live.window.show()
    qtbot.waitExposed(live.window)
    try:
        _check_live_timeline(qtbot, live, runtime, recorder, wall, start)
    finally:
        live.stop()


def _check_live_timeline(
    qtbot, live: Session, runtime: PlantRuntime, recorder: Recorder, wall: FakeWall, start: int
) -> None:
    tl = live.window.replay.timeline
    assert live.timeline is not None
    # The timeline first sees the recording two seconds in (as when the app starts) ...
    _record_to(qtbot, runtime, recorder, wall, start + 2 * NS)
    live.scheduler.start()  # frames move the cursor; the plant itself stays fast-forwarded
    live.timeline.start()
    qtbot.waitUntil(lambda: tl.recording_range is not None)
    # ... then seven minutes go by.
    _record_to(qtbot, runtime, recorder, wall, start + 7 * MIN)
    qtbot.waitUntil(
        lambda: tl.recording_range is not None and tl.recording_range[1] >= wall.t - 2 * NS,
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: tl._cursor == wall.t)
    assert tl.recording_range is not None
    lo, hi = tl.recording_range
    t0, t1 = tl.view
    assert t1 - t0 >= hi - lo and t0 <= lo and wall.t <= t1  # all of it, and the live edge
    assert 0 < tl.x_of(wall.t) < tl.width()
    text = labels(tl)
    assert len(text) >= 3 and not any("." in s for s in text), text  # no milliseconds
    # Painted: the recorded range is coverage from its first to its last pixel.
    row = pixels(tl)[lane_y(tl)]
    recorded = np.arange(round(tl.x_of(lo)) + 2, round(tl.x_of(hi)) - 2)
    assert recorded.size > tl.width() / 3
    assert is_rgb(row[recorded], COVERAGE_RGB).mean() > 0.95
    # B at the cursor: the new bookmark is in view.
    tl.setFocus()

    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue("pump trips")
        dialog.accept()

    answer_dialog(name_it)
    qtbot.keyClick(tl, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: len(tl._bookmarks) == 1)
    (mark,) = Bookmarks(recorder.history).in_range()
    assert 0 < tl.x_of(mark.t) < tl.width()
    # From 10 s, five wheel notches out show five minutes or more.
    tl.set_view(wall.t - 9 * NS, wall.t + NS)
    wheel(tl, tl.x_of(wall.t), -5)
    assert tl.view[1] - tl.view[0] >= 5 * MIN
    assert tl.view[0] <= wall.t <= tl.view[1]
    # Home fits the whole recording again.
    qtbot.keyClick(tl, Qt.Key.Key_Home)
    assert tl.fitted and tl.view[0] <= lo and tl.view[1] >= wall.t


# ------------------------------------------------------------- widget-level cases
T0 = 1_750_000_000 * NS  # not on a whole minute: 40 s past one


def _panel(qtbot, clock: PlaybackClock, t0: int, t1: int) -> QtReplayPanel:
    panel = QtReplayPanel(clock, UTC)
    qtbot.addWidget(panel)
    panel.resize(900, 140)
    panel.timeline.set_recording_range(t0, t1)
    panel.timeline.set_coverage([(t0, t1)])
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_a_long_live_recording_shows_its_last_hours_up_to_live(qtbot) -> None:
    wall = FakeWall(T0 + 30 * 3600 * NS)
    clock = PlaybackClock(wall=wall, bounds=(T0, None))
    panel = _panel(qtbot, clock, T0, wall.t - NS)
    tl = panel.timeline
    tl.refresh()
    t0, t1 = tl.view
    assert t1 - t0 >= 3600 * NS and t0 <= wall.t <= t1
    assert tl.x_of(wall.t) > tl.width() * 0.8  # live is at the right, with room to come
    text = labels(tl)
    assert len(text) >= 3 and all(len(s) == 5 for s in text), text  # HH:MM (or MM-DD)
    # It pages along with the live edge without anyone touching it.
    wall.t += 3600 * NS
    tl.set_recording_range(T0, wall.t - NS)
    tl.refresh()
    assert tl.view[0] <= wall.t <= tl.view[1] and tl.fitted


def test_alarm_density_starts_where_the_recording_starts(qtbot) -> None:
    clock = PlaybackClock(FakeWall(T0 + 7200 * NS), bounds=(T0, T0 + 3600 * NS))
    clock.seek(T0 + 1800 * NS)  # replaying a finished recording
    clock.pause()
    panel = _panel(qtbot, clock, T0, T0 + 3600 * NS)
    tl = panel.timeline
    tl.set_alarms(T0 + np.arange(5, 35) * NS)  # a burst in the first half minute
    wheel(tl, 0, -1)  # zoom out about the left edge: time before the recording shows
    assert tl.view[0] < T0 - 60 * NS
    strip = tl.density_rect()
    row = pixels(tl)[round(strip.bottom()) - 2]
    red = np.flatnonzero(is_rgb(row, ALARM_RGB, 10))
    assert red.size > 0
    assert red.min() >= round(tl.x_of(T0)) - 1


def test_tick_labels_at_the_edges_are_left_out_rather_than_cut(qtbot) -> None:
    clock = PlaybackClock(FakeWall(T0 + 7200 * NS), bounds=(T0, T0 + 3600 * NS))
    clock.seek(T0 + 1800 * NS)
    clock.pause()
    panel = _panel(qtbot, clock, T0, T0 + 3600 * NS)
    tl = panel.timeline
    minute = (T0 // MIN + 5) * MIN
    tl.set_view(minute - 2 * NS, minute - 2 * NS + 10 * MIN)  # a minute tick at the left edge
    assert 0 < tl.x_of(minute) < 12
    text_rows = pixels(tl)[: AXIS_H - 5]
    background = np.array([0x16, 0x19, 0x1D])
    inked = (np.abs(text_rows.astype(int) - background).sum(axis=-1) > 60).any(axis=0)
    assert not inked[:4].any()  # nothing of a half-drawn label at the edge
    assert inked[tl.width() // 4 :].any()  # while the labels further in are drawn


def test_alarm_marks_are_read_incrementally_without_losing_or_doubling_any(
    qtbot, demo_plant, tmp_path
) -> None:
    from app.timeline.session import MARKS_OVERLAP_NS, TimelineSession

    start = now_ns() - 30 * MIN
    wall = FakeWall(start)
    runtime = PlantRuntime.simulated(demo_plant, start)
    recorder = Recorder.open(tmp_path / "h.twinhist", runtime.store.groups, demo_plant)
    runtime.connect(ingest_sinks(runtime, recorder))
    raised: list[int] = []  # when alarms were raised, as the journal has them
    asked: list[tuple[int, int]] = []

    def alarm_times(t0: int, t1: int) -> list[int]:
        asked.append((t0, t1))
        return [t for t in raised if t0 <= t < t1]

    panel = QtReplayPanel(PlaybackClock(wall=wall))
    qtbot.addWidget(panel)
    session = TimelineSession(recorder.history, PlaybackClock(wall=wall), panel, True, True,
                              alarm_times)  # fmt: skip
    try:
        _record_to(qtbot, runtime, recorder, wall, start + 2 * MIN)
        raised += [start + 10 * NS, start + 90 * NS]
        session.refresh()
        assert panel.timeline._alarms.tolist() == raised
        _record_to(qtbot, runtime, recorder, wall, start + 4 * MIN)
        # One raise journaled late, at a time the last refresh had already read up to.
        raised += [asked[-1][1] - 5 * NS, start + 200 * NS]
        session.refresh()
        assert panel.timeline._alarms.tolist() == sorted(raised)
        assert asked[-1][0] >= asked[-2][1] - MARKS_OVERLAP_NS  # only the recent part re-read
    finally:
        recorder.close()
        runtime.stop()
