"""Choose a time range of a recording: presets, the timeline's selection, or from … to."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QVBoxLayout, QWidget

from app.i18n import QT_TRANSLATE_NOOP
from twin.timebase import NS_PER_S

PRESETS_S = (
    (QT_TRANSLATE_NOOP("QtRangeChooser", "Last 10 minutes"), 600),
    (QT_TRANSLATE_NOOP("QtRangeChooser", "Last hour"), 3600),
    (QT_TRANSLATE_NOOP("QtRangeChooser", "Whole recording"), None),
)
FROM_CURSOR_S = 20  # the "from the cursor" choice: a short clip, e.g. for a video


class QtRangeChooser(QWidget):
    """A preset combo (plus "Selected on the timeline" and "20 s from the cursor" when
    given) and two date-time edits that always show the chosen range."""

    changed = Signal()

    def __init__(
        self,
        recorded: tuple[int, int],
        selection: tuple[int, int] | None = None,
        parent: QWidget | None = None,
        cursor: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.recorded = recorded
        self.selection = selection
        self.cursor_ns = cursor
        self.combo = QComboBox()
        if selection is not None:
            self.combo.addItem(self.tr("Selected on the timeline"), "selection")
        if cursor is not None:
            self.combo.addItem(self.tr("%s s from the cursor") % FROM_CURSOR_S, "cursor")
        for label, seconds in PRESETS_S:
            self.combo.addItem(self.tr(label), seconds)
        self.combo.addItem(self.tr("From … to …"), "custom")
        self.start, self.end = QDateTimeEdit(), QDateTimeEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
            edit.setEnabled(False)
            edit.dateTimeChanged.connect(self._on_edit)
        self._show_range()
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
        cursor = self.cursor_ns
        if choice == "cursor" and cursor is not None:
            start = min(max(cursor, first), last)
            return start, min(start + FROM_CURSOR_S * NS_PER_S, last + 1)
        if choice is None:
            return first, last + 1
        return max(first, last - int(str(choice)) * NS_PER_S), last + 1

    def _on_choice(self) -> None:
        custom = self.combo.currentData() == "custom"
        if not custom:
            self._show_range()  # the edits show what a preset means, and start "custom" there
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        self.changed.emit()

    def _show_range(self) -> None:
        t0, t1 = self.range_ns()
        for edit, ns in ((self.start, t0), (self.end, t1)):
            edit.blockSignals(True)
            edit.setDateTime(QDateTime.fromMSecsSinceEpoch(ns // 1_000_000))
            edit.blockSignals(False)

    def _on_edit(self) -> None:
        if self.combo.currentData() == "custom":
            self.changed.emit()
