"""Choose a time range of a recording: presets, the timeline's selection, or from … to."""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QVBoxLayout, QWidget

from twin.timebase import NS_PER_S

PRESETS_S = (("Last 10 minutes", 600), ("Last hour", 3600), ("Whole recording", None))


class QtRangeChooser(QWidget):
    """A preset combo (plus "Selected on the timeline" when given) and two date-time edits."""

    def __init__(
        self,
        recorded: tuple[int, int],
        selection: tuple[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.recorded = recorded
        self.selection = selection
        self.combo = QComboBox()
        if selection is not None:
            self.combo.addItem(self.tr("Selected on the timeline"), "selection")
        for label, seconds in PRESETS_S:
            self.combo.addItem(self.tr(label), seconds)
        self.combo.addItem(self.tr("From … to …"), "custom")
        self.start, self.end = QDateTimeEdit(), QDateTimeEdit()
        for edit, ns in ((self.start, recorded[0]), (self.end, recorded[1])):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
            edit.setDateTime(QDateTime.fromMSecsSinceEpoch(ns // 1_000_000))
            edit.setEnabled(False)
        self.combo.currentIndexChanged.connect(self._on_choice)
        edits = QHBoxLayout()
        edits.addWidget(self.start)
        edits.addWidget(self.end)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addLayout(edits)

    def choose(self, data: object) -> None:
        """Select the entry whose data is ``data`` (seconds, None, "selection", "custom")."""
        self.combo.setCurrentIndex(self.combo.findData(data))

    def range_ns(self) -> tuple[int, int]:
        """[t0, t1) in ns; t1 includes the last recorded sample of a preset."""
        first, last = self.recorded
        choice = self.combo.currentData()
        if choice == "custom":
            return (
                self.start.dateTime().toMSecsSinceEpoch() * 1_000_000,
                self.end.dateTime().toMSecsSinceEpoch() * 1_000_000,
            )
        if choice == "selection" and self.selection is not None:
            return self.selection
        if choice is None:
            return first, last + 1
        return max(first, last - int(str(choice)) * NS_PER_S), last + 1

    def _on_choice(self) -> None:
        custom = self.combo.currentData() == "custom"
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
