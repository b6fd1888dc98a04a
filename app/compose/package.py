"""Package composition: an incident package replayed read-only, with its camera view and
the trainer's notes.

The package's history is extracted by ``db.package``, replayed like any recording
(``app.compose.replay``), and removed when the session ends. The title and description
typed into the export dialog are the trainer's notes to the trainee: they open in a bar over
the views (dismissable), stay in the mode text's tooltip, and Help > About this incident
shows them in full with the package's range and origin.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.compose.parts import Session
from app.compose.replay import Recording, compose_replay, open_recording_for_replay
from app.views.main_window import QtMainWindow
from db.package import IncidentPackage, Manifest, open_package
from twin.clock import PlaybackClock

NOTES_STYLE = "QFrame#incident_notes { background: #24384f; border-bottom: 1px solid #3d5a7a; }"
BAR_CHARS = 400  # longer notes are cut in the bar; About this incident shows them whole
BAR_LINES = 4


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
    """The package's recording in a window, at the camera view it was exported with, with
    the package's notes (see the module docstring)."""
    try:
        session = compose_replay(inputs.recording, clock, fps, size, package=inputs.package.path)
    except Exception:
        inputs.close()
        raise
    session.closers.insert(0, inputs.close)  # after the history is closed
    if inputs.package.views:
        session.window.scene_view.apply_view(inputs.package.views[0])
    add_incident_notes(session.window, inputs.package)
    return session


class QtIncidentNotes(QFrame):
    """The package's title and description in a bar over the views, until its close button
    hides it; ``about()`` shows them in full."""

    def __init__(self, package: IncidentPackage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.package = package
        self.setObjectName("incident_notes")
        self.setStyleSheet(NOTES_STYLE)
        manifest = package.manifest
        self.label = QLabel(_rich(manifest.title, _excerpt(manifest.description)))
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(
            self.tr("Hide the notes (Help > About this incident shows them again)")
        )
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(bool(manifest.description.strip()))

    def about(self) -> None:
        """Help > About this incident: the notes in full, the range and where it came from."""
        m = self.package.manifest
        facts = self.tr("%s to %s · plant %s · exported %s by TwinDeck %s") % (
            _local(m.t0),
            _local(m.t1),
            m.plant_name,
            m.created_at or "?",
            m.app_version or "?",
        )
        text = _rich(m.title or self.package.path.name, m.description)
        text += f"<p><small>{html.escape(facts)}<br>{html.escape(str(self.package.path))}</small>"
        box = QMessageBox(self.window())
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("About this incident"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(text)
        box.exec()


def add_incident_notes(window: QtMainWindow, package: IncidentPackage) -> QtIncidentNotes:
    """Put the package's notes over the views, into the mode text's tooltip and under Help."""
    notes = QtIncidentNotes(package)
    central = QWidget()
    column = QVBoxLayout(central)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(notes)
    views = window.takeCentralWidget()
    if views is not None:
        column.addWidget(views, 1)
    window.setCentralWidget(central)
    manifest = package.manifest
    window.status.mode_label.setToolTip(_tooltip(manifest))
    menus = [m for a in window.menuBar().actions() if isinstance(m := a.menu(), QMenu)]
    if menus:  # Help, the last menu of the window
        action = menus[-1].addAction(
            QCoreApplication.translate("QtIncidentNotes", "About this &incident…")
        )
        action.triggered.connect(notes.about)
    return notes


def _tooltip(manifest: Manifest) -> str:
    return "\n\n".join(s for s in (manifest.title, manifest.description.strip()) if s)


def _rich(title: str, description: str) -> str:
    """Title in bold, then the description with its line breaks, as escaped rich text."""
    body = html.escape(description.strip()).replace("\n", "<br>")
    head = f"<b>{html.escape(title)}</b>" if title else ""
    return f"{head}<br>{body}" if head and body else head or body


def _excerpt(text: str) -> str:
    """The start of ``text``: at most BAR_LINES lines and BAR_CHARS characters."""
    text = text.strip()
    lines = text.splitlines()
    cut = "\n".join(lines[:BAR_LINES])[:BAR_CHARS]
    return cut if cut == text else cut.rstrip() + " …"


def _local(t_ns: int) -> str:
    when = QDateTime.fromMSecsSinceEpoch(t_ns // 1_000_000, QTimeZone.systemTimeZone())
    return when.toString("yyyy-MM-dd HH:mm:ss")
