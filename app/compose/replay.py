"""Start-up of a replay-only window: a recorded history, no live sources.

``twindeck --replay PATH|URL [--at TIME] [--screenshot FILE]`` opens the history read-only,
takes the plant stored with the recording (or ``--plant``), and drives every view from
the history at the clock's cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.cli import parse_at
from app.timeline.session import ReplaySession
from db import HistoryError, HistoryReader, open_history
from db.catalog import recorded_plant_toml
from twin.batch import ChannelGroup
from twin.clock import PlaybackClock
from twin.plant.loader import PlantError, load_plant, parse_plant
from twin.plant.model import Plant


class RecordingError(Exception):
    """The recording asked for cannot be replayed; the message says why."""


@dataclass(frozen=True)
class Recording:
    where: str
    plant: Plant
    start_ns: int
    end_ns: int
    at_ns: int
    plant_text: str | None = None


def open_recording_for_replay(
    where: str, plant_path: Path | None, at: str | None, stored_plant: str | None = None
) -> Recording:
    """Check the history, find its plant and the start time, before any window exists.

    The plant is ``plant_path`` when given, else ``stored_plant`` (an incident package's),
    else the one stored with the recording.
    """
    try:
        with open_history(where, read_only=True, create=False) as history:
            span = HistoryReader(history).time_range()
            plant_text = stored_plant or recorded_plant_toml(history)
    except HistoryError as exc:
        raise RecordingError(str(exc)) from None
    if span is None:
        raise RecordingError(f"{where}: nothing has been recorded in it yet.")
    try:
        if plant_path is not None:
            plant = load_plant(plant_path)
        elif plant_text is not None:
            plant = parse_plant(plant_text, f"{where} (plant stored with the recording)")
        else:
            raise RecordingError(f"{where} does not hold its plant file; name it with --plant.")
    except PlantError as exc:
        raise RecordingError(str(exc)) from None
    try:
        t = parse_at(at, *span) if at else span[0]
    except ValueError as exc:
        raise RecordingError(str(exc)) from None
    return Recording(where, plant, span[0], span[1], min(max(t, span[0]), span[1]), plant_text)


def replay_groups(plant: Plant) -> list[ChannelGroup]:
    """One group per signal: however the recording grouped them, each replays on its own."""
    return [ChannelGroup(f"replay/{s.id}", (s.id,), s.rate_hz) for s in plant.signals]


def start_replay(session: ReplaySession, clock: PlaybackClock, recording: Recording) -> None:
    """Put the clock at the recording's --at time, paused, with the values loaded."""
    clock.set_bounds(recording.start_ns, recording.end_ns)
    clock.pause()  # first: a seek while playing would move on before the pause
    clock.seek(recording.at_ns)
    session.feeder.request(recording.at_ns, None, 0.0)
    session.feeder.wait_loaded(recording.at_ns, None, timeout=30.0)
