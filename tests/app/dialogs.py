"""Answering modal dialogs in UI tests: they block in exec(), so the answer is queued."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QWidget


def answer_dialog(answer: Callable[[QWidget], None], kind: type = QInputDialog) -> None:
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
