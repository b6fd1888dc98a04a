"""``twindeck --self-test``: is this installation able to do its job on this machine?

Opens the demo plant in a real window, simulates it at full speed and then live for a
moment (source, ingest and recording threads all running) while recording into a
temporary history, replays a moment of that history in a second window, and checks
that the 3D view drew. Prints a short report (versions, OpenGL renderer, each check
with ok/FAIL and its time, the time from launch to the first drawn frame) and returns 0,
or 1 naming the checks that failed.

It needs only what a frozen bundle has: the packages and ``app.paths.assets_dir()``.

``TWINDECK_SELFTEST_FAIL=render,history`` injects real failures, to check that the
report and the exit code say so: ``render`` hides every actor before the 3D frame is
drawn (the pixel check then sees only background), ``history`` records into a path
whose folder cannot be created.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

import numpy as np
from PySide6.QtCore import QCoreApplication

from app.process_age import process_age_s

if TYPE_CHECKING:
    from app.compose.parts import Session
    from app.views.main_window import QtMainWindow
    from db.write.recorder import Recorder
    from twin.ingest.runtime import PlantRuntime
    from twin.plant.model import Plant

T = TypeVar("T")
FAIL_ENV = "TWINDECK_SELFTEST_FAIL"
FAULTS = ("render", "history")
SIMULATED_S = 60.0  # fast-forwarded before the window opens
LIVE_S = 2.0  # real time with every thread running
REPLAY_AT = "+30"  # the moment replayed: 30 s into the recording
MIN_DRAWN = 0.02  # share of the 3D view that must differ from the background
BACKGROUND_TOLERANCE = 12  # per channel, 0-255


class CheckFailed(Exception):
    """A check found something wrong; the message says what."""


class _Stop(Exception):
    """A check failed: the checks after it are not run."""


class SelfTest:
    """Runs the checks in order; a failed check ends the run (later ones depend on it)."""

    def __init__(self, out: TextIO, workdir: Path, faults: set[str], size: tuple[int, int]):
        self.out, self.workdir, self.faults, self.size = out, workdir, faults, size
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.first_frame_s: float | None = None
        self.opengl: str | None = None

    def check(self, name: str, body: Callable[[], tuple[T, str]]) -> T:
        """Run one check: ``body`` returns (its result, a detail for the report)."""
        started = time.perf_counter()
        value: Any = None
        try:
            value, detail = body()
            ok = True
        except CheckFailed as exc:
            detail, ok = str(exc), False
        except Exception as exc:  # a crash in a check is that check's failure
            detail, ok = f"{type(exc).__name__}: {exc}", False
        ms = (time.perf_counter() - started) * 1000
        (self.passed if ok else self.failed).append(name)
        status = "ok  " if ok else "FAIL"
        print(f"  {status} {name:<10} {ms:7.0f} ms  {detail}", file=self.out, flush=True)
        if not ok:
            raise _Stop(name)
        return cast(T, value)

    def run(self) -> int:
        from app import __version__

        print(f"TwinDeck {__version__} self-test", file=self.out)
        for line in versions():
            print(f"  {line}", file=self.out)
        started = time.perf_counter()
        with contextlib.suppress(_Stop):
            self._run_checks()
        total, failed = time.perf_counter() - started, self.failed
        if self.opengl is not None:
            print(
                "  " + QCoreApplication.translate("SelfTest", "OpenGL: %s") % self.opengl,
                file=self.out,
            )
        if self.first_frame_s is not None:
            first = f"{self.first_frame_s:.2f}"
            print(
                "  "
                + QCoreApplication.translate("SelfTest", "first frame drawn %s s after launch")
                % first,
                file=self.out,
            )
        if failed:
            verdict = QCoreApplication.translate("SelfTest", "self-test FAILED: %s (%s s)") % (
                ", ".join(failed),
                f"{total:.1f}",
            )
            print(verdict, file=self.out)
            print(f"twindeck: self-test failed: {', '.join(failed)}", file=sys.stderr)
            return 1
        passed = QCoreApplication.translate("SelfTest", "self-test passed: %s checks in %s s") % (
            len(self.passed),
            f"{total:.1f}",
        )
        print(passed, file=self.out)
        return 0

    # -- the checks -----------------------------------------------------------------------
    def _run_checks(self) -> None:
        from app.compose.parts import qt_app
        from twin.ingest.runtime import PlantRuntime
        from twin.timebase import now_ns, seconds_to_ns

        self.check("display", _display)
        qt_app()
        plant = self.check("assets", _load_demo_plant)
        end_ns = now_ns()
        runtime = PlantRuntime.simulated(plant, end_ns - seconds_to_ns(SIMULATED_S))
        recorder = self.check("history", lambda: self._open_recorder(plant, runtime))
        live: Session | None = None
        try:
            live = self.check("window", lambda: self._open_window(plant, runtime, recorder))
            self.check("simulate", lambda: _simulate(runtime, end_ns))
            self.check("3d-view", lambda: self._first_frame(live))
            self.check("live", lambda: _run_live(live))
        finally:
            if live is not None:
                live.stop()  # stops every thread and flushes the recording
                live.window.close()
            runtime.stop()
            recorder.close()  # idempotent
        self.check("record", lambda: _recorded(recorder))
        self.check("replay", lambda: self._replay(recorder.where, live))

    def _open_recorder(self, plant: Plant, runtime: PlantRuntime) -> tuple[Recorder, str]:
        from db.errors import HistoryError
        from db.write.recorder import Recorder, RetentionPolicy

        target = self.workdir / "selftest.twinhist"
        if "history" in self.faults:  # a folder that cannot be made: its parent is a file
            blocker = self.workdir / "not-a-folder"
            blocker.write_text("in the way\n", encoding="utf-8")
            target = blocker / "selftest.twinhist"
        policy = RetentionPolicy(raw_days=None, overview_days=None)
        try:
            recorder = Recorder.open(target, runtime.store.groups, plant, policy)
        except HistoryError as exc:
            raise CheckFailed(str(exc)) from None
        return recorder, QCoreApplication.translate("SelfTest", "recording into %s") % target

    def _open_window(
        self, plant: Plant, runtime: PlantRuntime, recorder: Recorder
    ) -> tuple[Session, str]:
        from app.compose.live import compose_live
        from app.compose.parts import RecordingStatus
        from twin.clock import PlaybackClock

        recording = RecordingStatus(recorder=recorder)
        live = compose_live(plant, runtime, PlaybackClock(), size=self.size, recording=recording)
        if not _show(live.window):
            raise CheckFailed(
                QCoreApplication.translate(
                    "SelfTest", "the window was not shown on the display within 5 s"
                )
            )
        return live, QCoreApplication.translate("SelfTest", "%sx%s, shown") % (
            live.window.width(),
            live.window.height(),
        )

    def _first_frame(self, live: Session) -> tuple[None, str]:
        window = live.window
        if "render" in self.faults:
            from app.scene.cycle_labels_install import cycle_labels

            labels = cycle_labels(window)
            if labels is not None:  # they show themselves again on the next frame
                labels.set_on(False)
            props: Any = window.scene_view.renderer.GetViewProps()
            for i in range(props.GetNumberOfItems()):
                props.GetItemAsObject(i).VisibilityOff()
        live.scheduler.tick()
        if live.scheduler.frames < 1:
            raise CheckFailed(
                QCoreApplication.translate("SelfTest", "the frame scheduler drew no frame")
            )
        self.first_frame_s = process_age_s()
        self.opengl = opengl_info(window.scene_view.render_window)
        return None, _drawn(window, QCoreApplication.translate("SelfTest", "live"))

    def _replay(self, where: str, live: Session) -> tuple[None, str]:
        from app.compose.replay import RecordingError, compose_replay, open_recording_for_replay

        try:
            recording = open_recording_for_replay(where, None, REPLAY_AT)
            replay = compose_replay(recording, size=self.size)
        except RecordingError as exc:
            raise CheckFailed(str(exc)) from None
        try:
            _show(replay.window)
            replay.draw_loaded_frame()
            frame = replay.scheduler.last_frame
            if frame is None or frame.live:
                raise CheckFailed(
                    QCoreApplication.translate(
                        "SelfTest", "no replayed frame was drawn (history not loaded in time)"
                    )
                )
            ids = replay.scheduler.builder.signal_ids
            expected, _ = live.live_runtime.store.values_at(ids, recording.at_ns)
            if not np.array_equal(frame.values, expected, equal_nan=True):
                wrong = int(np.sum(~np.isclose(frame.values, expected, equal_nan=True)))
                raise CheckFailed(
                    QCoreApplication.translate(
                        "SelfTest", "%s of %s replayed values differ from live"
                    )
                    % (wrong, len(ids))
                )
            drawn = _drawn(replay.window, QCoreApplication.translate("SelfTest", "replayed"))
        finally:
            replay.stop()
            replay.window.close()
        return None, QCoreApplication.translate("SelfTest", "%s values at %s s match live; %s") % (
            len(ids),
            REPLAY_AT,
            drawn,
        )


def _load_demo_plant() -> tuple[Plant, str]:
    from app.paths import assets_dir, demo_plant_path
    from twin.plant.loader import load_plant

    plant = load_plant(demo_plant_path())
    counts = (len(plant.assets), len(plant.signals), assets_dir())
    return plant, QCoreApplication.translate("SelfTest", "%s assets, %s signals from %s") % counts


def _simulate(runtime: PlantRuntime, end_ns: int) -> tuple[None, str]:
    """Fast-forward; recorded, since the live app made the recorder an ingest sink."""
    runtime.fast_forward(end_ns)
    samples = runtime.ingestor.samples_in
    if samples == 0:
        raise CheckFailed(
            QCoreApplication.translate("SelfTest", "the simulator produced no samples")
        )
    counts = (f"{SIMULATED_S:g}", len(runtime.plant.signals), f"{samples:,}")
    return None, QCoreApplication.translate("SelfTest", "%s s of %s signals: %s samples") % counts


def _show(window: QtMainWindow) -> bool:
    window.show()
    return _wait(lambda: bool(window.windowHandle() and window.windowHandle().isExposed()))


def _drawn(window: QtMainWindow, what: str) -> str:
    view = window.scene_view
    pixels = view.frame_pixels()
    drawn = non_background_pixels(pixels, view.renderer)
    h, w = pixels.shape[:2]
    if drawn < MIN_DRAWN * w * h:
        raise CheckFailed(
            QCoreApplication.translate(
                "SelfTest",
                "the %s 3D view is empty: %s of %sx%s pixels differ from the background (need %s)",
            )
            % (what, drawn, w, h, f"{MIN_DRAWN:.0%}")
        )
    return QCoreApplication.translate("SelfTest", "%s of %sx%s px drawn (%s)") % (
        f"{drawn:,}",
        w,
        h,
        f"{drawn / (w * h):.0%}",
    )


def _display() -> tuple[None, str]:
    """Fail with a message, not a Qt abort, when there is nothing to draw on."""
    platform_name = os.environ.get("QT_QPA_PLATFORM", "")
    if sys.platform.startswith("linux") and not platform_name:
        for var in ("DISPLAY", "WAYLAND_DISPLAY"):
            if os.environ.get(var):
                return None, f"{var}={os.environ[var]}"
        raise CheckFailed("no DISPLAY or WAYLAND_DISPLAY: run it in a desktop session or Xvfb")
    return None, f"QT_QPA_PLATFORM={platform_name}" if platform_name else sys.platform


def _run_live(live: Session) -> tuple[None, str]:
    ingestor, scheduler = live.live_runtime.ingestor, live.scheduler
    recorder = live.recording.recorder
    assert recorder is not None
    samples, frames = ingestor.samples_in, scheduler.frames
    written = recorder.state().written_samples
    live.start()
    _wait(lambda: False, LIVE_S)
    got = ingestor.samples_in - samples
    drew = scheduler.frames - frames
    state = recorder.state()
    source = live.live_runtime.simulator_source
    problems = [
        *(
            [QCoreApplication.translate("SelfTest", "no samples reached the store")]
            if got == 0
            else []
        ),
        *([QCoreApplication.translate("SelfTest", "no frames were drawn")] if drew == 0 else []),
        *([f"ingest: {ingestor.last_error}"] if ingestor.last_error else []),
        *([f"simulator: {source.last_error}"] if source and source.last_error else []),
        *([f"recording: {state.last_error}"] if state.last_error else []),
        *(
            [QCoreApplication.translate("SelfTest", "nothing recorded")]
            if state.written_samples <= written
            else []
        ),
    ]
    if problems:
        raise CheckFailed("; ".join(problems))
    figures = (
        f"{LIVE_S:g}",
        f"{got:,}",
        drew,
        f"{drew / LIVE_S:.0f}",
        f"{state.written_samples:,}",
    )
    return None, QCoreApplication.translate(
        "SelfTest",
        "%s s real time: %s samples ingested, %s frames (%s fps); %s samples recorded so far",
    ) % figures


def _recorded(recorder: Recorder) -> tuple[None, str]:
    state = recorder.state()
    if state.last_error:
        raise CheckFailed(state.last_error)
    if state.written_samples == 0:
        raise CheckFailed(QCoreApplication.translate("SelfTest", "nothing was written"))
    size = _file_size(recorder.where)
    dropped = (
        QCoreApplication.translate("SelfTest", ", %s dropped") % f"{state.dropped_samples:,}"
        if state.dropped_samples
        else ""
    )
    written = (f"{state.written_samples:,}", f"{size / 1e6:.1f}", dropped)
    return None, QCoreApplication.translate("SelfTest", "%s samples, %s MB on disk%s") % written


def _file_size(where: str) -> int:
    path = Path(where)
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def _wait(condition: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    """Run the event loop until ``condition()`` holds (True) or ``timeout_s`` has passed."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)
    return condition()


def non_background_pixels(pixels: np.ndarray, renderer: Any) -> int:
    """Pixels (top row first) that differ from the renderer's (gradient) background."""
    r = renderer
    bottom = np.array(r.GetBackground()) * 255.0
    top = np.array(r.GetBackground2()) * 255.0 if r.GetGradientBackground() else bottom
    h = pixels.shape[0]
    up = np.linspace(1.0, 0.0, h)[:, None] if h > 1 else np.ones((1, 1))
    background = bottom[None, :] + (top - bottom)[None, :] * up  # (h, 3), row 0 = top
    diff = np.abs(pixels.astype(np.float32) - background[:, None, :].astype(np.float32))
    return int(np.count_nonzero(diff.max(axis=2) > BACKGROUND_TOLERANCE))


def opengl_info(render_window: Any) -> str:
    """Renderer, version and vendor lines from VTK's capability report."""
    try:
        report = str(render_window.ReportCapabilities() or "")
    except Exception as exc:
        return f"unknown ({exc})"
    wanted = {}
    for line in report.splitlines():
        for key in ("vendor", "renderer", "version"):
            prefix = f"OpenGL {key} string:"
            if line.startswith(prefix) and key not in wanted:
                wanted[key] = line[len(prefix) :].strip()
    if not wanted:
        return "unknown"
    return " | ".join(wanted[k] for k in ("renderer", "version", "vendor") if k in wanted)


def versions() -> list[str]:
    import numpy
    import PySide6
    import sqlalchemy
    from PySide6.QtCore import qVersion
    from vtkmodules.vtkCommonCore import vtkVersion

    frozen = " (frozen bundle)" if getattr(sys, "frozen", False) else ""
    return [
        f"Python {platform.python_version()} on {platform.platform()}{frozen}",
        f"Qt {qVersion()} (PySide6 {PySide6.__version__}), VTK {vtkVersion.GetVTKVersion()}, "
        f"numpy {numpy.__version__}, SQLAlchemy {sqlalchemy.__version__}",
    ]


def run_self_test(size: tuple[int, int] = (1280, 860), out: TextIO | None = None) -> int:
    """Run every check; the exit code: 0 when all passed, 1 when one failed."""
    stream = out or sys.stdout or open(os.devnull, "w")  # noqa: SIM115 (windowed Windows exe)
    faults = {f.strip() for f in os.environ.get(FAIL_ENV, "").split(",") if f.strip()}
    unknown = faults - set(FAULTS)
    if unknown:
        print(f"twindeck: {FAIL_ENV}: unknown {sorted(unknown)}; use {FAULTS}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="twindeck-selftest-"))
    try:
        return SelfTest(stream, workdir, faults, size).run()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
