"""Replay composition: a recorded history in every view, nothing live.

``twindeck --replay PATH|URL [--at TIME] [--screenshot FILE]`` opens the history read-only,
takes the plant stored with the recording (or ``--plant``), and reads every view from the
history at the clock's cursor: the live composition's window and frame pipeline, with a
history reader instead of the rings and no sources.

A replay starts at the recording's first data: the first moment at which every signal has a
value, not the first sample of the fastest one (a 1 Hz sensor has no value for up to a second
after a 50 Hz one, and every asset would open violet, "no data"). ``--at +SECONDS`` counts
from there.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.alarms.wiring import AlarmWiring
from app.compose.panels import add_registered_panels
from app.compose.parts import RateMeter, RecordingStatus, Session, build_window, frame_pipeline
from app.timeline.session import TimelineSession
from app.training.author import ReplayOrigin
from app.training.menu import install_training_menu
from app.views.main_window import QtMainWindow
from db import History, HistoryError, HistoryReader, open_history
from db.catalog import recorded_plant_toml
from db.journal import Journal
from db.read.health_source import ReplayHealth
from db.read.series import HistorySeries
from twin.clock import PlaybackClock
from twin.condition.profile import FleetProfile
from twin.condition.snapshot import HealthSource
from twin.plant.loader import PlantError, load_plant, parse_plant
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

# A signal whose first value comes later than this after the recording's first sample
# joined the recording later (a connection that came up late): the replay does not wait.
SETTLE_NS = 60 * NS_PER_S


class RecordingError(Exception):
    """The recording asked for cannot be replayed; the message says why."""


@dataclass(frozen=True)
class Recording:
    """A history checked for replay: its range [start_ns, end_ns] (first and last sample),
    where the replay starts (``at_ns``) and the plant to draw it with."""

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
            plant_text = stored_plant or recorded_plant_toml(history)
    except HistoryError as exc:
        raise RecordingError(str(exc)) from None
    # The recorded range seeks every signal's rows (SQLite, mostly outside the GIL) while
    # this thread parses the plant: at 60,000 signals each takes about half a second.
    with ThreadPoolExecutor(1, thread_name_prefix="twindeck-range") as pool:
        ranged = pool.submit(_range_and_first_data, where)
        try:
            plant = _recording_plant(where, plant_path, plant_text)
        except RecordingError:
            ranged.result()  # an empty or unreadable history is said first
            raise
        span, first = ranged.result()
    try:
        t = parse_at(at, first, span[1]) if at else first
    except ValueError as exc:
        raise RecordingError(str(exc)) from None
    return Recording(where, plant, span[0], span[1], min(max(t, span[0]), span[1]), plant_text)


def _range_and_first_data(where: str) -> tuple[tuple[int, int], int]:
    """The recording's range and its first data (see ``first_data``)."""
    try:
        with open_history(where, read_only=True, create=False) as history:
            span = HistoryReader(history).time_range()
            first = first_data(history, *span) if span is not None else 0
    except HistoryError as exc:
        raise RecordingError(str(exc)) from None
    if span is None:
        raise RecordingError(f"{where}: nothing has been recorded in it yet.")
    return span, first


def _recording_plant(where: str, plant_path: Path | None, plant_text: str | None) -> Plant:
    """``plant_path``'s plant, else the one stored with the recording."""
    try:
        if plant_path is not None:
            return load_plant(plant_path)
        if plant_text is not None:
            return parse_plant(plant_text, f"{where} (plant stored with the recording)")
    except PlantError as exc:
        raise RecordingError(str(exc)) from None
    raise RecordingError(f"{where} does not hold its plant file; name it with --plant.")


def first_data(history: History, start_ns: int, end_ns: int) -> int:
    """The first moment of [start_ns, end_ns] at which every signal that begins with the
    recording has a value: the latest of their first samples (see SETTLE_NS)."""
    settled = min(start_ns + SETTLE_NS, end_ns + 1)
    firsts = HistoryReader(history).first_sample_times()
    settling = firsts[firsts < settled]
    return max(start_ns, int(settling.max())) if settling.size else start_ns


def parse_at(text: str, start_ns: int, end_ns: int) -> int:
    """--at: ISO date-time, +SECONDS from ``start_ns`` (the first data) or -SECONDS before
    ``end_ns``."""
    text = text.strip()
    try:
        if text[:1] in "+-":
            seconds = float(text[1:])
            offset = round(seconds * 1_000_000_000)
            return start_ns + offset if text[0] == "+" else end_ns - offset
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--at {text}: not a time; use e.g. 2026-11-26T14:05:00, +600 or -90"
        ) from None
    if when.tzinfo is None:
        when = when.astimezone()  # local time, as the user reads clocks in the plant
    return round(when.timestamp() * 1_000_000) * 1000


def compose_replay(
    recording: Recording,
    clock: PlaybackClock | None = None,
    fps: int = 30,
    size: tuple[int, int] = (1600, 1000),
    health: HealthSource | None = None,
    package: Path | None = None,
) -> Session:
    """A window on ``recording`` (opened read-only here, closed with the session), with
    its alarms from the journal at the cursor and the fleet's health from ``health``;
    the clock is put at ``recording.at_ns``. ``package``: the incident package it comes
    from (what a training scenario written on it replays)."""
    try:
        history = open_history(recording.where, read_only=True)
    except HistoryError as exc:
        raise RecordingError(str(exc)) from None
    replay_health = None
    clock = clock or PlaybackClock()
    # The fleet's health source (its profile of 10,000 motors) is made on a second thread
    # while this one builds the window.
    with ThreadPoolExecutor(1, thread_name_prefix="twindeck-health-open") as pool:
        pending = None
        if health is None:
            pending = pool.submit(replay_health_of, history, recording.plant, False)
        window = build_window(recording.plant, clock, size)
        if pending is not None:
            replay_health = health = pending.result()
    session = compose_history(recording.plant, history, clock, fps, size, health, window)
    session.closers.append(history.close)
    if replay_health is not None:
        session.closers.append(replay_health.close)  # closed before the history
        start_after_first_frame(session, replay_health)
    session.window.export.plant_text = recording.plant_text
    start_replay(session, recording)
    origin = ReplayOrigin(
        recording.where, recording.start_ns, recording.end_ns, str(package) if package else None
    )
    install_training_menu(session.window, origin, session.reader)
    return session


def replay_health_of(history: History, plant: Plant, start: bool = True) -> ReplayHealth | None:
    """The fleet's health at the cursor from ``history``, when ``plant`` has assets the
    health monitor watches (evaluating from ``start()`` when not ``start``)."""
    profile = FleetProfile.from_plant(plant)
    return ReplayHealth(history, profile, start=start) if len(profile) else None


def start_after_first_frame(session: Session, health: ReplayHealth) -> None:
    """Start ``health``'s evaluations once the first frame is drawn: that frame has none
    to show yet (they take a second at plant scale), and would share the CPU with them."""

    def begin(_frame: object) -> None:
        session.scheduler.frame_drawn.disconnect(begin)
        health.start()

    session.scheduler.frame_drawn.connect(begin)


def compose_history(
    plant: Plant,
    history: History,
    clock: PlaybackClock | None = None,
    fps: int = 30,
    size: tuple[int, int] = (1600, 1000),
    health: HealthSource | None = None,
    window: QtMainWindow | None = None,
) -> Session:
    """The window reading ``history`` (the caller's handle): no sources, no recorder.
    ``window``: one already built on ``plant`` and ``clock``."""
    clock = clock or PlaybackClock()
    window = window or build_window(plant, clock, size)
    journal = Journal(history)
    alarms = AlarmWiring(plant, None, journal, clock, window.scene_view.flash, window)
    window.add_alarm_ui(alarms)
    timeline = TimelineSession(history, clock, window.replay, False, True, alarms.raise_times)
    window.set_health_source(health)
    reader = HistorySeries(history, plant)
    add_registered_panels(window, health=health, reader=reader)
    scheduler = frame_pipeline(window, reader, clock, fps, health)
    recording = RecordingStatus()
    meter = RateMeter(window.status, lambda: 0, scheduler, recording, window)
    window.set_history(history.where)
    return Session(
        plant,
        window,
        scheduler,
        clock,
        reader,
        meter,
        alarms,
        recording,
        timeline=timeline,
        health=health,
    )


def start_replay(session: Session, recording: Recording) -> None:
    """Put the clock at the recording's --at time, paused, with the values loaded, and
    the timeline filled."""
    clock = session.clock
    clock.set_bounds(recording.start_ns, recording.end_ns)
    clock.pause()  # first: a seek while playing would move on before the pause
    clock.seek(recording.at_ns)
    session.scheduler.builder.wait_ready(recording.at_ns)
    if session.timeline is not None:
        session.timeline.know_range(recording.start_ns, recording.end_ns)
        session.timeline.refresh()
