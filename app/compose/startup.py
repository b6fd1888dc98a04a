"""Start-up: the one place that wires the core, the history and the Qt views together."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.alarms.wiring import AlarmWiring
from app.compose.replay import (
    Recording,
    RecordingError,
    open_recording_for_replay,
    replay_groups,
    start_replay,
)
from app.export.screenshot import screenshot_and_exit
from app.frame.builder import FrameBuilder
from app.frame.scheduler import FrameScheduler
from app.i18n import install_translator
from app.paths import demo_plant_path
from app.theme import apply_dark_theme
from app.timeline.session import ReplaySession
from app.views.connections_panel import QtConnectionsPanel
from app.views.main_window import QtMainWindow
from app.views.status_strip import QtStatusStrip
from db.errors import HistoryError
from db.journal import Journal
from db.package import IncidentPackage, open_package
from db.package_manifest import PackageError
from db.write.recorder import Recorder, RetentionPolicy, default_history_path
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.faults import parse_fault_spec
from twin.plant.loader import PlantError, load_plant
from twin.plant.model import Fault, Plant
from twin.timebase import now_ns, seconds_to_ns

log = logging.getLogger("twindeck")


class StartupError(Exception):
    """A problem with what the user asked for, reported without a traceback."""


@dataclass
class RecordingStatus:
    """The recorder, or why there is none, for the status bar."""

    recorder: Recorder | None = None
    problem: str | None = None  # why recording failed: shown as an error

    def show_in(self, status: QtStatusStrip) -> None:
        rec = self.recorder
        status.set_recording(rec.state() if rec else None, rec.where if rec else "", self.problem)


class _RateMeter(QObject):
    """Shows samples/s and frames/s in the status bar once a second."""

    def __init__(
        self,
        status: QtStatusStrip,
        runtime: PlantRuntime,
        scheduler: FrameScheduler,
        recording: RecordingStatus,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.status, self.runtime, self.scheduler = status, runtime, scheduler
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
        samples_now, frames_now = self.runtime.ingestor.samples_in, self.scheduler.frames
        self.status.set_rates((samples_now - samples) / dt, (frames_now - frames) / dt)
        self._last = (now, samples_now, frames_now)
        self.recording.show_in(self.status)


@dataclass
class LiveApp:
    """Everything a running TwinDeck window is made of (tests build it too)."""

    plant: Plant
    runtime: PlantRuntime
    window: QtMainWindow
    scheduler: FrameScheduler
    rate_meter: _RateMeter
    recording: RecordingStatus
    clock: PlaybackClock
    replay: ReplaySession | None = None
    alarms: AlarmWiring | None = None
    journal: Journal | None = None

    def start(self) -> None:
        self.runtime.start()
        self.scheduler.start()
        self.rate_meter.start()
        if self.replay is not None:
            self.replay.start()
        if self.alarms is not None:
            self.alarms.start()

    def draw_loaded_frame(self) -> None:
        """Draw the frame at the clock's cursor, first waiting for its replay data (for
        headless screenshots and exports; the event loop is blocked meanwhile)."""
        self.scheduler.builder.wait_ready(self.clock())
        self.scheduler.tick()

    def stop(self) -> None:
        """Stop the timers and every thread, then flush the recording; safe to call twice."""
        self.rate_meter.stop()
        self.scheduler.stop()
        if self.alarms is not None:
            self.alarms.close()
        if self.replay is not None:
            self.replay.close()
            self.replay = None
        self.runtime.stop()
        if self.journal is not None:
            self.journal.close()  # after the ingest thread: its last alarm events too
            self.journal = None
        if self.recording.recorder is not None:
            self.recording.recorder.close()


def load_inputs(args: argparse.Namespace) -> tuple[Plant, list[Fault]]:
    """The plant and the faults from the command line, or a StartupError saying what's wrong."""
    path = args.plant or demo_plant_path()
    try:
        plant = load_plant(path)
    except PlantError as exc:
        raise StartupError(str(exc)) from None
    faults = []
    for spec in args.fault:
        try:
            faults.append(parse_fault_spec(spec, plant))
        except ValueError as exc:
            raise StartupError(f"--fault {spec}: {exc}") from None
    if args.select and not plant.has_asset(args.select):
        raise StartupError(f"--select {args.select}: no such asset in {path}")
    return plant, faults


def build_live_app(
    plant: Plant,
    runtime: PlantRuntime,
    clock: PlaybackClock | None = None,
    fps: int = 30,
    size: tuple[int, int] = (1600, 1000),
    recording: RecordingStatus | None = None,
    replay_from: str | None = None,
) -> LiveApp:
    """The main window on ``runtime``'s store, driven by one frame scheduler.

    With a recorder in ``recording``, every batch the ingest thread stores is recorded,
    and the timeline replays from that history. With ``replay_from`` (a history's path or
    URL) there is nothing live: every view shows that recording.
    """
    clock = clock or PlaybackClock()
    recording = recording or RecordingStatus()
    window = QtMainWindow(plant, clock)
    window.resize(*size)
    replay = None
    journal = None
    if recording.recorder is not None:
        recorder = recording.recorder
        runtime.ingestor.add_sink(recorder.offer)
        journal = Journal(recorder.history)
        runtime.alarms.add_listener(journal.write)
        replay = ReplaySession(
            recorder.where, runtime.store.groups, clock, window.replay, True, recorder.history
        )
    elif replay_from is not None:
        groups = replay_groups(plant)
        replay = ReplaySession(replay_from, groups, clock, window.replay, live_end=False)
        journal = Journal(replay.history)
    engine = runtime.alarms if replay_from is None else None
    alarms = AlarmWiring(plant, engine, journal, clock, window.scene_view.flash, window)
    window.add_alarm_ui(alarms)
    if replay is not None:
        replay.alarm_times = alarms.raise_times
    connected = [src for src in runtime.sources if hasattr(src, "health")]
    if connected:
        window.add_connections_panel(QtConnectionsPanel(connected))  # type: ignore[arg-type]
    builder = FrameBuilder(
        plant,
        runtime.store,
        clock,
        replay.feeder if replay is not None else None,
        replay_only=replay_from is not None,
        plot_feeder=replay.plot_feeder if replay is not None else None,
    )
    builder.set_span_s(window.plots.span_s)
    builder.set_plotted(window.plots.plotted)
    window.plots.span_changed.connect(builder.set_span_s)
    window.plots.signals_changed.connect(builder.set_plotted)
    scheduler = FrameScheduler(builder, clock, fps, parent=window)
    for view in window.views:
        scheduler.add_view(view)
    meter = _RateMeter(window.status, runtime, scheduler, recording, parent=window)
    recording.show_in(window.status)
    window.set_history(recording.recorder.where if recording.recorder else None)
    return LiveApp(
        plant, runtime, window, scheduler, meter, recording, clock, replay, alarms, journal
    )


def open_recording(
    args: argparse.Namespace, plant: Plant, runtime: PlantRuntime
) -> RecordingStatus:
    """Start recording as the command line asks.

    A history the user named with --db that cannot be used is an error (StartupError); a
    problem with the default location only means running live without recording.
    """
    if args.no_record:
        return RecordingStatus()
    target = args.db or default_history_path(plant)
    policy = RetentionPolicy(raw_days=args.keep_raw, overview_days=args.keep_overview)
    try:
        recorder = Recorder.open(target, runtime.store.groups, plant, policy)
    except HistoryError as exc:
        if args.db:
            raise StartupError(str(exc)) from None
        log.error("not recording: %s", exc)
        return RecordingStatus(problem=str(exc))
    log.info("recording into %s", recorder.where)
    return RecordingStatus(recorder=recorder)


def _qt_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("TwinDeck")
    app.setOrganizationName("TwinDeck")
    apply_dark_theme(app)
    install_translator(app)
    return app


def _report(message: str, gui: bool) -> None:
    print(f"twindeck: error: {message}", file=sys.stderr)
    if gui and QApplication.instance() is not None:
        QMessageBox.critical(None, "TwinDeck", message)


def run(args: argparse.Namespace) -> int:
    """Run TwinDeck as asked on the command line; returns the process exit code."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.replay is not None or args.open is not None:
        return run_replay(args)
    try:
        plant, faults = load_inputs(args)
    except StartupError as exc:
        _report(str(exc), gui=False)
        return 2
    qapp = _qt_app()
    end_ns = now_ns()
    screenshot = args.screenshot is not None
    start_ns = end_ns - seconds_to_ns(args.after) if screenshot else end_ns
    runtime = PlantRuntime.for_plant(plant, start_ns, faults, args.seed, args.retention)
    try:
        # A screenshot records only into a history the user names, never the default one.
        recording = (
            open_recording(args, plant, runtime) if args.db or not screenshot else RecordingStatus()
        )
    except StartupError as exc:
        _report(str(exc), gui=False)
        return 2
    clock = PlaybackClock(wall=(lambda: end_ns) if screenshot else now_ns)
    live = build_live_app(plant, runtime, clock, args.fps, args.size, recording)
    if args.span:
        live.window.plots.set_span_s(args.span)
    if screenshot:
        return _run_screenshot(args, live, end_ns, faults)
    live.window.status.set_mode(_live_mode_text(live))
    if args.select:
        live.window.selection.select(args.select)
    live.start()
    live.window.show()
    try:
        return qapp.exec()
    finally:
        live.stop()


def _run_screenshot(
    args: argparse.Namespace, live: LiveApp, end_ns: int, faults: list[Fault]
) -> int:
    """Simulate ``--after`` seconds at full speed, draw one frame at the end, save, exit."""
    live.runtime.fast_forward(end_ns)
    live.window.status.set_mode(live.window.tr("Simulated %s s") % f"{args.after:g}")
    live.window.selection.select(args.select or _asset_to_show(live.plant, faults))
    try:
        return screenshot_and_exit(live.window, live.scheduler.tick, str(args.screenshot))
    finally:
        live.stop()


def run_replay(args: argparse.Namespace) -> int:
    """``--replay`` / ``--open``: a recording in every view, from ``--at``, nothing live."""
    package = None
    try:
        if args.open is not None:
            package = open_package(args.open)
            where, stored, title = (
                str(package.history_path),
                package.plant_text,
                package.manifest.title,
            )
        else:
            where, stored, title = str(args.replay), None, str(args.replay)
        recording = open_recording_for_replay(where, args.plant, args.at, stored)
        if args.select and not recording.plant.has_asset(args.select):
            raise RecordingError(f"--select {args.select}: no such asset in the recording's plant")
    except (RecordingError, PackageError) as exc:
        _report(str(exc), gui=False)
        if package is not None:
            package.close()
        return 2
    try:
        return _replay_window(args, recording, title or str(args.open), package)
    finally:
        if package is not None:
            package.close()


def _replay_window(
    args: argparse.Namespace, recording: Recording, title: str, package: IncidentPackage | None
) -> int:
    qapp = _qt_app()
    clock = PlaybackClock()
    runtime = PlantRuntime(recording.plant, [])  # nothing live
    live = build_live_app(
        recording.plant, runtime, clock, args.fps, args.size, replay_from=recording.where
    )
    assert live.replay is not None
    start_replay(live.replay, clock, recording)
    live.replay.refresh()
    window = live.window
    window.status.set_mode(window.tr("REPLAY · %s") % title)
    window.set_history(recording.where)
    window.export.plant_text = recording.plant_text
    if package is not None and package.views:
        window.scene_view.apply_view(package.views[0])
    if args.span:
        window.plots.set_span_s(args.span)
    window.selection.select(args.select)
    if args.screenshot is not None:
        try:
            return screenshot_and_exit(window, live.draw_loaded_frame, str(args.screenshot))
        finally:
            live.stop()
    live.start()
    window.show()
    try:
        return qapp.exec()
    finally:
        live.stop()


def _live_mode_text(live: LiveApp) -> str:
    tr = live.window.tr
    connected = [src for src in live.runtime.sources if hasattr(src, "health")]
    if not connected:
        return tr("● LIVE · simulator")
    return tr("● LIVE · %n connection(s)", "", len(connected))


def _asset_to_show(plant: Plant, faults: list[Fault]) -> str | None:
    """The asset a screenshot should feature: the first faulted one, else the first asset."""
    scheduled = [*faults, *plant.faults]
    if scheduled:
        return min(scheduled, key=lambda f: f.at_s).asset_id
    return plant.assets[0].id if plant.assets else None
