"""Ask until when to shelve alarms, and why (ISA-18.2 expects a reason for every shelf)."""

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

DEFAULT_SHELF_S = 3600


class QtShelveUntilDialog(QDialog):
    """Until when (local date and time, in the future; ``duration_s`` from now by
    default) and a reason, which is required: OK stays off until there is one."""

    def __init__(
        self, now_ns: int, parent: QWidget | None = None, duration_s: int = DEFAULT_SHELF_S
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Shelve alarms"))
        self.setMinimumWidth(420)  # room for the hint in the empty field
        now = QDateTime.fromMSecsSinceEpoch(now_ns // 1_000_000)
        self.edit = QDateTimeEdit(now.addSecs(duration_s))
        self.edit.setMinimumDateTime(now.addSecs(60))
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setCalendarPopup(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why (required), e.g. sensor being replaced"))
        form = QFormLayout(self)
        form.addRow(self.tr("Until"), self.edit)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Shelve"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.reason.textChanged.connect(self._update)
        self._update()
        self.reason.setFocus()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason.text().strip()))

    def until_ns(self) -> int:
        return self.edit.dateTime().toMSecsSinceEpoch() * 1_000_000

    def reason_text(self) -> str:
        return self.reason.text().strip()
