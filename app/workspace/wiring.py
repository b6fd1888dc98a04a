"""One call for a composition: keep a window's workspace and offer View > Layouts."""

from __future__ import annotations

from app.views.main_window import QtMainWindow
from app.workspace.keeper import WorkspaceKeeper
from app.workspace.menu import install_layouts_menu
from app.workspace.store import WorkspaceStore


def install_workspace(
    window: QtMainWindow, store: WorkspaceStore | None = None, restore: bool = True
) -> WorkspaceKeeper:
    """Keep ``window``'s workspace in ``store`` (default: the user's config folder):
    restore the plant's now unless ``restore`` is False (``--no-workspace``: the default
    layout), save it on close and every few minutes, and add View > Layouts. Call it once
    the window has all its docks, before it is shown."""
    keeper = WorkspaceKeeper(window, store or WorkspaceStore())
    if restore:
        keeper.restore()
    keeper.start()
    install_layouts_menu(window, keeper)
    return keeper
