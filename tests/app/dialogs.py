"""Answering modal dialogs in UI tests: they block in exec(), so the answer is queued."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMainWindow, QMenu, QWidget


@overload
def answer_dialog(answer: Callable[[QInputDialog], None]) -> None: ...
@overload
def answer_dialog[D: QWidget](answer: Callable[[D], None], kind: type[D]) -> None: ...
def answer_dialog(answer: Callable[[Any], None], kind: type[QWidget] = QInputDialog) -> None:
    """Run ``answer(dialog)`` on the next modal dialog of type ``kind``, once it is open."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            QTimer.singleShot(20, attempt)
        else:
            answer(dialog)

    QTimer.singleShot(0, attempt)


def accept(dialog: QWidget) -> None:
    assert isinstance(dialog, QDialog)
    dialog.accept()


def menu_action(window: QMainWindow, text: str) -> QAction:
    """The window's menu item called ``text`` (without its & accelerator)."""
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if isinstance(menu, QMenu) else ():
            if action.text().replace("&", "") == text:
                return action
    raise AssertionError(f"no menu item {text!r}")
