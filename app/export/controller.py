"""File > Export: ask, then run the export with a cancellable progress dialog."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.export.dialog import QtExportDialog
from app.export.job import ExportJob, ExportRequest
from db import HistoryError, HistoryReader, open_history
from twin.plant.model import Plant


class ExportController(QObject):
    """Owns the running export of one window (one at a time)."""

    def __init__(self, window: QWidget, plant: Plant) -> None:
        super().__init__(window)  # a child never keeps its parent: no cycle through Qt
        self.plant = plant
        self.history: str | None = None
        self.job: ExportJob | None = None
        self._progress: QProgressDialog | None = None

    @property
    def _window(self) -> QWidget:
        return self.parent()  # type: ignore[return-value]

    def ask_and_export(self, asset_id: str | None) -> None:
        """Show the export dialog for the recorded range and start what it asks for."""
        if self.history is None:
            self._tell(self.tr("Nothing is being recorded, so there is nothing to export."))
            return
        try:
            with open_history(self.history, read_only=True) as history:
                recorded = HistoryReader(history).time_range()
        except HistoryError as exc:
            self._tell(str(exc))
            return
        if recorded is None:
            self._tell(self.tr("Nothing has been recorded yet."))
            return
        dialog = QtExportDialog(self.plant, self.history, recorded, asset_id, self._window)
        if dialog.exec() == QtExportDialog.DialogCode.Accepted:
            self.start(dialog.request())

    def start(self, request: ExportRequest) -> ExportJob | None:
        """Run ``request`` with a progress dialog; None if it cannot start."""
        if self.job is not None and self.job.running:
            self._tell(self.tr("An export is already running."))
            return None
        if request.t1 <= request.t0:
            self._tell(self.tr("The time range is empty: its end is before its start."))
            return None
        if not request.path.parent.is_dir():
            self._tell(self.tr("The folder %s does not exist.") % request.path.parent)
            return None
        self.job = ExportJob(request, self)
        progress = QProgressDialog(
            self.tr("Exporting to %s…") % request.path.name,
            self.tr("Cancel"),
            0,
            1000,
            self._window,
        )
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.canceled.connect(self.job.cancel)
        self.job.progress.connect(lambda f: progress.setValue(int(f * 1000)))
        self.job.finished.connect(self._on_finished)
        self._progress = progress
        self.job.start()
        return self.job

    def _on_finished(self, ok: bool, message: str) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress = None
        if not ok and message != "cancelled":
            self._tell(self.tr("The export failed: %s") % message)

    def _tell(self, message: str) -> None:
        QMessageBox.information(self._window, self.tr("Export"), message)
