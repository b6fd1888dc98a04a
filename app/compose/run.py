"""Run the mode the command line asks for: live (the default), a recording, a package.

Each mode checks its inputs before any window exists (a mistake is one line on stderr
and exit code 2), composes its session (``app.compose.live`` / ``replay`` /
``package``), then shows it, or renders one picture of it and exits.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.compose.live import compose_live
from app.compose.metrics import MetricsLog
from app.compose.package import PackageInputs, compose_package, open_package_inputs
from app.compose.parts import RecordingStatus, Session, build_window, qt_app
from app.compose.replay import Recording, RecordingError, compose_replay, open_recording_for_replay
from app.export.screenshot import screenshot_and_exit
from app.paths import demo_plant_path
from app.views.connections_panel import connected_sources
from app.wall.install import start_wall
from app.windows.screens import place_window
from app.workspace.wiring import install_workspace
from db.errors import HistoryError
from db.package_manifest import PackageError
from db.write.recorder import Recorder, RetentionPolicy, default_history_path
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.faults import parse_fault_spec
from twin.plant.loader import PlantError, load_plant
from twin.plant.model import Fault, Plant
from twin.sources.connections.health import ConnectionHealth, HealthSnapshot
from twin.timebase import now_ns, seconds_to_ns

log = logging.getLogger("twindeck")


class StartupError(Exception):
    """A problem with what the user asked for, reported without a traceback."""


def run(args: argparse.Namespace) -> int:
    """Run TwinDeck as asked on the command line; returns the process exit code."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.open is not None:
        return run_package(args)
    if args.replay is not None:
        return run_replay(args)
    return run_live(args)


# ---------------------------------------------------------------------------- live
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


def live_backend(
    args: argparse.Namespace, plant: Plant, faults: list[Fault], start_ns: int
) -> tuple[PlantRuntime, RecordingStatus]:
    """The running plant's parts (sources, store, alarm engine) and its recording."""
    runtime = PlantRuntime.for_plant(plant, start_ns, faults, args.seed, args.retention)
    # A screenshot records only into a history the user names, never the default one.
    wanted = args.db or args.screenshot is None
    recording = open_recording(args, plant, runtime) if wanted else RecordingStatus()
    return runtime, recording


def run_live(args: argparse.Namespace) -> int:
    """The plant running live (simulated, or from its connections), recorded."""
    screenshot = args.screenshot is not None
    try:
        plant, faults = load_inputs(args)
    except StartupError as exc:
        _report(str(exc))
        return 2
    # Live connections cannot be fast-forwarded: such a screenshot runs in real time.
    simulated_shot = screenshot and not plant.connections
    end_ns = now_ns()
    start_ns = end_ns - seconds_to_ns(args.after) if simulated_shot else end_ns
    clock = PlaybackClock(wall=(lambda: end_ns) if simulated_shot else now_ns)
    # The window is built while another thread builds the runtime and opens the history:
    # much of either runs outside the GIL (numpy, SQLite, VTK), and the two cores share it.
    with ThreadPoolExecutor(1, thread_name_prefix="twindeck-start") as pool:
        backend = pool.submit(live_backend, args, plant, faults, start_ns)
        qapp = qt_app()
        window = build_window(plant, clock, args.size)
        try:
            runtime, recording = backend.result()
        except StartupError as exc:
            _report(str(exc))
            return 2
    session = compose_live(plant, runtime, clock, args.fps, args.size, recording, window=window)
    if args.span:
        session.window.plots.set_span_s(args.span)
    if simulated_shot:
        return _live_screenshot(args, session, end_ns, faults)
    if screenshot:
        return _connected_screenshot(args, session, faults)
    session.window.status.set_mode(_live_mode_text(session))
    keep_workspace(session, args)
    start_wall(session.window, args.wall, args.wall_cycle)
    runtime.begin_at(now_ns())  # not the seconds the window took to build
    return _show(qapp, session, args)


def _live_screenshot(
    args: argparse.Namespace, session: Session, end_ns: int, faults: list[Fault]
) -> int:
    """Simulate ``--after`` seconds at full speed, draw one frame at the end, save, exit."""
    session.live_runtime.fast_forward(end_ns)
    session.window.status.set_mode(
        QCoreApplication.translate("QtMainWindow", "Simulated %s s") % f"{args.after:g}"
    )
    session.window.selection.select(args.select or _asset_to_show(session.plant, faults))
    try:
        return screenshot_and_exit(session.window, session.scheduler.tick, str(args.screenshot))
    finally:
        session.stop()


def _connected_screenshot(args: argparse.Namespace, session: Session, faults: list[Fault]) -> int:
    """A plant with live connections: run it (connections and simulated rest alike) for
    ``--after`` real seconds, say how each connection did, then draw, save and exit."""
    session.window.status.set_mode(_live_mode_text(session))
    session.window.selection.select(args.select or _asset_to_show(session.plant, faults))
    print(f"twindeck: running the plant's live connections for {args.after:g} s", flush=True)
    session.window.show()
    session.start()
    try:
        _run_events_for(args.after)
        for source in connected_sources(session.live_runtime.sources):
            health = source.health
            if isinstance(health, ConnectionHealth):
                print(f"twindeck: {_health_line(health.snapshot())}", flush=True)
        return screenshot_and_exit(session.window, session.scheduler.tick, str(args.screenshot))
    finally:
        session.stop()


def _run_events_for(seconds: float) -> None:
    """Run the Qt event loop (frames, the connections' health) for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def _health_line(snap: HealthSnapshot) -> str:
    """One connection's outcome: state, messages, and what is wrong if anything."""
    line = f"connection {snap.connection_id}: {snap.state.value}, {snap.messages:,} messages"
    return f"{line}; {snap.problem}" if snap.problem else line


def _live_mode_text(session: Session) -> str:
    connections = connected_sources(session.live_runtime.sources)
    if not connections:
        return QCoreApplication.translate("QtMainWindow", "● LIVE · simulator")
    return QCoreApplication.translate(
        "QtMainWindow", "● LIVE · %n connection(s)", "", len(connections)
    )


def _asset_to_show(plant: Plant, faults: list[Fault]) -> str | None:
    """The asset a screenshot should feature: the first faulted one, else the first asset."""
    scheduled = [*faults, *plant.faults]
    if scheduled:
        return min(scheduled, key=lambda f: f.at_s).asset_id
    return plant.assets[0].id if plant.assets else None


# -------------------------------------------------------------------------- replay
def run_replay(args: argparse.Namespace) -> int:
    """``--replay``: a recording in every view, from ``--at``, nothing live."""
    try:
        recording = _checked(open_recording_for_replay(str(args.replay), args.plant, args.at), args)
    except RecordingError as exc:
        _report(str(exc))
        return 2
    qt_app()
    try:
        session = compose_replay(recording, None, args.fps, args.size)
    except RecordingError as exc:
        _report(str(exc), gui=True)
        return 2
    _replay_mode(session, str(args.replay))
    return _present(args, session)


def run_package(args: argparse.Namespace) -> int:
    """``--open``: an incident package, read-only, with its camera view and title."""
    inputs: PackageInputs | None = None
    try:
        inputs = open_package_inputs(args.open, args.plant, args.at)
        _checked(inputs.recording, args)
    except (RecordingError, PackageError) as exc:
        _report(str(exc))
        if inputs is not None:
            inputs.close()
        return 2
    qt_app()
    session = compose_package(inputs, None, args.fps, args.size)
    _replay_mode(session, inputs.title)
    return _present(args, session)


def _checked(recording: Recording, args: argparse.Namespace) -> Recording:
    if args.select and not recording.plant.has_asset(args.select):
        raise RecordingError(f"--select {args.select}: no such asset in the recording's plant")
    return recording


def _replay_mode(session: Session, title: str) -> None:
    window = session.window
    window.status.set_mode(QCoreApplication.translate("QtMainWindow", "REPLAY · %s") % title)


def _present(args: argparse.Namespace, session: Session) -> int:
    """Show a replay session, or render it to ``--screenshot`` and exit."""
    if args.span:
        session.window.plots.set_span_s(args.span)
    session.window.selection.select(args.select)
    if args.screenshot is not None:
        try:
            return screenshot_and_exit(
                session.window, session.draw_loaded_frame, str(args.screenshot)
            )
        finally:
            session.stop()
    keep_workspace(session, args)
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    start_wall(session.window, args.wall, args.wall_cycle)
    return _show(qapp, session, args)


def keep_workspace(session: Session, args: argparse.Namespace) -> None:
    """The plant's saved workspace (unless --no-workspace), with --span and --select over it."""
    install_workspace(session.window, restore=not args.no_workspace)
    if args.span:
        session.window.plots.set_span_s(args.span)
    if args.select:
        session.window.selection.select(args.select)


def _show(qapp: QApplication, session: Session, args: argparse.Namespace) -> int:
    try:  # --fullscreen, --screen N: for a wall display
        place_window(session.window, args.fullscreen, args.screen)
    except ValueError as exc:
        _report(str(exc))
        session.stop()
        return 2
    metrics: Path | None = args.metrics
    log_figures = MetricsLog(metrics, session) if metrics is not None else None
    close_on_terminate(session.window)
    # What start-up built (the plant, alarm rules, scene, tree) lives as long as the
    # session: out of every later collection (a full one walks ~300,000 objects at plant
    # size, on the GUI thread where pyqtgraph's collector runs them).
    gc.freeze()
    session.start()
    if log_figures is not None:
        log_figures.start()
    session.window.show()
    try:
        return qapp.exec()
    finally:
        session.stop()
        if log_figures is not None:
            log_figures.close()


def close_on_terminate(window: QWidget) -> None:
    """SIGTERM and Ctrl+C in the terminal close the window as File > Quit does without
    asking, so the recording is flushed and closed cleanly."""

    def close(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, close)
    # Python runs signal handlers between bytecodes: a timer wakes it while Qt waits.
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(250)


def _report(message: str, gui: bool = False) -> None:
    print(f"twindeck: error: {message}", file=sys.stderr)
    if gui and QApplication.instance() is not None:
        QMessageBox.critical(None, "TwinDeck", message)
