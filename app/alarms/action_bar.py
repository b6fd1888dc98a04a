"""The row of buttons under the alarm list: the ISA-18.2 actions and the list's messages."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

SHELVE_CHOICES_S = (15 * 60, 3600, 8 * 3600)
ACK_SHORTCUT = "Ctrl+K"


class QtAlarmActionBar(QWidget):
    """Buttons that ask for an action (the list carries it out) and three labels: the
    last action's result (``message``), the hold (``hold_label``) and the replay time
    (``mode_label``). ``shelve_for(seconds)`` is one of ``SHELVE_CHOICES_S``."""

    acknowledge = Signal()
    acknowledge_visible = Signal()
    undo = Signal()
    shelve_for = Signal(int)
    shelve_until = Signal()
    unshelve = Signal()
    comment = Signal()
    service = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ack_button = QPushButton(self.tr("Acknowledge selected"))
        self.ack_button.setToolTip(
            self.tr("Acknowledge the selected alarms (%1)").replace("%1", ACK_SHORTCUT)
        )
        self.ack_button.clicked.connect(self.acknowledge)
        self.ack_all_button = QPushButton(self.tr("Acknowledge all visible"))
        self.ack_all_button.clicked.connect(self.acknowledge_visible)
        self.undo_button = QPushButton(self.tr("Undo acknowledge"))
        self.undo_button.setToolTip(
            self.tr("Make the selected acknowledged alarms unacknowledged again (a correction)")
        )
        self.undo_button.clicked.connect(self.undo)
        self._build_shelve_menu()
        self.comment_button = QPushButton(self.tr("Comment…"))
        self.comment_button.clicked.connect(self.comment)
        self.service_button = QPushButton(self.tr("Out of service / Return"))
        self.service_button.clicked.connect(self.service)
        self.mode_label = QLabel()
        self.message = QLabel()
        self.message.setStyleSheet("color: #8c9196")
        self.hold_label = QLabel()
        self.hold_label.setStyleSheet("color: #e8a317")
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        for b in (self.ack_button, self.ack_all_button, self.undo_button, self.shelve_button):
            bar.addWidget(b)
        bar.addWidget(self.comment_button)
        bar.addWidget(self.service_button)
        bar.addWidget(self.message, 1)
        bar.addWidget(self.hold_label)
        bar.addWidget(self.mode_label)

    def _build_shelve_menu(self) -> None:
        self.shelve_menu = QMenu(self)
        self.shelve_actions: dict[object, QAction] = {}
        labels = (self.tr("15 minutes…"), self.tr("1 hour…"), self.tr("8 hours…"))
        for seconds, label in zip(SHELVE_CHOICES_S, labels, strict=True):
            action = self._menu_action(seconds, label)
            action.triggered.connect(lambda _=False, s=seconds: self.shelve_for.emit(s))
        self._menu_action("until", self.tr("Until…")).triggered.connect(self.shelve_until)
        self.shelve_menu.addSeparator()
        self._menu_action("unshelve", self.tr("Unshelve")).triggered.connect(self.unshelve)
        self.shelve_button = QPushButton(self.tr("Shelve…"))
        self.shelve_button.setMenu(self.shelve_menu)

    def _menu_action(self, key: object, label: str) -> QAction:
        action = self.shelve_menu.addAction(label)
        self.shelve_actions[key] = action
        return action
