"""The Training menu: scenario authoring in a replay window, and the trainee history.

The menu is shared: ``training_menu`` finds it (objectName ``menu_Training``) or makes it,
so other parts add their own items to the same menu.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.training.author import QtScenarioAuthor, ReplayOrigin
from app.training.history import QtTraineeHistory, default_records_path
from app.views.main_window import QtMainWindow
from db.training import TrainingRecords
from twin.store.series import SeriesReader

MENU_NAME = "menu_Training"
ADD_STEP_KEY = "Ctrl+T"


def training_menu(window: QMainWindow) -> QMenu:
    """The window's Training menu, made (before Help, the last menu) on first use."""
    found = window.menuBar().findChild(QMenu, MENU_NAME)
    if isinstance(found, QMenu):
        return found
    menu = QMenu(QCoreApplication.translate("TrainingMenu", "&Training"), window.menuBar())
    menu.setObjectName(MENU_NAME)
    actions = [a for a in window.menuBar().actions() if a.menu() is not None]
    if actions:
        window.menuBar().insertMenu(actions[-1], menu)
    else:
        window.menuBar().addMenu(menu)
    return menu


def install_training_menu(
    window: QtMainWindow,
    origin: ReplayOrigin | None = None,
    reader: SeriesReader | None = None,
    records: Path | None = None,
) -> QtScenarioAuthor | None:
    """Add authoring (where the window replays ``origin`` through ``reader``) and the
    trainee history (``records``, the user's by default) to the Training menu; returns the
    author, None without a replay."""
    menu = training_menu(window)
    author = QtScenarioAuthor(window, origin, reader) if origin and reader else None
    if author is not None:
        _authoring_items(window, menu, author)
        menu.addSeparator()
    history = QAction(QCoreApplication.translate("TrainingMenu", "Trainee &history…"), window)
    history.setObjectName("training_history")
    history.triggered.connect(lambda: show_trainee_history(window, records))
    menu.addAction(history)
    return author


def _authoring_items(window: QtMainWindow, menu: QMenu, author: QtScenarioAuthor) -> None:
    def item(text: str, slot: object, key: str | None = None, name: str = "") -> QAction:
        action = QAction(text, window)
        action.setObjectName(name)
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    item(
        QCoreApplication.translate("TrainingMenu", "&New scenario from this replay…"),
        author.start_new,
        name="training_new",
    )
    item(
        QCoreApplication.translate("TrainingMenu", "&Open scenario for editing…"),
        author.ask_open,
        name="training_open",
    )
    menu.addSeparator()
    item(
        QCoreApplication.translate("TrainingMenu", "&Add step here"),
        lambda: author.add_step_here(),
        ADD_STEP_KEY,
        "training_add",
    )
    needs_draft = [
        item(
            QCoreApplication.translate("TrainingMenu", "Scenario &details…"),
            author.edit_details,
            name="training_details",
        ),
        item(
            QCoreApplication.translate("TrainingMenu", "&Preview with the answer key"),
            author.run_preview,
            name="training_preview",
        ),
        item(
            QCoreApplication.translate("TrainingMenu", "&Save scenario…"),
            author.ask_save,
            name="training_save",
        ),
    ]
    steps = menu.addMenu(QCoreApplication.translate("TrainingMenu", "&Edit step"))
    steps.aboutToShow.connect(lambda: _fill_steps(steps, author))
    needs_draft.append(steps.menuAction())

    def enable() -> None:
        for action in needs_draft:
            action.setEnabled(author.draft is not None)

    author.changed.connect(enable)
    enable()


def _fill_steps(menu: QMenu, author: QtScenarioAuthor) -> None:
    menu.clear()
    for step in author.draft.steps if author.draft else ():
        at = f"{step.trigger.at_s:g} s" if step.trigger.at_s is not None else "⚡"
        action = menu.addAction(f"{step.id}  ({at})")
        action.triggered.connect(lambda _=False, sid=step.id: author.edit_step(sid))


def show_trainee_history(window: QMainWindow, records: Path | None = None) -> QtTraineeHistory:
    """Training > Trainee history: the dialog on ``records`` (the user's by default)."""
    store = TrainingRecords(records or default_records_path())
    dialog = QtTraineeHistory(store, window)
    dialog.finished.connect(store.close)
    dialog.show()
    return dialog
