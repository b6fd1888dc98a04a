"""Keep a window's workspace across starts: restore the plant's at start, save it when the
window closes and every few minutes (a crash loses little), switch to named layouts.

Nothing here ever stops a start: a workspace that cannot be read, or pieces of it that
no longer apply, are skipped with a warning in the log.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer

from app.views.main_window import QtMainWindow
from app.workspace.capture import apply, capture, spread_by_stretch
from app.workspace.model import Loaded, Workspace
from app.workspace.store import WorkspaceStore, read_workspace, write_workspace

log = logging.getLogger("twindeck.workspace")

AUTOSAVE_MS = 3 * 60 * 1000


class WorkspaceKeeper(QObject):
    """The workspace of ``window`` in ``store``, under the plant's name.

    Made once the window has all its docks and before it is shown: what the window
    looks like then is the default layout (View > Layouts > Reset to default).
    """

    def __init__(
        self, window: QtMainWindow, store: WorkspaceStore, autosave_ms: int = AUTOSAVE_MS
    ) -> None:
        super().__init__(window)
        self.window, self.store = window, store
        self.plant = window.plant.name
        # Before the window is first shown its place and its splitters' sizes mean
        # nothing yet: the default leaves the place alone and spreads splitters anew.
        self.default = dataclasses.replace(capture(window), geometry=None, splitters={})
        self._autosave = QTimer(self)
        self._autosave.setInterval(autosave_ms)
        self._autosave.timeout.connect(self.save)
        window.installEventFilter(self)

    def restore(self) -> list[str]:
        """Put the plant's saved workspace on the window; returns the pieces skipped (each
        logged as a warning). Nothing saved yet: nothing changes."""
        loaded = self.store.load_current(self.plant)
        if loaded is None:
            return []
        return self._apply(loaded, "workspace")

    def start(self) -> None:
        """Save every few minutes from now on (and when the window closes)."""
        self._autosave.start()

    def save(self) -> bool:
        """Save the window's workspace as the plant's current one."""
        return self.store.save_current(capture(self.window))

    def layouts(self) -> list[str]:
        return self.store.layouts(self.plant)

    def has_layout(self, name: str) -> bool:
        """Whether saving as ``name`` would replace a layout (its file exists)."""
        return self.store.layout_path(self.plant, name).exists()

    def save_layout(self, name: str) -> Path:
        """Save the window's workspace as the named layout ``name`` (OSError on failure)."""
        return self.store.save_layout(capture(self.window, name))

    def switch_to(self, name: str) -> list[str]:
        """Apply the saved layout ``name``; WorkspaceError when it cannot be read."""
        return self._apply(self.store.load_layout(self.plant, name), f"layout {name!r}")

    def delete_layout(self, name: str) -> bool:
        return self.store.delete_layout(self.plant, name)

    def export_layout(self, path: Path, name: str) -> None:
        """Write the window's workspace to ``path`` as a layout called ``name`` (OSError)."""
        write_workspace(path, capture(self.window, name))

    def import_layout(self, path: Path) -> tuple[str, list[str]]:
        """Read a layout file (of this plant or another), apply what applies and keep it
        as a named layout of this plant; returns its name and the pieces skipped.
        WorkspaceError when the file is no layout; OSError when it cannot be kept."""
        loaded = read_workspace(path)
        name = loaded.workspace.name or path.stem
        problems = self._apply(loaded, f"layout {name!r}")
        self.save_layout(name)
        return name, problems

    def reset(self) -> list[str]:
        """Back to the layout the window had before any workspace was applied."""
        problems = self._apply(Loaded(self.default), "default layout")
        spread_by_stretch(self.window)
        return problems

    def _apply(self, loaded: Loaded, what: str) -> list[str]:
        ws: Workspace = loaded.workspace
        problems = [*loaded.problems, *apply(self.window, ws)]
        if ws.plant != self.plant and ws.plant:
            log.info("%s was saved for %s, applied to %s", what, ws.plant, self.plant)
        for problem in problems:
            log.warning("%s: skipped %s", what, problem)
        return problems

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.save()  # before the window's own close handling stops its views
            QTimer.singleShot(0, self._stop_when_closed)
        return False

    def _stop_when_closed(self) -> None:
        """A close the user called off (Quit? No) leaves the autosave running."""
        if not self.window.isVisible():
            self._autosave.stop()
