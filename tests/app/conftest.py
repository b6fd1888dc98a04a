"""Fixtures for the Qt tests: a live app on the demo plant, and Qt-object leak checks.

Every test here runs under a real X server (pytest-xvfb starts Xvfb) because VTK needs a
working GL context, which QT_QPA_PLATFORM=offscreen does not give it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication

from app.compose.live import compose_live
from app.compose.parts import Session, collect_garbage_on_the_gui_thread
from app.compose.replay import Recording, compose_replay
from app.scene.qt_scene_view import QtSceneView
from tests.app.incident import MOTOR, RUN_S, record_incident
from twin.clock import PlaybackClock
from twin.condition.snapshot import HealthSource
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, Plant
from twin.timebase import NS_PER_S, now_ns, seconds_to_ns

# Settings (saved views) go to a folder of the test run's own, not the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="twindeck-test-config-")


@pytest.fixture(autouse=True, scope="session")
def gc_on_the_gui_thread(qapp: QApplication) -> None:
    """As the application does (app.compose.parts): no collection on worker threads."""
    collect_garbage_on_the_gui_thread()


@pytest.fixture(autouse=True)
def no_running_qt_timers_or_threads(qapp: QApplication) -> Iterator[None]:
    yield
    QApplication.processEvents()
    running: list[QTimer | QThread] = []
    for widget in QApplication.topLevelWidgets():
        running += [t for t in widget.findChildren(QTimer) if t.isActive() and t.interval() > 0]
        running += [t for t in widget.findChildren(QThread) if t.isRunning()]
    assert not running, f"test left Qt timers/threads running: {running}"


@pytest.fixture
def make_view(qtbot) -> Iterator[Callable[..., QtSceneView]]:
    """A bare 3D view of a plant, shown and exposed (the scene tests build their own plants)."""

    def make(
        plant: Plant, size: tuple[int, int] = (640, 480), lod: int | None = None
    ) -> QtSceneView:
        view = QtSceneView(plant, lod=lod)
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        return view

    yield make


@pytest.fixture(scope="session")
def recorded(tmp_path_factory, demo_plant) -> tuple[Path, int]:
    """A 2-minute recording of the demo plant in which motor M07 overloads at 40 s."""
    path = tmp_path_factory.mktemp("incident") / "incident.twinhist"
    return path, record_incident(path, demo_plant)


@pytest.fixture
def replay_window(qtbot, demo_plant, recorded) -> Iterator[tuple[Session, Path, int]]:
    """A replay-only window on the recorded incident, the motor selected; yields
    (app, recording path, recording start ns)."""
    path, start = recorded
    end = start + RUN_S * NS_PER_S
    live = compose_replay(Recording(str(path), demo_plant, start, end, start), size=(1600, 1000))
    qtbot.addWidget(live.window)
    live.window.show()
    qtbot.waitExposed(live.window)
    live.window.selection.select(MOTOR)
    yield live, path, start
    live.stop()


@pytest.fixture
def make_live_app(qtbot) -> Iterator[Callable[..., Session]]:
    """Build a window on a simulated plant fast-forwarded by ``after_s`` seconds."""
    made: list[Session] = []

    def make(
        plant: Plant,
        after_s: float = 5.0,
        faults: tuple[Fault, ...] = (),
        wall: Callable[[], int] | None = None,
        health: HealthSource | None = None,
    ) -> Session:
        """``wall``: the clock's wall time; by default frozen at the end of the run;
        ``health``: where the fleet views read the fleet's health."""
        end_ns = now_ns()
        runtime = PlantRuntime.simulated(plant, end_ns - seconds_to_ns(after_s), faults)
        clock = PlaybackClock(wall=wall or (lambda: end_ns))
        live = compose_live(plant, runtime, clock=clock, size=(1600, 1000), health=health)
        runtime.fast_forward(end_ns)
        qtbot.addWidget(live.window)
        made.append(live)
        return live

    yield make
    for live in made:
        live.stop()
        live.window.close()
