"""Ask until when to shelve alarms, and why."""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)


class QtShelveUntilDialog(QDialog):
    """Ask until when to shelve (local date and time, in the future)."""

    def __init__(self, now_ns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Shelve until"))
        now = QDateTime.fromMSecsSinceEpoch(now_ns // 1_000_000)
        self.edit = QDateTimeEdit(now.addSecs(3600))
        self.edit.setMinimumDateTime(now.addSecs(60))
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setCalendarPopup(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why (optional)"))
        form = QFormLayout(self)
        form.addRow(self.tr("Until"), self.edit)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def until_ns(self) -> int:
        return self.edit.dateTime().toMSecsSinceEpoch() * 1_000_000
