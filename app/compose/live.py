"""Live composition: a running plant in the window, recorded when a recorder is given.

The one place that lists a live plant's ingest sinks, and the one reader every view
reads: the live rings, tiered over the recording when there is one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from app.alarms.wiring import AlarmWiring
from app.compose.panels import add_registered_panels
from app.compose.parts import (
    RateMeter,
    RecordingStatus,
    Session,
    build_window,
    frame_pipeline,
)
from app.timeline.session import TimelineSession
from app.training.menu import install_training_menu
from app.views.main_window import QtMainWindow
from db.advisories import AdvisoryJournal
from db.journal import Journal
from db.read.series import HistorySeries, TieredSeries
from db.write.recorder import Recorder
from twin.clock import PlaybackClock
from twin.condition.monitor import HealthMonitor
from twin.condition.snapshot import HealthSource
from twin.ingest.ingestor import Sink
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.status import MIN_STALE_S, STALE_PERIODS
from twin.store.series import LiveSeries, SeriesReader, longest_lookback_ns
from twin.timebase import now_ns


def ingest_sinks(
    runtime: PlantRuntime, recorder: Recorder | None, monitor: HealthMonitor | None = None
) -> list[Sink]:
    """Every consumer of the stored batches, in order, each isolated from the others."""
    sinks = [runtime.alarm_sink()]
    if monitor is not None:
        sinks.append(monitor.sink())
    if recorder is not None:
        sinks.append(Sink("history", recorder.offer))
    return sinks


def health_monitor(plant: Plant, runtime: PlantRuntime) -> HealthMonitor | None:
    """The fleet's health monitor, when the plant has assets it can watch (motors and the
    like: the signals of ``twin.condition.profile.KEYS``)."""
    monitor = HealthMonitor(plant, runtime.store.groups)
    return monitor if len(monitor.profile) else None


def live_reader(runtime: PlantRuntime, plant: Plant, recorder: Recorder | None) -> SeriesReader:
    """The live rings; with a recording, tiered over it (read through its own handle)."""
    groups = runtime.store.groups
    rings = LiveSeries(runtime.store, longest_lookback_ns(groups, STALE_PERIODS, MIN_STALE_S))
    if recorder is None:
        return rings
    history = HistorySeries(recorder.history, plant, groups, horizon=now_ns)
    return TieredSeries(rings, history)


def quit_warning(runtime: PlantRuntime, recorder: Recorder | None) -> Callable[[], str | None]:
    """What quitting a live session would stop: the recording, and watching its alarms."""

    def warning() -> str | None:
        standing = len(runtime.alarms.table.snapshot())
        lines = []
        if recorder is not None:
            lines.append(
                QCoreApplication.translate("Quit", "Recording into %s stops.") % recorder.where
            )
        if standing:
            lines.append(
                QCoreApplication.translate(
                    "Quit", "%s alarm(s) are standing and will no longer be watched here."
                )
                % standing
            )
        return "\n".join(lines) or None

    return warning


def compose_live(
    plant: Plant,
    runtime: PlantRuntime,
    clock: PlaybackClock | None = None,
    fps: int = 30,
    size: tuple[int, int] = (1600, 1000),
    recording: RecordingStatus | None = None,
    health: HealthSource | None = None,
    window: QtMainWindow | None = None,
) -> Session:
    """The window on ``runtime``'s plant: every batch it stores goes to the alarm engine,
    the health monitor and, with a recorder in ``recording``, into the history (advisories
    into its journal), which the timeline replays; the fleet views read ``health`` (None:
    the session's own monitor, when the plant has assets it can watch). ``window``: one
    already built on ``plant`` and ``clock`` (while the runtime was being built)."""
    clock = clock or PlaybackClock()
    recording = recording or RecordingStatus()
    recorder = recording.recorder
    window = window or build_window(plant, clock, size)
    monitor = health_monitor(plant, runtime) if health is None else None
    health = health or monitor
    runtime.connect(ingest_sinks(runtime, recorder, monitor))
    journal = Journal(recorder.history) if recorder is not None else None
    advisories = AdvisoryJournal(recorder.history) if recorder and monitor else None
    if journal is not None:
        runtime.alarms.add_listener(journal.write)
    if advisories is not None and monitor is not None:
        monitor.add_listener(advisories.write)
    alarms = AlarmWiring(plant, runtime.alarms, journal, clock, window.scene_view.flash, window)
    window.add_alarm_ui(alarms)
    alarms.connect_live(window.status, window.replay.transport.go_live)
    timeline = None
    if recorder is not None:
        timeline = TimelineSession(
            recorder.history, clock, window.replay, True, True, alarms.raise_times
        )
    window.set_health_source(health)
    reader = live_reader(runtime, plant, recorder)
    add_registered_panels(window, runtime.sources, health, reader)
    scheduler = frame_pipeline(window, reader, clock, fps, health)
    ingestor = runtime.ingestor
    meter = RateMeter(window.status, lambda: ingestor.samples_in, scheduler, recording, window)
    store = runtime.store
    window.status.set_live_buffers(store.nbytes, len(plant.signals), store.retention_s)
    recording.show_in(window.status)
    window.set_history(recorder.where if recorder else None)
    window.set_quit_warning(quit_warning(runtime, recorder))
    install_training_menu(window)  # the trainee history; authoring is for replays
    return Session(
        plant,
        window,
        scheduler,
        clock,
        reader,
        meter,
        alarms,
        recording,
        runtime=runtime,
        timeline=timeline,
        journal=journal,
        health=health,
        advisories=advisories,
    )
