"""``--train FILE``: a training scenario. With ``--preview`` it runs headless with its own
answer key (the trainer's and the CI's check that a lesson is consistent) and writes the
report; the scenario is checked against its plant and what it replays before anything runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from app.compose.package import PackageInputs, open_package_inputs
from app.compose.parts import qt_app
from app.compose.replay import Recording, RecordingError, open_recording_for_replay
from app.training.report import ReportInputs, write_report
from db.engine import open_history
from db.errors import HistoryError
from db.package_manifest import PackageError
from db.read.training_events import recorded_event_times
from twin.plant.loader import PlantError, load_plant
from twin.plant.model import Plant
from twin.timebase import NS_PER_S
from twin.training.events import simulated_event_times
from twin.training.model import Scenario
from twin.training.scenario_file import ScenarioError, check_scenario, load_scenario
from twin.training.session import preview


class TrainingError(Exception):
    """A scenario that cannot run, with the message for the user."""


@dataclass
class Prepared:
    """A scenario checked against its plant and source, with its events' times."""

    scenario: Scenario
    plant: Plant
    duration_s: float
    events: dict[str, float]
    t0_ns: int = 0  # the scenario's start in the replayed history (0: simulated)
    recording: Recording | None = None
    package: PackageInputs | None = None  # keeps the extracted package until close()

    def close(self) -> None:
        if self.package is not None:
            self.package.close()


def run_training(args: argparse.Namespace) -> int:
    """Run ``--train --preview``; returns the exit code (2: the scenario or its sources are
    wrong)."""
    try:
        prepared = prepare(args.train)
    except TrainingError as exc:
        print(f"twindeck: {exc}", file=sys.stderr)
        return 2
    try:  # without --preview, app.__main__ runs app.compose.trainee instead
        return run_preview(prepared, args.report, args.trainee or "answer key")
    finally:
        prepared.close()


def prepare(path: Path) -> Prepared:
    """Load and check the scenario at ``path``; TrainingError says what is wrong."""
    try:
        scenario = load_scenario(path)
        prepared = _simulated(scenario) if scenario.simulated else _replayed(scenario)
        _check(prepared)
    except (ScenarioError, PlantError, RecordingError, PackageError, HistoryError) as exc:
        raise TrainingError(str(exc)) from None
    return prepared


def _check(p: Prepared) -> None:
    assets = {a.id: a for a in p.plant.assets}
    signals = {f"{a.id}.{s.key}": s for a in p.plant.assets for s in a.signals}
    check_scenario(p.scenario, assets=assets, signals=signals, duration_s=p.duration_s)


def _simulated(scenario: Scenario) -> Prepared:
    sim = scenario.simulated
    assert sim is not None
    plant = load_plant(sim.plant)
    _check(Prepared(scenario, plant, sim.duration_s, {}))  # before a long simulation
    events = simulated_event_times(scenario, plant)
    return Prepared(scenario, plant, sim.duration_s, events)


def _replayed(scenario: Scenario) -> Prepared:
    src = scenario.replay
    assert src is not None
    package = open_package_inputs(Path(src.package), None, None) if src.package else None
    try:
        return _replay_range(scenario, package)
    except Exception:
        if package is not None:
            package.close()
        raise


def _replay_range(scenario: Scenario, package: PackageInputs | None) -> Prepared:
    src = scenario.replay
    assert src is not None
    if package is not None:
        recording = package.recording
    else:
        recording = open_recording_for_replay(str(src.recording), None, None)
    t0 = recording.start_ns + int(src.start_s * NS_PER_S)
    end = recording.end_ns + 1
    if src.end_s is not None:
        end = min(end, recording.start_ns + int(src.end_s * NS_PER_S))
    if end <= t0:
        raise ScenarioError(
            f"start ({src.start_s:g} s) is after the end of the recording "
            f"({(recording.end_ns - recording.start_ns) / NS_PER_S:g} s)",
            path=scenario.source_path,
            where="[replay]",
        )
    with open_history(recording.where, read_only=True, create=False) as history:
        events = recorded_event_times(history, scenario, t0, end)
    duration = (end - t0) / NS_PER_S
    return Prepared(scenario, recording.plant, duration, events, t0, recording, package)


def run_preview(p: Prepared, report: Path | None, trainee: str) -> int:
    """The answer key through the scenario: prints the score, writes the report; exit 0
    only with the full score (a step never reached or an answer that is not an option
    means the lesson is wrong)."""
    session = preview(p.scenario, p.duration_s, p.events)
    result = session.result()
    reached = len(session.opened)
    print(
        f"{p.scenario.name}: {result.points:g} / {result.max_points:g} points "
        f"({result.percent:.0f} %), {reached} of {len(p.scenario.steps)} steps reached"
    )
    for step in p.scenario.steps:
        if step.id not in session.opened:
            print(f"  step {step.id!r} is never reached: its event does not happen in time")
    if report is not None:
        qt_app()
        inputs = ReportInputs(p.scenario, trainee, result, dt.datetime.now())
        print(f"report: {write_report(inputs, report)}")
    return 0 if result.points == result.max_points else 1
