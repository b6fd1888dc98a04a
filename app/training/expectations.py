"""The step dialog's table of expected (or forbidden) actions: a row per action with its
target, time limit, points and whether it is forbidden, and buttons that add the usual
ones filled in from the replay (acknowledge the last alarm raised, select the selected
asset, bookmark with a comment, shelve nothing)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from twin.plant import fields as F
from twin.plant.fields import FieldError
from twin.training.model import ActionKind, Expectation


class Refused(Exception):
    """A reason a step cannot be saved, already in the author's words."""


def action_words(kind: ActionKind) -> str:
    """An action's name in the interface's language (the file keeps the English value)."""
    words = {
        ActionKind.ACKNOWLEDGE: QCoreApplication.translate("QtExpectationTable", "acknowledge"),
        ActionKind.SHELVE: QCoreApplication.translate("QtExpectationTable", "shelve"),
        ActionKind.SELECT: QCoreApplication.translate("QtExpectationTable", "select"),
        ActionKind.BOOKMARK: QCoreApplication.translate("QtExpectationTable", "bookmark"),
        ActionKind.COMMENT: QCoreApplication.translate("QtExpectationTable", "comment"),
    }
    return words[kind]


def number_text(x: float) -> str:
    return f"{x:.6g}"


class QtExpectationRow:
    """One expected (or forbidden) action: the widgets of its row in the table."""

    def __init__(self, targets: Sequence[str], e: Expectation) -> None:
        self.action = QComboBox()
        for kind in ActionKind:
            self.action.addItem(action_words(kind), kind.value)
        self.action.setCurrentIndex(self.action.findData(e.action.value))
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.addItems(list(targets))
        self.target.setCurrentText(e.target or "")
        self.within = QLineEdit(number_text(e.within_s) if e.within_s is not None else "")
        self.points = QDoubleSpinBox()
        self.points.setDecimals(1)
        self.points.setRange(0, 1000)
        self.points.setValue(e.points)
        self.forbidden = QCheckBox()
        self.forbidden.setChecked(e.forbidden)

    def widgets(self) -> list[QWidget]:
        return [self.action, self.target, self.within, self.points, self.forbidden]


class QtExpectationTable(QWidget):
    """The expected actions of one step. ``targets``: the alarms and assets offered;
    ``alarm`` and ``asset``: what the acknowledge and select buttons fill in."""

    def __init__(
        self,
        targets: Sequence[str],
        alarm: str | None,
        asset: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.targets = list(targets)
        self.rows: list[QtExpectationRow] = []
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Action"), self.tr("Target"), self.tr("Within (s)"), self.tr("Points"),
             self.tr("Forbidden")]
        )  # fmt: skip
        self.table.setColumnWidth(1, 220)
        self.ack_button = self._button(
            self.tr("Acknowledge alarm"), Expectation(ActionKind.ACKNOWLEDGE, 10.0, alarm, 60.0)
        )
        self.select_button = self._button(
            self.tr("Select asset"), Expectation(ActionKind.SELECT, 10.0, asset, 30.0)
        )
        self.bookmark_button = self._button(
            self.tr("Bookmark with comment"), Expectation(ActionKind.BOOKMARK, 10.0, None, 60.0)
        )
        self.no_shelve_button = self._button(
            self.tr("Shelve nothing"),
            Expectation(ActionKind.SHELVE, 10.0, None, None, forbidden=True),
        )
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self.remove_current)
        row = QHBoxLayout()
        for button in (self.ack_button, self.select_button, self.bookmark_button):
            row.addWidget(button)
        row.addWidget(self.no_shelve_button)
        row.addStretch(1)
        row.addWidget(remove)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.table, 1)

    def _button(self, text: str, preset: Expectation) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: self.add(preset))
        return button

    def add(self, e: Expectation) -> QtExpectationRow:
        entry = QtExpectationRow(self.targets, e)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, widget in enumerate(entry.widgets()):
            self.table.setCellWidget(row, col, widget)
        self.rows.append(entry)
        return entry

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.table.removeRow(row)
            del self.rows[row]

    def expectations(self) -> tuple[Expectation, ...]:
        """The rows as expectations; Refused says which row is wrong and why."""
        return tuple(self._expectation(i, r) for i, r in enumerate(self.rows))

    def _expectation(self, index: int, row: QtExpectationRow) -> Expectation:
        action = ActionKind(row.action.currentData())
        target = row.target.currentText().strip() or None
        forbidden = row.forbidden.isChecked()
        needs_target = action in (ActionKind.ACKNOWLEDGE, ActionKind.SELECT) and not forbidden
        if target is None and needs_target:
            raise Refused(
                self.tr("Expected action %s (%s) needs a target: an alarm or an asset.")
                % (index + 1, action_words(action))
            )
        within = None
        if row.within.text().strip():
            try:
                within = F.duration_text(row.within.text())
            except FieldError:
                raise Refused(
                    self.tr("Expected action %s: “%s” is not a time limit.")
                    % (index + 1, row.within.text())
                ) from None
        return Expectation(action, row.points.value(), target, within, forbidden)
