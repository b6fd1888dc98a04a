"""The alarm journal over a time range: every raise, clear and operator action, with
filters and a CSV export that runs in the background."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.alarms.common import (
    action_names,
    format_time,
    priority_names,
    priority_qcolor,
    state_names,
)
from app.core_text import sentence
from app.export.job import EXPECTED_ERRORS, Progress, ProgressJob, Work
from app.export.range_chooser import QtRangeChooser
from app.views.values_panel import format_value
from db import HistoryError
from db.journal import Journal
from twin.alarms import Action, AlarmEvent, Priority

log = logging.getLogger(__name__)
MAX_ROWS = 100_000  # more than anyone reads; the export has no limit
OPERATOR_ACTIONS = (
    Action.ACK,
    Action.UNACK,
    Action.SHELVE,
    Action.UNSHELVE,
    Action.REMOVE,
    Action.RETURN,
    Action.COMMENT,
)
_Index = QModelIndex | QPersistentModelIndex


class JournalModel(QAbstractTableModel):
    """Alarm events as rows: time, alarm, asset, action, state change, priority, value,
    user, comment; in the words the alarm list uses (the CSV export keeps the stored
    names)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.events: list[AlarmEvent] = []
        self.names = (action_names(), state_names(), priority_names())
        self._headers = (
            self.tr("Time"),
            self.tr("Alarm"),
            self.tr("Asset"),
            self.tr("Action"),
            self.tr("State"),
            self.tr("Priority"),
            self.tr("Value"),
            self.tr("User"),
            self.tr("Comment"),
        )

    def set_events(self, events: list[AlarmEvent]) -> None:
        self.beginResetModel()
        self.events = events
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        e = self.events[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(e, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 5:
            return priority_qcolor(e.priority)
        if role == Qt.ItemDataRole.UserRole:  # sort by time as a number, not as text
            return e.t if index.column() == 0 else self.text(e, index.column())
        return None

    def text(self, e: AlarmEvent, column: int) -> str:
        actions, states, priorities = self.names
        change = f"{states[e.from_state]} → {states[e.to_state]}"
        cells = (
            format_time(e.t),
            e.alarm_id,
            e.asset_id,
            actions[e.action],
            change if e.from_state is not e.to_state else states[e.to_state],
            priorities[e.priority],
            format_value(e.value),
            e.user or "",
            sentence(e.comment or ""),
        )
        return cells[column]


class QtJournalView(QWidget):
    """Choose a range and filters, press "Show", read the journal; "Export CSV…" writes
    the same range and filters with ``Journal.export_csv`` on a worker thread."""

    def __init__(
        self, journal: Journal, recorded: tuple[int, int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.job: ProgressJob | None = None
        self.range = QtRangeChooser(recorded)
        self.priority_combo = QComboBox()
        self.priority_combo.addItem(self.tr("All priorities"), None)
        self.priority_combo.addItem(self.tr("Critical"), int(Priority.CRITICAL))
        self.priority_combo.addItem(self.tr("High and above"), int(Priority.HIGH))
        self.priority_combo.addItem(self.tr("Medium and above"), int(Priority.MEDIUM))
        self.action_combo = QComboBox()
        self.action_combo.addItem(self.tr("All events"), None)
        self.action_combo.addItem(self.tr("Raised"), [Action.RAISE.value])
        self.action_combo.addItem(self.tr("Operator actions"), [a.value for a in OPERATOR_ACTIONS])
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search alarm, asset, user, comment"))
        self.search.setClearButtonEnabled(True)
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self._ask_export)
        self.model = JournalModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        fm = self.view.fontMetrics()
        widest_change = "Unacknowledged → Acknowledged"  # longer ones are elided
        for column, sample in (
            (0, "2026-12-03 10:34:10"),
            (1, "M07.winding_temp:HH"),
            (3, "Acknowledgement undone"),
            (4, widest_change),
            (5, "Priority"),
            (6, "-12,345.6"),
            (7, "Wang Xiaoming"),
        ):
            width = fm.horizontalAdvance(self.tr(sample)) + 18
            self.view.horizontalHeader().resizeSection(column, width)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setVisible(False)
        self.message = QLabel()
        filters = QHBoxLayout()
        for w in (self.range, self.priority_combo, self.action_combo):
            filters.addWidget(w)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.show_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

    def set_recorded(self, recorded: tuple[int, int]) -> None:
        """The span the range presets count back from (e.g. the history's time range)."""
        self.range.recorded = recorded

    def filters(self) -> dict[str, Any]:
        """The ``Journal.read`` filters chosen in the bar (the text search is not one)."""
        out: dict[str, Any] = {}
        if (p := self.priority_combo.currentData()) is not None:
            out["min_priority"] = int(p)
        if (a := self.action_combo.currentData()) is not None:
            out["actions"] = list(a)
        return out

    def refresh(self) -> int:
        """Read the chosen range (up to ``MAX_ROWS`` events); returns how many."""
        t0, t1 = self.range.range_ns()
        if t1 <= t0:
            self.message.setText(self.tr("The time range is empty."))
            return 0
        try:
            events = self.journal.read(t0, t1, limit=MAX_ROWS, **self.filters())
        except HistoryError as exc:
            self.message.setText(str(exc))
            return 0
        self.model.set_events(events)
        text = self.tr("%n event(s)", "", len(events))
        if len(events) >= MAX_ROWS:
            text += self.tr(" (the first %1; export to see all)").replace("%1", str(MAX_ROWS))
        self.message.setText(text)
        return len(events)

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export alarm journal"), "alarms.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> ProgressJob | None:
        """Export the chosen range and filters to ``path`` in the background; None if
        an export is already running or the range is empty."""
        if self.job is not None and self.job.running:
            self.message.setText(self.tr("An export is already running."))
            return None
        t0, t1 = self.range.range_ns()
        if t1 <= t0:
            self.message.setText(self.tr("The time range is empty."))
            return None
        journal, filters, written = self.journal, self.filters(), [0]

        def work(progress: Progress) -> bool:
            if not progress(0.0):
                return False
            written[0] = journal.export_csv(t0, t1, path, **filters)
            progress(1.0)
            return True

        job = ProgressJob(guarded(work), path, self)
        job.progress.connect(lambda f: self.progress.setValue(int(f * 1000)))
        job.finished.connect(lambda ok, msg: self._on_exported(ok, msg, written[0]))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.export_button.setEnabled(False)
        self.job = job
        job.start()
        return job

    def _on_exported(self, ok: bool, message: str, count: int) -> None:
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        if ok:
            self.message.setText(
                self.tr("Exported %1 events to %2").replace("%1", str(count)).replace("%2", message)
            )
        else:
            self.message.setText(self.tr("Export failed: %1").replace("%1", message))

    def closeEvent(self, event: QCloseEvent) -> None:
        stop_job(self.job)
        super().closeEvent(event)


def guarded(work: Work) -> Work:
    """``work`` with unexpected errors turned into ones ``ProgressJob`` reports (any other
    would end its thread without ``finished``, leaving its poll timer running)."""

    def run(progress: Progress) -> bool:
        try:
            return work(progress)
        except EXPECTED_ERRORS:
            raise
        except Exception as exc:
            log.exception("alarm job failed")
            raise ValueError(f"{type(exc).__name__}: {exc}") from exc

    return run


def stop_job(job: ProgressJob | None, timeout_s: float = 10.0) -> None:
    """Cancel a running job, wait for its thread and stop its progress timer (the
    widget showing it is closing, so nobody waits for ``finished``)."""
    if job is None:
        return
    job.cancel()
    deadline = time.monotonic() + timeout_s
    while job.running and time.monotonic() < deadline:  # a write in progress finishes
        time.sleep(0.01)
    for timer in job.findChildren(QTimer):
        timer.stop()
