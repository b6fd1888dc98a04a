"""Training > Start…: a scenario file and a trainee's name, run in a window of its own
(``twindeck --train FILE --trainee NAME``), as File > Open runs a recording."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QProcess
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.paths import assets_dir
from twin.training.scenario_file import ScenarioError, load_scenario


def training_menu(window: QMainWindow) -> QMenu:
    """The window's Training menu (objectName ``menu_Training``), made before Help if it
    is not there yet."""
    found = window.menuBar().findChild(QMenu, "menu_Training")
    if isinstance(found, QMenu):
        return found
    menu = QMenu(QCoreApplication.translate("TrainingMenu", "T&raining"), window.menuBar())
    menu.setObjectName("menu_Training")
    actions = window.menuBar().actions()
    if actions:
        window.menuBar().insertMenu(actions[-1], menu)  # Help stays the last menu
    else:
        window.menuBar().addMenu(menu)
    return menu


def add_training_start(window: QMainWindow) -> None:
    """Training > Start…"""
    action = training_menu(window).addAction(QCoreApplication.translate("TrainingMenu", "&Start…"))
    action.triggered.connect(lambda: ask_and_start(window))


class QtStartTrainingDialog(QDialog):
    """Which scenario, and who is trained."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start training"))
        self.scenario = QLineEdit(str(assets_dir() / "training" / "fan_bearing.toml"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.scenario, 1)
        row.addWidget(browse)
        self.trainee = QLineEdit()
        self.trainee.setPlaceholderText(self.tr("Trainee's name"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Scenario:"), row)
        form.addRow(self.tr("Trainee:"), self.trainee)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Training scenario"), self.scenario.text(),
            self.tr("Training scenarios (*.toml)"),
        )  # fmt: skip
        if path:
            self.scenario.setText(path)

    def arguments(self) -> list[str]:
        """The command line of the session asked for."""
        args = ["--train", self.scenario.text().strip()]
        name = self.trainee.text().strip()
        return [*args, "--trainee", name] if name else args


def ask_and_start(window: QWidget) -> bool:
    """Ask, then start the session in a process of its own; True when started."""
    dialog = QtStartTrainingDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.scenario.text().strip():
        return False
    try:  # a mistake in the file is said here, not lost in a process of its own
        load_scenario(Path(dialog.scenario.text().strip()))
    except ScenarioError as exc:
        QMessageBox.warning(window, dialog.windowTitle(), str(exc))
        return False
    # A frozen bundle is the program itself; from source it is Python running app.
    prefix = [] if getattr(sys, "frozen", False) else ["-m", "app"]
    return bool(QProcess.startDetached(sys.executable, [*prefix, *dialog.arguments()]))
