"""Training > Scenario details: the draft's name, description (what the trainee reads
before starting) and the score that passes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.training.step_dialog import PROBLEM_STYLE
from twin.training.draft import ScenarioDraft


class QtScenarioDetails(QDialog):
    """Edit ``draft``'s heading; it is changed only when OK is accepted."""

    def __init__(self, draft: ScenarioDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.setObjectName("scenario_details")
        self.setWindowTitle(self.tr("Scenario details"))
        self.name_edit = QLineEdit(draft.name)
        self.description_edit = QPlainTextEdit(draft.description)
        self.description_edit.setPlaceholderText(self.tr("What the trainee reads before starting"))
        self.pass_spin = QDoubleSpinBox()
        self.pass_spin.setRange(0, 100)
        self.pass_spin.setSuffix(" %")
        self.pass_spin.setValue(draft.pass_score)
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet(PROBLEM_STYLE)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name_edit)
        form.addRow(self.tr("Description:"), self.description_edit)
        form.addRow(self.tr("Pass score:"), self.pass_spin)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.problem_label)
        column.addWidget(buttons)

    def accept(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.problem_label.setText(self.tr("Give the scenario a name."))
            return
        self.draft.name = name
        self.draft.description = self.description_edit.toPlainText().strip()
        self.draft.pass_score = self.pass_spin.value()
        super().accept()
