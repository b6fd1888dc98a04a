"""The named parts every composition is built from: the window, the frame pipeline on a
series reader, the recording status, the rate meter, and the session that owns them."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.alarms.wiring import AlarmWiring
from app.frame.builder import FrameBuilder
from app.frame.scheduler import FrameScheduler
from app.i18n import install_translator
from app.scene.cycle_labels_install import install_cycle_labels
from app.theme import apply_dark_theme
from app.timeline.session import TimelineSession
from app.views.main_window import QtMainWindow
from app.views.status_strip import QtStatusStrip
from app.wall.install import install_wall_screen
from db.advisories import AdvisoryJournal
from db.journal import Journal
from db.write.recorder import Recorder
from twin.clock import PlaybackClock
from twin.condition.snapshot import HealthSource
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.store.series import SeriesReader


@dataclass
class RecordingStatus:
    """The recorder, or why there is none, for the status bar."""

    recorder: Recorder | None = None
    problem: str | None = None  # why recording failed: shown as an error

    def show_in(self, status: QtStatusStrip) -> None:
        rec = self.recorder
        status.set_recording(rec.state() if rec else None, rec.where if rec else "", self.problem)


class RateMeter(QObject):
    """Shows samples/s and frames/s in the status bar once a second."""

    def __init__(
        self,
        status: QtStatusStrip,
        samples_in: Callable[[], int],
        scheduler: FrameScheduler,
        recording: RecordingStatus,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.status, self.samples_in, self.scheduler = status, samples_in, scheduler
        self.recording = recording
        self._last = (time.monotonic(), 0, 0)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._update)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _update(self) -> None:
        now = time.monotonic()
        then, samples, frames = self._last
        dt = max(now - then, 1e-6)
        samples_now, frames_now = self.samples_in(), self.scheduler.frames
        self.status.set_rates((samples_now - samples) / dt, (frames_now - frames) / dt)
        self._last = (now, samples_now, frames_now)
        self.recording.show_in(self.status)


@dataclass
class Session:
    """Everything one TwinDeck window is made of, whichever mode composed it."""

    plant: Plant
    window: QtMainWindow
    scheduler: FrameScheduler
    clock: PlaybackClock
    reader: SeriesReader
    rate_meter: RateMeter
    alarms: AlarmWiring
    recording: RecordingStatus = field(default_factory=RecordingStatus)
    runtime: PlantRuntime | None = None  # None: nothing live
    timeline: TimelineSession | None = None
    journal: Journal | None = None
    health: HealthSource | None = None  # None: the fleet's health is not monitored
    advisories: AdvisoryJournal | None = None  # the health monitor's, while recording
    closers: list[Callable[[], None]] = field(default_factory=list)  # last opened first

    @property
    def live_runtime(self) -> PlantRuntime:
        """The running plant of a live session."""
        assert self.runtime is not None, "a replay session runs no plant"
        return self.runtime

    def start(self) -> None:
        if self.runtime is not None:
            self.runtime.start()
        self.scheduler.start()
        self.rate_meter.start()
        if self.timeline is not None:
            self.timeline.start()
        self.alarms.start()

    def draw_loaded_frame(self) -> None:
        """Draw the frame at the clock's cursor, first waiting for its data (for headless
        screenshots and exports; the event loop is blocked meanwhile)."""
        self.scheduler.builder.wait_ready(self.clock())
        self.scheduler.tick()

    def stop(self) -> None:
        """Stop the timers and every thread, then flush the recording; safe to call twice."""
        self.rate_meter.stop()
        self.scheduler.stop()
        self.alarms.close()
        if self.timeline is not None:
            self.timeline.close()
            self.timeline = None
        self.reader.close()
        if self.runtime is not None:
            self.runtime.stop()
        if self.journal is not None:
            self.journal.close()  # after the ingest thread: its last alarm events too
            self.journal = None
        if self.advisories is not None:
            self.advisories.close()  # the same, for the health monitor's advisories
            self.advisories = None
        if self.recording.recorder is not None:
            self.recording.recorder.close()
        while self.closers:
            self.closers.pop()()


def build_window(plant: Plant, clock: PlaybackClock, size: tuple[int, int]) -> QtMainWindow:
    window = QtMainWindow(plant, clock)
    window.resize(*size)
    return window


def frame_pipeline(
    window: QtMainWindow,
    reader: SeriesReader,
    clock: PlaybackClock,
    fps: int,
    health: HealthSource | None = None,
) -> FrameScheduler:
    """One builder on ``reader`` (and ``health``), one scheduler, every view of ``window``
    subscribed."""
    builder = FrameBuilder(window.plant, reader, clock, health)
    builder.set_span_s(window.plots.span_s)
    builder.set_plotted(window.plots.plotted)
    window.plots.span_changed.connect(builder.set_span_s)
    window.plots.signals_changed.connect(builder.set_plotted)
    scheduler = FrameScheduler(builder, clock, fps, parent=window)
    for view in window.views:
        scheduler.add_view(view)
    install_wall_screen(window, scheduler)
    install_cycle_labels(window, scheduler)
    return scheduler


_collector: list[GarbageCollector] = []


def collect_garbage_on_the_gui_thread() -> None:
    """Python's cyclic garbage collection runs on whichever thread allocates: on a worker
    thread (an export, a feeder) it may delete Qt objects there, and Qt crashes. Collect
    from a timer on the GUI thread instead (pyqtgraph's GarbageCollector); idempotent."""
    if not _collector:
        _collector.append(GarbageCollector(interval=1.0))


def qt_app() -> QApplication:
    """The application object, themed and translated."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    collect_garbage_on_the_gui_thread()
    app.setApplicationName("TwinDeck")
    app.setOrganizationName("TwinDeck")
    apply_dark_theme(app)
    install_translator(app)
    return app
