"""What the workspace tests share: a shown demo-plant window keeping its workspace in a
given store, the items of its View > Layouts, and answers to its file dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow

from app.compose.parts import Session
from app.workspace.menu import QtLayoutsMenu
from app.workspace.store import WorkspaceStore
from app.workspace.wiring import install_workspace


@pytest.fixture
def open_window(qtbot, make_live_app, demo_plant) -> Callable[..., Session]:
    """``open_window(store, restore=True)``: a live demo-plant window keeping its
    workspace in ``store``, shown."""

    def open_(store: WorkspaceStore, restore: bool = True) -> Session:
        live = make_live_app(demo_plant)
        install_workspace(live.window, store, restore=restore)
        live.window.show()
        qtbot.waitExposed(live.window)
        return live

    return open_


def layouts_menu(window: QMainWindow) -> QtLayoutsMenu:
    """The window's View > Layouts, filled as when it opens."""
    menu = window.findChild(QtLayoutsMenu)
    assert menu is not None
    menu.aboutToShow.emit()  # what opening it does
    return menu


def layouts_item(window: QMainWindow, text: str) -> QAction:
    """The item ``text`` (without its & accelerator) of the window's View > Layouts."""
    actions = layouts_menu(window).actions()
    for action in actions:
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no item {text!r} in {[a.text() for a in actions]}")


def choose_file(path: Path) -> Callable[[QFileDialog], None]:
    """An answer to a file dialog: pick ``path``."""

    def answer(dialog: QFileDialog) -> None:
        dialog.selectFile(str(path))
        dialog.accept()

    return answer
