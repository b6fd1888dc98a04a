"""Package composition: an incident package replayed read-only, with its camera view.

The package's history is extracted by ``db.package``, replayed like any recording
(``app.compose.replay``), and removed when the session ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.compose.parts import Session
from app.compose.replay import Recording, compose_replay, open_recording_for_replay
from db.package import IncidentPackage, open_package
from twin.clock import PlaybackClock


@dataclass
class PackageInputs:
    """An opened package and its recording, checked before any window exists."""

    package: IncidentPackage
    recording: Recording

    @property
    def title(self) -> str:
        return self.package.manifest.title or str(self.package.path)

    def close(self) -> None:
        self.package.close()


def open_package_inputs(path: Path, plant: Path | None, at: str | None) -> PackageInputs:
    """Verify and extract the package at ``path``; PackageError or RecordingError say why
    it cannot be replayed."""
    package = open_package(path)
    try:
        where = str(package.history_path)
        recording = open_recording_for_replay(where, plant, at, package.plant_text)
    except Exception:
        package.close()
        raise
    return PackageInputs(package, recording)


def compose_package(
    inputs: PackageInputs,
    clock: PlaybackClock | None = None,
    fps: int = 30,
    size: tuple[int, int] = (1600, 1000),
) -> Session:
    """The package's recording in a window, at the camera view it was exported with."""
    try:
        session = compose_replay(inputs.recording, clock, fps, size)
    except Exception:
        inputs.close()
        raise
    session.closers.insert(0, inputs.close)  # after the history is closed
    if inputs.package.views:
        session.window.scene_view.apply_view(inputs.package.views[0])
    return session
