"""Workspace files per plant under the user's config folder:
``workspaces/<plant-slug>/current.json`` (saved on quit and every few minutes) and
``workspaces/<plant-slug>/layouts/<name>.json`` (View > Layouts).

Files are written whole to a temporary name and renamed over the old one, so that a crash
while saving leaves the last good file.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import platformdirs

from app.workspace.model import Loaded, Workspace, WorkspaceError, dumps, loads

log = logging.getLogger("twindeck.workspace")

CURRENT = "current.json"
_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


def default_root() -> Path:
    """``<user config dir>/TwinDeck`` (platformdirs)."""
    return platformdirs.user_config_path("TwinDeck", appauthor=False)


def plant_slug(name: str) -> str:
    """A folder name for a plant: its ASCII letters and digits, lower case; a name with
    none (e.g. "一号车间") keeps its own letters, so two such plants do not share one."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_").lower()
    return slug or re.sub(r"[^\w-]+", "_", name).strip("_") or "plant"


def layout_file_name(name: str) -> str:
    """The file of the layout called ``name``: the name without what file systems refuse."""
    stem = _UNSAFE.sub("_", name.strip()).strip(". ") or "layout"
    return f"{stem}.json"


def read_workspace(path: Path) -> Loaded:
    """A workspace file; WorkspaceError (naming the file) when it is no workspace."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path}: cannot be read ({exc})") from None
    return loads(text, str(path))


def write_workspace(path: Path, ws: Workspace) -> None:
    """Write ``ws`` to ``path`` whole, or leave the file there was (OSError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(dumps(ws), encoding="utf-8")
    os.replace(partial, path)


class WorkspaceStore:
    """The workspace and the named layouts of each plant, in folders under ``root``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_root()

    def folder(self, plant: str) -> Path:
        return self.root / "workspaces" / plant_slug(plant)

    def current_path(self, plant: str) -> Path:
        return self.folder(plant) / CURRENT

    def layout_path(self, plant: str, name: str) -> Path:
        return self.folder(plant) / "layouts" / layout_file_name(name)

    def load_current(self, plant: str) -> Loaded | None:
        """The plant's saved workspace; None when there is none or it cannot be read at
        all (logged as a warning, never raised: a start goes on with the default)."""
        path = self.current_path(plant)
        if not path.exists():
            return None
        try:
            return read_workspace(path)
        except WorkspaceError as exc:
            log.warning("workspace ignored: %s", exc)
            return None

    def save_current(self, ws: Workspace) -> bool:
        """Save the plant's workspace; False (logged) when the file cannot be written."""
        try:
            write_workspace(self.current_path(ws.plant), ws)
        except OSError as exc:
            log.warning("workspace not saved: %s", exc)
            return False
        return True

    def layouts(self, plant: str) -> list[str]:
        """Names of the plant's saved layouts, in alphabetical order (unreadable files are
        left out, with a warning)."""
        names = []
        for path in sorted((self.folder(plant) / "layouts").glob("*.json")):
            try:
                names.append(read_workspace(path).workspace.name or path.stem)
            except WorkspaceError as exc:
                log.warning("layout ignored: %s", exc)
        return sorted(names, key=str.casefold)

    def load_layout(self, plant: str, name: str) -> Loaded:
        """A saved layout; WorkspaceError when it is gone or unreadable."""
        return read_workspace(self.layout_path(plant, name))

    def save_layout(self, ws: Workspace) -> Path:
        """Save ``ws`` as the layout ``ws.name`` of ``ws.plant`` (replacing one of that
        name); OSError when it cannot be written."""
        path = self.layout_path(ws.plant, ws.name)
        write_workspace(path, ws)
        return path

    def delete_layout(self, plant: str, name: str) -> bool:
        """Delete a saved layout; False when there was none of that name."""
        try:
            self.layout_path(plant, name).unlink()
        except FileNotFoundError:
            return False
        return True
