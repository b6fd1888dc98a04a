"""Trainee mode: ``twindeck --train FILE --trainee NAME [--speed X]``.

The normal views on the scenario's history (an incident package or recording replayed; a
simulated scenario simulated ahead into a history, ``app.compose.lessons``), with the
clock locked to the scenario (``app.training.lock``), the plant's alarms evaluated again
as the scenario reaches them so that the trainee acknowledges them as they come
(``app.training.replayed_alarms``), and the Training panel that runs the steps
(``app.training.controller``). At the end the score goes to the trainees' results
(``app.paths.training_records_path`` unless told otherwise) and the debrief opens.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLabel

from app.alarms.wiring import AlarmWiring
from app.compose.lessons import simulated_history
from app.compose.panels import add_registered_panels
from app.compose.parts import (
    RateMeter,
    RecordingStatus,
    Session,
    build_window,
    frame_pipeline,
    qt_app,
)
from app.compose.replay import (
    RecordingError,
    open_recording_for_replay,
    replay_health_of,
    start_after_first_frame,
)
from app.compose.training import Prepared, TrainingError, _check, prepare
from app.paths import lesson_cache_dir, training_records_path
from app.training.controller import TraineeController
from app.training.lock import TrainingClock
from app.training.replayed_alarms import ReplayedAlarms
from db.engine import open_history
from db.errors import HistoryError
from db.read.series import HistorySeries
from db.read.training_events import recorded_event_times
from db.training import TrainingRecords
from twin.plant.loader import PlantError, load_plant
from twin.timebase import NS_PER_S
from twin.training.scenario_file import ScenarioError, load_scenario
from twin.training.session import TrainingSession


def prepare_trainee(path: Path, cache: Path) -> Prepared:
    """``prepare`` for a trainee: a simulated scenario becomes a history in ``cache``
    (made once), whose events are the ones the trainee meets."""
    try:
        scenario = load_scenario(path)
        if scenario.simulated is None:
            return prepare(path)
        plant = load_plant(scenario.simulated.plant)
        duration = scenario.simulated.duration_s
        _check(Prepared(scenario, plant, duration, {}))
        where = str(simulated_history(scenario, plant, cache))
        recording = open_recording_for_replay(where, None, None)
        t0 = recording.start_ns
        end = min(recording.end_ns + 1, t0 + round(duration * NS_PER_S))
        with open_history(where, read_only=True, create=False) as history:
            events = recorded_event_times(history, scenario, t0, end)
    except (ScenarioError, PlantError, RecordingError, HistoryError) as exc:
        raise TrainingError(str(exc)) from None
    return Prepared(scenario, plant, (end - t0) / NS_PER_S, events, t0, recording)


def compose_trainee(
    prepared: Prepared,
    trainee: str,
    *,
    speed: float = 1.0,
    records: TrainingRecords | None = None,
    clock: TrainingClock | None = None,
    fps: int = 30,
    size: tuple[int, int] = (1600, 1000),
) -> tuple[Session, TraineeController]:
    """The window of a trainee's session on ``prepared`` (its history opened read-only
    here, closed with the session), at the scenario's start, paused on its first step."""
    recording = prepared.recording
    assert recording is not None, "prepare_trainee makes every scenario a history"
    plant = recording.plant
    try:
        history = open_history(recording.where, read_only=True)
    except HistoryError as exc:
        raise RecordingError(str(exc)) from None
    clock = clock or TrainingClock()
    window = build_window(plant, clock, size)
    alarms = ReplayedAlarms(plant, history, prepared.t0_ns, clock)
    alarm_ui = AlarmWiring(plant, alarms.engine, None, clock, window.scene_view.flash, window)
    window.add_alarm_ui(alarm_ui)
    # The list is the trainee's own, current at the cursor: no "looking back" banner.
    alarm_ui.table.looking_back_changed.disconnect(alarm_ui.banner.set_looking_back)
    health = replay_health_of(history, plant, start=False)
    window.set_health_source(health)
    reader = HistorySeries(history, plant)
    add_registered_panels(window, health=health, reader=reader)
    scheduler = frame_pipeline(window, reader, clock, fps, health)
    meter = RateMeter(window.status, lambda: 0, scheduler, RecordingStatus(), window)
    session = Session(plant, window, scheduler, clock, reader, meter, alarm_ui, health=health)
    session.closers.append(history.close)
    if health is not None:
        session.closers.append(health.close)  # closed before the history
        start_after_first_frame(session, health)
    training = TrainingSession(prepared.scenario, trainee, prepared.duration_s)
    controller = TraineeController(
        window, clock, training, prepared.t0_ns, prepared.events, alarms, alarm_ui, records
    )
    scheduler.add_view(controller)
    clock.set_rate(speed)
    controller.begin()
    window.status.set_mode(
        QCoreApplication.translate("Trainee", "TRAINING · %1 · %2")
        .replace("%1", prepared.scenario.name)
        .replace("%2", trainee)
    )
    scheduler.builder.wait_ready(clock.now())
    return session, controller


def run_trainee(args: argparse.Namespace) -> int:
    """``--train FILE`` without ``--preview``: the trainee's window; exit 2 when the
    scenario cannot run."""
    trainee = (args.trainee or "").strip() or getpass.getuser()
    qapp = qt_app()
    note = _preparing_note()
    try:
        prepared = prepare_trainee(args.train, lesson_cache_dir())
    except TrainingError as exc:
        print(f"twindeck: {exc}", file=sys.stderr)
        return 2
    finally:
        note.close()
    records = TrainingRecords(training_records_path())
    try:
        session, _controller = compose_trainee(
            prepared, trainee, speed=args.speed or 1.0, records=records, fps=args.fps,
            size=args.size,
        )  # fmt: skip
    except RecordingError as exc:
        print(f"twindeck: {exc}", file=sys.stderr)
        prepared.close()
        return 2
    assert isinstance(qapp, QApplication)
    session.start()
    session.window.show()
    try:
        return qapp.exec()
    finally:
        session.stop()
        records.close()
        prepared.close()


def _preparing_note() -> QLabel:
    """A word on screen while the lesson is prepared (a simulated one is simulated ahead
    the first time: tens of seconds), painted before the work blocks the event loop."""
    text = QCoreApplication.translate("Trainee", "Preparing the lesson…")
    print(f"twindeck: {text}", file=sys.stderr)
    note = QLabel(text)
    note.setWindowTitle("TwinDeck")
    note.setMargin(24)
    note.show()
    QCoreApplication.processEvents()
    return note
