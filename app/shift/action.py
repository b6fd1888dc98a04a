"""File > Shift report…: ask for the shift (``dialog.py``), read it from the history on a
worker thread with a cancellable progress dialog, then write the file on the GUI thread
(QTextDocument's printing belongs there)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QProgressDialog, QWidget

from app.export.job import Progress, ProgressJob, show_progress
from app.shift.dialog import QtShiftReportDialog
from app.shift.report import write_shift_report
from db import HistoryError, HistoryReader, open_history
from db.read.shift import read_shift_summary
from twin.kpi.shift import ShiftSummary, ShiftWindow
from twin.plant.model import Plant


class HistoryHolder(Protocol):
    """What names the history the window shows (None: nothing recorded): its exports."""

    history: str | None


class ShiftReporter(QObject):
    """Makes shift reports of the history ``source.history`` names, defaulting to the
    shift at ``cursor()``. ``written(path)`` once a file is written, ``failed(message)``
    when it could not be. Holds no reference to its window but through Qt's parent: the
    window is collected when closed."""

    written = Signal(Path)
    failed = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        plant: Plant,
        source: HistoryHolder,
        cursor: Callable[[], int],
    ) -> None:
        super().__init__(parent)
        self.plant, self._source, self._cursor = plant, source, cursor
        self.job: ProgressJob | None = None
        self._progress: QProgressDialog | None = None
        self._result: ShiftSummary | None = None
        self.failed.connect(self._tell)

    @property
    def _window(self) -> QWidget:
        return self.parent()  # type: ignore[return-value]

    def ask(self) -> None:
        """Show the dialog and make the report it asks for."""
        where = self._source.history
        recorded = self._recorded(where)
        if where is None or recorded is None:
            return
        dialog = QtShiftReportDialog(self.plant, recorded, self._cursor(), parent=self._window)
        if dialog.exec() == QtShiftReportDialog.DialogCode.Accepted:
            self.run(dialog.chosen(), dialog.target())

    def _recorded(self, where: str | None) -> tuple[int, int] | None:
        if where is None:
            self.failed.emit(self.tr("Nothing is being recorded, so there is no shift to report."))
            return None
        try:
            with open_history(where, read_only=True) as history:
                recorded = HistoryReader(history).time_range()
        except HistoryError as exc:
            self.failed.emit(str(exc))
            return None
        if recorded is None:
            self.failed.emit(self.tr("Nothing has been recorded yet."))
        return recorded

    def run(self, window: ShiftWindow, target: Path) -> ProgressJob | None:
        """Read ``window`` from the history on a thread, then write ``target``."""
        where = self._source.history
        if where is None or (self.job is not None and self.job.running):
            return None
        plant = self.plant
        self._result = None

        def work(progress: Progress) -> bool:
            with open_history(where, read_only=True) as history:
                self._result = read_shift_summary(history, plant, window, progress=progress)
            return self._result is not None

        self.job = ProgressJob(work, target, self)
        self._progress = show_progress(
            self.job,
            self.tr("Reading the shift from the recording…"),
            self.tr("Cancel"),
            self._window,
        )
        self.job.finished.connect(self._finished)
        self.job.start()
        return self.job

    def _finished(self, ok: bool, message: str) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        if not ok:
            if message != "cancelled":
                self.failed.emit(message)
            return
        assert self.job is not None and self._result is not None
        try:
            path = write_shift_report(self._result, self.plant, self.job.target)
        except (OSError, ValueError) as exc:
            self.failed.emit(str(exc))
            return
        self.written.emit(path)

    def _tell(self, message: str) -> None:
        QMessageBox.information(self._window, self.tr("Shift report"), message)


def add_shift_report_action(
    menu: QMenu,
    window: QWidget,
    plant: Plant,
    source: HistoryHolder,
    cursor: Callable[[], int],
) -> QAction | None:
    """File > Shift report… in ``menu`` (None where the plant file has no lines or no
    shifts: there is nothing to report)."""
    if not plant.lines or not plant.shifts:
        return None
    reporter = ShiftReporter(window, plant, source, cursor)
    action = QAction(QCoreApplication.translate("ShiftReporter", "S&hift report…"), window)
    action.setObjectName("shift_report")
    action.triggered.connect(reporter.ask)
    menu.addAction(action)
    return action
